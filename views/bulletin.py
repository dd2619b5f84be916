"""双周通报: issued bulletins for download (every role); an administrator's draft, issue and withdraw."""

from __future__ import annotations

import functools
from datetime import date

import pandas as pd
import streamlit as st

import accounts
import database
from analytics.formatting import fmt_date, fmt_int, fmt_month, fmt_pct
from bulletin import store
from bulletin.charts import ChartUnavailable, cjk_font
from bulletin.content import Bulletin, PeriodError, default_period, heading, period_choices, period_text
from ui import auth, data
from ui.components import empty_state, show_table
from ui.text import md_escape

#: the column that names a row of a bulletin's table (pinned, wrapped)
NAME_COLUMNS = ("项目名称", "乡镇街道", "牵头单位", "评委")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(max_entries=8, ttl=3600, show_spinner="正在生成通报草稿…")
def _preview(path: str, start: date, end: date, data_version: int, number: int, today: date) -> Bulletin:
    return store.preview(data.connection(path), start, end, today, number=number)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _draft(path: str, start: date, end: date, data_version: int, number: int, today: date) -> store.Draft:
    """The previewed draft with its Word (charts drawn, about a second) and Excel files: built when one is
    downloaded."""
    return store.with_files(_preview(path, start, end, data_version, number, today))


def _draft_file(key: tuple, kind: str) -> bytes:
    """One file of the draft, for a download button: called when it is clicked."""
    return getattr(_draft(*key), kind)


def _chart_note() -> str | None:
    """Why the Word draft will have no charts, said before anyone downloads it (None: they can be drawn)."""
    try:
        cjk_font()
    except ChartUnavailable as exc:
        return f"Word 草稿中的图表将从略:{exc}"
    return None


user = auth.require()
st.title("双周通报")
con = data.con()
issued = store.list_bulletins(con)

if user.is_admin:
    reports = data.table("weekly_reports")
    choices = period_choices(reports, date.today())
    period = st.selectbox("通报期(两周)", choices, index=choices.index(default_period(reports, date.today())),
                          format_func=lambda p: period_text(*p), key="bulletin_period", placeholder="请选择",
                          help="默认是数据中最近的两个完整周;网格数据取本期结束前最近一个已结束月份")
    try:
        key = (str(database.db_path()), period[0], period[1], data.version(), store.next_number(con), date.today())
        b = _preview(*key)
    except (PeriodError, store.BulletinError) as exc:
        st.error(str(exc), icon=":material/error:")
        b = None
    if b is not None:
        h = b.headline
        st.subheader(f"草稿:{b.title}")
        k = st.columns(4)
        k[0].metric("周报报送率", fmt_pct(h["report_rate"]), border=True,
                    help=f"应报 {fmt_int(h['report_active'])} 个次,已报 {fmt_int(h['report_reported'])} 个次")
        k[1].metric("进度滞后项目", f"{h['behind']} 个", border=True, help=f"红色 {h['red']} 个,黄色 {h['yellow']} 个")
        k[2].metric("网格事件处置率", fmt_pct(h["grid_rate"]), border=True,
                    help=f"{fmt_month(h['grid_month'])}" if h.get("grid_month") else "没有已结束月份的网格统计")
        k[3].metric("需协调事项", f"{h['difficulties']} 条", border=True)
        if note := _chart_note():
            st.warning(note, icon=":material/image_not_supported:")
        stem = store.file_stem(b.number, b.period_start, b.period_end, b.draft)
        c = st.columns(3)
        c[0].download_button("下载草稿(Word)", functools.partial(_draft_file, key, "docx"), f"{stem}.docx", DOCX, key="draft_docx",
                             icon=":material/description:", on_click="ignore")
        c[1].download_button("下载草稿(Excel)", functools.partial(_draft_file, key, "xlsx"), f"{stem}.xlsx", XLSX, key="draft_xlsx",
                             icon=":material/table:", on_click="ignore")
        if c[2].button(f"印发为第{b.number}期", type="primary", key="bulletin_issue", icon=":material/send:"):
            try:
                done = store.issue(con, period[0], period[1], user.username, auth.now())
                st.session_state["bulletin_notice"] = f"已印发第{done.bulletin.number}期双周通报。"
                st.rerun()
            except (PeriodError, store.BulletinError) as exc:
                st.error(str(exc), icon=":material/error:")
        with st.container(border=True):
            st.markdown(f"**{md_escape(b.title)}**  \n{md_escape(b.issuer)} · {fmt_date(b.issued_on)} · 通报期 "
                        f"{md_escape(b.period_text)}")
            st.markdown(md_escape(b.opening))
            for i, section in enumerate(b.sections):
                st.markdown(f"**{heading(i, section.title)}**")
                for text in section.paragraphs:
                    st.markdown(md_escape(text))
                if section.table is not None and not section.table.empty:
                    show_table(section.table, key=f"draft_table_{i}", kinds={c: "rate" for c in section.share_columns},
                               drop_empty=False, wrap=True, widths={"牵头单位": 110, "第一责任人": 80},
                               name_column=next((c for c in NAME_COLUMNS if c in section.table.columns), None))

if notice := st.session_state.pop("bulletin_notice", None):
    st.success(notice, icon=":material/check_circle:")
st.subheader("已印发的通报")
if issued.empty:
    empty_state("还没有印发的双周通报。" + ("在上方选择通报期,预览草稿后印发。" if user.is_admin else ""))
    st.stop()
for row in issued.itertuples():
    withdrawn = bool(pd.notna(row.withdrawn_at))
    with st.container(border=True):
        c = st.columns([3, 1, 1, 1])
        status = f"已撤回({fmt_date(row.withdrawn_at)},{row.withdrawn_by})" if withdrawn else "已印发"
        c[0].markdown(f"**第{row.number}期** · {period_text(row.period_start, row.period_end)}  \n"
                      f"{fmt_date(row.issued_at)} 由 {md_escape(str(row.issued_by))} 印发 · {status}")
        if withdrawn and not user.is_admin:
            continue
        docx, xlsx = store.stored_files(con, int(row.number))
        stem = store.file_stem(int(row.number), row.period_start, row.period_end)
        c[1].download_button("Word", docx, f"{stem}.docx", DOCX, key=f"issued_docx_{row.number}",
                             icon=":material/download:", on_click="ignore")
        c[2].download_button("Excel", xlsx, f"{stem}.xlsx", XLSX, key=f"issued_xlsx_{row.number}",
                             icon=":material/download:", on_click="ignore")
        if user.role == accounts.ADMIN and not withdrawn:
            confirm = c[3].checkbox("确认撤回", key=f"confirm_withdraw_{row.number}")
            if c[3].button("撤回", key=f"withdraw_{row.number}", disabled=not confirm):
                store.withdraw(con, int(row.number), user.username, auth.now())
                st.session_state["bulletin_notice"] = f"已撤回第{row.number}期双周通报。"
                st.rerun()

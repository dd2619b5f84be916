"""Small Streamlit components every page uses: the date picker, downloads, empty states."""

from __future__ import annotations

import functools
from datetime import date

import pandas as pd
import streamlit as st

import export
from analytics.formatting import fmt_date
from analytics.overview import default_as_of
from ui import data
from ui.text import md_escape

AS_OF_KEY = "as_of"


def _default_as_of() -> date:
    return _latest_data_date(date.today())


@data.memo
def _latest_data_date(today: date) -> date:
    return default_as_of(data.table("weekly_reports"), today, data.table("milestones"))


def as_of_picker() -> None:
    """The shared 数据日期 in the sidebar: defaults to the latest date the project data describe, shown below it."""
    default = _default_as_of()
    st.date_input("数据日期", value=default, key=AS_OF_KEY, format="YYYY-MM-DD",
                  help="项目进度、周报报送按这一天计算;默认为数据中最新的日期(最近一次周报的周次或最近完成的节点)")
    st.caption(f"数据最新到 {fmt_date(default)}" + ("" if as_of_date() == default
                                                  else f",现按 {fmt_date(as_of_date())} 回看"))


def as_of_date() -> date:
    value = st.session_state.get(AS_OF_KEY)
    return value if isinstance(value, date) else _default_as_of()


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def download_table(frame: pd.DataFrame, name: str, key: str) -> None:
    """A download button for a table as .xlsx (safe against formula injection)."""
    st.download_button(
        f"下载“{md_escape(name)}”(Excel)",
        # built only when clicked (not on every rerun); export cleans the sheet title
        data=functools.partial(export.to_xlsx, frame.copy(), sheet_name=name),
        file_name=export.file_name(name, ".xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


#: words in a browser's User-Agent that mean a phone (portrait, a narrow screen)
PHONE_AGENTS = ("iPhone", "Android", "Mobile", "HarmonyOS")


def is_phone() -> bool:
    """Whether this session's browser is a phone (by its User-Agent; False when unknown, e.g. under AppTest)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001 - no request context
        return False
    return any(word in agent for word in PHONE_AGENTS) and "iPad" not in agent


def for_phone(frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """On a phone, only the columns that matter (``keep``: the name and one or two figures), so the table
    fits the width; elsewhere the whole table. The rest is one tap away in :func:`more_columns`."""
    if not is_phone():
        return frame
    return frame[[c for c in keep if c in frame.columns]]


def more_columns(frame: pd.DataFrame, keep: list[str], key: str) -> None:
    """On a phone, the whole table folded behind one tap (under the compact one)."""
    hidden = [c for c in frame.columns if c not in keep]
    if is_phone() and hidden:
        with st.expander(f"查看全部 {len(frame.columns)} 列(另有 {'、'.join(hidden)})"):
            st.dataframe(frame, hide_index=True, key=f"{key}_all")

"""大屏: slides for the monthly observation meeting, big type, no scrolling, advancing by themselves."""

from __future__ import annotations

import os
import time
from html import escape

import streamlit as st

import charts
from analytics.formatting import fmt_date, fmt_int, fmt_month, fmt_pct
from analytics.overview import overview
from analytics.project_view import status_by, status_counts
from ui import auth, data, projects
from ui.components import as_of_date

auth.require()
SLIDES = ["全县概况", "网格处置率", "项目进度", "落后项目"]
SECONDS = int(os.environ.get("DASHBOARD_SLIDE_SECONDS") or 15)  # the slide interval, a setting

st.html("""<style>
  [data-testid=stMain] .block-container {padding-top: 1.2rem; padding-bottom: 0; max-width: 100%;}
  [data-testid=stMetricValue] {font-size: 4.2rem !important; font-weight: 700;}
  [data-testid=stMetricLabel] p {font-size: 1.9rem !important;}
  .slide-title {font-size: 3rem; font-weight: 800; color: #C00000; margin: 0 0 .4rem 0;}
  .slide-note {font-size: 1.5rem; color: #333;}
  .behind {font-size: 1.8rem; line-height: 2.6rem;}
</style>""")

if "slide" not in st.session_state:
    st.session_state.slide = 0
c1, c2, c3 = st.columns([1, 1, 6])
if c1.button("上一页", key="slide_prev", icon=":material/chevron_left:"):
    st.session_state.slide = (st.session_state.slide - 1) % len(SLIDES)
    st.session_state["_slide_at"] = time.monotonic()
if c2.button("下一页", key="slide_next", icon=":material/chevron_right:"):
    st.session_state.slide = (st.session_state.slide + 1) % len(SLIDES)
    st.session_state["_slide_at"] = time.monotonic()
auto = c3.toggle(f"自动翻页(每 {SECONDS} 秒)", value=True, key="slide_auto")

as_of = as_of_date()
ov = overview(data.table("projects"), data.table("milestones"), data.table("weekly_reports"),
              data.table("grid_stats"), data.table("grids"), as_of)


@st.fragment(run_every=SECONDS if auto else None)
def show() -> None:
    # the auto-advance re-runs only this fragment: check the log-in or display link again every time,
    # so a revoked or expired link (or an ended session) loses the tab within one slide interval
    if not auth.still_allowed():
        st.rerun(scope="app")
    # advance only when a slide has been up for its full time: a click's full rerun runs this too
    now = time.monotonic()
    if auto and now - st.session_state.get("_slide_at", now) >= SECONDS - 1:
        st.session_state.slide = (st.session_state.slide + 1) % len(SLIDES)
        st.session_state["_slide_at"] = now
    st.session_state.setdefault("_slide_at", now)
    name = SLIDES[st.session_state.slide]
    st.html(f'<p class="slide-title">{name}</p>')
    county = ov.county.iloc[0]
    if name == "全县概况":
        k = st.columns(4)
        k[0].metric("在推进项目", f"{ov.projects_running} 个")
        k[1].metric("本周周报报送率", fmt_pct(ov.reporting_rate))
        k[2].metric("网格事件处置率", fmt_pct(county["rate"]))
        k[3].metric("进度落后项目", f"{ov.behind} 个")
        st.html(f'<p class="slide-note">项目数据截至 {fmt_date(as_of)};网格统计 {fmt_month(ov.first_month)}—'
                f'{fmt_month(ov.last_month)}:采集基础数据 {fmt_int(county["collected"])} 条,上报事件 '
                f'{fmt_int(county["reported"])} 件,处置事项 {fmt_int(county["handled"])} 件。</p>')
    elif name == "网格处置率":
        fig = charts.disposal_by_unit(ov.by_unit, county["rate"], title="各乡镇街道网格事件处置率")
        st.plotly_chart(charts.for_projector(fig), key="projector_chart", theme=None, config={"staticPlot": True})
    elif name == "项目进度":
        board = projects.board(as_of)
        counts = status_counts(board)
        k = st.columns(4)
        for col, status in zip(k, ("红", "黄", "绿", "已完成"), strict=True):
            col.metric(status, f"{counts[status]} 个")
        behind = status_by(board[board["status"].isin(["红", "黄"])])
        if not behind.empty:  # 30-odd units do not fit a projector: the ones with projects behind do
            fig = charts.status_by_unit(behind, title="有落后项目的单位")
            st.plotly_chart(charts.for_projector(fig, height=480), key="projector_chart", theme=None,
                            config={"staticPlot": True})
    else:
        board = projects.board(as_of)
        behind = board[board["status"].isin(["红", "黄"])].head(10)
        # names and reasons come from uploaded files: escaped before they go into HTML
        lines = "".join(f"<div><b style='color:{charts.STATUS_COLOURS[r.status]}'>●</b> {escape(r.unit)} · "
                        f"{escape(r.name)} —— {escape(r.reason)}</div>" for r in behind.itertuples())
        st.html(f'<div class="behind">{lines or "全部项目按计划推进。"}</div>')
    st.caption(f"第 {st.session_state.slide + 1} / {len(SLIDES)} 页")


show()

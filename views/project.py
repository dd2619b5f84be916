"""项目详情: one project: card, roadmap, progress curve, weekly reports, outcome indicators."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.formatting import fmt_date
from ui import auth, data, projects
from ui.components import as_of_date, download_table, empty_state, neutral_delta, show_table
from ui.text import md_escape

auth.require()
st.title("项目详情")
all_projects = data.table("projects")
if all_projects.empty:
    empty_state("还没有项目台账。请到「数据上传」页上传“项目台账”。")
    st.stop()

as_of = as_of_date()
board = projects.board(as_of).set_index("project_id")
ids = all_projects["project_id"].tolist()
if st.session_state.get(projects.DETAIL_KEY) not in ids:
    st.session_state[projects.DETAIL_KEY] = ids[0]
pid = st.selectbox("选择项目", ids, key=projects.DETAIL_KEY, placeholder="请选择",
                   format_func=lambda p: f"{p} {board.loc[p, 'name']}({board.loc[p, 'unit']})")
row = board.loc[pid]

with st.container(border=True):
    st.subheader(md_escape(row["name"]))
    c1, c2, c3, c4 = st.columns(4)
    c1.markdown(f"**牵头单位**  \n{md_escape(row['unit'])}")
    c2.markdown(f"**第一责任人**  \n{md_escape(row['leader'])} {md_escape(row['leader_title'] or '')}")
    c3.markdown(f"**项目类别**  \n{md_escape(row['category'])}")
    c4.markdown(f"**周期**  \n{fmt_date(row['approved_on'])} — {fmt_date(row['due_on'])}")
    if isinstance(row["summary"], str) and row["summary"]:
        st.write(md_escape(row["summary"]))
    m1, m2, m3 = st.columns(3)
    m1.metric("状态", row["status"], help=md_escape(row["reason"]))
    m2.metric("计划进度", f"{row['expected']:.0f}%" if pd.notna(row["expected"]) else "—")
    m3.metric("实际进度", f"{row['actual']:.0f}%" if pd.notna(row["actual"]) else "—",
              **neutral_delta(f"{row['actual'] - row['expected']:+.0f} 个百分点" if pd.notna(row["gap"]) else None))
    st.caption(f"判断依据:{md_escape(row['reason'])}")

milestones = data.table("milestones")
mine = milestones[milestones["project_id"] == pid]
reports = data.table("weekly_reports")
left, right = st.columns(2)
with left:
    if mine.empty:
        empty_state("这个项目还没有上传节点(项目时间表)。")
    else:
        st.plotly_chart(projects.roadmap_chart(pid, as_of), key="chart_roadmap")
with right:
    st.plotly_chart(projects.curve_chart(pid, as_of), key="chart_curve")

st.subheader("周计划与周小结")
own = reports[reports["project_id"] == pid].sort_values("week_start", ascending=False)
if own.empty:
    empty_state("这个项目还没有报送周报。")
for report in own.head(12).itertuples():
    with st.container(border=True):
        st.markdown(f"**{fmt_date(report.week_start)} 当周** · 进度 {report.percent:.0f}%"
                    + (f" · 填报人 {md_escape(report.reporter)}" if isinstance(report.reporter, str) else ""))
        st.write(f"本周小结:{md_escape(report.summary)}")
        if isinstance(report.plan, str) and report.plan:
            st.write(f"下周计划:{md_escape(report.plan)}")
        if isinstance(report.difficulty, str) and report.difficulty.strip():
            st.warning(f"存在困难:{md_escape(report.difficulty)}", icon=":material/report:")
        if isinstance(report.coordination, str) and report.coordination.strip():
            st.info(f"需协调事项:{md_escape(report.coordination)}", icon=":material/handshake:")
if len(own) > 12:
    st.caption(f"只显示最近 12 周,共 {len(own)} 周;全部周报可下载。")
    download_table(projects.reports_table(own), f"{pid}周报", key="dl_project_reports")

st.subheader("成效指标")
indicators = data.table("indicators")
own_ind = indicators[indicators["project_id"] == pid]
if own_ind.empty:
    empty_state("这个项目还没有上传成效指标。")
else:
    show_table(projects.indicator_table(own_ind), key="table_indicators", kinds=projects.INDICATOR_KINDS)

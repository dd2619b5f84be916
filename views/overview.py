"""总览: where the county stands this week."""

from __future__ import annotations

import streamlit as st

import charts
from analytics.formatting import DASH, fmt_date, fmt_int, fmt_month, fmt_pct
from analytics.overview import overview
from ui import auth, data
from ui.components import as_of_date, download_table, empty_state
from ui.todo import show as show_todo

UNIT_COLUMNS = {"unit": "乡镇街道", "collected": "采集基础数据", "reported": "上报事件", "handled": "处置事项",
                "处置率": "处置率", "communities": "村社区", "grids": "网格", "branches": "网格党支部", "members": "党员数"}

user = auth.require()
st.title("党建聚合力·书记领航行动 总览")
show_todo(user)  # 待办: unfiled weekly reports, returned applications, applications to review

projects = data.table("projects")
grid_stats = data.table("grid_stats")
if projects.empty and grid_stats.empty:
    empty_state("还没有任何数据。请到「数据上传」页下载模板,填好后上传;或在命令行运行 `make sample` 载入示例数据。")
    st.stop()

as_of = as_of_date()
ov = overview(projects, data.table("milestones"), data.table("weekly_reports"), grid_stats, data.table("grids"), as_of)
county = ov.county.iloc[0]
period = f"{fmt_month(ov.first_month)}—{fmt_month(ov.last_month)}" if ov.first_month else DASH
st.caption(f"项目数据截至 {fmt_date(as_of)}(第 {as_of.isocalendar().week} 周);网格统计期 {period}")

c1, c2, c3, c4 = st.columns(4)
c1.metric("在推进项目", f"{ov.projects_running} 个", help=f"项目总数 {ov.projects_total} 个,状态为“实施中”的项目数", border=True)
c2.metric("本周周报报送率", fmt_pct(ov.reporting_rate),
          help=f"{fmt_date(ov.week_start)} 这一周应报 {ov.week_active} 个项目,已报 {ov.week_reported} 个", border=True)
c3.metric("全县网格事件处置率", fmt_pct(county["rate"]),
          help="处置事项 ÷ 上报事件", border=True)
c4.metric("进度落后项目", f"{ov.behind} 个",
          help=f"红色 {ov.status_counts.get('红', 0)} 个、黄色 {ov.status_counts.get('黄', 0)} 个", border=True)
c3.caption(f"采集基础数据 {fmt_int(county['collected'])} 条 · 上报事件 {fmt_int(county['reported'])} 件 · "
           f"处置事项 {fmt_int(county['handled'])} 件")
c2.caption(f"应报 {ov.week_active} 个,已报 {ov.week_reported} 个")

st.subheader("各乡镇街道网格事件处置率")
if ov.by_unit.empty:
    empty_state("还没有网格统计数据:请上传「网格统计」表。")
else:
    st.plotly_chart(charts.disposal_by_unit(ov.by_unit, county["rate"], title=f"处置率({period})"),
                    key="chart_disposal_by_unit")
    table = ov.by_unit.sort_values("rate", ascending=False).assign(
        处置率=lambda d: d["rate"].map(fmt_pct),
    ).rename(columns=UNIT_COLUMNS)
    table = table[list(UNIT_COLUMNS.values())]
    st.dataframe(table, hide_index=True, key="table_disposal_by_unit",
                 column_config={c: st.column_config.NumberColumn(format="localized") for c in
                                ("采集基础数据", "上报事件", "处置事项", "党员数")})
    download_table(table, "各乡镇街道处置率", key="dl_disposal_by_unit")

st.subheader("最近上传")
uploads = data.recent_uploads(8)
if uploads.empty:
    empty_state("还没有上传记录。")
else:
    st.dataframe(data.uploads_for_display(uploads), hide_index=True, key="table_recent_uploads")
    if user is not None and user.can_upload:
        st.page_link("views/upload.py", label="去「数据上传」查看全部记录", icon=":material/upload_file:")

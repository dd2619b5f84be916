"""总览: the leader's one-screen briefing — where are we, who is behind, who leads."""

from __future__ import annotations

import streamlit as st

from analytics.briefing import status_counts
from analytics.formatting import DASH, fmt_date, fmt_int, fmt_month, fmt_pct
from ui import auth, briefing_html, data, overview_view
from ui.components import as_of_date, download_table, empty_state, show_table
from ui.todo import show as show_todo

UNIT_COLUMNS = {"unit": "乡镇街道", "collected": "采集基础数据", "reported": "上报事件", "handled": "处置事项",
                "处置率": "处置率", "communities": "村社区", "grids": "网格", "branches": "网格党支部", "members": "党员数"}

#: what a phone shows of the unit table (the rest behind one tap)
PHONE_COLUMNS = ["乡镇街道", "处置率"]

user = auth.require()
projects = data.table("projects")
grid_stats = data.table("grid_stats")
if projects.empty and grid_stats.empty:
    st.title("总览")
    empty_state("还没有任何数据。请到「数据上传」页下载模板,填好后上传;或在命令行运行 `make sample` 载入示例数据。")
    st.stop()

as_of = as_of_date()
b = overview_view.briefing_on(as_of)
month = fmt_month(b.month) if b.month else DASH
st.title("党建聚合力·书记领航行动 总览")
st.caption(f"数据日期 {fmt_date(as_of)}(第 {as_of.isocalendar().week} 周)· 网格统计最新月份 {month} · "
           "项目指标与上周比较,处置率与上月比较")
show_todo(user)  # 待办: unfiled weekly reports, returned applications, applications to review

k = st.columns(4)
k[0].metric("在推进项目", f"{fmt_int(b.running.value)} 个", **briefing_html.delta(b.running),
            border=True, help=f"共 {len(b.tiles)} 个项目;红、黄、绿状态的项目数,与上周比较")
k[1].metric("本周周报报送率", fmt_pct(b.reporting_rate.value), **briefing_html.delta(b.reporting_rate, "rate"),
            border=True, help="本周应报项目中已报送周报的比例,与上周比较")
k[2].metric("全县处置率", fmt_pct(b.disposal_rate.value), **briefing_html.delta(b.disposal_rate, "rate"),
            border=True, help=f"{month}全县处置事项 ÷ 上报事件,与上月比较;可超过 100%(处置了以前月份积压的事件)")
k[3].metric("进度落后项目", f"{fmt_int(b.behind.value)} 个", **briefing_html.delta(b.behind),
            border=True, help="红色、黄色项目数,与上周比较")

left, middle, right = st.columns([11, 5, 6], gap="medium")
with left:
    counts = status_counts(b.tiles)
    st.html(briefing_html.section(f"项目状态({len(b.tiles)} 个)",
                                  " · ".join(f"{s} {n}" for s, n in counts.items())))
    st.html(briefing_html.tiles(b.tiles))
    st.html(briefing_html.attention(b.attention))
with middle:
    rounds = "、".join(f"第{r}轮" for r in b.rounds)
    st.html(briefing_html.section("评审前 10", f"按{rounds}计算" if rounds else "尚未开展评审"))
    st.html(briefing_html.top(b.top))
with right:
    st.html(briefing_html.section(f"{month}处置率", "较上月;上报不少于 10 件的单位"))
    st.html(briefing_html.units(b.best_units, "最好的三个"))
    st.html(briefing_html.units(b.worst_units, "最后三个"))

st.divider()
ov = overview_view.unit_figures()  # the briefing above has the project figures
county = ov.county.iloc[0]
period = f"{fmt_month(ov.first_month)}—{fmt_month(ov.last_month)}" if ov.first_month else DASH
st.subheader(f"各乡镇街道网格事件处置率({period})")
if ov.by_unit.empty:
    empty_state("还没有网格统计数据:请上传「网格统计」表。")
else:
    st.caption(f"全县采集基础数据 {fmt_int(county['collected'])} 条 · 上报事件 {fmt_int(county['reported'])} 件 · "
               f"处置事项 {fmt_int(county['handled'])} 件 · 处置率 {fmt_pct(county['rate'])}")
    st.plotly_chart(overview_view.unit_chart(), key="chart_disposal_by_unit")
    table = ov.by_unit.sort_values("rate", ascending=False).assign(
        处置率=lambda d: d["rate"],  # a share: the one formatting layer writes it 97.9% and sorts it as a number
    ).rename(columns=UNIT_COLUMNS)
    table = table[list(UNIT_COLUMNS.values())]
    show_table(table, key="table_disposal_by_unit", name_column="乡镇街道", phone=PHONE_COLUMNS)
    download_table(table, "各乡镇街道处置率", key="dl_disposal_by_unit")

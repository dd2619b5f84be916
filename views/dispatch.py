"""周调度: the chosen week: who reported, who did not, what changed, what difficulties were raised."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from analytics.formatting import fmt_date, fmt_pct
from analytics.progress import week_monday
from ui import auth, data, dispatch_view
from ui.components import as_of_date, download_table, empty_state, show_table

#: so that 存在困难 and 需协调事项 wrap beside the project at 1366×768 (no sideways scrolling)
DIFFICULTY_WIDTHS = {"周次": 86, "项目编号": 84, "项目名称": 150, "牵头单位": 92, "存在困难": 200, "需协调事项": 200,
                     "累计提出周数": 84}

auth.require()
st.title("周调度")
if data.table("projects").empty:
    empty_state("还没有项目台账。请到「数据上传」页上传“项目台账”和“项目周报”。")
    st.stop()

weeks = dispatch_view.weeks() or [week_monday(as_of_date())]
default = min(week_monday(as_of_date()), weeks[-1])
week = st.selectbox("调度周", weeks[::-1], index=weeks[::-1].index(default) if default in weeks else 0,
                    format_func=lambda w: f"{fmt_date(w)} — {fmt_date(w + timedelta(days=6))}(第{w.isocalendar().week}周)",
                    key="dispatch_week", placeholder="请选择")

fig = dispatch_view.week_figures(week)
who, missed, changed, raised = fig.who, fig.missed, fig.changed, fig.raised
silent = who[~who["reported"]]

c = st.columns(4)
c[0].metric("应报项目", f"{len(who)} 个", border=True)
c[1].metric("本周报送率", fmt_pct(who["reported"].mean() if len(who) else float("nan")),
            help=f"已报 {int(who['reported'].sum())} 个", border=True)
c[2].metric("连续两周未报", f"{len(missed)} 个", border=True)
c[3].metric("本周提出困难或协调事项", f"{len(raised)} 条", border=True)

left, right = st.columns([1, 1])
with left:
    st.subheader("本周未报送")
    if silent.empty:
        st.success("所有应报项目都已报送周报。", icon=":material/check_circle:")
    else:
        table = silent.rename(columns={"project_id": "项目编号", "name": "项目名称", "unit": "牵头单位",
                                       "leader": "第一责任人"})[["项目编号", "项目名称", "牵头单位", "第一责任人"]]
        table["连续两周未报"] = table["项目编号"].isin(missed["project_id"]).map({True: "是", False: ""})
        # beside the chart: the project number only in the download, so names and 第一责任人 fit
        show_table(table, key="dispatch_silent", kinds={"项目编号": "text"}, name_column="项目名称", wrap=True,
                   widths={"项目名称": 150, "牵头单位": 96, "第一责任人": 78, "连续两周未报": 96},
                   column_order=[c for c in table.columns if c != "项目编号"])
        download_table(table, f"{week:%m月%d日}当周未报送项目", key="dl_dispatch_silent")
with right:
    st.plotly_chart(dispatch_view.rate_chart(week), key="chart_dispatch_rate")

st.subheader("各单位报送情况")
by_unit = fig.by_unit
by_unit = by_unit[by_unit["active"] > 0].sort_values(["rate", "unit"]).rename(columns={
    "unit": "牵头单位", "active": "应报", "reported": "已报", "rate": "报送率"})[["牵头单位", "应报", "已报", "报送率"]]
show_table(by_unit, key="dispatch_by_unit", phone=["牵头单位", "报送率"], name_column="牵头单位", column_config={
    "报送率": st.column_config.ProgressColumn("报送率", format="%.1f%%", min_value=0, max_value=100)})
download_table(by_unit, f"{week:%m月%d日}当周各单位报送率", key="dl_dispatch_by_unit")

st.subheader("状态变化(与上周相比)")
if changed.empty:
    st.caption("本周没有项目的状态发生变化。")
else:
    show_table(changed.rename(columns={"project_id": "项目编号", "name": "项目名称", "unit": "牵头单位",
                                       "before": "上周", "after": "本周"})[
        ["项目编号", "项目名称", "牵头单位", "上周", "本周"]], key="dispatch_changes", kinds={"项目编号": "text"},
        name_column="项目名称")

st.subheader("本周提出的困难和需协调事项")
if raised.empty:
    st.caption("本周没有项目提出困难或需协调事项。")
else:
    shown = raised.rename(columns={"project_id": "项目编号", "name": "项目名称", "unit": "牵头单位",
                                   "difficulty": "存在困难", "coordination": "需协调事项",
                                   "weeks_raised": "累计提出周数", "reporter": "填报人"})[
        ["项目编号", "项目名称", "牵头单位", "存在困难", "需协调事项", "累计提出周数"]]
    show_table(shown, key="dispatch_difficulties", kinds={"项目编号": "text"}, name_column="项目名称", wrap=True,
               widths=DIFFICULTY_WIDTHS)
    download_table(shown, f"{week:%m月%d日}当周困难与协调事项", key="dl_dispatch_difficulties")

all_raised = fig.history
if not all_raised.empty:
    with st.expander(f"全部困难和需协调事项记录({len(all_raised)} 条,最新的在前)"):
        history = all_raised.rename(columns={"project_id": "项目编号", "name": "项目名称", "unit": "牵头单位",
                                             "week_start": "周次", "difficulty": "存在困难", "coordination": "需协调事项",
                                             "weeks_raised": "累计提出周数"})[
            ["周次", "项目编号", "项目名称", "牵头单位", "存在困难", "需协调事项", "累计提出周数"]]
        show_table(history, key="dispatch_all_difficulties", kinds={"项目编号": "text"}, name_column="项目名称",
                   wrap=True, widths=DIFFICULTY_WIDTHS)
        download_table(history, "全部困难与协调事项", key="dl_dispatch_all_difficulties")

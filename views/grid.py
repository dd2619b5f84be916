"""网格治理: disposal rates and rankings from the county to a street to a grid, and event analysis."""

from __future__ import annotations

import streamlit as st

import charts
from analytics import disposal
from analytics.formatting import DASH, fmt_int, fmt_month, fmt_pct, fmt_rate_change
from ui import auth, data, grid_view, tables
from ui.components import download_table, empty_state, neutral_delta, show_table
from ui.text import md_escape

auth.require()
st.title("网格治理")
if data.table("grid_stats").empty:
    empty_state("还没有网格统计数据。请到「数据上传」页下载“网格统计”模板,填好后上传。")
    st.stop()

options = grid_view.drill_options(st.session_state.get("drill_unit"), st.session_state.get("drill_community"))
months = options.months
f1, f2, f3, f4 = st.columns([3, 2, 2, 2])
first, last = f1.select_slider("统计期", options=months, value=(months[max(0, len(months) - 12)], months[-1]),
                               format_func=fmt_month, key="grid_period")
if st.session_state.get("drill_unit") not in options.units:
    st.session_state["drill_unit"] = None  # a unit no longer in the data: back to the county
unit = f2.selectbox("乡镇街道", [None, *options.units], format_func=lambda u: u or "全县", key="drill_unit",
                    placeholder="请选择", on_change=tables.reset_state, args=("drill_community", "drill_grid"))
communities = options.communities if unit else []
if st.session_state.get("drill_community") not in communities:
    st.session_state["drill_community"] = None
community = f3.selectbox("村社区", [None, *communities], format_func=lambda c: c or "全部村社区",
                         key="drill_community", placeholder="请选择", disabled=not unit, on_change=tables.reset_state, args=("drill_grid",))
grid_names = options.grids if community else []
if st.session_state.get("drill_grid") not in grid_names:
    st.session_state["drill_grid"] = None  # a grid of another community (or none): back to all grids
grid = f4.selectbox("网格", [None, *grid_names], format_func=lambda g: g or "全部网格", key="drill_grid", placeholder="请选择",
                    disabled=not community)
min_reported = st.sidebar.number_input("参与排名的最少上报事件数", min_value=0, value=10, step=1, key="grid_min_reported",
                                       help="统计期内上报事件少于此数的网格/单位只列出、不排名")
period = (first, last)
fig = grid_view.grid_figures(period, unit, community, grid, int(min_reported))
where, level, totals = fig.where, fig.level, fig.totals
now, before = totals.loc["current"], totals.loc["previous"]
had_before = bool(before["complete"])  # a change only against a period with statistics for every month


def change(column: str) -> str | None:
    return fmt_int(now[column] - before[column]) if had_before else None


k = st.columns(4)
# changes in grey: red, yellow and green mean project status only
k[0].metric("采集基础数据(条)", fmt_int(now["collected"]), **neutral_delta(change("collected")), border=True)
k[1].metric("上报事件(件)", fmt_int(now["reported"]), **neutral_delta(change("reported")), border=True)
k[2].metric("处置事项(件)", fmt_int(now["handled"]), **neutral_delta(change("handled")), border=True)
k[3].metric(f"{md_escape(where)}处置率", disposal.rate_text(now["rate"]),
            **neutral_delta(fmt_rate_change(now["rate"] - before["rate"]) if had_before else None),
            border=True, help="处置事项 ÷ 上报事件;变化与上一个同样长度的统计期相比")
st.caption(f"统计期 {fmt_month(first)}—{fmt_month(last)};{disposal.comparison_note(totals)}")
if now["rate"] > 1:
    st.warning(f"{md_escape(where)}统计期内处置率 {fmt_pct(now['rate'])},超过100%(处置数多于上报数,可能含消化以前月份的积压):"
               f"{charts.ANOMALY},请核实。", icon=":material/warning:")

names = grid_view.NAMES
rank = fig.rank
bars_of = community or unit  # the drilled scope the ranking belongs to (None: the county)
drawn = grid_view.grid_charts(period, unit, community, grid, int(min_reported))
st.plotly_chart(drawn.rates, key="chart_grid_rates")
st.plotly_chart(drawn.trend, key="chart_grid_trend")

st.caption(f"{fmt_month(last)}环比、同比(与上月、去年同月相比;没有数据的月份显示 —)")
changes = tables.change_table(fig.changes, fmt_month(last))
show_table(changes, key="table_changes")  # 去年同月 and 同比 left out when there is no such month
if changes["同比"].eq(DASH).all():
    st.caption(f"{fmt_month(last)}没有去年同月的数据,不列同比。")

st.subheader(f"{names[level]}排名")
st.caption("点选表格中的一行可逐级下钻:全县 → 乡镇街道 → 村社区 → 网格。上报事件不足"
           f" {min_reported} 件的只列出、不排名;{disposal.OVER_100_RULE}。名次变化与前一同长统计期相比"
           "(↑ 上升,↓ 下降,– 不变,新:前一期未排名;前一期数据不全时不比较)。")
shown = tables.ranking_table(rank, level)
drill_to = {"unit": "drill_unit", "community": "drill_community", "grid": "drill_grid"}.get(level)
phone_keep = ["名次", names[level], "处置率"]
show_table(shown, key=f"rank_{level}", kinds=tables.RANKING_KINDS, name_column=names[level], phone=phone_keep,
           widths={"名次": 56}, column_config=tables.RANKING_CONFIG, selection_mode="single-row",
           on_select=tables.drill_callback(f"rank_{level}", drill_to, shown[names[level]].tolist())
           if drill_to else "ignore")
download_table(shown, f"{bars_of or '全县'}{names[level]}处置率排名", key="dl_rank", kinds=tables.RANKING_KINDS)

st.subheader("1+1+N 网格党支部")
structure = fig.structure
show_table(tables.structure_table(structure), key="table_structure", drop_empty=False)
download_table(tables.structure_table(structure), f"{where}网格党支部结构", key="dl_structure")
missing = fig.missing
if not missing.empty:
    with st.expander(f"缺少网格党支部或党建指导员的网格({len(missing)} 个)"):
        missing = missing.rename(columns={"unit": "乡镇街道", "community": "村社区", "grid": "网格", "missing": "缺少"})
        show_table(missing, key="table_missing")
        download_table(missing, f"{where}缺少支部或指导员的网格", key="dl_missing")

if data.has_events():
    st.subheader("事件分析")
    from ui.events_section import events_section

    events_section(first, last, unit, community, grid)

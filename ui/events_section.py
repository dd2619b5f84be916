"""The 事件分析 section of the grid page: one view at a time, chosen with a segmented control,
so only the chosen query runs (tabs would compute all of them)."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import streamlit as st

import charts
from analytics import events as ev
from ui import data
from ui.components import download_table, empty_state, show_table
from ui.text import md_escape

VIEWS = ["事件类别", "处置状态", "处置时长", "超期未处置", "与月报核对"]
#: handling times in hours, to one decimal
TIME_KINDS = {"中位数(小时)": "decimal", "90%分位(小时)": "decimal"}


@data.memo(shared=True)
def _bars(kind: str, by: str, first: date, end: date, place: tuple) -> go.Figure:
    """The category or handling-time chart of one drill-down and period (shared: never modify it)."""
    if kind == "category":
        frame = data.run(ev.counts_by("category", first, end, **dict(place)))
        return charts.horizontal_bars(frame, "category", "events", "各类事件数")
    frame = data.run(ev.handling_time(by, first, end, **dict(place)))
    return charts.horizontal_bars(frame, by, "median_hours", "处置时长中位数", unit="小时")


def events_section(first: date, last: date, unit: str | None, community: str | None = None,
                   grid: str | None = None) -> None:
    """Event figures for the drill-down (unit, community, grid; None = all), always saying whose they are."""
    end = data.month_end(last)
    covered = data.run(ev.covered_units(first, end))["unit"].tolist()
    note, has_events = ev.coverage_note(covered, unit, community, grid)
    note = md_escape(note)  # it names units, communities and grids: data, never markup
    if not has_events:
        empty_state(note)
        return
    st.caption(note)
    place = {"unit": unit, "community": community, "grid": grid}
    view = st.segmented_control("查看", VIEWS, default=VIEWS[0], key="events_view")
    if view == "事件类别":
        frame = data.run(ev.counts_by("category", first, end, **place))
        if frame.empty:
            empty_state("统计期内没有事件明细。")
            return
        st.plotly_chart(_bars("category", "category", first, end, tuple(place.items())), key="chart_events_cat")
        download_table(frame.rename(columns={"category": "事件类别", "events": "事件数"}), "事件类别", "dl_ev_cat")
    elif view == "处置状态":
        frame = data.run(ev.counts_by("status", first, end, **place)).rename(columns={"status": "处置状态", "events": "事件数"})
        show_table(frame, key="table_events_status")
        download_table(frame, "处置状态", "dl_ev_status")
    elif view == "处置时长":
        by = st.radio("按", ["unit", "category"], format_func={"unit": "乡镇街道", "category": "事件类别"}.get,
                      horizontal=True, key="events_time_by")
        frame = data.run(ev.handling_time(by, first, end, **place))
        if frame.empty:
            empty_state("统计期内没有已处置的事件。")
            return
        st.plotly_chart(_bars("time", by, first, end, tuple(place.items())), key="chart_events_time")
        shown = frame.rename(columns={by: "乡镇街道" if by == "unit" else "事件类别", "events": "已处置事件",
                                      "median_hours": "中位数(小时)", "p90_hours": "90%分位(小时)"}).round(1)
        show_table(shown, key="table_events_time", kinds=TIME_KINDS)
        download_table(shown, "处置时长", "dl_ev_time", kinds=TIME_KINDS)
    elif view == "超期未处置":
        days = st.number_input("超过多少天算超期", min_value=1, value=7, key="events_overdue_days")
        bands = data.run(ev.open_summary(end, **place))
        st.caption("截至统计期末未处置的事件:" + ",".join(f"{b} {n:,} 件" for b, n in bands[["band", "events"]].values)
                   if not bands.empty else "截至统计期末没有未处置的事件。")
        frame = data.run(ev.open_events(end, int(days), **place)).rename(columns={
            "event_id": "事件编号", "reported_at": "上报时间", "unit": "乡镇街道", "community": "村社区", "grid": "网格",
            "category": "事件类别", "status": "处置状态", "days_open": "已持续天数"})
        show_table(frame, key="table_events_open", kinds={"事件编号": "plain"})
        download_table(frame, "超期未处置事件", "dl_ev_open", kinds={"事件编号": "plain"})
    elif view == "与月报核对":
        frame = data.run(ev.cross_check(first, last, **place))
        if frame.empty:
            st.success("事件明细与网格月报一致(在两者都有数据的网格和月份)。")
            return
        st.warning(f"{len(frame)} 个网格月份的事件明细与月报不一致,请核实:")
        shown = frame.rename(columns={"month": "月份", "unit": "乡镇街道", "community": "村社区", "grid": "网格",
                                      "stats_reported": "月报上报", "detail_reported": "明细上报",
                                      "stats_handled": "月报处置", "detail_handled": "明细处置"})
        show_table(shown, key="table_events_check", kinds={"月份": "month"})
        download_table(shown, "明细与月报不一致", "dl_ev_check", kinds={"月份": "month"})

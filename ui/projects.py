"""Project data for the 项目 pages: cached status, and the table as shown."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import charts
import database
from analytics.progress import progress_curve, project_status
from analytics.project_view import project_board, project_weeks
from contract import SHEETS_BY_TABLE
from ui import data


@st.cache_data(max_entries=32, show_spinner=False)
def _board(path: str, on: date, data_version: int) -> pd.DataFrame:
    projects = data.table("projects")
    status = project_status(projects, data.table("milestones"), data.table("weekly_reports"), on)
    return project_board(projects, status)


@data.memo(shared=True)
def roadmap_chart(project_id: str, on: date) -> go.Figure:
    """The project's milestones against its timetable on ``on`` (shared between sessions: never modify it)."""
    milestones = data.table("milestones")
    return charts.roadmap(milestones[milestones["project_id"] == project_id], on)


@data.memo(shared=True)
def curve_chart(project_id: str, on: date) -> go.Figure:
    """Planned against reported progress, week by week up to ``on`` (shared between sessions: never modify it)."""
    weeks = project_weeks(data.table("projects"), project_id, on)
    return charts.progress_curve(progress_curve(data.table("milestones"), data.table("weekly_reports"), project_id, weeks))


def board(on: date) -> pd.DataFrame:
    """Every project with its expected/actual progress and status on ``on`` (cached per date and data)."""
    return _board(str(database.db_path()), on, data.version())


#: the board's progress is in percent already (0–100), not a share
BOARD_KINDS = {"计划进度": "percent", "实际进度": "percent", "项目编号": "text"}
#: widths (px) so that all ten columns fit a 1366×768 screen: names, units and reasons wrap
BOARD_WIDTHS = {"状态": 44, "项目编号": 80, "项目名称": 150, "牵头单位": 84, "第一责任人": 78, "项目类别": 70,
                "计划进度": 62, "实际进度": 62, "最近周报": 84, "原因": 150}

BOARD_CONFIG = {
    "计划进度": st.column_config.ProgressColumn("计划进度", format="%.0f%%", min_value=0, max_value=100,
                                            width=BOARD_WIDTHS["计划进度"],
                                            help="按时间表,截至数据日期应完成的节点权重占比"),
    "实际进度": st.column_config.ProgressColumn("实际进度", format="%.0f%%", min_value=0, max_value=100,
                                            width=BOARD_WIDTHS["实际进度"],
                                            help="最近一次周报填报的完成进度;没有周报时按已完成节点计算"),
}


def board_table(board: pd.DataFrame) -> pd.DataFrame:
    """The project board with Chinese headers, as shown and exported."""
    return pd.DataFrame({
        "状态": board["status"],
        "项目编号": board["project_id"],
        "项目名称": board["name"],
        "牵头单位": board["unit"],
        "第一责任人": board["leader"],
        "项目类别": board["category"],
        "计划进度": board["expected"].round(1),
        "实际进度": board["actual"].round(1),
        "最近周报": pd.to_datetime(board["last_report"]).dt.date,
        "原因": board["reason"],
    })


def reports_table(reports: pd.DataFrame) -> pd.DataFrame:
    """One project's weekly reports for the download: the contract's Chinese headers, in its order."""
    columns = SHEETS_BY_TABLE["weekly_reports"].columns
    return reports[[c.id for c in columns if c.id in reports.columns]].rename(columns={c.id: c.header for c in columns})


DETAIL_KEY = "detail_project"


def open_detail(table_key: str, ids: list[str]):
    """A dataframe on_select callback: remember the picked project and go to its detail page."""
    def pick() -> None:
        rows = st.session_state[table_key].selection.rows
        if rows:
            st.session_state[DETAIL_KEY] = ids[rows[0]]
            st.session_state["_goto_detail"] = True
    return pick


def follow_detail_link() -> None:
    """Called by the page after drawing: switch to the detail page if a row was picked."""
    if st.session_state.pop("_goto_detail", False):
        st.switch_page("views/project.py")


def indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """Outcome indicators, newest period first, with the share of target reached."""
    ind = indicators.sort_values(["period", "indicator"], ascending=[False, True])
    reached = ind["actual"] / ind["target"].where(ind["target"] > 0) * 100
    return pd.DataFrame({
        "指标": ind["indicator"],
        "统计期": pd.to_datetime(ind["period"]).dt.strftime("%Y年%m月"),
        "目标值": ind["target"],
        "实际值": ind["actual"],
        "计量单位": ind["measure_unit"],
        "完成目标": reached,
    })


#: 完成目标 is in percent already; 目标值 and 实际值 are measures as written (3, 2.5)
INDICATOR_KINDS = {"完成目标": "percent", "目标值": "number", "实际值": "number"}


def status_style(value: object) -> str:
    """CSS for a status cell: the status colour as background (no emoji: not every PC has the font)."""
    colour = charts.STATUS_COLOURS.get(str(value))
    return f"background-color: {colour}; color: white; font-weight: bold" if colour else ""


def styled(table: pd.DataFrame):
    """The board for display: status cells coloured, numbers to one decimal."""
    return table.style.map(status_style, subset=["状态"]).format(precision=1, na_rep="—")

"""Shaping project data for the 项目 pages: joins and counts, no Streamlit."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analytics.progress import STATUSES

#: the order statuses are shown in, most urgent first
STATUS_ORDER = ["红", "黄", "绿", "已完成", "申报", "已终止"]
assert set(STATUS_ORDER) == set(STATUSES)


def project_board(projects: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Projects joined with their status, most urgent first, then by project id.

    The recorded status (申报/实施中/…) becomes ``recorded_status``; ``status`` is the computed one.
    """
    recorded = projects.rename(columns={"status": "recorded_status"}) if "status" in projects else projects
    board = recorded.merge(status, on="project_id", how="left")
    board["_order"] = board["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    board["gap"] = board["expected"] - board["actual"]
    board = board.sort_values(["_order", "gap", "project_id"], ascending=[True, False, True], kind="stable")
    return board.drop(columns="_order").reset_index(drop=True)


def status_counts(status: pd.DataFrame) -> dict[str, int]:
    """Projects per status, every status present (0 where none)."""
    counts = status["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUS_ORDER}


def status_by(board: pd.DataFrame, by: str = "unit") -> pd.DataFrame:
    """Projects per ``by`` and status: one row per group, one column per status (in STATUS_ORDER)."""
    table = pd.crosstab(board[by], board["status"]).reindex(columns=STATUS_ORDER, fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    return table.reset_index()


def filter_board(board: pd.DataFrame, units: list[str] | None = None, categories: list[str] | None = None,
                 statuses: list[str] | None = None) -> pd.DataFrame:
    """Rows matching every non-empty filter."""
    mask = pd.Series(True, index=board.index)
    for column, chosen in (("unit", units), ("category", categories), ("status", statuses)):
        if chosen:
            mask &= board[column].isin(chosen)
    return board[mask]


def weeks_between(first: date, last: date) -> list[date]:
    """Mondays from the week of ``first`` to the week of ``last``."""
    start = first - timedelta(days=first.weekday())
    return [start + timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]


def project_weeks(projects: pd.DataFrame, project_id: str, until: date) -> list[date]:
    """The Mondays from a project's approval to ``until`` (or its due date, whichever is first)."""
    row = projects.loc[projects["project_id"] == project_id].iloc[0]
    first = pd.Timestamp(row["approved_on"]).date()
    last = min(until, pd.Timestamp(row["due_on"]).date())
    return weeks_between(first, max(first, last))


def report_weeks(reports: pd.DataFrame) -> list[date]:
    """Every Monday from the first to the last reported week (the dispatch page's choices)."""
    if reports.empty:
        return []
    days = pd.to_datetime(reports["week_start"])
    return weeks_between(days.min().date(), days.max().date())

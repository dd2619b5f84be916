"""The county at a glance: the figures of the 总览 page, from the stored tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.disposal import disposal_rates
from analytics.grids import grid_structure
from analytics.progress import project_status, reporting, week_monday


@dataclass(frozen=True)
class Overview:
    """What the 总览 page shows; every figure computed from the tables passed in."""

    as_of: date
    projects_total: int
    projects_running: int
    week_start: date
    week_active: int
    week_reported: int
    status_counts: dict[str, int]
    first_month: date | None
    last_month: date | None
    county: pd.DataFrame  # one row: collected, reported, handled, rate
    #: unit, collected, reported, handled, rate, over_100, communities, grids, branches, members
    by_unit: pd.DataFrame

    @property
    def reporting_rate(self) -> float:
        return self.week_reported / self.week_active if self.week_active else float("nan")

    @property
    def behind(self) -> int:
        return self.status_counts.get("红", 0) + self.status_counts.get("黄", 0)


def default_as_of(reports: pd.DataFrame, today: date, milestones: pd.DataFrame | None = None) -> date:
    """The latest date the project data describe: the latest reported week's Monday or the latest
    milestone completion, whichever is later (a completion after ``today`` is a typing error, not
    data), and never after ``today``; ``today`` when nothing is reported.

    Not the Sunday after: a 数据日期 the data do not reach would add days to every overdue milestone.
    """
    if reports.empty:
        return today
    days = [pd.Timestamp(reports["week_start"].max()).date()]
    if milestones is not None and not milestones.empty:
        done = pd.to_datetime(milestones["done_on"], errors="coerce").dropna()
        done = done[done <= pd.Timestamp(today)]
        if not done.empty:
            days.append(done.max().date())
    return min(today, max(days))


def last_months(grid_stats: pd.DataFrame, n: int = 12) -> tuple[date, date] | None:
    """The latest n months present in the statistics, as an inclusive (first, last) range."""
    if grid_stats.empty:
        return None
    last = pd.Timestamp(grid_stats["month"].max())
    first = last - pd.DateOffset(months=n - 1)
    first = max(first, pd.Timestamp(grid_stats["month"].min()))
    return first.date(), last.date()


@dataclass(frozen=True)
class GridFigures:
    """The grid part of the overview: the latest months and the county's and each unit's figures."""

    first_month: date | None
    last_month: date | None
    county: pd.DataFrame  # one row: collected, reported, handled, rate
    #: unit, collected, reported, handled, rate, over_100, communities, grids, branches, members
    by_unit: pd.DataFrame


def grid_figures(grid_stats: pd.DataFrame, grids: pd.DataFrame, months: int = 12) -> GridFigures:
    """Grid figures over the latest ``months`` months, each unit's row joined with its 1+1+N structure
    from the grid registry (no project figures: a page that has those already needs only these)."""
    period = last_months(grid_stats, months)
    if period:
        county = disposal_rates(grid_stats, "county", period)
        by_unit = disposal_rates(grid_stats, "unit", period)
    else:
        county = disposal_rates(grid_stats.iloc[0:0], "county")
        by_unit = disposal_rates(grid_stats.iloc[0:0], "unit")
    structure = grid_structure(grids)[["unit", "communities", "grids", "branches", "members"]]
    return GridFigures(period[0] if period else None, period[1] if period else None, county,
                       by_unit.merge(structure, on="unit", how="left"))


def overview(projects: pd.DataFrame, milestones: pd.DataFrame, reports: pd.DataFrame,
             grid_stats: pd.DataFrame, grids: pd.DataFrame, as_of: date, months: int = 12) -> Overview:
    """All figures of the overview for a date; grid figures over the latest ``months`` months,
    each unit's row joined with its 1+1+N structure from the grid registry."""
    week = week_monday(as_of)
    weekly = reporting(projects, reports, week, milestones=milestones)
    status = project_status(projects, milestones, reports, as_of) if not projects.empty else pd.DataFrame(
        {"status": []})
    grid = grid_figures(grid_stats, grids, months)
    return Overview(
        as_of=as_of,
        projects_total=len(projects),
        projects_running=int((projects["status"] == "实施中").sum()) if not projects.empty else 0,
        week_start=week,
        week_active=len(weekly),
        week_reported=int(weekly["reported"].sum()) if not weekly.empty else 0,
        status_counts={str(k): int(v) for k, v in status["status"].value_counts().items()},
        first_month=grid.first_month,
        last_month=grid.last_month,
        county=grid.county,
        by_unit=grid.by_unit,
    )

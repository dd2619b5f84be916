"""周调度's figures for one week, cached on (week, data version): the page only lays them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

import charts
from analytics.progress import difficulties, missed_consecutive, reporting, reporting_rate, status_changes
from analytics.project_view import report_weeks
from ui import data


@data.memo
def weeks() -> list[date]:
    """The weeks with weekly reports, oldest first."""
    return report_weeks(data.table("weekly_reports"))


@dataclass(frozen=True)
class WeekFigures:
    who: pd.DataFrame        # every project that owed a report that week: reported or not, with name and leader
    missed: pd.DataFrame     # projects without a report two weeks running
    changed: pd.DataFrame    # projects whose status changed against the week before
    raised: pd.DataFrame     # difficulties and coordination requests raised that week
    by_unit: pd.DataFrame    # reporting rate by lead unit
    history: pd.DataFrame    # every difficulty ever raised, newest first


@data.memo
def week_figures(week: date) -> WeekFigures:
    """Who reported in ``week``, who did not, what changed and what was raised."""
    projects, reports, milestones = data.table("projects"), data.table("weekly_reports"), data.table("milestones")
    # milestones tell when a 已完成 project finished: looking back, it owed reports until then
    who = reporting(projects, reports, week, milestones=milestones).merge(
        projects[["project_id", "name", "leader"]], on="project_id")
    changes = status_changes(projects, milestones, reports, week)
    history = difficulties(reports, projects)
    return WeekFigures(
        who=who, missed=missed_consecutive(projects, reports, week, 2, milestones=milestones),
        changed=changes[changes["changed"]].merge(projects[["project_id", "name", "unit"]], on="project_id"),
        raised=history[pd.to_datetime(history["week_start"]).dt.date == week],
        by_unit=reporting_rate(projects, reports, [week], by="unit", milestones=milestones),
        history=history,
    )


@data.memo(shared=True)
def rate_chart(week: date) -> go.Figure:
    """The reporting rate of the 12 weeks up to ``week`` (shared between sessions: never modify it)."""
    projects, reports, milestones = data.table("projects"), data.table("weekly_reports"), data.table("milestones")
    rates = reporting_rate(projects, reports, [w for w in weeks() if w <= week][-12:], milestones=milestones)
    return charts.reporting_trend(rates, "近12周周报报送率")

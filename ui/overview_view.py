"""总览's figures, cached on (数据日期, data version): the page only lays them out."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

import charts
from analytics.briefing import Briefing, briefing
from analytics.formatting import fmt_month
from analytics.overview import GridFigures, grid_figures
from ui import data


@data.memo
def briefing_on(as_of: date) -> Briefing:
    """The one-screen briefing for the date ``as_of`` (project status this week and last, the review, the units)."""
    return briefing(data.table("projects"), data.table("milestones"), data.table("weekly_reports"),
                    data.table("grid_stats"), data.table("review_scores"), data.table("project_flags"), as_of)


@data.memo
def unit_figures() -> GridFigures:
    """Each unit's grid figures over the latest 12 months, with its 1+1+N structure."""
    return grid_figures(data.table("grid_stats"), data.table("grids"))


@data.memo(shared=True)
def unit_chart() -> go.Figure:
    """The units' rates over the latest 12 months (shared between sessions: never modify it)."""
    ov = unit_figures()
    period = f"{fmt_month(ov.first_month)}—{fmt_month(ov.last_month)}"
    return charts.disposal_by_unit(ov.by_unit, ov.county.iloc[0]["rate"], title=f"处置率({period})")

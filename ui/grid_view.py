"""网格治理's figures for one drill-down and period, cached on (filters, data version).

The page re-runs on every click; the disposal analytics over the monthly statistics
(36,000 rows at county scale) and the two charts are computed once per filter set
and import, here, and the page only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

import charts
from analytics import disposal
from analytics.grids import grid_structure, grids_missing
from ui import data

NAMES = {"unit": "乡镇街道", "community": "村社区", "grid": "网格"}


@dataclass(frozen=True)
class DrillOptions:
    months: list[date]
    units: list[str]
    communities: list[str]
    grids: list[str]


@data.memo
def drill_options(unit: str | None, community: str | None) -> DrillOptions:
    """The months with statistics and the choices of each drill-down level."""
    stats = data.table("grid_stats")
    return DrillOptions(
        months=disposal.months_available(stats),
        units=sorted(stats["unit"].unique()),
        communities=sorted(disposal.only(stats, unit)["community"].unique()) if unit else [],
        grids=sorted(disposal.only(stats, unit, community)["grid"].unique()) if community else [],
    )


@dataclass(frozen=True)
class GridFigures:
    where: str                 # the scope in words: 全县, a unit, a community, "community · grid"
    level: str                 # what the ranking ranks: unit, community or grid
    totals: pd.DataFrame       # disposal.period_totals of the scope
    county_rate: float
    rank: pd.DataFrame         # disposal.ranking of the level's siblings
    scope_rate: float | None   # the drilled unit's or community's own rate (None at the county)
    monthly: pd.DataFrame      # disposal.disposal_rates of the scope by month
    changes: pd.DataFrame      # disposal.month_changes of the scope for the period's last month
    structure: pd.DataFrame    # 1+1+N, by community within a unit, else by unit
    missing: pd.DataFrame      # grids without a branch or an instructor


@data.memo
def grid_figures(period: tuple[date, date], unit: str | None, community: str | None, grid: str | None,
                 min_reported: int) -> GridFigures:
    """Everything 网格治理 shows above its event analysis, for one drill-down and period."""
    stats, grids = data.table("grid_stats"), data.table("grids")
    siblings = disposal.only(stats, unit, community)  # what the ranking compares: the units, communities or grids
    scope = siblings[siblings["grid"] == grid] if grid else siblings
    where = f"{community} · {grid}" if grid else community or unit or "全县"
    # the county's, the drilled place's and the scope's totals: each computed once (at the county they are one)
    county = disposal.period_totals(stats, period)
    drilled = disposal.period_totals(siblings, period) if community or unit else county
    totals = disposal.period_totals(scope, period) if grid else drilled
    county_rate = county.loc["current", "rate"]

    level = "grid" if community else "community" if unit else "unit"
    rank = disposal.ranking(siblings, level, period, min_reported)
    scope_rate = drilled.loc["current", "rate"] if community or unit else None
    return GridFigures(
        where=where, level=level, totals=totals, county_rate=county_rate,
        rank=rank, scope_rate=scope_rate, monthly=disposal.disposal_rates(scope, "month", period),
        changes=disposal.month_changes(scope, "county", period[-1]),
        structure=grid_structure(disposal.only(grids, unit), by="community" if unit else "unit"),
        missing=grids_missing(disposal.only(grids, unit, community)),
    )


@dataclass(frozen=True)
class GridCharts:
    rates: go.Figure   # the ranking's rates as dots on rows, with the county (and drilled scope's) line
    trend: go.Figure   # the scope's months: reported, handled and the rate


@data.memo(shared=True)
def grid_charts(period: tuple[date, date], unit: str | None, community: str | None, grid: str | None,
                min_reported: int) -> GridCharts:
    """网格治理's two charts, shared between sessions (never modify them)."""
    fig = grid_figures(period, unit, community, grid, min_reported)
    bars = fig.rank.assign(unit=fig.rank[fig.level]) if fig.level != "unit" else fig.rank
    bars_of = community or unit  # the drilled scope the bars belong to (None: the county)
    rates = charts.disposal_by_unit(
        bars.head(60), fig.county_rate,
        title=f"{bars_of or '全县'}各{NAMES[fig.level]}处置率" + ("(前60名)" if len(bars) > 60 else ""),
        scope_rate=fig.scope_rate, scope_name=bars_of)
    return GridCharts(rates=rates, trend=charts.disposal_trend(fig.monthly, title=f"{fig.where}逐月上报、处置与处置率"))

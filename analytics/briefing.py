"""The leader's one-screen briefing on 总览: where are we, who is behind, who leads.

Pure: DataFrames in, DataFrames and plain values out. Every figure comes with the figure it is
compared with, so a change is shown only where the comparison exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from analytics.disposal import disposal_rates
from analytics.progress import APPLYING, DONE, GREEN, RED, TERMINATED, YELLOW, project_status, reporting, week_monday
from analytics.review import ReviewSettings, rank_projects

#: the order of the status tiles: who needs attention first
TILE_ORDER = (RED, YELLOW, GREEN, DONE, TERMINATED, APPLYING)


@dataclass(frozen=True)
class Kpi:
    """One headline figure and the same figure one period earlier (None where there is none)."""

    value: float | None
    before: float | None
    #: what ``before`` is ("上周", "上月")
    compared_with: str

    @property
    def change(self) -> float | None:
        if self.value is None or self.before is None or pd.isna(self.value) or pd.isna(self.before):
            return None
        return self.value - self.before


@dataclass(frozen=True)
class Briefing:
    as_of: date
    running: Kpi
    reporting_rate: Kpi
    behind: Kpi
    #: the latest month of the grid statistics and its county rate against the month before
    month: date | None
    disposal_rate: Kpi
    #: project_id, name, unit, leader, status, reason — every project, red first
    tiles: pd.DataFrame
    #: the red and yellow projects of ``tiles``
    attention: pd.DataFrame
    #: rank, project_id, name, unit, final_score, bonus — the computed top of the review ranking
    top: pd.DataFrame
    #: rounds the ranking uses
    rounds: list[int]
    #: unit, rate, rate_before, change — the best and the worst units of ``month`` (top 3 / bottom 3)
    best_units: pd.DataFrame
    worst_units: pd.DataFrame


def _running(projects: pd.DataFrame, status: pd.DataFrame) -> int:
    if status.empty:
        return 0
    return int(status["status"].isin([RED, YELLOW, GREEN]).sum())


def _rate(weekly: pd.DataFrame) -> float | None:
    return float(weekly["reported"].sum() / len(weekly)) if len(weekly) else None


def _unit_months(grid_stats: pd.DataFrame) -> tuple[date | None, date | None]:
    if grid_stats.empty:
        return None, None
    months = sorted(pd.to_datetime(grid_stats["month"]).dt.date.unique())
    last = months[-1]
    before = (pd.Timestamp(last) - pd.DateOffset(months=1)).date()
    return last, before if before in months else None


def unit_movers(grid_stats: pd.DataFrame, month: date, before: date | None, n: int = 3,
                min_reported: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` best and worst units by disposal rate in ``month``, with the change against ``before``.

    Compared are the units with at least ``min_reported`` events and a rate of at most 100%: a rate over
    100% is listed elsewhere but never ranked (:data:`analytics.disposal.OVER_100_RULE`)."""
    now = disposal_rates(grid_stats, "unit", (month, month))
    now = now[(now["reported"] >= min_reported) & (now["rate"] <= 1.0)].copy()
    if before is not None:
        prev = disposal_rates(grid_stats, "unit", (before, before))[["unit", "rate"]].rename(
            columns={"rate": "rate_before"})
        now = now.merge(prev, on="unit", how="left")
    else:
        now["rate_before"] = float("nan")
    now["change"] = now["rate"] - now["rate_before"]
    ranked = now.sort_values(["rate", "reported", "unit"], ascending=[False, False, True])
    cols = ["unit", "rate", "rate_before", "change"]
    best = ranked.head(n)[cols].reset_index(drop=True)
    worst = ranked.iloc[::-1].head(n)[cols].reset_index(drop=True) if len(ranked) > n else ranked.iloc[0:0][cols]
    return best, worst


def briefing(projects: pd.DataFrame, milestones: pd.DataFrame, reports: pd.DataFrame, grid_stats: pd.DataFrame,
             scores: pd.DataFrame, flags: pd.DataFrame, as_of: date, top_n: int = 10,
             settings: ReviewSettings | None = None) -> Briefing:
    """Everything 总览 shows, for the date ``as_of``; changes against the week (projects) or month
    (grid statistics) before."""
    last_week = as_of - timedelta(days=7)
    status = project_status(projects, milestones, reports, as_of) if not projects.empty else pd.DataFrame(
        {"project_id": [], "status": [], "reason": []}, dtype=object)
    status_before = project_status(projects, milestones, reports, last_week) if not projects.empty else status

    info = projects[["project_id", "name", "unit", "leader"]] if not projects.empty else pd.DataFrame(
        columns=["project_id", "name", "unit", "leader"], dtype=object)
    tiles = info.merge(status[["project_id", "status", "reason"]], on="project_id", how="left")
    tiles["order"] = tiles["status"].map({s: i for i, s in enumerate(TILE_ORDER)}).fillna(len(TILE_ORDER))
    tiles = tiles.sort_values(["order", "project_id"]).drop(columns="order").reset_index(drop=True)
    attention = tiles[tiles["status"].isin([RED, YELLOW])].reset_index(drop=True)

    def behind(s: pd.DataFrame) -> int:
        return int(s["status"].isin([RED, YELLOW]).sum()) if not s.empty else 0

    weekly_now = (reporting(projects, reports, week_monday(as_of), milestones=milestones)
                  if not projects.empty else pd.DataFrame())
    weekly_before = (reporting(projects, reports, week_monday(last_week), milestones=milestones)
                     if not projects.empty else pd.DataFrame())

    month, before = _unit_months(grid_stats)
    if month is not None:
        county_now = disposal_rates(grid_stats, "county", (month, month))["rate"].iloc[0]
        county_before = (disposal_rates(grid_stats, "county", (before, before))["rate"].iloc[0]
                         if before is not None else None)
        best, worst = unit_movers(grid_stats, month, before)
    else:
        county_now = county_before = None
        empty = pd.DataFrame(columns=["unit", "rate", "rate_before", "change"])
        best, worst = empty, empty

    if not flags.empty and "flagged_on" in flags.columns:  # a flag applies from its date
        flags = flags[pd.to_datetime(flags["flagged_on"]) <= pd.Timestamp(as_of)]
    top, rounds = _top(scores, flags, projects, top_n, settings)
    return Briefing(
        as_of=as_of,
        running=Kpi(_running(projects, status), _running(projects, status_before), "上周"),
        reporting_rate=Kpi(_rate(weekly_now), _rate(weekly_before), "上周"),
        behind=Kpi(behind(status), behind(status_before), "上周"),
        month=month,
        disposal_rate=Kpi(county_now, county_before, "上月"),
        tiles=tiles,
        attention=attention,
        top=top,
        rounds=rounds,
        best_units=best,
        worst_units=worst,
    )


def _top(scores: pd.DataFrame, flags: pd.DataFrame, projects: pd.DataFrame, n: int,
         settings: ReviewSettings | None) -> tuple[pd.DataFrame, list[int]]:
    columns = ["rank", "project_id", "name", "unit", "final_score", "bonus"]
    if scores.empty:
        return pd.DataFrame(columns=columns), []
    rounds = sorted(int(r) for r in pd.Series(scores["round"]).dropna().unique())
    ranking = rank_projects(scores, flags, settings, projects=projects["project_id"] if not projects.empty else None)
    ranked = ranking[ranking["rank"].notna() & (ranking["rank"] <= n)]
    out = ranked.merge(projects[["project_id", "name", "unit"]], on="project_id", how="left")
    return out[columns].reset_index(drop=True), rounds


def status_counts(tiles: pd.DataFrame) -> dict[str, int]:
    """How many projects have each status, in tile order, statuses with none left out."""
    counts = tiles["status"].value_counts()
    return {s: int(counts[s]) for s in TILE_ORDER if s in counts.index}



"""The 大屏 (kiosk) deck: which slides a playlist shows and the figures on each, from the stored tables.

Pure: DataFrames and plain values in, plain values and small DataFrames out.
Every slide carries the period it shows and the date its data runs to, so the
room always knows what it is looking at. Formatting to officials' text happens
here (through :mod:`analytics.formatting`), so the page only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from analytics.disposal import disposal_rates, months_available, ranking
from analytics.formatting import DASH, fmt_date, fmt_delta_pct_points, fmt_int, fmt_month, fmt_pct
from analytics.progress import RED, YELLOW, progress_curve, project_status, reporting_rate, week_monday
from analytics.project_view import project_board, project_weeks
from analytics.review import ReviewSettings, rank_projects
from analytics.review_view import held_rounds

#: the slide kinds a playlist may list, in their default order, with their Chinese names
SLIDE_KINDS: dict[str, str] = {
    "overview": "全县概况",
    "status": "项目状态",
    "grid": "网格处置率排名",
    "review": "评审排名",
    "projects": "观摩项目",
}
#: rows of the status board per slide: more behind projects make more slides, none is dropped
STATUS_ROWS_PER_SLIDE = 6
#: units per bar chart on the grid slide (two charts side by side)
GRID_BARS_PER_CHART = 17
REVIEW_TOP = 10


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, title, the period it shows and its data date, and what it shows."""

    kind: str
    title: str
    period: str
    data_date: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Tables:
    """The stored tables a deck is built from (whole tables, as the pages read them)."""

    projects: pd.DataFrame
    milestones: pd.DataFrame
    reports: pd.DataFrame
    grid_stats: pd.DataFrame
    indicators: pd.DataFrame
    scores: pd.DataFrame
    flags: pd.DataFrame


# ---------------------------------------------------------------- small helpers


def even_parts(items: Sequence[Any], most: int) -> list[Sequence[Any]]:
    """``items`` cut into as few consecutive parts of at most ``most`` as possible, sizes differing by at
    most one, the larger first (13 by 6: 5, 4, 4)."""
    count = max(1, -(-len(items) // most))
    base, extra = divmod(len(items), count)
    out, start = [], 0
    for i in range(count):
        end = start + base + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _change_text(now: float, before: float, unit: str) -> str:
    """'较上周 +2 个' / '较上周 持平'; '—' when either side is unknown."""
    if pd.isna(now) or pd.isna(before):
        return DASH
    diff = now - before
    if diff == 0:
        return "持平"
    return f"{diff:+,.0f} {unit}"


def _direction(diff: float, good_when_up: bool) -> str:
    """'up'/'down' for the colour of a change, '' when unknown or none."""
    if pd.isna(diff) or diff == 0:
        return ""
    return "good" if (diff > 0) == good_when_up else "bad"


def data_date_text(as_of: date) -> str:
    return f"数据截至 {fmt_date(as_of)}"


# ---------------------------------------------------------------- 全县概况


def overview_slide(t: Tables, as_of: date) -> Slide:
    """Four key figures with their change: reporting rate (week on week), projects behind (week on
    week), the disposal rate of the latest month (month on month), the month's reported events."""
    week = week_monday(as_of)
    last_week = week - timedelta(weeks=1)
    rates = reporting_rate(t.projects, t.reports, [last_week, week])
    rate_now, rate_before = float(rates["rate"].iloc[1]), float(rates["rate"].iloc[0])
    behind_now = behind_before = float("nan")
    if not t.projects.empty:
        now = project_status(t.projects, t.milestones, t.reports, as_of)
        before = project_status(t.projects, t.milestones, t.reports, as_of - timedelta(weeks=1))
        behind_now = float(now["status"].isin([RED, YELLOW]).sum())
        behind_before = float(before["status"].isin([RED, YELLOW]).sum())
        red_now = int((now["status"] == RED).sum())
    else:
        red_now = 0
    running = int((t.projects["status"] == "实施中").sum()) if not t.projects.empty else 0
    months = months_available(t.grid_stats)
    kpis = [
        {"label": "在推进项目", "value": f"{running} 个", "change": f"共 {len(t.projects)} 个项目", "tone": ""},
        {"label": "本周周报报送率", "value": fmt_pct(rate_now),
         "change": "较上周 " + (fmt_delta_pct_points(rate_now - rate_before) if pd.notna(rate_before) else DASH),
         "tone": _direction(rate_now - rate_before, True)},
        {"label": "进度落后项目", "value": f"{fmt_int(behind_now)} 个",
         "change": f"其中红色 {red_now} 个 · 较上周 {_change_text(behind_now, behind_before, '个')}",
         "tone": _direction(behind_now - behind_before, False)},
    ]
    period = f"项目:{fmt_date(week)} 当周"
    if months:
        month = months[-1]
        prev = (pd.Timestamp(month) - pd.DateOffset(months=1)).date()
        this = disposal_rates(t.grid_stats, "county", (month, month)).iloc[0]
        had_prev = prev in months
        before_m = disposal_rates(t.grid_stats, "county", (prev, prev)).iloc[0] if had_prev else None
        diff = this["rate"] - before_m["rate"] if before_m is not None else float("nan")
        kpis.append({"label": f"{fmt_month(month)}网格事件处置率", "value": fmt_pct(this["rate"]),
                     "change": f"较{fmt_month(prev)} " + (fmt_delta_pct_points(diff) if had_prev else DASH),
                     "tone": _direction(diff, True)})
        note = (f"{fmt_month(month)}全县网格采集基础数据 {fmt_int(this['collected'])} 条,上报事件 "
                f"{fmt_int(this['reported'])} 件,处置事项 {fmt_int(this['handled'])} 件"
                + (f"(上月上报 {fmt_int(before_m['reported'])} 件、处置 {fmt_int(before_m['handled'])} 件)"
                   if before_m is not None else "") + "。")
        period += f" · 网格:{fmt_month(month)}"
    else:
        kpis.append({"label": "网格事件处置率", "value": DASH, "change": "还没有网格统计", "tone": ""})
        note = "还没有网格统计数据。"
    return Slide("overview", "全县概况", period, data_date_text(as_of), {"kpis": kpis, "note": note})


# ---------------------------------------------------------------- 项目状态


def status_slides(board: pd.DataFrame, as_of: date, per_slide: int = STATUS_ROWS_PER_SLIDE) -> list[Slide]:
    """The red and yellow projects as a large table (unit, 第一责任人, reason), as many slides as needed."""
    behind = board[board["status"].isin([RED, YELLOW])]
    rows = [{"status": r.status, "name": r.name, "unit": r.unit, "leader": r.leader,
             "reason": r.reason if isinstance(r.reason, str) else DASH} for r in behind.itertuples()]
    counts = f"红色 {int((behind['status'] == RED).sum())} 个 · 黄色 {int((behind['status'] == YELLOW).sum())} 个"
    period = f"{fmt_date(week_monday(as_of))} 当周 · {counts}"
    if not rows:
        return [Slide("status", "项目状态", period, data_date_text(as_of), {"rows": [], "page": (1, 1)})]
    pages = even_parts(rows, per_slide)  # spread evenly: 7 rows are 4 + 3, not 6 + 1
    return [Slide("status", "进度落后项目" + (f"({i + 1}/{len(pages)})" if len(pages) > 1 else ""), period,
                  data_date_text(as_of), {"rows": page, "page": (i + 1, len(pages))})
            for i, page in enumerate(pages)]


# ---------------------------------------------------------------- 网格处置率排名


def grid_period(grid_stats: pd.DataFrame, first: date | None, last: date | None) -> tuple[date, date] | None:
    """The months the grid slide covers: the playlist's, or the latest month present."""
    months = months_available(grid_stats)
    if not months:
        return None
    last = last or months[-1]
    first = first or last
    return (min(first, last), max(first, last))


def period_text(period: tuple[date, date]) -> str:
    first, last = period
    return fmt_month(first) if first == last else f"{fmt_month(first)}—{fmt_month(last)}"


def grid_slide(grid_stats: pd.DataFrame, period: tuple[date, date] | None, as_of: date) -> Slide:
    """Every unit's disposal rate over the period, ranked (with its rank change), and the county rate."""
    if period is None:
        return Slide("grid", "网格事件处置率排名", "还没有网格统计", data_date_text(as_of), {"ranking": None})
    ranked = ranking(grid_stats, "unit", period)
    county = disposal_rates(grid_stats, "county", period).iloc[0]
    latest = max(d for d in months_available(grid_stats))
    return Slide("grid", "网格事件处置率排名", f"{period_text(period)} · 全县 {fmt_pct(county['rate'])}",
                 f"网格统计截至 {fmt_month(latest)}",
                 {"ranking": ranked[["unit", "reported", "handled", "rate", "rank", "rank_change"]],
                  "county_rate": float(county["rate"]), "period": period_text(period)})


# ---------------------------------------------------------------- 评审排名


def review_slide(t: Tables, as_of: date, top: int = REVIEW_TOP,
                 settings: ReviewSettings | None = None) -> Slide | None:
    """The top ``top`` ranked projects with their bonus points; None when no round has been held."""
    if t.scores.empty:
        return None
    rounds = held_rounds(t.scores)
    settings = settings or ReviewSettings()
    ranked = rank_projects(t.scores, t.flags, settings, projects=t.projects["project_id"])
    ranked = ranked[ranked["rank"].notna() & (ranked["rank"] <= top)]
    info = t.projects.assign(project_id=t.projects["project_id"].astype(str).str.strip()).set_index("project_id")
    rows = [{"rank": int(r.rank), "name": info["name"].get(str(r.project_id), str(r.project_id)),
             "unit": info["unit"].get(str(r.project_id), DASH), "score": f"{r.final_score:.2f}",
             "bonus": f"+{r.bonus:g}" if r.bonus else DASH} for r in ranked.itertuples()]
    held = "、".join(f"第{r}轮" for r in rounds)
    return Slide("review", f"评审排名 · 前 {top} 名", f"已评 {held}(共 {len(rounds)} 轮)",
                 data_date_text(as_of), {"rows": rows})


# ---------------------------------------------------------------- 观摩项目


def project_slide(t: Tables, board: pd.DataFrame, project_id: str, as_of: date) -> Slide | None:
    """One project on the visit list: card, progress curve, milestones, indicators, the latest summary
    and difficulties. None for an id no longer in the ledger."""
    rows = board[board["project_id"] == project_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    weeks = project_weeks(t.projects, project_id, as_of)
    curve = progress_curve(t.milestones, t.reports, project_id, weeks)
    ms = t.milestones[t.milestones["project_id"] == project_id].sort_values("seq")
    day = pd.Timestamp(as_of)
    milestones = []
    for m in ms.itertuples():
        planned, done = pd.Timestamp(m.planned_on), m.done_on
        if pd.notna(done) and pd.Timestamp(done) <= day:
            state = "done"
        elif planned < day:
            state = "late"
        else:
            state = "todo"
        milestones.append({"name": m.milestone, "planned": f"{planned.month}月{planned.day}日", "state": state})
    ind = t.indicators[t.indicators["project_id"] == project_id]
    indicators = []
    if not ind.empty:
        latest = ind[ind["period"] == ind["period"].max()].sort_values("indicator")
        for i in latest.itertuples():
            unit = i.measure_unit if isinstance(i.measure_unit, str) else ""
            target = f" / 目标 {fmt_int(i.target)}" if pd.notna(i.target) else ""
            indicators.append({"name": i.indicator, "value": f"{fmt_int(i.actual)}{unit}{target}"})
    reps = t.reports[(t.reports["project_id"] == project_id) & (pd.to_datetime(t.reports["week_start"]) <= day)]
    reps = reps.sort_values("week_start")
    latest_report = reps.iloc[-1] if not reps.empty else None
    summary = latest_report["summary"] if latest_report is not None else None
    week = fmt_date(latest_report["week_start"]) + " 当周" if latest_report is not None else "还没有周报"
    difficulties = []
    for r in reps.iloc[::-1].head(4).itertuples():  # the last four weeks' difficulties, newest first
        for text in (r.difficulty, r.coordination):
            if isinstance(text, str) and text.strip() and text.strip() not in difficulties:
                difficulties.append(text.strip())
    ind_period = fmt_month(ind["period"].max()) if not ind.empty else None
    return Slide("project", str(row["name"]), f"{row['unit']} · 最近周报 {week}", data_date_text(as_of), {
        "project_id": project_id, "unit": row["unit"], "leader": f"{row['leader']} {row['leader_title'] or ''}".strip(),
        "category": row["category"], "status": row["status"],
        "reason": row["reason"] if isinstance(row["reason"], str) else "",
        "expected": fmt_pct(row["expected"] / 100, 0) if pd.notna(row["expected"]) else DASH,
        "actual": fmt_pct(row["actual"] / 100, 0) if pd.notna(row["actual"]) else DASH,
        "curve": curve, "milestones": milestones, "indicators": indicators[:4], "indicator_period": ind_period,
        "summary": summary if isinstance(summary, str) else DASH, "difficulties": difficulties[:2],
    })


# ---------------------------------------------------------------- the deck


def build_deck(t: Tables, as_of: date, slides: Sequence[str], project_ids: Sequence[str],
               grid_first: date | None = None, grid_last: date | None = None) -> list[Slide]:
    """The slides of a playlist, in the order of ``slides`` (kinds of :data:`SLIDE_KINDS`); "projects"
    expands to one slide per id of ``project_ids`` (in that order); "review" is left out until a
    round has been held; "status" takes as many slides as the behind projects need."""
    board = (project_board(t.projects, project_status(t.projects, t.milestones, t.reports, as_of))
             if not t.projects.empty else pd.DataFrame(columns=["project_id", "status"]))
    deck: list[Slide] = []
    for kind in slides:
        if kind == "overview":
            deck.append(overview_slide(t, as_of))
        elif kind == "status":
            deck.extend(status_slides(board, as_of))
        elif kind == "grid":
            deck.append(grid_slide(t.grid_stats, grid_period(t.grid_stats, grid_first, grid_last), as_of))
        elif kind == "review":
            slide = review_slide(t, as_of)
            if slide is not None:
                deck.append(slide)
        elif kind == "projects":
            deck.extend(s for s in (project_slide(t, board, pid, as_of) for pid in project_ids) if s is not None)
    if not deck:
        deck.append(Slide("empty", "领航看板", "", data_date_text(as_of), {"note": "播放列表里没有可显示的幻灯片。"}))
    return deck

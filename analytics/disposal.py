"""Disposal rates (处置率) of the monthly grid statistics.

处置率 = handled ÷ reported over whatever is grouped; undefined (NaN,
shown as —) where reported is 0. Rates over 100% (backlog from earlier
months handled now, or a data error) are kept as they are, flagged
(``over_100``) and not ranked: :data:`OVER_100_RULE` is the rule as users read it.

A change against an earlier period is only meaningful when that period has
statistics for every one of its months: :func:`period_totals` and
:func:`ranking` say whether it does (``complete``, ``previous_complete``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from analytics.formatting import fmt_month, fmt_pct

COUNTS = ["collected", "reported", "handled"]
#: the groupings a caller may ask for
GROUPINGS: dict[str, list[str]] = {
    "county": [],
    "unit": ["unit"],
    "community": ["unit", "community"],
    "grid": ["unit", "community", "grid"],
    "month": ["month"],
    "unit_month": ["unit", "month"],
}


#: how rates over 100% are ranked, in the words the pages and the README use
OVER_100_RULE = "处置率超过100%(处置数多于上报数,可能含消化以前月份的积压)标“数据异常”,列出但不参与排名"


def rate(handled: float, reported: float) -> float:
    """handled ÷ reported, NaN where nothing was reported."""
    return float(handled) / float(reported) if reported else float("nan")


def disposal_rates(grid_stats: pd.DataFrame, by: str | Sequence[str] = "county",
                   months: tuple[date, date] | Sequence[date] | None = None) -> pd.DataFrame:
    """Sums of collected, reported, handled and the rate for a grouping.

    ``by`` is a name of :data:`GROUPINGS` or a list of columns. ``months``
    is an inclusive (first, last) range of months, or None for all.
    Returns the group columns, the three sums, ``rate`` (0–1, NaN where
    reported is 0) and ``over_100`` (rate above 1), one row per group
    (one row for "county", even with no data).
    """
    keys = GROUPINGS[by] if isinstance(by, str) else list(by)
    stats = grid_stats
    if months is not None:
        first, last = months[0], months[-1]
        month = pd.to_datetime(stats["month"])
        stats = stats[(month >= pd.Timestamp(first)) & (month <= pd.Timestamp(last))]
    if keys:
        out = stats.groupby(keys, as_index=False, sort=True)[COUNTS].sum()
    else:
        out = pd.DataFrame({c: [stats[c].sum()] for c in COUNTS})
    out[COUNTS] = out[COUNTS].astype("int64")
    reported = out["reported"].astype("float64")
    out["rate"] = np.where(reported > 0, out["handled"] / reported.where(reported > 0), np.nan)
    out["over_100"] = out["rate"] > 1
    return out


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same number of months just before (first, last)."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    prev_last = (pd.Timestamp(first) - pd.DateOffset(months=1)).date()
    prev_first = (pd.Timestamp(first) - pd.DateOffset(months=months)).date()
    return prev_first, prev_last


def missing_months(grid_stats: pd.DataFrame, period: tuple[date, date]) -> list[date]:
    """The months of the inclusive ``period`` for which ``grid_stats`` has no row at all."""
    present = set(pd.to_datetime(grid_stats["month"].unique()).normalize())  # unique first: 36 months, not 36,000 rows
    months = pd.date_range(pd.Timestamp(period[0]), pd.Timestamp(period[-1]), freq="MS")
    return [m.date() for m in months if m not in present]


def rank_rates(rates: pd.DataFrame, min_reported: int = 10) -> pd.DataFrame:
    """Competition ranking ("1224") by rate, highest first.

    A row with fewer than ``min_reported`` reported events, no rate, or a
    rate over 100% (:data:`OVER_100_RULE`) is listed but not ranked
    (``rank`` null, ``ranked`` False); ``over_100`` marks the last.
    """
    out = rates.copy()
    out["over_100"] = (out["rate"] > 1).fillna(False).astype(bool)
    eligible = (out["reported"] >= min_reported) & out["rate"].notna() & ~out["over_100"]
    # round so that 0.1+0.2-style float noise cannot split a tie
    key = out["rate"].where(eligible).round(12)
    out["rank"] = key.rank(method="min", ascending=False).astype("Int64")
    out["ranked"] = eligible
    return out


def ranking(grid_stats: pd.DataFrame, by: str, period: tuple[date, date], min_reported: int = 10) -> pd.DataFrame:
    """Rates for the period, ranked, with the rank in the previous period of the same length.

    ``rank_change`` = previous rank − rank (positive: moved up); null where
    either rank is missing. ``previous_complete`` (the same for every row)
    says whether the previous period has statistics for each of its months;
    when it has not, no previous rank is given at all. Sorted by rank,
    unranked rows last.
    """
    keys = GROUPINGS[by]
    before_period = previous_period(*period)
    complete = not missing_months(grid_stats, before_period)
    current = rank_rates(disposal_rates(grid_stats, by, period), min_reported)
    before = rank_rates(disposal_rates(grid_stats, by, before_period), min_reported)
    out = current.merge(before[[*keys, "rank"]].rename(columns={"rank": "previous_rank"}), on=keys, how="left")
    out["previous_rank"] = out["previous_rank"].astype("Int64")
    if not complete:
        out["previous_rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["previous_complete"] = complete
    out["rank_change"] = (out["previous_rank"] - out["rank"]).astype("Int64")
    return out.sort_values(["rank", *keys], na_position="last", kind="stable").reset_index(drop=True)


def month_changes(grid_stats: pd.DataFrame, by: str, month: date) -> pd.DataFrame:
    """For one month: each count and the rate, with the month before (mom) and the same month a year
    before (yoy), and their changes. Rate changes are differences of rates (percentage points ÷ 100)."""
    keys = GROUPINGS[by]
    this = pd.Timestamp(month)
    frames = {}
    present = set(pd.to_datetime(grid_stats["month"].unique()))
    for tag, offset in (("", 0), ("_mom", 1), ("_yoy", 12)):
        m = (this - pd.DateOffset(months=offset)).date()
        frames[tag] = disposal_rates(grid_stats, by, (m, m)).drop(columns="over_100")
        if pd.Timestamp(m) not in present:  # a month without any statistics is unknown, not zero
            frames[tag][[*COUNTS, "rate"]] = float("nan")
    out = frames[""]
    for tag in ("_mom", "_yoy"):
        other = frames[tag].rename(columns={c: c + tag for c in [*COUNTS, "rate"]})
        out = out.merge(other, on=keys, how="left") if keys else pd.concat([out, other], axis=1)
        for c in [*COUNTS, "rate"]:
            out[f"{c}_change{tag}"] = out[c] - out[c + tag]
    return out


def months_available(grid_stats: pd.DataFrame) -> list[date]:
    """The months present in the statistics, oldest first."""
    return sorted(pd.to_datetime(grid_stats["month"]).dt.date.unique())


def only(frame: pd.DataFrame, unit: str | None = None, community: str | None = None) -> pd.DataFrame:
    """Rows of one unit (and community); None means all."""
    mask = pd.Series(True, index=frame.index)
    if unit:
        mask &= frame["unit"] == unit
    if community:
        mask &= frame["community"] == community
    return frame[mask]


def period_totals(grid_stats: pd.DataFrame, period: tuple[date, date]) -> pd.DataFrame:
    """Two rows, ``current`` and ``previous`` (the same length just before), each with the three sums,
    the rate, ``first`` and ``last`` (the period's months), ``missing`` (how many of its months have
    no statistics) and ``complete`` (none missing); used for KPI cards with their change, which are
    shown only when ``previous`` is complete."""
    rows = []
    for name, p in (("current", period), ("previous", previous_period(*period))):
        gaps = missing_months(grid_stats, p)
        rows.append(disposal_rates(grid_stats, "county", p).assign(
            period=name, first=p[0], last=p[-1], missing=len(gaps), complete=not gaps))
    return pd.concat(rows, ignore_index=True).set_index("period")


def comparison_note(totals: pd.DataFrame) -> str:
    """Why the KPIs show a change or not, from :func:`period_totals` (same rule as the month table:
    a period without statistics for every month is not compared with)."""
    before = totals.loc["previous"]
    span = f"前一同长统计期({fmt_month(before['first'])}—{fmt_month(before['last'])})"
    if bool(before["complete"]):
        return f"增减和名次变化与{span}比较"
    months = len(pd.date_range(pd.Timestamp(before["first"]), pd.Timestamp(before["last"]), freq="MS"))
    have = months - int(before["missing"])
    if have == 0:
        return f"{span}没有网格统计,不显示增减和名次变化"
    return f"{span}{months} 个月中只有 {have} 个月有网格统计,不显示增减和名次变化"


def rank_change_label(rank: object, previous: object, complete: bool) -> str:
    """名次变化 as shown: ↑2 / ↓2, – unchanged, 新 not ranked before, — no comparison possible."""
    if not complete or pd.isna(rank):
        return "—"
    if pd.isna(previous):
        return "新"
    change = int(previous) - int(rank)
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else "–"


def rate_text(rate: float) -> str:
    """A rate as shown in a KPI or table: "97.9%", and "101.8%(数据异常)" over 100%; "—" when undefined."""
    return fmt_pct(rate) + ("(数据异常)" if rate == rate and rate > 1 else "")


def rate_note(rate: float) -> str:
    """The 说明 of a ranking row whose rate is over 100% (see :data:`OVER_100_RULE`), else ""."""
    return "数据异常:处置率超过100%,不参与排名" if rate == rate and rate > 1 else ""

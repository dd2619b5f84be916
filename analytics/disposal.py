"""Disposal rates (处置率) of the monthly grid statistics.

处置率 = handled ÷ reported over whatever is grouped; undefined (NaN,
shown as —) where reported is 0. Rates over 100% (backlog from earlier
months handled now) are kept as they are and flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

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

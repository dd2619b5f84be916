"""Numbers the way officials write them: 108,512 件, 97.9%, — for undefined."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

DASH = "—"


def _missing(value: object) -> bool:
    """None, NaN, NaT and pandas' NA all count as missing."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes are never "missing" scalars
        return False


def fmt_int(value: object) -> str:
    """108512 → "108,512"; missing → "—"."""
    if _missing(value):
        return DASH
    return f"{round(float(value)):,}"


def fmt_pct(value: object, digits: int = 1) -> str:
    """A share (0.979) as a percent: "97.9%"; missing → "—"."""
    if _missing(value):
        return DASH
    return f"{float(value) * 100:.{digits}f}%"


def fmt_delta_pct_points(value: object, digits: int = 1) -> str:
    """A change of a share in percentage points: "+1.2个百分点"."""
    if _missing(value):
        return DASH
    return f"{float(value) * 100:+.{digits}f}个百分点"


def fmt_date(value: object) -> str:
    """A date as 2022年11月14日."""
    if _missing(value):
        return DASH
    if isinstance(value, datetime):
        value = value.date()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime().date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def fmt_month(value: object) -> str:
    """A month as 2022年10月."""
    if _missing(value):
        return DASH
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return f"{value.year}年{value.month}月"

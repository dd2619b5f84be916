"""Numbers the way officials write them: 108,512 件, 97.9%, — for undefined."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
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


# ---------------------------------------------------------------------------
# One formatting layer for every table (shown on a page or exported).
#
# Each column has a *kind*; the kind says how its values are written:
#
#   count        7542 → "7,542"                      (Excel #,##0)
#   rate         a share 0.9623 → "96.2%"            (Excel 0.0%)
#   percent      a share already in percent, 96.23 → "96.2%"  (exported as a share)
#   rate_change  a change of a share, 0.012 → "+1.2 个百分点", 0 → "0.0 个百分点"
#   score        87.456 → "87.46"                    (Excel 0.00)
#   number       1234.5 → "1,234.5" (up to 2 decimals, trailing zeros dropped)
#   decimal      a measure with one decimal (hours): 3.46 → "3.5"
#   date         2022-11-18 00:00 → "2022-11-18"     (Excel yyyy-mm-dd)
#   datetime     2022-11-18 09:30 → "2022-11-18 09:30"
#   month        2022-10-01 → "2022年10月"
#   plain        numbers that are names (编号, 年份, 轮次): 2022 → "2022"
#   text         as is
#
# Missing (None, NaN, NaT, NA, "") is "—" in every kind. Kinds are inferred
# from the Chinese header and the values where obvious (:func:`infer_kind`)
# and can always be given per column.
# ---------------------------------------------------------------------------

KINDS = ("count", "rate", "percent", "rate_change", "score", "number", "decimal", "date", "datetime", "month", "plain", "text")

#: headers whose numbers are names or codes, never counts (no thousands separator)
PLAIN_WORDS = ("编号", "序号", "代码", "年份", "年度", "轮次", "名次", "排名", "版本", "ID", "id", "号")
#: headers of a change of a rate (percentage points)
RATE_CHANGE_WORDS = ("百分点",)
#: headers of shares (0.962 is 96.2%)
RATE_WORDS = ("率", "占比", "比例", "完成目标")
#: headers of review scores
SCORE_WORDS = ("得分", "分数", "平均分", "总分", "加分", "合计", "之差", "标准差")


def _blank(value: object) -> bool:
    """Missing, empty, or already written as missing ("—")."""
    return _missing(value) or (isinstance(value, str) and value.strip() in ("", DASH))


def _is_datetime(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, (date, datetime)) for v in values)


def _all_midnight(series: pd.Series) -> bool:
    values = pd.to_datetime(series.dropna())
    return bool((values == values.dt.normalize()).all())


def infer_kind(header: object, series: pd.Series) -> str:
    """The kind of a column from its header and values (see the table above); "text" when unsure."""
    name = str(header)
    if _is_datetime(series):
        return "date" if _all_midnight(series) else "datetime"
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return "text"
    if any(word in name for word in RATE_CHANGE_WORDS):
        return "rate_change"
    if any(word in name for word in PLAIN_WORDS):
        return "plain"
    if any(name.endswith(word) or word in name for word in RATE_WORDS):
        return "rate"
    if any(word in name for word in SCORE_WORDS):
        return "score"
    values = pd.to_numeric(series, errors="coerce").dropna()
    if pd.api.types.is_integer_dtype(series) or (values == values.round()).all():
        return "count"
    return "number"


def column_kinds(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> dict[str, str]:
    """Every column's kind: the given ones, the rest inferred."""
    kinds = kinds or {}
    unknown = set(kinds.values()) - set(KINDS)
    if unknown:
        raise ValueError(f"未知的列类型:{'、'.join(sorted(unknown))}")
    return {c: kinds.get(c) or infer_kind(c, frame[c]) for c in frame.columns}


def _round_half_up(value: float, digits: int) -> float:
    # 87.455 is 87.46 as an official rounds it, not 87.45 (binary floats): decimal rounding of the repr
    from decimal import ROUND_HALF_UP, Decimal
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def fmt_rate_change(value: object, digits: int = 1) -> str:
    """A change of a share in percentage points: 0.012 → "+1.2 个百分点"; a change that rounds to 0 → "0.0 个百分点"."""
    if _missing(value):
        return DASH
    points = _round_half_up(float(value) * 100, digits)
    if points == 0:
        return f"{0:.{digits}f} 个百分点"
    return f"{points:+.{digits}f} 个百分点"


def format_value(value: object, kind: str) -> str:
    """One value as text the way officials write it; "—" when missing."""
    if _blank(value):
        return DASH
    if kind == "count":
        return fmt_int(value)
    if kind == "rate":
        return f"{_round_half_up(float(value) * 100, 1):.1f}%"
    if kind == "percent":
        return f"{_round_half_up(float(value), 1):.1f}%"
    if kind == "rate_change":
        return fmt_rate_change(value)
    if kind == "score":
        return f"{_round_half_up(float(value), 2):.2f}"
    if kind == "decimal":
        return f"{_round_half_up(float(value), 1):,.1f}"
    if kind == "number":
        text = f"{_round_half_up(float(value), 2):,.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if kind in ("date", "datetime"):
        stamp = pd.Timestamp(value)
        return f"{stamp:%Y-%m-%d}" if kind == "date" or stamp == stamp.normalize() else f"{stamp:%Y-%m-%d %H:%M}"
    if kind == "month":
        return fmt_month(pd.Timestamp(value))
    if kind == "plain" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    return str(value)


def is_empty_column(series: pd.Series) -> bool:
    """Whether a column has nothing to show (every value missing or blank)."""
    return all(_blank(v) for v in series)


def drop_empty_columns(frame: pd.DataFrame, keep: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """The frame without columns that are empty for this view (说明 when nothing to say, 同比 without data)."""
    if frame.empty:  # no rows: the headers still say what the table would hold
        return frame
    return frame[[c for c in frame.columns if c in keep or not is_empty_column(frame[c])]]


def format_frame(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """The whole table as text (for HTML, phones, reports): every cell formatted by its column's kind."""
    resolved = column_kinds(frame, kinds)
    return pd.DataFrame({c: [format_value(v, resolved[c]) for v in frame[c]] for c in frame.columns},
                        index=frame.index, columns=frame.columns)


def _as_number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.where(~series.map(_blank), None), errors="coerce").astype("float64")


def _as_stamp(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series.where(~series.map(_blank), None), errors="coerce")


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def screen_frame(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """The values a data grid shows: numbers stay numbers (so a click on a header sorts them as numbers),
    shares become percent (the grid's printf format cannot multiply), dates become dates,
    changes of rates become their text, a number that is a name (轮次, 年份) stays a number without a
    thousands separator; every missing value becomes a real null (the grid writes it "—")."""
    out = {}
    for column in frame.columns:
        series, kind = frame[column], kinds[column]
        if kind in ("count", "score", "number", "decimal", "percent") or (kind == "plain" and _numeric(series)):
            out[column] = _as_number(series)
        elif kind == "rate":
            out[column] = _as_number(series) * 100
        elif kind in ("date", "datetime", "month"):
            stamps = _as_stamp(series)
            out[column] = stamps.dt.normalize() if kind != "datetime" else stamps
        else:  # text, plain, rate_change: the formatted text (None where missing)
            out[column] = pd.Series([None if _blank(v) else format_value(v, kind) for v in series],
                                    index=frame.index, dtype=object)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


#: printf formats of the data grid (Streamlit's NumberColumn; "%,d" groups thousands)
SCREEN_FORMATS = {"plain": "%d", "count": "%,d", "rate": "%.1f%%", "percent": "%.1f%%", "score": "%.2f", "number": "%,.2f",
                  "decimal": "%,.1f"}
#: date formats of the data grid (Day.js tokens)
SCREEN_DATE_FORMATS = {"date": "YYYY-MM-DD", "datetime": "YYYY-MM-DD HH:mm", "month": "YYYY年M月"}
#: Excel number formats of an exported column
EXCEL_FORMATS = {"count": "#,##0", "rate": "0.0%", "percent": "0.0%", "score": "0.00", "number": "#,##0.##", "decimal": "#,##0.0",
                 "rate_change": '+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"',
                 "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "month": 'yyyy"年"m"月"'}


def export_value(value: object, kind: str) -> object:
    """A value as written into an .xlsx cell: a real number or date (formatted by :data:`EXCEL_FORMATS`),
    "—" when missing. Shares stay shares (0.0% shows them as percent), percent becomes a share,
    a change of a share becomes percentage points."""
    if _blank(value):
        return DASH
    if kind in ("count", "score", "number", "decimal", "rate", "percent", "rate_change"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return value
        if kind == "percent":
            return number / 100
        if kind == "rate_change":
            return _round_half_up(number * 100, 1)
        if kind == "count" and number.is_integer():
            return int(number)
        return number
    if kind in ("date", "month"):
        return pd.Timestamp(value).to_pydatetime().replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "datetime":
        return pd.Timestamp(value).to_pydatetime()
    return value


def csv_value(value: object, kind: str) -> object:
    """A value as written into a CSV: plain numbers, dates without 00:00:00, "—" when missing."""
    if _blank(value):
        return DASH
    if kind in ("date", "datetime", "month"):
        return format_value(value, "datetime" if kind == "datetime" else "date")
    if kind == "count" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value

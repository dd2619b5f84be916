"""Cleaning one cell of a given contract type.

Each parser takes a raw cell (what calamine or the CSV reader gives: str,
float, int, bool, date, datetime, or "" for blank) and returns the clean
value, ``None`` for blank, or raises :class:`CellError` with a Chinese
message saying what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

EXCEL_EPOCH = date(1899, 12, 30)
# Excel serials of 1954-10-04 … 2119-01-01: plausible dates, not other numbers
SERIAL_MIN, SERIAL_MAX = 20000, 80000

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATETIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2}(?:\.\d+)?))?秒?)?$"
)
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH6 = re.compile(r"^(\d{4})(\d{2})$")
_WEEK = re.compile(r"^(\d{4})\s*-?\s*W\s*(\d{1,2})$", re.IGNORECASE)
_ROUNDS = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3}
_ROUND = re.compile(r"^第?\s*([一二三123])\s*轮?$")


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is Chinese."""


def normalise_text(value: str) -> str:
    """Full-width to half-width (NFKC) and trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float):
        # an id typed into a number cell arrives as 12.0: keep it as staff wrote it
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _number_text(value: str) -> str:
    text = normalise_text(value).replace(",", "").replace(" ", "")
    return text


def parse_number(value: Any) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("应为数字")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(_number_text(value))
        except ValueError:
            pass
    raise CellError("应为数字")


def parse_int(value: Any) -> int | None:
    try:
        number = parse_number(value)
    except CellError:
        raise CellError("应为整数") from None
    if number is None:
        return None
    if not float(number).is_integer():
        raise CellError("应为整数")
    return int(number)


def parse_percent(value: Any) -> float | None:
    if isinstance(value, str) and normalise_text(value).endswith("%"):
        value = normalise_text(value)[:-1]
    try:
        return parse_number(value)
    except CellError:
        raise CellError("应为 0–100 的数字,如 65 或 65%") from None


def _serial_to_date(number: float) -> date:
    if not SERIAL_MIN <= number <= SERIAL_MAX:
        raise CellError("应为日期,如 2022-11-14")
    return EXCEL_EPOCH + timedelta(days=int(number))


def _make_date(y: str, m: str, d: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise CellError("不是有效的日期") from None


def parse_date(value: Any) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_to_date(float(value))
    if isinstance(value, str):
        text = normalise_text(value)
        match = _DATE.match(text) or _DATE8.match(text)
        if match:
            return _make_date(*match.groups())
        match = _DATETIME.match(text)
        if match:
            return _make_date(*match.groups()[:3])
        try:
            return _serial_to_date(float(text))
        except ValueError:
            pass
    raise CellError("应为日期,如 2022-11-14、2022/11/14、2022.11.14 或 2022年11月14日")


def parse_datetime(value: Any) -> datetime | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, timedelta):
        raise CellError("应为日期时间,如 2022-11-14 09:30")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _serial_to_date(float(value))
        return datetime.combine(day, time()) + timedelta(days=float(value) % 1)
    if isinstance(value, str):
        match = _DATETIME.match(normalise_text(value))
        if match:
            y, m, d, hh, mm, ss = match.groups()
            day = _make_date(y, m, d)
            try:
                clock = time(int(hh or 0), int(mm or 0), int(float(ss or 0)))
            except ValueError:
                raise CellError("不是有效的时间") from None
            return datetime.combine(day, clock)
    raise CellError("应为日期时间,如 2022-11-14 09:30")


def parse_month(value: Any) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 190001 <= number <= 210012:
            value = str(int(number))
        else:
            return _serial_to_date(number).replace(day=1)
    if isinstance(value, str):
        text = normalise_text(value)
        match = _MONTH.match(text) or _MONTH6.match(text)
        if match:
            return _make_date(match.group(1), match.group(2), "1")
    try:
        day = parse_date(value)
    except CellError:
        raise CellError("应为月份,如 2022-11、2022年11月 或 202211") from None
    return day.replace(day=1) if day else None


def parse_week(value: Any) -> date | None:
    if isinstance(value, str):
        match = _WEEK.match(normalise_text(value))
        if match:
            try:
                return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            except ValueError:
                raise CellError("不是有效的周次") from None
    try:
        day = parse_date(value)
    except CellError:
        raise CellError("应为该周任意一天的日期,如 2022-11-14,或 2022-W46") from None
    return day - timedelta(days=day.weekday()) if day else None


def parse_round(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))
    match = _ROUND.match(normalise_text(str(value)))
    if not match:
        raise CellError("应为 1、2、3 或 第一轮/第二轮/第三轮")
    return _ROUNDS[match.group(1)]


PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": parse_text,
    "enum": parse_text,
    "int": parse_int,
    "number": parse_number,
    "percent": parse_percent,
    "date": parse_date,
    "month": parse_month,
    "week": parse_week,
    "datetime": parse_datetime,
    "round": parse_round,
}


def normalise_header(value: Any) -> str:
    """Header as compared: half-width, no spaces at all."""
    return re.sub(r"\s+", "", normalise_text(str(value))) if not is_blank(value) else ""


_UNIT_SUFFIX = re.compile(r"\([^()]*\)$")


def strip_unit(header: str) -> str:
    """Drop a trailing bracketed unit: 上报事件(件) → 上报事件 (after NFKC, （）are ())."""
    return _UNIT_SUFFIX.sub("", header)


def display(value: Any) -> str:
    """A raw cell as it should appear in the error report."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

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

import pandas as pd

from contract import TOTAL_WORDS, Column, Sheet
from ingest.model import WARNING, ParsedSheet, Problem
from ingest.read import RawSheet, layout_problems

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


# ---------------------------------------------------------------- a whole sheet, column by column


def _first_cell(row: list[Any]) -> Any:
    """The first non-blank cell of a row, or None for a blank row (calamine writes "" for empty cells)."""
    for cell in row:
        if cell != "" and cell is not None and not (isinstance(cell, str) and cell.isspace()):
            return cell
    return None


def _is_total_row(row: list[Any]) -> str | None:
    return _total_word(_first_cell(row))


def _total_word(first: Any) -> str | None:
    """合计/总计/小计 when a row's first non-blank cell is one of them."""
    # every total word ends in 计: one substring test spares the normalising of 150,000 ordinary cells
    if isinstance(first, str) and "计" in first:
        word = normalise_header(first).rstrip(":")
        if word in TOTAL_WORDS:
            return word
    return None


def parse_sheet(raw: RawSheet, spec: Sheet, header_idx: int, mapping: dict[str, tuple[int, str]],
                problems: list[Problem]) -> ParsedSheet:
    """Drop blank and totals rows, clean every cell of the mapped columns, check the totals rows."""
    header = raw.rows[header_idx]
    used = {pos for pos, _ in mapping.values()}
    for excel_row, pos, where, message in layout_problems(raw, header_idx, _is_total_row, used):  # merges, formulas
        written = display(header[pos]) if pos is not None and pos < len(header) and not is_blank(header[pos]) else None
        problems.append(Problem(raw.name, excel_row, written, where, message))

    data_rows: list[tuple[int, list[Any]]] = []
    totals: list[tuple[int, str, list[Any], int]] = []  # (excel row, word, cells, rows before it)
    for i in range(header_idx + 1, len(raw.rows)):
        row = raw.rows[i]
        first = _first_cell(row)
        if first is None:
            continue
        word = _total_word(first)
        if word:
            totals.append((raw.first_row + i, word, row, len(data_rows)))
            continue
        data_rows.append((raw.first_row + i, row))

    excel_rows = [r for r, _ in data_rows]
    frame = pd.DataFrame({"excel_row": pd.Series(excel_rows, dtype="int64")})
    for col in spec.columns:
        if col.id not in mapping:
            frame[col.id] = [col.default] * len(data_rows)
            continue
        pos, written = mapping[col.id]
        # object dtype: pandas would otherwise convert every text column to Arrow and _load back again
        frame[col.id] = pd.Series(_clean_column(raw.name, col, written, pos, data_rows, problems), dtype=object)
    _check_totals(raw.name, spec, mapping, frame, totals, problems)
    return ParsedSheet(raw.name, spec, frame, rows_read=len(data_rows),
                       headers={k: v[1] for k, v in mapping.items()})


def _clean_column(sheet_name: str, col: Column, written: str, pos: int,
                  data_rows: list[tuple[int, list[Any]]], problems: list[Problem]) -> list[Any]:
    """Every cell of one column, parsed and checked; problems collected, bad cells left None.

    This loop runs once per cell of a 150,000-row file, so it avoids calls where it can: blanks
    are recognised inline, and repeated strings and numbers (units, months, categories, counts)
    are parsed once and looked up after.
    """
    parse = PARSERS[col.type]
    default, required = col.default, col.required
    plain_text = col.type == "text"  # free text: nothing to check beyond trimming
    stamps = col.type == "datetime"
    memo: dict[Any, Any] = {}
    out: list[Any] = [None] * len(data_rows)
    for i, (excel_row, row) in enumerate(data_rows):
        raw = row[pos] if pos < len(row) else ""
        kind = type(raw)
        if raw == "" or raw is None:
            value = None
        elif plain_text and kind is str:
            value = raw.strip() or None
        elif stamps and kind is datetime:
            value = raw
        else:
            # str keys alone; numbers keyed with their type, so True and 1.0 stay apart
            key = raw if kind is str else (kind, raw) if kind in (float, int, bool) else None
            try:
                if key is None:
                    value = _parse_checked(parse, col, raw)  # dates and times: nearly all distinct
                elif key in memo:
                    value = memo[key]
                else:
                    value = memo[key] = _parse_checked(parse, col, raw)
            except CellError as exc:
                problems.append(Problem(sheet_name, excel_row, written, display(raw), str(exc)))
                continue
        if value is None:
            if default is not None:
                value = default
            elif required:
                problems.append(Problem(sheet_name, excel_row, written, "", "必填项为空"))
        out[i] = value
    return out


def _parse_checked(parse: Callable[[Any], Any], col: Column, raw: Any) -> Any:
    value = parse(raw)
    if value is None:
        return None
    if col.choices and value not in col.choices:
        raise CellError("应为以下之一:" + "、".join(col.choices))
    if col.min is not None and (value <= col.min if col.min_exclusive else value < col.min):
        raise CellError(f"应{'大于' if col.min_exclusive else '不小于'} {col.min:g}")
    if col.max is not None and value > col.max:
        raise CellError(f"应不大于 {col.max:g}")
    return value


def _check_totals(sheet_name: str, spec: Sheet, mapping: dict[str, tuple[int, str]], frame: pd.DataFrame,
                  totals: list[tuple[int, str, list[Any], int]], problems: list[Problem]) -> None:
    """A 合计/总计 row must equal the sum of all rows above it; a 小计 the rows since the last 小计."""
    numeric = [c for c in spec.columns if c.type in ("int", "number") and c.id in mapping]
    segment_start = 0
    for excel_row, word, cells, upto in totals:
        start = segment_start if word == "小计" else 0
        for col in numeric:
            pos, written = mapping[col.id]
            cell = cells[pos] if pos < len(cells) else ""
            try:
                stated = PARSERS["number"](cell)
            except CellError:
                stated = None
            if stated is None:
                continue
            actual = pd.to_numeric(frame[col.id].iloc[start:upto], errors="coerce").sum()
            if abs(actual - stated) > 1e-6:
                problems.append(Problem(sheet_name, excel_row, written, display(cell),
                                        f"{word}行与明细之和不符:明细合计为 {actual:,.0f},表中写 {stated:,.0f}",
                                        WARNING))
        if word == "小计":
            segment_start = upto


# ---------------------------------------------------------------- rules across columns and rows

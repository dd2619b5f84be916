"""Cleaning one cell of a given contract type.

Each parser takes a raw cell (what calamine or the CSV reader gives: str,
float, int, bool, date, datetime, or "" for blank) and returns the clean
value, ``None`` for blank, or raises :class:`CellError` with a Chinese
message saying what was expected.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

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
    """Drop blank and totals rows, clean every cell of the mapped columns, check the totals rows.

    Column by column in Arrow (:func:`clean_arrow`); a spreadsheet with a cell that fails, or whose
    text could stand for two different cells, is cleaned again from the cells as calamine types
    them, cell by cell (:func:`clean_rows`), so its report is exactly what it always was."""
    header = raw.shown_row(header_idx)
    used = {pos for pos, _ in mapping.values()}
    for excel_row, pos, where, message in layout_problems(raw, header_idx, _is_total_row, used):  # merges, formulas
        written = display(header[pos]) if pos is not None and pos < len(header) and not is_blank(header[pos]) else None
        problems.append(Problem(raw.name, excel_row, written, where, message))
    found: list[Problem] = []
    sheet = clean_arrow(raw, spec, header_idx, mapping, found)
    if sheet is None:
        return clean_rows(raw, spec, header_idx, mapping, problems)
    problems.extend(found)
    return sheet


def clean_rows(raw: RawSheet, spec: Sheet, header_idx: int, mapping: dict[str, tuple[int, str]],
               problems: list[Problem]) -> ParsedSheet:
    """The sheet cleaned cell by cell from the cells as calamine types them."""
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

    columns: dict[str, pa.Array] = {"excel_row": pa.array([r for r, _ in data_rows], type=pa.int64())}
    for col in spec.columns:
        if col.id not in mapping:
            columns[col.id] = pa.array([col.default] * len(data_rows), type=ARROW_TYPES[col.type])
            continue
        pos, written = mapping[col.id]
        columns[col.id] = pa.array(_clean_column(raw.name, col, written, pos, data_rows, problems),
                                   type=ARROW_TYPES[col.type])
    table = pa.table(columns)
    _check_totals(raw.name, spec, mapping, table, totals, problems)
    return ParsedSheet(raw.name, spec, table, rows_read=len(data_rows), headers={k: v[1] for k, v in mapping.items()})


# ---------------------------------------------------------------- the same, column-wise in Arrow

#: what str.strip() strips (str.isspace), for pyarrow's trim
PY_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
            "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")

ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(), "enum": pa.string(), "int": pa.int64(), "round": pa.int64(), "number": pa.float64(),
    "percent": pa.float64(), "date": pa.date32(), "month": pa.date32(), "week": pa.date32(),
    "datetime": pa.timestamp("us"),
}

#: text calamine writes for a boolean, or a time of day / duration (dated 1899-12-30/31)
_ANY_TYPE = r"^(true|false)$|^1899-12-3[01] "
#: text of a spreadsheet cell that may stand for two different cells, by column type: what the
#: typed cell gave is looked up (a number rounded to 9 decimals, an 8-digit number or date, …)
AMBIGUOUS: dict[str, str] = {
    "text": _ANY_TYPE + r"|^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.|$)|^-?\d+\.\d{9}$|^-0$|^-?0\.0000",
    "number": _ANY_TYPE + r"|\.\d{9}$",
    "date": _ANY_TYPE + r"|^\d{8}$|\.\d{9}$",
    "datetime": _ANY_TYPE + r"|^-?\d+(\.\d+)?$|\d:\d{2}:\d{2}\.\d+$",
}
AMBIGUOUS.update(enum=AMBIGUOUS["text"], int=AMBIGUOUS["number"], percent=AMBIGUOUS["number"],
                 round=AMBIGUOUS["number"], month=AMBIGUOUS["date"], week=AMBIGUOUS["date"])

_NUMBER = r"^-?\d{1,15}(\.\d{1,8})?$"
_DATE_TEXT = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d+)?)?$"
_STAMP_TEXT = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$"


def _blank(text: pa.Array) -> pa.Array:
    """Empty, absent or only whitespace (as str.isspace counts it)."""
    return pc.fill_null(pc.or_(pc.equal(text, ""), pc.utf8_is_space(text)), True)


def clean_arrow(raw: RawSheet, spec: Sheet, header_idx: int, mapping: dict[str, tuple[int, str]],
                problems: list[Problem]) -> ParsedSheet | None:
    """The sheet cleaned column-wise; None when a spreadsheet's cells must be looked at as typed."""
    data = [c.combine_chunks() for c in raw.table.slice(header_idx + 1).columns]
    n = raw.height - header_idx - 1 if raw.height > header_idx else 0
    filled = [pc.invert(_blank(c)) for c in data]
    has_cell = functools.reduce(pc.or_, filled) if filled else pa.repeat(pa.scalar(False), n)
    first = pc.coalesce(*[pc.if_else(f, c, None) for f, c in zip(filled, data, strict=True)]) \
        if filled else pa.nulls(n, pa.string())
    maybe_total = pc.fill_null(pc.match_substring(first, "计"), False)
    totals: list[tuple[int, str, list[Any], int]] = []
    keep = has_cell
    if pc.any(maybe_total).as_py():
        marks = pc.indices_nonzero(maybe_total).to_pylist()
        words = {i: w for i in marks if (w := _total_word(first[i].as_py()))}
        if words:
            is_total = pa.array([i in words for i in range(n)], type=pa.bool_())
            keep = pc.and_(has_cell, pc.invert(is_total))
            kept_before = pc.cumulative_sum(pc.cast(keep, pa.int64())).to_pylist()
            for i, word in words.items():
                row = raw.head(1, header_idx + 1 + i)[0]
                totals.append((raw.first_row + header_idx + 1 + i, word, ["" if v is None else v for v in row],
                               kept_before[i]))
    rows = pc.indices_nonzero(keep)
    every = len(rows) == n  # no blank or totals row: the columns as they are, no copy
    excel_rows = pc.add(rows.cast(pa.int64()), raw.first_row + header_idx + 1)
    columns: dict[str, pa.Array] = {"excel_row": excel_rows}
    found: list[tuple[int, int, Problem]] = []  # (column, row, problem): sorted by column, then row
    for number, col in enumerate(spec.columns):
        kind = ARROW_TYPES[col.type]
        if col.id not in mapping:
            columns[col.id] = pa.array([col.default] * len(rows), type=kind) if col.default is not None \
                else pa.nulls(len(rows), kind)
            continue
        pos, written = mapping[col.id]
        if pos >= len(data):
            text = pa.nulls(len(rows), pa.string())
        else:
            text = data[pos] if every else data[pos].take(rows)
        out = _clean_text_column(raw, col, written, text, excel_rows, found, number)
        if out is None:
            return None
        columns[col.id] = out
    found.sort(key=lambda f: (f[0], f[1]))
    problems.extend(f[2] for f in found)
    table = pa.table(columns)
    _check_totals(raw.name, spec, mapping, table, totals, problems)
    return ParsedSheet(raw.name, spec, table, rows_read=len(rows), headers={k: v[1] for k, v in mapping.items()})


def _clean_text_column(raw: RawSheet, col: Column, written: str, text: pa.Array, excel_rows: pa.Array,
                       found: list[tuple[int, int, Problem]], number: int) -> pa.Array | None:
    """One column's text → its values; None when a spreadsheet's typed cells are needed."""
    kind = ARROW_TYPES[col.type]
    blank = _blank(text)
    trimmed = pc.utf8_trim(text, characters=PY_SPACE)
    filled = pc.invert(blank)
    values, fast = _fast_values(col, trimmed, filled)
    rest = pc.and_(filled, pc.invert(fast))
    if not raw.text_only and _ambiguous(col, text, trimmed, filled, fast, rest):
        return None
    failed = pa.repeat(pa.scalar(False), len(text))
    if pc.any(rest).as_py():
        slow = text.filter(rest).dictionary_encode()
        parse = PARSERS[col.type]
        results: list[Any] = []
        errors: list[str | None] = []
        for cell in slow.dictionary.to_pylist():
            try:
                results.append(_parse_checked(parse, col, cell))
                errors.append(None)
            except CellError as exc:
                results.append(None)
                errors.append(str(exc))
        if any(errors):
            if not raw.text_only:
                return None
            codes = slow.indices.to_pylist()
            where = pc.indices_nonzero(rest).to_pylist()
            cells = slow.dictionary.to_pylist()
            for i, code in zip(where, codes, strict=True):
                if errors[code] is not None:
                    found.append((number, i, Problem(raw.name, excel_rows[i].as_py(), written, display(cells[code]),
                                                     errors[code])))
            failed = pc.replace_with_mask(failed, rest, pa.array([errors[c] is not None for c in codes], type=pa.bool_()))
        values = pc.replace_with_mask(values, rest, pa.array(results, type=kind).take(slow.indices))
    missing = pc.and_(pc.is_null(values), pc.invert(failed))
    if pc.any(missing).as_py():
        if col.default is not None:
            values = pc.if_else(missing, pa.scalar(col.default, kind), values)
        elif col.required:
            for i in pc.indices_nonzero(missing).to_pylist():
                found.append((number, i, Problem(raw.name, excel_rows[i].as_py(), written, "", "必填项为空")))
    return values


def _ambiguous(col: Column, text: pa.Array, trimmed: pa.Array, filled: pa.Array, fast: pa.Array,
               rest: pa.Array) -> bool:
    """Whether a cell's text may stand for two different cells (:data:`AMBIGUOUS`). Free text is
    looked at whole; otherwise the cells the fast path did not take, and of those it took only the
    dates and times that can still be ambiguous (dated 1899-12-30/31, or with a fraction)."""
    if col.type == "text":
        check = filled
    else:
        check = rest
        if col.type in ("date", "datetime"):
            odd = pc.or_(pc.starts_with(trimmed, "1899-12-3"), pc.match_substring(trimmed, "."))
            check = pc.or_(check, pc.and_(fast, pc.fill_null(odd, False)))
    if not pc.any(check).as_py():
        return False
    subject = (text if col.type in ("text", "enum") else trimmed).filter(check)
    return bool(pc.any(pc.fill_null(pc.match_substring_regex(subject, AMBIGUOUS[col.type]), False)).as_py())


def _fast_values(col: Column, trimmed: pa.Array, filled: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The values of the cells in the column's common written forms, and which cells those were;
    exactly what the cell parsers give for them. The rest go through the parsers."""
    kind = ARROW_TYPES[col.type]
    none = pa.nulls(len(trimmed), kind)
    if col.type in ("text", "enum"):
        fast = filled
        if col.choices:
            fast = pc.and_(fast, pc.is_in(trimmed, value_set=pa.array(col.choices)))
        return pc.if_else(fast, trimmed, none), fast
    if col.type in ("int", "number", "percent"):
        fast = pc.and_(filled, pc.fill_null(pc.match_substring_regex(trimmed, _NUMBER), False))
        numbers = pc.cast(pc.if_else(fast, trimmed, None), pa.float64())
        if col.type == "int":
            fast = pc.and_(fast, pc.fill_null(pc.equal(numbers, pc.floor(numbers)), False))
        if col.min is not None:
            low = pc.greater(numbers, col.min) if col.min_exclusive else pc.greater_equal(numbers, col.min)
            fast = pc.and_(fast, pc.fill_null(low, False))
        if col.max is not None:
            fast = pc.and_(fast, pc.fill_null(pc.less_equal(numbers, col.max), False))
        numbers = pc.if_else(fast, numbers, None)
        return (pc.cast(numbers, kind) if col.type == "int" else numbers), fast
    if col.type == "date":
        fast = pc.and_(filled, pc.fill_null(pc.match_substring_regex(trimmed, _DATE_TEXT), False))
        days = pc.strptime(pc.utf8_slice_codeunits(pc.if_else(fast, trimmed, None), 0, 10), format="%Y-%m-%d",
                           unit="s", error_is_null=True)
        fast = pc.and_(fast, pc.is_valid(days))
        return pc.cast(pc.if_else(fast, days, None), kind), fast
    if col.type == "datetime":
        fast = pc.and_(filled, pc.fill_null(pc.match_substring_regex(trimmed, _STAMP_TEXT), False))
        candidates = pc.if_else(fast, trimmed, None)
        long_form = pc.strptime(candidates, format="%Y-%m-%d %H:%M:%S", unit="us", error_is_null=True)
        short_form = pc.strptime(pc.if_else(pc.is_null(long_form), candidates, None), format="%Y-%m-%d", unit="us",
                                 error_is_null=True)
        stamps = pc.coalesce(long_form, short_form)
        fast = pc.and_(fast, pc.is_valid(stamps))
        return pc.if_else(fast, stamps, None), fast
    return none, pa.repeat(pa.scalar(False), len(trimmed))


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


def _check_totals(sheet_name: str, spec: Sheet, mapping: dict[str, tuple[int, str]], table: pa.Table,
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
            actual = pc.sum(table.column(col.id).slice(start, upto - start)).as_py() or 0
            if abs(actual - stated) > 1e-6:
                problems.append(Problem(sheet_name, excel_row, written, display(cell),
                                        f"{word}行与明细之和不符:明细合计为 {actual:,.0f},表中写 {stated:,.0f}",
                                        WARNING))
        if word == "小计":
            segment_start = upto

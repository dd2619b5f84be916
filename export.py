"""Tables out: .xlsx and .csv that are safe to open in Excel.

Strings beginning with = + - @ tab CR LF would be taken as formulas by
Excel (formula injection): they are written with a leading apostrophe in
CSV and as explicit text cells in .xlsx, so they stay text. Headers are
data too (a pivot's columns may be names) and get the same treatment.
Numbers stay numbers (a negative number is not a formula).

Every exported table goes through the one formatting layer
(:mod:`analytics.formatting`): each column has a kind (count, rate, score,
date, …, given or inferred from the header); in .xlsx the cells hold real
numbers and dates with Excel number formats (#,##0, 0.0%, 0.00,
yyyy-mm-dd), so officials can sum them, and "—" where a value is missing;
in CSV plain values (dates without 00:00:00, "—" for missing).

Sheet titles are cleaned here, whatever the caller passes: Excel refuses
``/ \\ ? * : [ ]``, more than 31 characters and two sheets of the same name
(case-insensitive), and openpyxl raises on them, which would crash a page
offering the download. Characters that no .xlsx can hold (control
characters) are dropped from cell values for the same reason.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from analytics import formatting

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER_FILL = PatternFill("solid", fgColor="C00000")
#: what Excel refuses in a sheet title
TITLE_FORBIDDEN = re.compile(r"[/\\?*:\[\]]")
TITLE_MAX = 31


def is_risky(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def sheet_title(name: object, taken: set[str] | None = None) -> str:
    """A valid, unique sheet title for ``name``: forbidden characters become "_", at most 31 characters.

    ``taken`` holds the titles already used (compared case-insensitively, as Excel does) and is updated.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", TITLE_FORBIDDEN.sub("_", str(name))).strip().strip("'") or "数据"
    if text.casefold() == "history":  # reserved by Excel
        text += "_"
    title = text[:TITLE_MAX]
    taken = taken if taken is not None else set()
    n = 1
    while title.casefold() in taken:
        n += 1
        suffix = f"({n})"
        title = text[:TITLE_MAX - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def file_name(name: object, suffix: str) -> str:
    """A download's file name from ``name``: characters Windows refuses become "_" (names come from data)."""
    stem = re.sub(r'[/\\?*:\[\]"<>|]', "_", ILLEGAL_CHARACTERS_RE.sub("", str(name))).strip(" .") or "数据"
    return stem[:120] + suffix


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, date, datetime)):
        return value.item()  # numpy scalar
    return value


def to_xlsx(frames: dict[str, pd.DataFrame] | pd.DataFrame, sheet_name: str = "数据",
            kinds: dict[str, str] | None = None) -> bytes:
    """One or more tables as an .xlsx; risky strings are stored as text, never as formulas.

    ``kinds`` (column → kind, see :mod:`analytics.formatting`) overrides the kinds inferred from the headers.
    """
    if isinstance(frames, pd.DataFrame):
        frames = {sheet_name: frames}
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, frame in frames.items():
        ws = wb.create_sheet(sheet_title(name, taken))
        ws.append([_cell_value(str(c)) for c in frame.columns])
        for cell in ws[1]:
            cell.fill, cell.font = HEADER_FILL, Font(bold=True, color="FFFFFF")
        resolved = formatting.column_kinds(frame, {c: k for c, k in (kinds or {}).items() if c in frame.columns})
        column_kind = [resolved[c] for c in frame.columns]
        for row in frame.itertuples(index=False):
            ws.append([_cell_value(formatting.export_value(v, k)) for v, k in zip(row, column_kind, strict=True)])
        for r in ws.iter_rows(min_row=1):
            for cell in r:
                excel_format = formatting.EXCEL_FORMATS.get(column_kind[cell.column - 1])
                if is_risky(cell.value):
                    cell.data_type = TYPE_STRING  # openpyxl would otherwise store "=..." as a formula
                elif cell.row > 1 and excel_format and isinstance(cell.value, (int, float, date)) \
                        and not isinstance(cell.value, bool):
                    cell.number_format = excel_format
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm" if cell.value.time() != datetime.min.time() else "yyyy-mm-dd"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for i, col in enumerate(frame.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(col)) * 2 + 4))
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> bytes:
    """UTF-8 with BOM (Excel in Chinese then opens it correctly); risky strings prefixed with '.

    Plain values: numbers as they are, dates without 00:00:00, "—" for missing (the one formatting layer).
    """
    resolved = formatting.column_kinds(frame, {c: k for c, k in (kinds or {}).items() if c in frame.columns})
    safe = pd.DataFrame({i: [formatting.csv_value(v, resolved[c]) for v in frame.iloc[:, i]]
                         for i, c in enumerate(frame.columns)})
    safe.columns = [_csv_text(str(c)) for c in frame.columns]
    for col in range(safe.shape[1]):
        column = safe.iloc[:, col]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            safe.isetitem(col, column.map(_csv_text))
    return safe.to_csv(index=False).encode("utf-8-sig")


def _csv_text(value: object) -> object:
    return "'" + value if is_risky(value) else value

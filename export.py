"""Tables out: .xlsx and .csv that are safe to open in Excel.

Strings beginning with = + - @ tab CR LF would be taken as formulas by
Excel (formula injection): they are written with a leading apostrophe in
CSV and as explicit text cells in .xlsx, so they stay text.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER_FILL = PatternFill("solid", fgColor="C00000")


def is_risky(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, date, datetime)):
        return value.item()  # numpy scalar
    return value


def to_xlsx(frames: dict[str, pd.DataFrame] | pd.DataFrame, sheet_name: str = "数据") -> bytes:
    """One or more tables as an .xlsx; risky strings are stored as text, never as formulas."""
    if isinstance(frames, pd.DataFrame):
        frames = {sheet_name: frames}
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in frames.items():
        ws = wb.create_sheet(name[:31])
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.fill, cell.font = HEADER_FILL, Font(bold=True, color="FFFFFF")
        for row in frame.itertuples(index=False):
            ws.append([_cell_value(v) for v in row])
        for r in ws.iter_rows(min_row=2):
            for cell in r:
                if is_risky(cell.value):
                    cell.data_type = TYPE_STRING  # openpyxl would otherwise store "=..." as a formula
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


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel in Chinese then opens it correctly); risky strings prefixed with '."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(lambda v: "'" + v if is_risky(v) else v)
    return safe.to_csv(index=False).encode("utf-8-sig")

"""Downloadable templates, one per contract sheet, written with openpyxl.

Each template has the data sheet (header row, column widths, number
formats, dropdowns for enumerations and unit names) and a 填写说明 sheet
listing every column's rule, both read from :mod:`contract`. The unit
names of the dropdowns come from data: they are written as text cells, so a
name such as ``=HYPERLINK(...)`` is never a live formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from contract import SHEETS, SHEETS_BY_NAME, Sheet

HEADER_FILL = PatternFill("solid", fgColor="C00000")
HEADER_FONT = Font(bold=True, color="FFFFFF")
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "week": "yyyy-mm-dd", "month": "yyyy-mm", "datetime": "yyyy-mm-dd hh:mm"}
#: rows that carry the dropdowns (a template is filled in, not a database)
VALIDATED_ROWS = 5000


def _list_validation(ws, values: Sequence[str], column: int, lists_ws, list_col: int) -> None:
    """A dropdown fed from a hidden list sheet (inline lists are capped at 255 characters)."""
    letter = get_column_letter(list_col)
    for i, value in enumerate(values, start=1):
        cell = lists_ws.cell(row=i, column=list_col)
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = TYPE_STRING  # never a formula, whatever the name looks like
    ref = f"'{lists_ws.title}'!${letter}$1:${letter}${max(len(values), 1)}"
    dv = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True,
                        errorTitle="输入有误", error="请从下拉列表中选择")
    col = get_column_letter(column)
    dv.add(f"{col}2:{col}{VALIDATED_ROWS}")
    ws.add_data_validation(dv)


def template_bytes(sheet: Sheet | str, units: Sequence[str] = ()) -> bytes:
    """The .xlsx template for one sheet; ``units`` feeds the unit dropdowns."""
    spec = SHEETS_BY_NAME[sheet] if isinstance(sheet, str) else sheet
    wb = Workbook()
    ws = wb.active
    ws.title = spec.name
    lists = wb.create_sheet("下拉选项")
    lists.sheet_state = "hidden"  # hidden sheets are skipped on import
    list_col = 0
    for i, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4)
        if col.type in NUMBER_FORMATS:
            for r in range(2, 202):
                ws.cell(row=r, column=i).number_format = NUMBER_FORMATS[col.type]
        values = list(col.choices) or (list(units) if col.ref == "unit" else [])
        if values:
            list_col += 1
            _list_validation(ws, values, i, lists, list_col)
    ws.freeze_panes = "A2"

    notes = wb.create_sheet("填写说明", 0)
    notes.append([f"{spec.name} 填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([f"每行是什么:{spec.row}。关键字段:" + "+".join(spec.column(k).header for k in spec.key)
                  + "。再次上传同一关键字段的行会替换旧数据,不会重复。"])
    notes.append(["表头上方可以有标题行;以“合计/总计/小计”开头的行不导入,只用于核对;文件有任何错误时整份不导入。"])
    notes.append([])
    notes.append(["列名", "规则"])
    for cell in notes[5]:
        cell.font = Font(bold=True)
    for col in spec.columns:
        notes.append([col.header, col.describe()])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    wb.active = 1  # open on the data sheet
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


#: unit types that own grids (the grid sheets' 乡镇街道 dropdown lists only these)
GRID_UNIT_TYPES = ("乡镇", "街道")


def unit_choices(spec: Sheet, units: pd.DataFrame, own_unit: str | None = None) -> list[str]:
    """The units a template's unit dropdown offers: a staff member's own unit only; otherwise every unit,
    or for the grid sheets (网格台账, 网格统计, 事件明细) only 乡镇 and 街道 (county departments hold no grids).

    ``units`` is the 单位名录 table (columns ``unit``, ``unit_type``, ``sort_order``)."""
    if own_unit:
        return [own_unit]
    if "grid" in spec.ids:
        units = units[units["unit_type"].isin(GRID_UNIT_TYPES)]
    return units.sort_values(["sort_order", "unit"], na_position="last")["unit"].tolist()


def templates_for(role: str) -> list[Sheet]:
    """The templates a role may use: staff never see the sheets only an administrator uploads."""
    from accounts import STAFF
    from accounts.permissions import ADMIN_ONLY

    return [s for s in SHEETS if not (role == STAFF and s.table in ADMIN_ONLY)]

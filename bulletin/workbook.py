"""A bulletin as an .xlsx workbook: a 概况 sheet, then one sheet per section.

Each sheet: the section's title and period on row 1, its sentences below,
then the table with a header row. Figures stay numbers (shares with a
percent format), so they can be summed and checked; text from the data
that Excel would read as a formula is stored as text (:mod:`export`).
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from analytics.formatting import fmt_date, fmt_month
from bulletin.content import Bulletin, heading
from export import HEADER_FILL, _cell_value, is_risky

OVERVIEW_SHEET = "概况"


def _put(ws, row: int, column: int, value: object):
    cell = ws.cell(row=row, column=column, value=_cell_value(value))
    if is_risky(cell.value):
        cell.data_type = TYPE_STRING  # openpyxl would otherwise store "=..." as a formula
    return cell


def _headline_rows(b: Bulletin) -> list[tuple[str, object, str]]:
    h = b.headline
    rows: list[tuple[str, object, str]] = [
        ("期数", b.number, ""), ("通报期", b.period_text, ""), ("发文机关", b.issuer, ""),
        ("日期", fmt_date(b.issued_on), ""), ("状态", "草稿" if b.draft else "已印发", ""),
        ("应报送周报(个次)", h["report_active"], ""), ("已报送周报(个次)", h["report_reported"], ""),
        ("周报报送率", h["report_rate"], "share"), ("上期周报报送率", h["report_rate_previous"], "share"),
        ("按计划推进项目(绿色)", h["green"], ""), ("已完成项目", h["done"], ""),
        ("进度滞后项目", h["behind"], ""), ("其中红色", h["red"], ""), ("其中黄色", h["yellow"], ""),
    ]
    if h.get("grid_month"):
        rows += [("网格统计月份", fmt_month(h["grid_month"]), ""), ("网格上报事件(件)", h["grid_reported"], ""),
                 ("网格处置事项(件)", h["grid_handled"], ""), ("网格事件处置率", h["grid_rate"], "share"),
                 ("上月网格事件处置率", h["grid_rate_previous"], "share")]
    if h.get("review_round"):
        rows += [("评审截至轮次", f"第{h['review_round']}轮", ""), ("参与排名项目", h["review_ranked"], "")]
    rows.append(("需协调事项(条)", h["difficulties"], ""))
    return rows


def to_xlsx(bulletin: Bulletin) -> bytes:
    """The workbook's bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = OVERVIEW_SHEET
    _put(ws, 1, 1, bulletin.title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, bulletin.opening).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:B2")
    ws.row_dimensions[2].height = 120
    for column, name in ((1, "项目"), (2, "数值")):
        cell = _put(ws, 4, column, name)
        cell.fill, cell.font = HEADER_FILL, Font(bold=True, color="FFFFFF")
    for i, (label, value, kind) in enumerate(_headline_rows(bulletin), start=5):
        _put(ws, i, 1, label)
        cell = _put(ws, i, 2, None if value is None or (not isinstance(value, str) and pd.isna(value)) else value)
        if kind == "share":
            cell.number_format = "0.0%"
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 24, 60

    for i, section in enumerate(bulletin.sections):
        ws = wb.create_sheet(section.title[:31])
        _put(ws, 1, 1, f"{heading(i, section.title)}({bulletin.period_text})").font = Font(bold=True, size=12)
        row = 2
        for text in section.paragraphs:
            _put(ws, row, 1, text)
            row += 1
        table = section.table if section.table is not None else pd.DataFrame()
        row += 1
        for column, name in enumerate(table.columns, start=1):
            cell = _put(ws, row, column, str(name))
            cell.fill, cell.font = HEADER_FILL, Font(bold=True, color="FFFFFF")
            width = max(10, min(50, int(table[name].astype(str).str.len().max() * 1.8) if len(table) else 10,
                                len(str(name)) * 2 + 4))
            ws.column_dimensions[get_column_letter(column)].width = width
        header_row = row
        for values in table.itertuples(index=False):
            row += 1
            for column, (name, value) in enumerate(zip(table.columns, values, strict=True), start=1):
                cell = _put(ws, row, column, value)
                if name in section.share_columns:
                    cell.number_format = "0.0%"
                elif name in dict(section.decimals):
                    cell.number_format = "0" + ("." + "0" * dict(section.decimals)[name] if dict(section.decimals)[name] else "")
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd"
        if len(table.columns):
            ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


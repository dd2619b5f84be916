"""Reading an uploaded file's bytes into raw sheets (lists of rows).

The format is decided by content, not by the file name: .xlsx/.xlsm are
zip archives, .xls is an OLE2 compound file, anything else must decode as
text and is read as CSV. Spreadsheets are parsed by calamine (fast, reads
.xls too, never runs macros), but only after :mod:`ingest.guard` has checked
the raw bytes (size, zip bombs, XML entity declarations, sheet extents).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import python_calamine as calamine

from ingest import guard
from ingest.guard import OLE_MAGIC, ZIP_MAGIC, ReadError  # ReadError is raised by both modules


@dataclass
class RawSheet:
    """One sheet as read: rows of raw cells, and where they sit in Excel."""

    name: str
    rows: list[list[Any]]
    #: Excel row number (1-based) of rows[0]
    first_row: int = 1
    #: merged ranges, ((first row, first column), (last row, last column)), 0-based as in Excel
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    #: Excel column index (0-based) of every row's first cell
    first_col: int = 0
    #: cells (0-based row, column as in Excel) holding a formula saved without its result
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)


def file_kind(data: bytes) -> str:
    """'excel' or 'csv', by content; raises ReadError for anything else."""
    if not data:
        raise ReadError("文件是空的")
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        return "excel"
    if b"\x00" in data[:4096]:
        raise ReadError("文件不是 Excel 工作簿或 CSV 文本(无法识别的文件内容)")
    return "csv"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Excel in Chinese writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError("CSV 文件的编码无法识别:请另存为 UTF-8 或 GBK 编码") from None


def read_csv(data: bytes, file_name: str) -> list[RawSheet]:
    text = decode_text(data)
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    name = PurePath(file_name).stem
    guard.check_extent(name, len(rows), max(map(len, rows), default=1))
    return [RawSheet(name, rows, first_row=1)]


def read_excel(data: bytes) -> list[RawSheet]:
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise ReadError(guard.PASSWORD_MESSAGE) from None
    except Exception as exc:  # calamine raises several error types for broken files
        raise ReadError(f"文件已损坏或不是有效的 Excel 工作簿({type(exc).__name__})") from None
    sheets: list[RawSheet] = []
    for meta in book.sheets_metadata:
        if meta.visible != calamine.SheetVisibleEnum.Visible:
            continue  # hidden sheets hold lookups and old data, never upload content
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            # the guard measured the file already; this second look also covers what it could not
            end = sheet.end or (-1, -1)
            guard.check_extent(meta.name, end[0] + 1, end[1] + 1)
            rows = sheet.to_python(skip_empty_area=True)
        except ReadError:
            raise
        except Exception as exc:
            raise ReadError(f"工作表“{meta.name}”无法读取({type(exc).__name__})") from None
        start = sheet.start or (0, 0)
        merged = sheet.merged_cell_ranges or []
        sheets.append(RawSheet(meta.name, rows, first_row=start[0] + 1, merged=list(merged), first_col=start[1]))
    return sheets


def read_file(data: bytes, file_name: str) -> list[RawSheet]:
    """Every visible sheet of an uploaded file, after the guard's checks on its raw bytes."""
    inspection = guard.check(data)
    if file_kind(data) == "csv":
        return read_csv(data, file_name)
    sheets = read_excel(data)
    for sheet in sheets:
        sheet.uncached_formulas = inspection.uncached_formulas.get(sheet.name, [])
    return sheets


def cell_name(row: int, col: int) -> str:
    """(0-based row, column) → Excel's name for the cell, e.g. (3, 1) → 'B4'."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


#: problems reported per sheet and kind before the rest are summed up in one line
MAX_LAYOUT_PROBLEMS = 20


def layout_problems(raw: RawSheet, header_idx: int, is_total_row: Callable[[list[Any]], object],
                    columns: set[int]) -> list[tuple[int, int | None, str, str]]:
    """Merged cells and formulas without saved results at or below the header row, in the
    ``columns`` (positions in the row's cells) that are imported.

    Returns ``(Excel row, position in the row's cells or None, cell or range, message)``.
    Title rows above the header may be merged; so may the label of a totals row
    (合计 spread over several columns), which is never imported.
    """
    header_row = raw.first_row + header_idx  # Excel row number
    out: list[tuple[int, int | None, str, str]] = []

    def row_cells(excel_row: int) -> list[Any]:
        i = excel_row - raw.first_row
        return raw.rows[i] if 0 <= i < len(raw.rows) else []

    def pos(col: int) -> int | None:
        return col - raw.first_col if col >= raw.first_col else None

    merged = []
    for (r0, c0), (r1, c1) in sorted(raw.merged):
        if r1 + 1 < header_row:
            continue  # a title above the header
        if r0 == r1 and r0 + 1 > header_row and is_total_row(row_cells(r0 + 1)):
            continue
        if not any(c - raw.first_col in columns for c in range(c0, c1 + 1)):
            continue  # only columns the import ignores
        merged.append((r0, c0, r1, c1))
    for r0, c0, r1, c1 in merged[:MAX_LAYOUT_PROBLEMS]:
        out.append((r0 + 1, pos(c0), f"{cell_name(r0, c0)}:{cell_name(r1, c1)}",
                    "表头行及以下不能有合并单元格:合并后只有左上角一格有值,其余格会被当作空白。"
                    "请取消合并,并在每一格填上完整的值"))
    if len(merged) > MAX_LAYOUT_PROBLEMS:
        out.append((merged[MAX_LAYOUT_PROBLEMS][0] + 1, None, "",
                    f"另有 {len(merged) - MAX_LAYOUT_PROBLEMS} 处合并单元格未逐一列出,请一并取消合并"))

    formulas = [(r, c) for r, c in sorted(raw.uncached_formulas)
                if r + 1 >= header_row and c - raw.first_col in columns and not is_total_row(row_cells(r + 1))]
    for r, c in formulas[:MAX_LAYOUT_PROBLEMS]:
        out.append((r + 1, pos(c), cell_name(r, c),
                    "这一格是公式,但文件里没有保存它的计算结果(多见于程序生成的文件),读出来是空白。"
                    "请用 Excel 或 WPS 打开这个文件、保存后再上传,或把公式换成数值"))
    if len(formulas) > MAX_LAYOUT_PROBLEMS:
        out.append((formulas[MAX_LAYOUT_PROBLEMS][0] + 1, None, "",
                    f"另有 {len(formulas) - MAX_LAYOUT_PROBLEMS} 个公式格同样没有保存计算结果,未逐一列出"))
    return out

"""Reading an uploaded file's bytes into raw sheets: one Arrow table of text per sheet.

The format is decided by content, not by the file name: .xlsx/.xlsm are
zip archives, .xls is an OLE2 compound file, anything else must decode as
text and is read as CSV. Everything is read only after :mod:`ingest.guard`
has checked the raw bytes (size, zip bombs, XML entity declarations, sheet
extents) in one pass, which also tells where each sheet's used range starts
and which cells are merged.

- .xlsx / .xlsm: fastexcel (calamine → Arrow), every column as text, once.
- .xls: calamine (python-calamine), whose cells are turned into the same text.
- CSV: UTF-8 (with or without BOM), else GB18030, through the csv module, into Arrow.

The cells as calamine types them (numbers, dates, booleans) are read again only
when a sheet needs them: when a cell fails to clean or its text could stand for
two different cells (:mod:`ingest.clean`), so a bad file is reported exactly as
the per-cell parsers always reported it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import fastexcel
import pyarrow as pa
import python_calamine as calamine

from ingest import guard
from ingest.guard import OLE_MAGIC, ZIP_MAGIC, ReadError  # ReadError is raised by both modules


@dataclass
class RawSheet:
    """One sheet as read: a table of text (one column per sheet column, None for an empty cell),
    and where it sits in Excel."""

    name: str
    table: pa.Table
    #: Excel row number (1-based) of the table's first row
    first_row: int = 1
    #: merged ranges, ((first row, first column), (last row, last column)), 0-based as in Excel
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    #: Excel column index (0-based) of the table's first column
    first_col: int = 0
    #: cells (0-based row, column as in Excel) holding a formula saved without its result
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)
    #: whether the text is all there is (CSV): no cell was a number, date or boolean
    text_only: bool = False
    #: the rows as calamine types the cells ("" for empty), loaded on first use
    load_rows: Callable[[], list[list[Any]]] | None = field(default=None, repr=False)
    _rows: list[list[Any]] | None = field(default=None, repr=False)

    @property
    def height(self) -> int:
        return self.table.num_rows

    @property
    def rows(self) -> list[list[Any]]:
        """Every row, cells as calamine types them ("" for empty); for CSV the text itself."""
        if self._rows is None:
            self._rows = self.load_rows() if self.load_rows else text_rows(self.table)
        return self._rows

    def shown_row(self, i: int) -> list[Any]:
        """Row ``i`` as the report shows it: the text, unless a cell is a number, date or boolean,
        then as calamine types it (so a date header reads 2022-11-14 00:00, as it always did)."""
        row = self.head(1, i)[0] if 0 <= i < self.height else []
        if not self.text_only and any(looks_typed(cell) for cell in row):
            return self.rows[i]
        return row

    def head(self, n: int, first: int = 0) -> list[list[Any]]:
        """``n`` rows from row ``first`` as text (None for empty)."""
        part = self.table.slice(first, n)
        return [list(row) for row in zip(*(c.to_pylist() for c in part.columns), strict=True)] if part.num_columns \
            else [[] for _ in range(part.num_rows)]


#: text that calamine may have written for a number, a date or a boolean
_TYPED_TEXT = re.compile(r"^-?\d+(\.\d+)?$|^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|^(true|false)$")


def looks_typed(cell: Any) -> bool:
    return isinstance(cell, str) and _TYPED_TEXT.match(cell) is not None


def text_rows(table: pa.Table) -> list[list[Any]]:
    columns = [["" if v is None else v for v in c.to_pylist()] for c in table.columns]
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in range(table.num_rows)]


def _names(n: int) -> list[str]:
    return [f"c{i}" for i in range(n)]


def text_table(rows: list[list[Any]], text: Callable[[Any], str | None]) -> pa.Table:
    """Rows of cells (ragged allowed) → a table of text columns."""
    width = max(map(len, rows), default=0)
    columns = [pa.array([text(r[i]) if i < len(r) else None for r in rows], type=pa.string()) for i in range(width)]
    return pa.table(columns, names=_names(width)) if columns else pa.table({})


def cell_text(cell: Any) -> str | None:
    """A typed cell as fastexcel writes it as text (close enough: cells whose text is ambiguous are
    looked at again as typed)."""
    if cell is None or cell == "" and isinstance(cell, str):
        return None
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat() + " 00:00:00"
    return str(cell)


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
    table = text_table(rows, lambda v: v)
    return [RawSheet(name, table, first_row=1, text_only=True, _rows=rows)]


def _open_calamine(data: bytes) -> Any:
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise ReadError(guard.PASSWORD_MESSAGE) from None
    except Exception as exc:  # calamine raises several error types for broken files
        raise ReadError(f"文件已损坏或不是有效的 Excel 工作簿({type(exc).__name__})") from None


def _calamine_sheet(book: Any, name: str) -> Any:
    try:
        sheet = book.get_sheet_by_name(name)
        # the guard measured the file already; this second look also covers what it could not
        end = sheet.end or (-1, -1)
        guard.check_extent(name, end[0] + 1, end[1] + 1)
        return sheet, sheet.to_python(skip_empty_area=True)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"工作表“{name}”无法读取({type(exc).__name__})") from None


def read_xls(data: bytes) -> list[RawSheet]:
    """.xls (and any sheet whose cell positions the guard could not take from the XML): calamine's typed
    cells, turned into text."""
    book = _open_calamine(data)
    sheets: list[RawSheet] = []
    for meta in book.sheets_metadata:
        if meta.visible != calamine.SheetVisibleEnum.Visible:
            continue  # hidden sheets hold lookups and old data, never upload content
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        sheets.append(_typed_sheet(book, meta.name))
    return sheets


def _typed_sheet(book: Any, name: str) -> RawSheet:
    sheet, rows = _calamine_sheet(book, name)
    start = sheet.start or (0, 0)
    merged = sheet.merged_cell_ranges or []
    return RawSheet(name, text_table(rows, cell_text), first_row=start[0] + 1, merged=list(merged),
                    first_col=start[1], _rows=rows)


def _typed_rows(data: bytes, name: str) -> Callable[[], list[list[Any]]]:
    def load() -> list[list[Any]]:
        return _calamine_sheet(_open_calamine(data), name)[1]

    return load


def read_xlsx(data: bytes, inspection: guard.Inspection) -> list[RawSheet]:
    """.xlsx / .xlsm: every visible worksheet through fastexcel, every column as text, in one parse."""
    try:
        book = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises its own error types for broken files
        raise ReadError(f"文件已损坏或不是有效的 Excel 工作簿({type(exc).__name__})") from None
    sheets: list[RawSheet] = []
    for layout in inspection.sheets:
        if layout.walked:  # cells without references: calamine's own positions
            sheets.append(_typed_sheet(_open_calamine(data), layout.name))
            continue
        try:
            batch = book.load_sheet(layout.name, header_row=None, skip_rows=0, dtypes="string", eager=True)
            table = pa.Table.from_batches([batch])
        except Exception as exc:
            raise ReadError(f"工作表“{layout.name}”无法读取({type(exc).__name__})") from None
        names = _names(table.num_columns)
        # an empty column comes back typed null; a table of text has every column as string
        table = table.cast(pa.schema([(n, pa.string()) for n in names])) if any(
            t != pa.string() for t in table.schema.types) else table.rename_columns(names)
        # with skip_rows=0 fastexcel's rows start at the sheet's first row, its columns at the used
        # range's first column; the rows above the used range (no value in them) are dropped here
        start = layout.start or (0, 0)
        table = table.slice(start[0])
        sheets.append(RawSheet(layout.name, table, first_row=start[0] + 1, merged=list(layout.merged),
                               first_col=start[1], load_rows=_typed_rows(data, layout.name)))
    return sheets


def read_file(data: bytes, file_name: str) -> list[RawSheet]:
    """Every visible sheet of an uploaded file, after the guard's checks on its raw bytes."""
    inspection = guard.check(data)
    if file_kind(data) == "csv":
        return read_csv(data, file_name)
    sheets = read_xlsx(data, inspection) if inspection.kind == "xlsx" else read_xls(data)
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
        return raw.head(1, i)[0] if 0 <= i < raw.height else []

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

"""Reading an uploaded file's bytes into raw sheets (lists of rows).

The format is decided by content, not by the file name: .xlsx/.xlsm are
zip archives, .xls is an OLE2 compound file, anything else must decode as
text and is read as CSV. Spreadsheets are parsed by calamine (fast, reads
.xls too, never runs macros).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import python_calamine as calamine

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(ValueError):
    """The file cannot be read at all; the message is Chinese."""


@dataclass
class RawSheet:
    """One sheet as read: rows of raw cells, and where they sit in Excel."""

    name: str
    rows: list[list[Any]]
    #: Excel row number (1-based) of rows[0]
    first_row: int = 1
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


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
    return [RawSheet(PurePath(file_name).stem, rows, first_row=1)]


def read_excel(data: bytes) -> list[RawSheet]:
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise ReadError("工作簿设置了打开密码,请取消密码后再上传") from None
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
            rows = sheet.to_python(skip_empty_area=True)
        except Exception as exc:
            raise ReadError(f"工作表“{meta.name}”无法读取({type(exc).__name__})") from None
        start = sheet.start or (0, 0)
        merged = sheet.merged_cell_ranges or []
        sheets.append(RawSheet(meta.name, rows, first_row=start[0] + 1, merged=list(merged)))
    return sheets


def read_file(data: bytes, file_name: str) -> list[RawSheet]:
    """Every visible sheet of an uploaded file."""
    if file_kind(data) == "csv":
        return read_csv(data, file_name)
    return read_excel(data)

"""A database whose every free-text value is hostile: Markdown, HTML and formula text.

The sample workbooks in data/ are read with openpyxl and every free-text cell
(names, 第一责任人, 简介, 周小结, 困难, 协调事项, 评委, 标记说明, units,
communities, grids, ...) gets one of :data:`HOSTILE` in front of its value.
The prefix is chosen by the value itself, so a unit written on one sheet gets
the same prefix on every other sheet and the references still match. Enum
columns (类别, 状态, 标记) and the keys 项目编号 / 事件编号 stay as they are so
the rows still import. The workbooks are written back with every string as a
text cell (openpyxl would otherwise store "=..." as a formula) and imported
through the real pipeline.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import openpyxl

import database
from contract import SHEETS_BY_NAME
from ingest import import_file

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = (
    "# 标题",
    "**粗**",
    ":red[红]",
    "[链接](http://example.invalid/x)",
    "![图](http://example.invalid/i.png)",
    '<a href="http://example.invalid">a</a>',
    "<img src=http://example.invalid/i.png>",
    '=HYPERLINK("http://example.invalid","x")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "<b>粗</b>:material/home: $x^2$ www.example.invalid",
)

#: columns left alone: keys other sheets refer to by a fixed pattern, and enumerations
KEEP = {"project_id", "event_id"}

#: the sample files used (the second 网格统计 file repeats the first's rows for one street)
FILES = ("01_单位名录.xlsx", "02_项目台账.xlsx", "03_项目周报.xlsx", "04_评审打分.xlsx", "05_网格台账.xlsx",
         "06_网格统计.xlsx", "07_事件明细_㮾梨街道.xlsx")
EVENT_ROWS = 1500  # enough events for every event view, small enough to import in a second


def hostile(value: str) -> str:
    """``value`` with a hostile prefix that depends only on the value (so references still match)."""
    return f"{HOSTILE[zlib.crc32(value.encode()) % len(HOSTILE)]} {value}"


def _text_columns(sheet_name: str, header: list) -> set[int]:
    spec = SHEETS_BY_NAME[sheet_name]
    by_header = {name: col for col in spec.columns for name in col.names}
    return {i for i, h in enumerate(header)
            if h in by_header and by_header[h].type == "text" and by_header[h].id not in KEEP}


def hostile_workbook(path: Path) -> bytes:
    """One sample workbook with every free-text cell made hostile, every string stored as text."""
    source = openpyxl.load_workbook(path)
    out = openpyxl.Workbook()
    out.remove(out.active)
    for ws in source.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if ws.title == "事件明细":
            rows = rows[:EVENT_ROWS + 1]
        text = _text_columns(ws.title, rows[0])
        target = out.create_sheet(ws.title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if r > 1 and c in text and isinstance(value, str):
                    value = hostile(value)
                cell = target.cell(row=r, column=c + 1, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def build_hostile_db(db: Path) -> None:
    """The sample data, hostile, imported by the real pipeline into ``db``."""
    con = database.connect(db)
    try:
        for name in FILES:
            result = import_file(con, hostile_workbook(ROOT / "data" / name),
                                 hostile("示例 " + name), uploader=hostile("示例数据"))
            assert result.ok, result.report_frame().to_string()
    finally:
        con.close()

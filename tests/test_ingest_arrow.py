"""The Arrow import keeps what the cell-by-cell import did, where reading every cell as text could
change it: where a sheet sits in Excel, cells whose text stands for two different cells, and the
report of a CSV, whose cells are cleaned column-wise with no typed cells to fall back on."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
from openpyxl.styles import Font

from conftest import frame, snapshot
from ingest import import_file

EVENT_HEADER = ["事件编号", "上报时间", "乡镇街道", "村社区", "网格", "事件类别", "处置状态", "处置完成时间"]
STATS_HEADER = ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"]


def book_bytes(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_sheet_placed_below_and_right_keeps_excel_rows_and_merged_cells(con):
    """The header in C3 (A1 only formatted, no value), a bad time in row 5, a merge over E6:F6."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事件明细"
    ws["A1"].font = Font(bold=True)  # formatting alone: not part of the used range
    rows = [
        EVENT_HEADER,
        ["E1", "2022-10-01 08:00", "㮾梨街道", "A村", "一网格", "环境卫生", "处置中", None],
        ["E2", "昨天", "㮾梨街道", "A村", "一网格", "环境卫生", "处置中", None],
        ["E3", "2022-10-02 08:00", "㮾梨街道", "A村", "一网格", "环境卫生", "处置中", None],
    ]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=3):
            ws.cell(row=r, column=c, value=value)
    ws.merge_cells("E6:F6")  # 乡镇街道 and 村社区 of E3's row
    before = snapshot(con)
    result = import_file(con, book_bytes(wb), "偏移.xlsx")
    assert result.status == "rejected"
    found = [(p.row, p.column, p.value, p.message[:11]) for p in result.errors]
    assert found == [
        (6, "乡镇街道", "E6:F6", "表头行及以下不能有合并"),
        (5, "上报时间", "昨天", "应为日期时间,如 20"),
        (6, "村社区", "", "必填项为空"),  # the merge emptied F6
    ]
    assert snapshot(con) == before


def test_cells_whose_text_is_ambiguous_are_read_as_typed(con):
    """A boolean and a date in a text column, a third in a number column, 20221114 typed as a
    number in a date column: each as the typed cell gives it, as always."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事件明细"
    ws.append(EVENT_HEADER)
    ws.append([True, datetime(2022, 10, 1, 8, 0), "㮾梨街道", "A村", "一网格", "环境卫生", "处置中", None])
    ws.append([datetime(2022, 11, 14), datetime(2022, 10, 1, 9, 0), "㮾梨街道", "A村", "一网格", "环境卫生",
               "处置中", None])
    ws["A3"].number_format = "yyyy-mm-dd"
    ind = wb.create_sheet("成效指标")
    ind.append(["项目编号", "指标名称", "计量单位", "目标值", "实际值", "统计期"])
    ind.append(["P01", "化解率", "%", 100, 1 / 3, "2022-10"])
    result = import_file(con, book_bytes(wb), "类型.xlsx")
    assert result.ok, result.report_frame()
    # str(True) and date.isoformat(), as parse_text always wrote them
    assert frame(con, "select event_id from events order by reported_at")["event_id"].tolist() == [
        "True", "2022-11-14"]
    actual = frame(con, "select actual from indicators")["actual"].tolist()
    assert actual == [1 / 3]  # 0.3333333333333333 exactly, not the 0.333333333 of its text

    projects = openpyxl.Workbook()
    sheet = projects.active
    sheet.title = "项目台账"
    sheet.append(["项目编号", "项目名称", "牵头单位", "第一责任人", "职务", "项目类别", "立项日期", "计划完成日期"])
    sheet.append(["P03", "新项目", "星沙街道", "李明", "书记", "基层治理", 20221114, date(2022, 12, 31)])
    result = import_file(con, book_bytes(projects), "项目.xlsx")
    assert result.status == "rejected"
    [error] = result.errors
    # the number 20221114 is no Excel date (a serial that far is year 57,000); as text it would be one
    assert (error.row, error.column, error.value, error.message) == (2, "立项日期", "20221114", "应为日期,如 2022-11-14")


def test_csv_report_from_the_column_wise_cleaning(con):
    """A CSV has only text: its failing cells are reported from the cell parsers directly."""
    text = "\n".join([
        ",".join(STATS_HEADER),
        "2022-10,星沙街道,A社区,一网格,\"1,234\",１２,3",
        "2022-10,星沙街道,A社区,二网格,5,1.5,",
        "",
        "2022-13,星沙街道,A社区,三网格,-1,2,2",
        "合计,,,,1238,15.5,5",
    ])
    before = snapshot(con)
    result = import_file(con, text.encode("gb18030"), "网格统计.csv")
    assert result.status == "rejected"
    found = [(p.row, p.column, p.value, p.message) for p in result.errors]
    # column by column (月份, …, 采集基础数据, 上报事件, 处置事项), row by row within each
    assert found == [
        (5, "统计月份", "2022-13", "不是有效的日期"),
        (5, "采集基础数据", "-1", "应不小于 0"),
        (3, "上报事件", "1.5", "应为整数"),
        (3, "处置事项", "", "必填项为空"),
    ]
    assert snapshot(con) == before


def test_csv_numbers_as_text_and_totals_row(con):
    text = "\n".join([
        ",".join(STATS_HEADER),
        "2022年10月,星沙街道,A社区,一网格,\"1,234\",１２,3",
        "202210,星沙街道,A社区,二网格, 5 ,10,12",
        "合计,,,,1239,22,16",
    ])
    result = import_file(con, text.encode("utf-8"), "网格统计.csv")
    assert result.ok, result.report_frame()
    rows = frame(con, "select grid, month, collected, reported, handled from grid_stats order by grid")
    assert rows.values.tolist() == [
        ["一网格", pd.Timestamp("2022-10-01"), 1234, 12, 3],
        ["二网格", pd.Timestamp("2022-10-01"), 5, 10, 12],
    ]
    # 合计 handled 16 ≠ 3 + 12 = 15: a warning on the totals row (Excel row 4); 12 > 10 a warning too
    assert sorted((w.row, w.column, w.value) for w in result.warnings) == [(3, "处置事项", "12(上报 10)"),
                                                                         (4, "处置事项", "16")]


def test_merged_cells_listed_across_the_guards_windows(con):
    """40,000 merges after the sheet data: over a megabyte of XML, so the guard reads them in more
    than one window, and none may be lost or counted twice at the edge (each tag padded past the
    32 bytes every window carries anyway)."""
    import zipfile

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "网格统计"
    ws.append(STATS_HEADER)
    ws.append(["2022-10", "星沙街道", "A社区", "一网格", 10, 5, 5])
    with zipfile.ZipFile(io.BytesIO(book_bytes(wb))) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    merges = b"".join(b'<mergeCell%sref="E%d:F%d"/>' % (b" " * 40, r, r) for r in range(2, 40002))
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"</sheetData>", b'</sheetData><mergeCells count="40000">' + merges
                                        + b"</mergeCells>")
    assert len(parts[sheet]) > 2 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    result = import_file(con, buffer.getvalue(), "合并.xlsx")
    assert result.status == "rejected"
    listed = [(p.row, p.column, p.value) for p in result.errors]
    # the first 20 in row order (E2:F2 … E21:F21), then one line for the other 39,980
    assert listed == [(r, "采集基础数据", f"E{r}:F{r}") for r in range(2, 22)] + [(22, None, "")]
    assert result.errors[-1].message == "另有 39980 处合并单元格未逐一列出,请一并取消合并"

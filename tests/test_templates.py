"""Templates: one per sheet, from the contract, and they import back."""

import io

import openpyxl
import pytest

from contract import SHEETS
from ingest import import_file
from ingest.templates import template_bytes


@pytest.mark.parametrize("sheet", SHEETS, ids=[s.table for s in SHEETS])
def test_template_has_headers_instructions_and_dropdowns(sheet):
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(sheet, ["星沙街道", "黄兴镇"])))
    ws = wb[sheet.name]
    assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
    assert "填写说明" in wb.sheetnames
    notes = [row[0] for row in wb["填写说明"].iter_rows(min_row=6, values_only=True)]
    assert notes == [c.header for c in sheet.columns]
    wanted = sum(1 for c in sheet.columns if c.choices or c.ref == "unit")
    assert len(ws.data_validations.dataValidation) == wanted


def test_unit_dropdown_lists_the_units():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("网格统计", ["星沙街道", "黄兴镇"])))
    lists = wb["下拉选项"]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(row=r, column=1).value for r in (1, 2)] == ["星沙街道", "黄兴镇"]


def test_filled_template_imports(con):
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("网格台账", ["星沙街道"])))
    wb["网格台账"].append(["星沙街道", "凉塘路社区", "第一网格", "凉塘路社区第一网格党支部", 45, "李四", "王五", 3])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_file(con, buffer.getvalue(), "模板_网格台账.xlsx")
    assert result.ok, result.report_frame()
    assert result.warnings == []  # the instructions and hidden list sheets are not data
    assert result.sheets[0].rows_loaded == 1


def test_empty_template_imports_nothing_but_is_not_an_error(con):
    result = import_file(con, template_bytes("项目周报"), "模板_项目周报.xlsx")
    assert result.ok and result.sheets[0].rows_loaded == 0

"""Templates: one per sheet, from the contract, and they import back."""

import io
import re
import zipfile

import openpyxl
import pytest

from contract import SHEETS, SHEETS_BY_NAME
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


def test_unit_dropdowns_offer_what_the_sheet_and_the_user_may_use():
    import pandas as pd

    from contract import SHEETS_BY_NAME
    from ingest.templates import templates_for, unit_choices

    units = pd.DataFrame({"unit": ["县委组织部", "黄兴镇", "星沙街道"], "unit_type": ["县直部门", "乡镇", "街道"],
                          "sort_order": [3, 2, 1]})
    assert unit_choices(SHEETS_BY_NAME["网格统计"], units) == ["星沙街道", "黄兴镇"]
    assert unit_choices(SHEETS_BY_NAME["项目台账"], units) == ["星沙街道", "黄兴镇", "县委组织部"]
    assert unit_choices(SHEETS_BY_NAME["网格统计"], units, "黄兴镇") == ["黄兴镇"]
    staff = [s.name for s in templates_for("工作人员")]
    assert "评审打分" not in staff and "单位名录" not in staff and "项目标记" not in staff and "项目周报" in staff
    assert len(templates_for("管理员")) == len(SHEETS_BY_NAME)


FORMULA_UNITS = ['=HYPERLINK("http://example.invalid","x")', "=1+1", "+1", "-2+3", "@SUM(A1)", "星沙街道"]


@pytest.mark.parametrize("sheet", ["网格统计", "单位名录", "项目台账", "事件明细"])
def test_unit_names_that_look_like_formulas_are_written_as_text(sheet):
    data = template_bytes(sheet, FORMULA_UNITS)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    formulas = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(re.search(rb"<f[ >]", z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))
    if SHEETS_BY_NAME[sheet].column("unit").ref == "unit":
        lists = wb["下拉选项"]
        assert [lists.cell(row=r, column=1).value for r in range(1, 7)] == FORMULA_UNITS


def test_a_unit_name_with_a_control_character_does_not_crash():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("网格统计", ["星沙\x01街道"])))
    assert wb["下拉选项"]["A1"].value == "星沙街道"

"""Exports: formula-looking strings stay text; CSV opens in Excel in Chinese."""

import csv
import io
import re
import zipfile
from datetime import datetime

import openpyxl
import pandas as pd

from export import file_name, sheet_title, to_csv, to_xlsx


def test_xlsx_keeps_formula_like_strings_as_text():
    frame = pd.DataFrame({"名称": ["=1+1", "@SUM(A1)", "+86 123", "-x", "正常"], "数": [1, 2, 3, 4, 5]})
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "表")))
    ws = wb["表"]
    cells = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in cells] == ["=1+1", "@SUM(A1)", "+86 123", "-x", "正常"]
    assert all(c.data_type == "s" for c in cells)
    assert [ws.cell(row=r, column=2).value for r in range(2, 7)] == [1, 2, 3, 4, 5]


def test_csv_is_utf8_with_bom_and_escaped():
    data = to_csv(pd.DataFrame({"单位": ["星沙街道", "=cmd|' /C calc'!A0"]}))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig").splitlines()
    assert text == ["单位", "星沙街道", "'=cmd|' /C calc'!A0"]


def _cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def _no_formula_in_xml(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return not any(re.search(rb"<f[ >]", z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))


HOSTILE = ['=HYPERLINK("http://example.invalid","x")', "=1+1", "-2+3", "+1", "@SUM(A1)", "\tx", "\rx"]


def test_xlsx_has_no_formula_in_cells_or_headers_and_numbers_stay_numbers():
    frame = pd.DataFrame({"=1+1": HOSTILE, "数": [-2, -1.5, 0, 1, 2, 3, 4]})
    data = to_xlsx(frame, "表")
    cells = _cells(data)
    assert [c.data_type for c in cells if c.data_type == "f"] == []
    assert _no_formula_in_xml(data)
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert ws["A1"].value == "=1+1" and ws["B1"].value == "数"
    assert [ws.cell(row=r, column=1).value for r in range(2, 9)] == HOSTILE
    assert [ws.cell(row=r, column=2).value for r in range(2, 9)] == [-2, -1.5, 0, 1, 2, 3, 4]
    assert {ws.cell(row=r, column=2).data_type for r in range(2, 9)} == {"n"}


def test_sheet_titles_are_cleaned_unique_and_short():
    frame = pd.DataFrame({"a": [1]})
    data = to_xlsx({"a/b": frame, "A\\b": frame, "x" * 40: frame, "x" * 41: frame, "[]:*?": frame, "": frame})
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == [
        "a_b", "A_b(2)", "x" * 31, "x" * 28 + "(2)", "_____", "数据"]


def test_sheet_title_of_a_hostile_name_does_not_crash():
    name = '<a href="http://example.invalid">a</a> 星沙街道处置率排名'
    data = to_xlsx(pd.DataFrame({"单位": [name]}), name)
    title = openpyxl.load_workbook(io.BytesIO(data)).sheetnames[0]
    assert title == '<a href="http___example.invalid"'[:31]
    assert sheet_title(name) == title


def test_control_characters_are_dropped_not_a_crash():
    data = to_xlsx(pd.DataFrame({"名称": ["a\x01b\x1fc"]}), "表")
    assert openpyxl.load_workbook(io.BytesIO(data))["表"]["A2"].value == "abc"


def test_csv_neutralises_text_cells_and_headers_but_not_numbers():
    frame = pd.DataFrame({"@x": HOSTILE[:5], "数": [-2, -1.5, 0, 1, 2]})
    rows = list(csv.reader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert rows[0] == ["'@x", "数"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE[:5]]
    assert [r[1] for r in rows[1:]] == ["-2.0", "-1.5", "0.0", "1.0", "2.0"]


def test_file_name_is_safe():
    assert file_name('a/b\\c?d*e:f[g]h"i<j>k|l', ".xlsx") == "a_b_c_d_e_f_g_h_i_j_k_l.xlsx"
    assert file_name("", ".csv") == "数据.csv"


def test_the_built_in_csv_download_of_tables_is_off(monkeypatch):
    """st.dataframe's own "Download as CSV" writes cells as they are: .streamlit/config.toml turns it off."""
    from streamlit import config

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("client.disableDataExport") is True
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)


def test_xlsx_cells_are_numbers_with_excel_formats_and_a_dash_for_missing():
    """Issue #12: officials can sum an export; counts #,##0, rates 0.0%, scores 0.00, dates yyyy-mm-dd."""
    frame = pd.DataFrame({"乡镇街道": ["星沙街道", "㮾梨街道"], "上报事件": [92720.0, None], "处置率": [0.9623, 1.018],
                          "最终得分": [87.456, None], "最近周报": [pd.Timestamp("2022-11-18"), pd.NaT],
                          "完成": [96.25, 50.0]})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "表", kinds={"完成": "percent"})))["表"]
    assert [c.value for c in ws[2]] == ["星沙街道", 92720, 0.9623, 87.456, datetime(2022, 11, 18), 0.9625]
    assert [c.value for c in ws[3]] == ["㮾梨街道", "—", 1.018, "—", "—", 0.5]
    assert [c.number_format for c in ws[2]][1:] == ["#,##0", "0.0%", "0.00", "yyyy-mm-dd", "0.0%"]
    assert ws["B2"].data_type == "n" and ws["E2"].is_date


def test_csv_has_plain_values_dates_without_midnight_and_a_dash_for_missing():
    frame = pd.DataFrame({"周次": [pd.Timestamp("2022-11-14"), pd.NaT], "上报事件": [7542.0, None]})
    assert to_csv(frame).decode("utf-8-sig").splitlines() == ["周次,上报事件", "2022-11-14,7542", "—,—"]

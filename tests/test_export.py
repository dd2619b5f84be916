"""Exports: formula-looking strings stay text; CSV opens in Excel in Chinese."""

import io

import openpyxl
import pandas as pd

from export import to_csv, to_xlsx


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

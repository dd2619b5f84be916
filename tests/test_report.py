"""Grouped import reports: identical problems in one line with their rows, errors first."""

from __future__ import annotations

import pytest

from ingest.pipeline import ERROR, WARNING, Problem
from ingest.report import group_problems, row_ranges


@pytest.mark.parametrize("rows, expected", [
    ([], ""),
    ([7], "第 7 行"),
    ([3, 4, 5, 9], "第 3–5、9 行"),
    ([9, 3, 5, 4, 4], "第 3–5、9 行"),
    ([2, 4, 6, 8, 10, 12, 14, 15], "第 2、4、6、8、10、12等 行"),
])
def test_row_ranges(rows, expected):
    assert row_ranges(rows) == expected


def test_another_units_file_is_one_line_with_its_row_range():
    msg = "只能上传本单位(星沙街道)的数据"
    problems = [Problem("事件明细", r, "乡镇街道", "㮾梨街道", msg) for r in range(3, 7545)]
    grouped = group_problems(problems)
    assert grouped.values.tolist() == [[ERROR, "事件明细", "第 3–7544 行", 7542, "乡镇街道", "㮾梨街道", msg]]


def test_errors_before_warnings_and_distinct_values_summed_up():
    problems = [
        Problem("网格统计", 5, "处置事项", "9", "大于上报事件", WARNING),
        Problem("网格统计", 3, "统计月份", "2022-13", "不是有效的月份"),
        Problem("网格统计", 8, "处置事项", "7", "大于上报事件", WARNING),
        Problem("网格统计", 4, "统计月份", "x", "不是有效的月份"),
        Problem("网格统计", 6, "统计月份", "y", "不是有效的月份"),
        Problem("网格统计", 7, "统计月份", "z", "不是有效的月份"),
        Problem("文件.xlsx", None, None, "", "文件中没有可导入的工作表"),
    ]
    grouped = group_problems(problems)
    assert grouped[["级别", "行号", "行数", "原值"]].values.tolist() == [
        [ERROR, "第 3–4、6–7 行", 4, "2022-13、x、y 等 4 个不同值"],
        [ERROR, "", 1, ""],
        [WARNING, "第 5、8 行", 2, "9、7"],
    ]

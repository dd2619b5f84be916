from datetime import date

import pandas as pd

from analytics.project_view import filter_board, project_board, status_by, status_counts, weeks_between

PROJECTS = pd.DataFrame({"project_id": ["P1", "P2", "P3", "P4"], "unit": ["甲", "甲", "乙", "乙"],
                         "category": ["其他", "乡村振兴", "其他", "其他"]})
STATUS = pd.DataFrame({"project_id": ["P1", "P2", "P3", "P4"], "expected": [50, 60, 50, 80.0],
                       "actual": [50, 20, 40, 30.0], "status": ["绿", "红", "黄", "红"], "reason": ["", "", "", ""]})


def test_board_most_urgent_first_then_biggest_gap():
    # 红: P2 gap 40, P4 gap 50 → P4 first; then 黄 P3, then 绿 P1
    assert project_board(PROJECTS, STATUS).project_id.tolist() == ["P4", "P2", "P3", "P1"]


def test_counts_and_crosstab():
    assert status_counts(STATUS) == {"红": 2, "黄": 1, "绿": 1, "已完成": 0, "申报": 0, "已终止": 0}
    table = status_by(project_board(PROJECTS, STATUS)).set_index("unit")
    assert table.loc["甲", ["红", "绿"]].tolist() == [1, 1] and table.loc["乙", ["红", "黄"]].tolist() == [1, 1]


def test_filters_combine():
    board = project_board(PROJECTS, STATUS)
    assert filter_board(board, units=["乙"], statuses=["红"]).project_id.tolist() == ["P4"]
    assert len(filter_board(board)) == 4


def test_weeks_between():
    # 2022-11-02 is a Wednesday → its Monday 10-31; 11-14 is a Monday
    assert weeks_between(date(2022, 11, 2), date(2022, 11, 14)) == [date(2022, 10, 31), date(2022, 11, 7),
                                                                      date(2022, 11, 14)]

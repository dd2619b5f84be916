"""The 1+1+N grid structure, hand-counted."""

import pandas as pd

from analytics.grids import grid_structure, grids_missing

GRIDS = pd.DataFrame(
    [
        ("甲街道", "A社区", "一网格", "A一支部", 30, "张", "李", 3),
        ("甲街道", "A社区", "二网格", "A二支部", 20, "王", None, 2),
        ("甲街道", "B社区", "一网格", "  ", None, None, "赵", None),
        ("乙镇", "A社区", "一网格", "乙支部", 5, "钱", "孙", 1),  # same community name, other unit
    ],
    columns=["unit", "community", "grid", "branch", "members", "instructor", "inspector", "informants"],
)


def test_structure_by_unit():
    out = grid_structure(GRIDS).set_index("unit")
    # 甲街道: communities A, B = 2; grids 3; branches 2 (the blank one does not count); members 30+20 = 50;
    # instructors 2; inspectors 2; informants 3+2 = 5
    assert out.loc["甲街道"].tolist() == [2, 3, 2, 50, 2, 2, 5]
    assert out.loc["乙镇"].tolist() == [1, 1, 1, 5, 1, 1, 1]


def test_structure_by_community_keeps_units_apart():
    out = grid_structure(GRIDS, by="community")
    assert out[["unit", "community", "grids"]].values.tolist() == [
        ["乙镇", "A社区", 1], ["甲街道", "A社区", 2], ["甲街道", "B社区", 1]]


def test_missing_branch_or_instructor():
    out = grids_missing(GRIDS)
    assert out.values.tolist() == [["甲街道", "B社区", "一网格", "网格党支部、党建指导员"]]


def test_empty_registry():
    assert grid_structure(GRIDS.iloc[0:0]).empty

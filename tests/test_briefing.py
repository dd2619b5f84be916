"""总览's briefing, on a purpose-built handful of rows; expected values worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.briefing import briefing, status_counts, unit_movers

AS_OF = date(2022, 11, 20)  # a Sunday: this week is 11-14…11-20, last week 11-07…11-13

PROJECTS = pd.DataFrame({
    "project_id": ["P1", "P2", "P3", "P4"],
    "name": ["一", "二", "三", "四"],
    "unit": ["甲镇", "乙镇", "丙街道", "丁街道"],
    "leader": ["张", "王", "李", "赵"],
    "approved_on": pd.to_datetime(["2022-06-01"] * 4).date,
    "due_on": pd.to_datetime(["2022-12-31"] * 4).date,
    "status": ["实施中", "实施中", "实施中", "已完成"],
})
MILESTONES = pd.DataFrame({
    "project_id": ["P1", "P2", "P3", "P4"], "seq": [1, 1, 1, 1], "milestone": ["a", "b", "c", "d"],
    # P1 50 days late on AS_OF (43 a week before): red both times; P3 4 days late: yellow, on time a week before
    "planned_on": pd.to_datetime(["2022-10-01", "2022-12-31", "2022-11-16", "2022-09-01"]).date,
    "done_on": [None, None, None, date(2022, 9, 1)], "weight": [None] * 4,
})
REPORTS = pd.DataFrame({
    "project_id": ["P1", "P2", "P2", "P3", "P3"],
    "week_start": pd.to_datetime(["2022-11-14", "2022-11-14", "2022-11-07", "2022-11-14", "2022-11-07"]).date,
    "percent": [10.0, 5.0, 3.0, 95.0, 30.0],  # P3: 95 of the 100 expected by AS_OF, a gap under 10
})


def stats(rows):
    return pd.DataFrame(rows, columns=["month", "unit", "community", "grid", "collected", "reported", "handled"]).assign(
        month=lambda d: pd.to_datetime(d["month"]).dt.date)


GRID = stats([
    ["2022-10-01", "A", "c", "g", 1, 100, 99], ["2022-10-01", "B", "c", "g", 1, 100, 95],
    ["2022-10-01", "C", "c", "g", 1, 50, 55], ["2022-10-01", "D", "c", "g", 1, 20, 10],
    ["2022-10-01", "E", "c", "g", 1, 5, 5],  # under 10 events: not compared
    ["2022-10-01", "F", "c", "g", 1, 40, 36],
    ["2022-09-01", "A", "c", "g", 1, 100, 90], ["2022-09-01", "B", "c", "g", 1, 100, 97],
    ["2022-09-01", "D", "c", "g", 1, 20, 12], ["2022-09-01", "F", "c", "g", 1, 40, 38],
])

SCORES = pd.DataFrame([
    {"round": 1, "project_id": pid, "judge": f"J{j}", "score_measures": m, "score_timeliness": t, "score_results": r,
     "note": None}
    for pid, (m, t, r) in {"P1": (27, 27, 36), "P2": (24, 24, 32), "P3": (21, 21, 28)}.items() for j in range(5)
])


def test_projects_status_tiles_and_changes_against_last_week():
    b = briefing(PROJECTS, MILESTONES, REPORTS, GRID, SCORES, pd.DataFrame(), AS_OF)
    assert b.tiles["project_id"].tolist() == ["P1", "P3", "P2", "P4"]  # red, yellow, green, done
    assert b.tiles["status"].tolist() == ["红", "黄", "绿", "已完成"]
    assert b.attention[["project_id", "unit", "leader"]].values.tolist() == [["P1", "甲镇", "张"], ["P3", "丙街道", "李"]]
    assert status_counts(b.tiles) == {"红": 1, "黄": 1, "绿": 1, "已完成": 1}
    assert (b.running.value, b.running.before, b.running.change) == (3, 3, 0)
    assert (b.behind.value, b.behind.before, b.behind.change) == (2, 1, 1)
    # this week P1, P2, P3 all reported (P4 is done: it owes none); last week P1 did not
    assert b.reporting_rate.value == 1.0 and b.reporting_rate.before == pytest.approx(2 / 3)


def test_grid_month_against_the_month_before_and_best_worst_units():
    b = briefing(PROJECTS, MILESTONES, REPORTS, GRID, SCORES, pd.DataFrame(), AS_OF)
    assert b.month == date(2022, 10, 1)
    assert b.disposal_rate.value == pytest.approx(300 / 315)  # 99+95+55+10+5+36 of 100+100+50+20+5+40
    assert b.disposal_rate.before == pytest.approx(237 / 260)  # 90+97+12+38 of 100+100+20+40
    # C's 110% is listed elsewhere but never ranked; E has too few events to be compared
    assert b.best_units["unit"].tolist() == ["A", "B", "F"]
    assert b.best_units["change"].tolist() == pytest.approx([0.09, -0.02, -0.05])
    assert b.worst_units["unit"].tolist() == ["D", "F", "B"]
    assert b.worst_units["change"].iloc[0] == pytest.approx(-0.1)


def test_no_month_before_means_no_change():
    one = GRID[GRID["month"] == date(2022, 10, 1)]
    best, _ = unit_movers(one, date(2022, 10, 1), None)
    assert best["unit"].tolist() == ["A", "B", "F"] and best["change"].isna().all()
    b = briefing(PROJECTS, MILESTONES, REPORTS, one, SCORES, pd.DataFrame(), AS_OF)
    assert b.disposal_rate.before is None and b.disposal_rate.change is None


def test_review_top_and_flags_apply_from_their_date():
    b = briefing(PROJECTS, MILESTONES, REPORTS, GRID, SCORES, pd.DataFrame(), AS_OF, top_n=2)
    assert b.top[["rank", "project_id", "name"]].values.tolist() == [[1, "P1", "一"], [2, "P2", "二"]]
    assert b.top["final_score"].tolist() == [90.0, 80.0] and b.rounds == [1]
    later = pd.DataFrame({"project_id": ["P1"], "flag": ["弄虚作假"], "reason": ["x"],
                          "flagged_on": [date(2022, 11, 25)]})
    assert briefing(PROJECTS, MILESTONES, REPORTS, GRID, SCORES, later, AS_OF, top_n=2).top["project_id"].tolist() == [
        "P1", "P2"]
    earlier = later.assign(flagged_on=[date(2022, 11, 1)])
    assert briefing(PROJECTS, MILESTONES, REPORTS, GRID, SCORES, earlier, AS_OF, top_n=2).top["project_id"].tolist() == [
        "P2", "P3"]


def test_empty_database():
    empty = pd.DataFrame()
    b = briefing(PROJECTS.iloc[0:0], MILESTONES.iloc[0:0], REPORTS.iloc[0:0], GRID.iloc[0:0], SCORES.iloc[0:0],
                 empty, AS_OF)
    assert b.tiles.empty and b.top.empty and b.month is None and b.reporting_rate.value is None

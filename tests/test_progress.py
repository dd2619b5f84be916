"""Tests of analytics.progress. Every expected value is worked out by hand in a comment.

Calendar used throughout (2024 is a leap year: February has 29 days):
Mondays 2024-02-26, 03-04, 03-11, 03-18. ON = Wednesday 2024-03-13, so
"this week" starts 03-11 and "last week" starts 03-04.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from datetime import date, datetime

import pandas as pd
import pytest

from analytics.progress import (
    STATUS_COLUMNS,
    ProgressSettings,
    active_projects,
    difficulties,
    missed_consecutive,
    progress_curve,
    project_status,
    reporting,
    reporting_rate,
    status_changes,
    week_monday,
)

D = date
ON = D(2024, 3, 13)  # Wednesday; week of ON = 2024-03-11, the week before = 2024-03-04
NAT = pd.NaT

PROJECT_COLUMNS = ["project_id", "name", "unit", "leader", "leader_title", "category",
                   "approved_on", "due_on", "summary", "status"]
MILESTONE_COLUMNS = ["project_id", "seq", "milestone", "planned_on", "done_on", "weight"]
REPORT_COLUMNS = ["project_id", "week_start", "summary", "plan", "percent", "difficulty",
                  "coordination", "reporter"]


def project(pid: str, unit: str = "甲镇", approved: date | None = D(2024, 1, 1),
            due: date | None = D(2024, 12, 31), status: str | None = "实施中") -> dict:
    return {"project_id": pid, "name": f"{pid}项目", "unit": unit, "leader": "张书记",
            "leader_title": "党委书记", "category": "基层治理", "approved_on": approved,
            "due_on": due, "summary": "", "status": status}


def milestone(pid: str, seq: int, name: str, planned: date, done: date | None = None,
              weight: float | None = None) -> dict:
    return {"project_id": pid, "seq": seq, "milestone": name, "planned_on": planned,
            "done_on": done, "weight": weight}


def report(pid: str, week: date, percent: float = 50.0, difficulty: str | None = None,
           coordination: str | None = None) -> dict:
    return {"project_id": pid, "week_start": week, "summary": "本周推进", "plan": "下周继续",
            "percent": percent, "difficulty": difficulty, "coordination": coordination,
            "reporter": "李干事"}


def P(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=PROJECT_COLUMNS)


def M(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=MILESTONE_COLUMNS)


def R(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=REPORT_COLUMNS)


def only_row(frame: pd.DataFrame) -> dict:
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


# --- week_monday -------------------------------------------------------------------

@pytest.mark.parametrize("given, monday", [
    (D(2024, 3, 11), D(2024, 3, 11)),                 # a Monday is its own Monday
    (D(2024, 3, 13), D(2024, 3, 11)),                 # Wednesday − 2 days
    (D(2024, 3, 17), D(2024, 3, 11)),                 # Sunday still belongs to the week before it
    (D(2024, 3, 18), D(2024, 3, 18)),                 # next Monday starts a new week
    (D(2024, 3, 1), D(2024, 2, 26)),                  # Friday 03-01 − 4 days crosses into February
    (D(2024, 1, 1), D(2024, 1, 1)),                   # 2024-01-01 was a Monday
    (D(2023, 12, 31), D(2023, 12, 25)),               # Sunday crosses the year back
    (datetime(2024, 3, 13, 15, 30), D(2024, 3, 11)),  # time of day dropped
    (pd.Timestamp("2024-03-16 08:00"), D(2024, 3, 11)),
])
def test_week_monday(given: date, monday: date) -> None:
    got = week_monday(given)
    assert got == monday
    assert type(got) is date


@pytest.mark.parametrize("missing", [None, pd.NaT])
def test_week_monday_rejects_missing(missing: object) -> None:
    with pytest.raises(ValueError):
        week_monday(missing)  # type: ignore[arg-type]


# --- status: overdue milestones -------------------------------------------------------

@pytest.mark.parametrize("planned, done, status, reason", [
    # 02-28 → 02-29 is 1 day, → 03-13 is 13 more: 14 days, not more than 14 → 黄
    (D(2024, 2, 28), None, "黄", "节点'方案制定'逾期14天未完成"),
    # 02-27 → 02-29 is 2, + 13 = 15 > 14 → 红
    (D(2024, 2, 27), None, "红", "节点'方案制定'逾期15天未完成"),
    # 03-12 → 03-13: 1 day past → 黄
    (D(2024, 3, 12), None, "黄", "节点'方案制定'逾期1天未完成"),
    # planned on ON itself: 0 days, not yet past → 绿
    (D(2024, 3, 13), None, "绿", "按计划推进"),
    # 02-01 → 03-01 is 29 days (leap year), + 12 = 41; done 03-14 is after ON, so still open on ON
    (D(2024, 2, 1), D(2024, 3, 14), "红", "节点'方案制定'逾期41天未完成"),
    # done on ON itself counts as done by ON
    (D(2024, 2, 1), D(2024, 3, 13), "绿", "按计划推进"),
])
def test_overdue_boundaries(planned: date, done: date | None, status: str, reason: str) -> None:
    # two equal-weight milestones, the first planned by ON → expected 1/2 = 50%;
    # this week's report says 50% → gap 0, so only the overdue rule can colour it
    ms = M(milestone("P1", 1, "方案制定", planned, done),
           milestone("P1", 2, "总结验收", D(2024, 12, 1)))
    row = only_row(project_status(P(project("P1")), ms, R(report("P1", D(2024, 3, 11), 50.0)), ON))
    assert row["expected"] == 50.0
    assert row["actual"] == 50.0
    assert (row["status"], row["reason"]) == (status, reason)


@pytest.mark.parametrize("planned, status, days", [
    (D(2024, 3, 6), "黄", 7),  # 03-06 → 03-13 = 7 days, not more than 7
    (D(2024, 3, 5), "红", 8),  # 8 > 7
])
def test_overdue_threshold_is_a_setting(planned: date, status: str, days: int) -> None:
    ms = M(milestone("P1", 1, "方案制定", planned), milestone("P1", 2, "总结验收", D(2024, 12, 1)))
    row = only_row(project_status(P(project("P1")), ms, R(report("P1", D(2024, 3, 11), 50.0)), ON,
                                  ProgressSettings(red_overdue_days=7)))
    assert (row["status"], row["reason"]) == (status, f"节点'方案制定'逾期{days}天未完成")


# --- status: gap between expected and actual ----------------------------------------

@pytest.mark.parametrize("percent, status, reason", [
    # expected 60 (see below); 60 − 35 = 25 → exactly red_gap → 红
    (35.0, "红", "进度落后计划25.0个百分点(计划60.0%,实际35.0%)"),
    # 60 − 32.5 = 27.5 → 红
    (32.5, "红", "进度落后计划27.5个百分点(计划60.0%,实际32.5%)"),
    # 60 − 35.5 = 24.5 < 25 but ≥ 10 → 黄
    (35.5, "黄", "进度落后计划24.5个百分点(计划60.0%,实际35.5%)"),
    # 60 − 50 = 10 → exactly yellow_gap → 黄
    (50.0, "黄", "进度落后计划10.0个百分点(计划60.0%,实际50.0%)"),
    # 60 − 50.5 = 9.5 < 10 → 绿
    (50.5, "绿", "按计划推进"),
    # ahead of plan: 60 − 75 = −15 → 绿
    (75.0, "绿", "按计划推进"),
])
def test_gap_boundaries(percent: float, status: str, reason: str) -> None:
    # weights 60 and 40; only the first is planned by ON (on ON itself, so not overdue):
    # expected = 60 / (60 + 40) = 60%
    ms = M(milestone("P1", 1, "方案制定", D(2024, 3, 13), weight=60.0),
           milestone("P1", 2, "总结验收", D(2024, 6, 30), weight=40.0))
    row = only_row(project_status(P(project("P1")), ms, R(report("P1", D(2024, 3, 11), percent)), ON))
    assert row["expected"] == 60.0
    assert row["actual"] == percent
    assert (row["status"], row["reason"]) == (status, reason)


# --- expected and actual ---------------------------------------------------------------

@pytest.mark.parametrize("weights, expected", [
    ((10.0, 20.0, 30.0, 40.0), 30.0),  # (10 + 20) / 100 = 30%
    ((None, None, None, None), 50.0),  # blank → equal: 2 of 4 = 50%
    ((10.0, None, 30.0, 40.0), 50.0),  # one blank → the whole project equal: 2 of 4 = 50%
    ((1.0, 1.0, 1.0, 5.0), 25.0),      # (1 + 1) / 8 = 25%
])
def test_expected_weights_given_or_blank(weights: tuple, expected: float) -> None:
    # the first two are planned (and done) before ON, the last two after
    planned = [D(2024, 3, 1), D(2024, 3, 8), D(2024, 4, 1), D(2024, 5, 1)]
    done = [D(2024, 3, 1), D(2024, 3, 8), None, None]
    ms = M(*(milestone("P1", i + 1, f"节点{i + 1}", planned[i], done[i], weights[i]) for i in range(4)))
    row = only_row(project_status(P(project("P1")), ms, R(), ON))
    assert row["expected"] == expected
    # no reports → actual is the done share, here the same two milestones
    assert row["actual"] == expected


def test_actual_from_done_milestones_when_no_report() -> None:
    ms = M(milestone("P1", 1, "调研", D(2024, 3, 1), D(2024, 2, 28), 10.0),
           milestone("P1", 2, "方案", D(2024, 3, 8), D(2024, 3, 20), 20.0),  # done after ON
           milestone("P1", 3, "试点", D(2024, 4, 1), D(2024, 3, 12), 30.0),  # done early
           milestone("P1", 4, "总结", D(2024, 5, 1), None, 40.0))
    # a report of a later week does not count on ON
    reps = R(report("P1", D(2024, 3, 18), 90.0))
    row = only_row(project_status(P(project("P1")), ms, reps, ON))
    assert row["expected"] == 30.0  # planned by ON: 10 + 20 of 100
    assert row["actual"] == 40.0    # done by ON: 调研 10 + 试点 30 of 100
    assert row["last_report"] is NAT
    # 方案 03-08 → 03-13 = 5 days late → 黄; gap 30 − 40 < 0; no report this week or last → 黄
    assert row["status"] == "黄"
    assert row["reason"] == "节点'方案'逾期5天未完成;本周及上周均未报送周报"


def test_actual_from_latest_report_and_no_milestones() -> None:
    reps = R(report("P1", D(2024, 2, 26), 20.0), report("P1", D(2024, 3, 4), 30.0),
             report("P1", D(2024, 3, 18), 90.0))  # 03-18 is after ON: ignored
    row = only_row(project_status(P(project("P1")), M(), reps, ON))
    assert math.isnan(row["expected"])             # no milestones → undefined
    assert row["actual"] == 30.0                   # latest report by ON is 03-04's
    assert row["last_report"] == pd.Timestamp("2024-03-04")
    assert (row["status"], row["reason"]) == ("绿", "按计划推进")  # reported last week; no gap rule


def test_no_milestones_no_reports_actual_undefined() -> None:
    row = only_row(project_status(P(project("P1", approved=D(2024, 3, 11))), M(), R(), ON))
    assert math.isnan(row["expected"]) and math.isnan(row["actual"])
    # approved this Monday: active one week only, so it has not missed two → 绿
    assert row["status"] == "绿"


# --- status: 已完成 -----------------------------------------------------------------------

@pytest.mark.parametrize("recorded, last_done, status, reason", [
    # all three done by ON
    ("实施中", D(2024, 3, 13), "已完成", "全部3个节点均已完成"),
    # recorded 已完成 wins even with a milestone open
    ("已完成", None, "已完成", "项目状态为已完成"),
    ("已完成", D(2024, 3, 10), "已完成", "项目状态为已完成;全部3个节点均已完成"),
    # the last one done the day after ON: open on ON; 03-01 → 03-13 = 12 days late → 黄
    ("实施中", D(2024, 3, 14), "黄", "节点'总结'逾期12天未完成"),
])
def test_completed(recorded: str, last_done: date | None, status: str, reason: str) -> None:
    ms = M(milestone("P1", 1, "调研", D(2024, 2, 1), D(2024, 2, 1)),
           milestone("P1", 2, "试点", D(2024, 2, 15), D(2024, 2, 15)),
           milestone("P1", 3, "总结", D(2024, 3, 1), last_done))
    # report 100% this week: expected 3/3 = 100, gap 0, reported → only the milestone rules remain
    row = only_row(project_status(P(project("P1", status=recorded)), ms,
                                  R(report("P1", D(2024, 3, 11), 100.0)), ON))
    assert (row["status"], row["reason"]) == (status, reason)


# --- status: weekly reports ----------------------------------------------------------------

@pytest.mark.parametrize("approved, weeks, status, last_report", [
    (D(2024, 1, 1), [D(2024, 2, 26)], "黄", pd.Timestamp("2024-02-26")),  # two weeks ago only
    (D(2024, 1, 1), [D(2024, 3, 4)], "绿", pd.Timestamp("2024-03-04")),   # last week
    (D(2024, 1, 1), [D(2024, 3, 11)], "绿", pd.Timestamp("2024-03-11")),  # this week
    (D(2024, 1, 1), [D(2024, 3, 18)], "黄", NAT),                          # only a future week
    (D(2024, 3, 6), [], "黄", NAT),  # approved Wednesday of last week: owed both weeks
    (D(2024, 3, 11), [], "绿", NAT),  # approved this Monday: owed this week only
])
def test_missing_reports(approved: date, weeks: list[date], status: str, last_report: object) -> None:
    reps = R(*(report("P1", w, 0.0) for w in weeks))
    row = only_row(project_status(P(project("P1", approved=approved)), M(), reps, ON))
    assert row["status"] == status
    assert row["reason"] == ("本周及上周均未报送周报" if status == "黄" else "按计划推进")
    assert (row["last_report"] is NAT) if last_report is NAT else (row["last_report"] == last_report)


def test_red_reason_lists_only_red_rules() -> None:
    ms = M(milestone("P1", 1, "方案制定", D(2024, 2, 22)),  # 02-22 → 02-29 = 7, + 13 = 20 days: red
           milestone("P1", 2, "试点推进", D(2024, 3, 8)),   # 5 days: yellow only
           milestone("P1", 3, "总结验收", D(2024, 6, 30)))
    row = only_row(project_status(P(project("P1")), ms, R(), ON))
    # equal weights, 2 of 3 planned → 66.67%; nothing done, no report → actual 0; gap 66.67 ≥ 25
    assert row["expected"] == pytest.approx(200 / 3)
    assert row["actual"] == 0.0
    assert row["status"] == "红"
    # neither 试点推进 (5 days) nor the missing reports (both 黄 rules) are repeated under 红
    assert row["reason"] == "节点'方案制定'逾期20天未完成;进度落后计划66.7个百分点(计划66.7%,实际0.0%)"


def test_yellow_reason_joins_every_yellow_rule() -> None:
    ms = M(milestone("P1", 1, "试点推进", D(2024, 3, 8), weight=20.0),  # 5 days late
           milestone("P1", 2, "总结验收", D(2024, 6, 30), weight=80.0))
    row = only_row(project_status(P(project("P1")), ms, R(), ON))
    # expected 20 / 100 = 20%; actual 0 (nothing done, no report); gap 20: ≥ 10, < 25
    assert row["status"] == "黄"
    assert row["reason"] == ("节点'试点推进'逾期5天未完成;进度落后计划20.0个百分点(计划20.0%,实际0.0%);"
                             "本周及上周均未报送周报")


@pytest.mark.parametrize("recorded, status, reason", [
    ("已终止", "已终止", "项目已终止"),
    ("申报", "申报", "项目尚在申报,未进入实施"),
])
def test_terminated_and_applying_are_not_coloured(recorded: str, status: str, reason: str) -> None:
    # a milestone 41 days late and no reports would be 红 for a running project
    ms = M(milestone("P1", 1, "方案制定", D(2024, 2, 1)), milestone("P1", 2, "总结验收", D(2024, 6, 30)))
    row = only_row(project_status(P(project("P1", status=recorded)), ms, R(), ON))
    assert (row["status"], row["reason"]) == (status, reason)
    assert row["expected"] == 50.0  # still computed: 1 of 2 planned by ON


def test_project_status_shape_and_order() -> None:
    projects = P(project("P3"), project("P1", status="已终止"), project("P2"))
    reps = R(report("P1", D(2024, 3, 11)), report("P2", D(2024, 3, 11)), report("P3", D(2024, 3, 11)))
    out = project_status(projects, M(), reps, ON)
    assert list(out.columns) == STATUS_COLUMNS == ["project_id", "expected", "actual", "status",
                                                   "reason", "last_report"]
    assert out["project_id"].tolist() == ["P3", "P1", "P2"]
    assert out["status"].tolist() == ["绿", "已终止", "绿"]
    assert out["last_report"].tolist() == [pd.Timestamp("2024-03-11")] * 3


def test_project_status_no_projects() -> None:
    out = project_status(P(), M(), R(), ON)
    assert out.empty
    assert list(out.columns) == STATUS_COLUMNS


def _as_datetime64(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.assign(**{c: pd.to_datetime(frame[c]) for c in columns})


@pytest.mark.parametrize("convert, on", [
    (False, ON),
    (True, ON),                                # datetime64 columns with NaT
    (False, pd.Timestamp("2024-03-13 18:00")),  # `on` as a Timestamp with a time
    (True, datetime(2024, 3, 13, 9, 0)),
])
def test_date_types(convert: bool, on: object) -> None:
    projects = P(project("P1"), project("P2"))
    ms = M(milestone("P1", 1, "方案制定", D(2024, 2, 27)),              # 15 days late → 红
           milestone("P1", 2, "总结验收", D(2024, 12, 1)),
           milestone("P2", 1, "调研", D(2024, 3, 1), D(2024, 3, 1)))  # P2 all done → 已完成
    reps = R(report("P1", D(2024, 3, 11), 50.0))
    if convert:
        projects = _as_datetime64(projects, ["approved_on", "due_on"])
        ms = _as_datetime64(ms, ["planned_on", "done_on"])
        reps = _as_datetime64(reps, ["week_start"])
    out = project_status(projects, ms, reps, on)  # type: ignore[arg-type]
    assert out["status"].tolist() == ["红", "已完成"]
    assert out["reason"].tolist() == ["节点'方案制定'逾期15天未完成", "全部1个节点均已完成"]
    assert out["expected"].tolist() == [50.0, 100.0]


# --- active projects and reporting ----------------------------------------------------------

@pytest.mark.parametrize("approved, due, status, active", [
    (D(2024, 1, 1), D(2024, 12, 31), "实施中", True),
    (D(2024, 3, 13), D(2024, 12, 31), "实施中", True),   # approved mid-week: active that week
    (D(2024, 3, 17), D(2024, 12, 31), "实施中", True),   # approved on the week's Sunday
    (D(2024, 3, 18), D(2024, 12, 31), "实施中", False),  # approved the next Monday
    (D(2024, 1, 1), D(2024, 3, 11), "实施中", True),     # due on the week's Monday
    (D(2024, 1, 1), D(2024, 3, 10), "实施中", False),    # due the Sunday before
    (D(2024, 1, 1), D(2024, 12, 31), "已完成", False),
    (D(2024, 1, 1), D(2024, 12, 31), "已终止", False),
    (D(2024, 1, 1), D(2024, 12, 31), "申报", True),      # only 已完成/已终止 are excluded
    (D(2024, 1, 1), D(2024, 12, 31), None, True),       # blank status defaults to 实施中
    (D(2024, 1, 1), None, "实施中", True),              # blank due date never ends
    (None, D(2024, 12, 31), "实施中", False),           # no approval date: not started
])
def test_active_projects(approved: date | None, due: date | None, status: str | None, active: bool) -> None:
    projects = P(project("P1", approved=approved, due=due, status=status))
    out = active_projects(projects, D(2024, 3, 11))
    assert out["project_id"].tolist() == (["P1"] if active else [])
    assert list(out.columns) == PROJECT_COLUMNS


def test_active_projects_any_day_names_its_week() -> None:
    projects = P(project("P1", approved=D(2024, 3, 13)), project("P2", approved=D(2024, 3, 18)))
    # Friday 03-15 is in the week 03-11…03-17: P1 (approved 03-13) active, P2 not yet
    assert active_projects(projects, D(2024, 3, 15))["project_id"].tolist() == ["P1"]


def test_reporting() -> None:
    projects = P(project("P1", unit="甲镇"), project("P2", unit="乙街道"),
                 project("P3", unit="甲镇", status="已完成"))
    reps = R(report("P1", D(2024, 3, 11)), report("P2", D(2024, 3, 4)), report("P3", D(2024, 3, 11)))
    out = reporting(projects, reps, D(2024, 3, 11))
    # P3 is closed, so not active even though it reported; P2 reported only last week
    assert list(out.columns) == ["project_id", "unit", "reported"]
    assert out.to_dict("records") == [
        {"project_id": "P1", "unit": "甲镇", "reported": True},
        {"project_id": "P2", "unit": "乙街道", "reported": False},
    ]


def _rate_fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    projects = P(project("P1", unit="甲镇"), project("P2", unit="甲镇"),
                 project("P3", unit="乙街道"), project("P4", unit="乙街道", approved=D(2024, 3, 13)))
    reps = R(report("P1", D(2024, 3, 4)), report("P1", D(2024, 3, 11)),
             report("P2", D(2024, 3, 11)),
             report("P3", D(2024, 3, 4)),
             report("P4", D(2024, 3, 4)),  # before P4 was approved: must not count
             report("P4", D(2024, 3, 11)))
    return projects, reps


def test_reporting_rate_county() -> None:
    projects, reps = _rate_fixture()
    out = reporting_rate(projects, reps, [D(2023, 12, 25), D(2024, 3, 4), D(2024, 3, 11)])
    assert list(out.columns) == ["week", "active", "reported", "rate"]
    assert out["week"].tolist() == [pd.Timestamp("2023-12-25"), pd.Timestamp("2024-03-04"),
                                    pd.Timestamp("2024-03-11")]
    # 2023-12-25: nobody approved yet → 0 of 0, rate NaN (no crash)
    # 03-04: P1 P2 P3 active (P4 approved 03-13); P1 P3 reported → 2/3
    # 03-11: all four active; P1 P2 P4 reported → 3/4 = 0.75
    assert out["active"].tolist() == [0, 3, 4]
    assert out["reported"].tolist() == [0, 2, 3]
    assert math.isnan(out["rate"].iloc[0])
    assert out["rate"].iloc[1:].tolist() == pytest.approx([2 / 3, 0.75])


def test_reporting_rate_by_unit() -> None:
    projects, reps = _rate_fixture()
    out = reporting_rate(projects, reps, [D(2023, 12, 25), D(2024, 3, 4), D(2024, 3, 11)], by="unit")
    assert list(out.columns) == ["week", "unit", "active", "reported", "rate"]
    # units in order of first appearance: 甲镇, 乙街道
    # 12-25: nothing active in either unit
    # 03-04: 甲镇 P1 P2 active, P1 reported → 1/2; 乙街道 P3 active and reported → 1/1
    # 03-11: 甲镇 P1 P2 both reported → 2/2; 乙街道 P3 P4 active, P4 reported → 1/2
    assert out[["unit", "active", "reported"]].values.tolist() == [
        ["甲镇", 0, 0], ["乙街道", 0, 0],
        ["甲镇", 2, 1], ["乙街道", 1, 1],
        ["甲镇", 2, 2], ["乙街道", 2, 1],
    ]
    assert out["rate"].iloc[:2].isna().all()
    assert out["rate"].iloc[2:].tolist() == [0.5, 1.0, 1.0, 0.5]


def test_reporting_rate_no_weeks() -> None:
    projects, reps = _rate_fixture()
    out = reporting_rate(projects, reps, [], by="unit")
    assert out.empty
    assert list(out.columns) == ["week", "unit", "active", "reported", "rate"]


# --- missed_consecutive ---------------------------------------------------------------------

def _missed_fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    projects = P(project("P1"), project("P2"), project("P3", approved=D(2024, 3, 6)),
                 project("P4", approved=D(2024, 3, 13)), project("P5", status="已完成"), project("P6"))
    reps = R(report("P1", D(2024, 3, 4)),
             report("P2", D(2024, 2, 26)),
             report("P6", D(2024, 3, 18)))  # a later week does not count for 03-11
    return projects, reps


@pytest.mark.parametrize("n, missed", [
    # weeks 03-11 only: P1 (reported 03-04 only), P2, P3, P4 (approved this week), P6; P5 closed
    (1, ["P1", "P2", "P3", "P4", "P6"]),
    # weeks 03-04 + 03-11: P1 reported 03-04; P4 active in 03-11 only; P2 P3 P6 silent in both
    (2, ["P2", "P3", "P6"]),
    # weeks 02-26 + 03-04 + 03-11: P2 reported 02-26; P3 approved 03-06 was not active on 02-26
    (3, ["P6"]),
])
def test_missed_consecutive(n: int, missed: list[str]) -> None:
    projects, reps = _missed_fixture()
    out = missed_consecutive(projects, reps, D(2024, 3, 11), n=n)
    assert out["project_id"].tolist() == missed


def test_missed_consecutive_columns_and_last_report() -> None:
    projects, reps = _missed_fixture()
    out = missed_consecutive(projects, reps, D(2024, 3, 13))  # any day of the week, n=2
    assert list(out.columns) == PROJECT_COLUMNS + ["last_report"]
    # P2 last reported 02-26; P3 never; P6 only for the later week 03-18 → none by 03-11
    assert out["last_report"].tolist()[0] == pd.Timestamp("2024-02-26")
    assert out["last_report"].iloc[1:].isna().all()


def test_missed_consecutive_rejects_n_below_one() -> None:
    projects, reps = _missed_fixture()
    with pytest.raises(ValueError):
        missed_consecutive(projects, reps, D(2024, 3, 11), n=0)


# --- difficulties ---------------------------------------------------------------------------

def test_difficulties_order_and_weeks_raised() -> None:
    projects = P(project("P1", unit="甲镇"), project("P2", unit="乙街道"), project("P3", unit="丙镇"))
    reps = R(report("P1", D(2024, 2, 26), difficulty="缺少活动场地"),
             report("P1", D(2024, 3, 4), difficulty="  ", coordination=""),  # blank: not raised
             report("P1", D(2024, 3, 11), coordination="请县财政局协调资金"),
             report("P2", D(2024, 3, 11), difficulty="人手不足", coordination="需人社局支持"),
             report("P2", D(2024, 3, 4)),                                      # nothing raised
             report("P3", D(2024, 3, 4), difficulty=" 场地未落实 "))
    out = difficulties(reps, projects)
    assert list(out.columns) == ["project_id", "name", "unit", "week_start", "difficulty",
                                 "coordination", "reporter", "weeks_raised"]
    # newest first, same week by project_id: 03-11 P1, 03-11 P2, 03-04 P3, 02-26 P1
    assert out["project_id"].tolist() == ["P1", "P2", "P3", "P1"]
    assert out["week_start"].tolist() == [pd.Timestamp(d) for d in
                                          ("2024-03-11", "2024-03-11", "2024-03-04", "2024-02-26")]
    # P1 raised in 02-26 and 03-11 (03-04 was blank) → 2; P2 → 1; P3 → 1
    assert out["weeks_raised"].tolist() == [2, 1, 1, 2]
    assert out["name"].tolist() == ["P1项目", "P2项目", "P3项目", "P1项目"]
    assert out["unit"].tolist() == ["甲镇", "乙街道", "丙镇", "甲镇"]
    assert out["difficulty"].tolist() == [None, "人手不足", "场地未落实", "缺少活动场地"]  # stripped
    assert out["coordination"].tolist() == ["请县财政局协调资金", "需人社局支持", None, None]


def test_difficulties_none_raised() -> None:
    out = difficulties(R(report("P1", D(2024, 3, 11), difficulty=" ")), P(project("P1")))
    assert out.empty
    assert "weeks_raised" in out.columns


# --- progress_curve -------------------------------------------------------------------------

def test_progress_curve() -> None:
    ms = M(milestone("P1", 1, "调研", D(2024, 3, 6), weight=10.0),
           milestone("P1", 2, "方案", D(2024, 3, 17), weight=20.0),   # a Sunday: still week 03-11
           milestone("P1", 3, "试点", D(2024, 3, 18), weight=30.0),   # a Monday: week 03-18
           milestone("P1", 4, "总结", D(2024, 3, 31), weight=40.0),
           milestone("P2", 1, "别的项目", D(2024, 3, 1), weight=99.0))
    reps = R(report("P1", D(2024, 3, 4), 20.0), report("P1", D(2024, 3, 18), 70.0),
             report("P2", D(2024, 3, 11), 55.0))  # another project's report must not leak in
    out = progress_curve(ms, reps, "P1", [D(2024, 3, 4), D(2024, 3, 11), D(2024, 3, 18), D(2024, 3, 25)])
    assert list(out.columns) == ["week", "expected", "reported"]
    assert out["week"].tolist() == [pd.Timestamp(d) for d in
                                    ("2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25")]
    # planned by each Sunday (03-10, 03-17, 03-24, 03-31), of a total weight 100:
    # 10 → 10%; 10+20 → 30%; 10+20+30 → 60%; all → 100%
    assert out["expected"].tolist() == [10.0, 30.0, 60.0, 100.0]
    reported = out["reported"].tolist()
    assert reported[0] == 20.0 and reported[2] == 70.0
    assert math.isnan(reported[1]) and math.isnan(reported[3])


def test_progress_curve_without_milestones() -> None:
    out = progress_curve(M(), R(report("P1", D(2024, 3, 11), 40.0)), "P1", [D(2024, 3, 13)])
    assert math.isnan(out["expected"].iloc[0])
    assert out["reported"].tolist() == [40.0]  # the Wednesday names the week of 03-11


# --- status_changes -------------------------------------------------------------------------

def test_status_changes() -> None:
    projects = P(project("P1"), project("P2"), project("P3", status="已终止"), project("P4"))
    ms = M(milestone("P1", 1, "调研", D(2024, 2, 28)),              # open
           milestone("P1", 2, "总结", D(2024, 6, 30)),
           milestone("P4", 1, "试点", D(2024, 3, 1), D(2024, 3, 12)))  # done between the Sundays
    reps = R(report("P1", D(2024, 3, 4), 50.0), report("P1", D(2024, 3, 11), 50.0),
             report("P2", D(2024, 3, 4)), report("P2", D(2024, 3, 11)),
             report("P4", D(2024, 3, 4), 100.0), report("P4", D(2024, 3, 11), 100.0))
    out = status_changes(projects, ms, reps, D(2024, 3, 11))
    assert list(out.columns) == ["project_id", "before", "after", "changed"]
    # before = Sunday 03-10, after = Sunday 03-17
    # P1: 调研 02-28 late by 1 + 10 = 11 days (黄) → by 1 + 17 = 18 days (红); expected 50 = actual 50
    # P2: no milestones, reported both weeks → 绿 both
    # P3: 已终止 both
    # P4: 试点 03-01 open on 03-10, 9 days late (黄) → done 03-12 → 已完成
    assert out.to_dict("records") == [
        {"project_id": "P1", "before": "黄", "after": "红", "changed": True},
        {"project_id": "P2", "before": "绿", "after": "绿", "changed": False},
        {"project_id": "P3", "before": "已终止", "after": "已终止", "changed": False},
        {"project_id": "P4", "before": "黄", "after": "已完成", "changed": True},
    ]


# --- settings and purity --------------------------------------------------------------------

def test_settings_defaults_and_help() -> None:
    s = ProgressSettings()
    assert (s.red_overdue_days, s.red_gap, s.yellow_gap, s.missed_report_weeks) == (14, 25.0, 10.0, 2)
    helps = ProgressSettings.help_texts()
    assert set(helps) == {"red_overdue_days", "red_gap", "yellow_gap", "missed_report_weeks"}
    assert all(text.strip() for text in helps.values())
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.red_gap = 30.0  # type: ignore[misc]


@pytest.mark.parametrize("kwargs", [
    {"red_overdue_days": -1},
    {"yellow_gap": 30.0},          # above red_gap 25
    {"yellow_gap": -1.0},
    {"missed_report_weeks": 0},
])
def test_settings_rejects_nonsense(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        ProgressSettings(**kwargs)


@pytest.mark.parametrize("n, week, status, reason", [
    (1, D(2024, 3, 4), "黄", "本周未报送周报"),              # window 03-11 only: silent
    (1, D(2024, 3, 11), "绿", "按计划推进"),
    (3, D(2024, 2, 26), "绿", "按计划推进"),                 # window 02-26…03-11 holds the report
    (3, D(2024, 2, 19), "黄", "连续3周(含本周)未报送周报"),  # 02-19 is before the window
])
def test_missed_report_weeks_setting(n: int, week: date, status: str, reason: str) -> None:
    reps = R(report("P1", week, 0.0))  # no milestones: the report rule alone decides
    row = only_row(project_status(P(project("P1")), M(), reps, ON, ProgressSettings(missed_report_weeks=n)))
    assert (row["status"], row["reason"]) == (status, reason)


def test_inputs_are_not_mutated() -> None:
    projects = P(project("P1"), project("P2", approved=D(2024, 3, 13)))
    ms = M(milestone("P1", 1, "调研", D(2024, 3, 1), None, None), milestone("P1", 2, "总结", D(2024, 6, 1), None, 2.0))
    reps = R(report("P1", D(2024, 3, 4), difficulty=" 难 "), report("P2", D(2024, 3, 11)))
    before = [copy.deepcopy(f) for f in (projects, ms, reps)]
    project_status(projects, ms, reps, ON)
    status_changes(projects, ms, reps, ON)
    active_projects(projects, ON)
    reporting(projects, reps, ON)
    reporting_rate(projects, reps, [ON], by="unit")
    missed_consecutive(projects, reps, ON)
    difficulties(reps, projects)
    progress_curve(ms, reps, "P1", [ON])
    for original, now in zip(before, (projects, ms, reps)):
        pd.testing.assert_frame_equal(original, now)


# --- issue 12: looking back judges every week by what was true then -----------------------------------
# P1 completed: its last milestone done Friday 2024-03-15. P2 terminated: its last report the week of
# 2024-03-04 (so it ended that week, taken as Monday 03-04). P3 runs on. Weeks: 02-26, 03-04, 03-11, 03-18.

def _closed_fixture() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    projects = P(project("P1", status="已完成"), project("P2", status="已终止"), project("P3"))
    ms = M(milestone("P1", 1, "调研", D(2024, 2, 1), D(2024, 2, 1)),
           milestone("P1", 2, "总结", D(2024, 3, 15), D(2024, 3, 15)),
           milestone("P2", 1, "调研", D(2024, 2, 1), D(2024, 2, 1)),
           milestone("P2", 2, "总结", D(2024, 6, 1)),
           milestone("P3", 1, "调研", D(2024, 2, 1), D(2024, 2, 1)),
           milestone("P3", 2, "总结", D(2024, 6, 1)))
    reps = R(*(report(pid, wk, 60.0) for pid in ("P1", "P2", "P3") for wk in (D(2024, 2, 26), D(2024, 3, 4))),
             report("P1", D(2024, 3, 11), 90.0), report("P3", D(2024, 3, 11), 70.0),
             report("P1", D(2024, 3, 18), 100.0), report("P3", D(2024, 3, 18), 80.0))
    return projects, ms, reps


def test_reporting_rate_counts_later_closed_projects_as_active_before():
    projects, ms, reps = _closed_fixture()
    weeks = [D(2024, 2, 26), D(2024, 3, 4), D(2024, 3, 11), D(2024, 3, 18)]
    out = reporting_rate(projects, reps, weeks, milestones=ms)
    # 02-26, 03-04: all three active, all reported → 3/3
    # 03-11: P1 (completes 03-15, in that week) and P3 active, P2 ended the week before → 2/2
    # 03-18: only P3 → 1/1
    assert out["active"].tolist() == [3, 3, 2, 1]
    assert out["reported"].tolist() == [3, 3, 2, 1]


def test_reporting_of_a_past_week_with_a_silent_project_later_completed():
    projects, ms, reps = _closed_fixture()
    reps = reps[~((reps["project_id"] == "P1") & (reps["week_start"] == D(2024, 3, 4)))]
    out = reporting(projects, reps, D(2024, 3, 4), milestones=ms)
    # P1 was still running in the week of 03-04 and did not report: 2 of 3 (not 2 of 2)
    assert out.set_index("project_id")["reported"].to_dict() == {"P1": False, "P2": True, "P3": True}
    assert active_projects(projects, D(2024, 3, 4), milestones=ms, reports=reps)["project_id"].tolist() == [
        "P1", "P2", "P3"]


def test_status_before_completion_or_termination_is_not_closed():
    projects, ms, reps = _closed_fixture()
    before = project_status(projects, ms, reps, D(2024, 3, 1)).set_index("project_id")["status"].to_dict()
    # on Friday 03-01 P1 is not complete (its last milestone is due 03-15) and P2 still running:
    # both judged like P3 (milestone 1 done, milestone 2 not yet due, no gap) → 绿
    assert before == {"P1": "绿", "P2": "绿", "P3": "绿"}
    after = project_status(projects, ms, reps, D(2024, 3, 20)).set_index("project_id")["status"].to_dict()
    assert after == {"P1": "已完成", "P2": "已终止", "P3": "绿"}


def test_a_closed_project_without_evidence_of_when_stays_closed():
    # 已完成 without its milestones, 已终止 without a report: no date to go by → closed in every week
    projects = P(project("P1", status="已完成"), project("P2", status="已终止"))
    assert reporting_rate(projects, R(), [D(2024, 3, 4)], milestones=M())["active"].tolist() == [0]

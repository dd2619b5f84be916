"""The overview's figures, hand-worked on tiny tables."""

from datetime import date

import pandas as pd

from analytics.overview import default_as_of, last_months, overview

PROJECTS = pd.DataFrame([
    ("P1", "甲", "实施中", date(2022, 6, 1), date(2022, 12, 31)),
    ("P2", "乙", "实施中", date(2022, 6, 1), date(2022, 12, 31)),
    ("P3", "乙", "已完成", date(2022, 6, 1), date(2022, 10, 31)),
], columns=["project_id", "unit", "status", "approved_on", "due_on"]).assign(
    name=["a", "b", "c"], leader="x", leader_title=None, category="其他", summary=None)
MILESTONES = pd.DataFrame([
    ("P1", 1, "调研", date(2022, 10, 1), date(2022, 9, 30), None),
    ("P1", 2, "总结", date(2022, 12, 15), None, None),           # not due yet: P1 on track → 绿
    ("P2", 1, "调研", date(2022, 10, 1), None, None),            # 44 days overdue on 11-14 → 红
    ("P3", 1, "调研", date(2022, 9, 1), date(2022, 9, 1), None),
], columns=["project_id", "seq", "milestone", "planned_on", "done_on", "weight"])
REPORTS = pd.DataFrame([
    ("P1", date(2022, 11, 14), "推进", None, 100.0, None, None, None),
    ("P2", date(2022, 11, 7), "推进", None, 10.0, None, None, None),
], columns=["project_id", "week_start", "summary", "plan", "percent", "difficulty", "coordination", "reporter"])
STATS = pd.DataFrame([
    (date(2021, 10, 1), "甲", "A", "1", 1, 100, 0),   # 13 months back: outside the latest 12
    (date(2021, 11, 1), "甲", "A", "1", 1, 10, 9),
    (date(2022, 10, 1), "甲", "A", "1", 1, 10, 10),
    (date(2022, 10, 1), "乙", "B", "1", 1, 20, 19),
], columns=["month", "unit", "community", "grid", "collected", "reported", "handled"])
GRIDS = pd.DataFrame([("甲", "A", "1", "支部", 10, "张", "李", 2)],
                     columns=["unit", "community", "grid", "branch", "members", "instructor", "inspector", "informants"])


def test_default_as_of_is_the_latest_date_the_data_describe():
    # the latest report is for the week of Monday 2022-11-14, the latest milestone done 2022-09-30:
    # nothing in the data describes a day after 11-14 (not the Sunday 11-20, which adds days overdue)
    assert default_as_of(REPORTS, date(2026, 11, 27), MILESTONES) == date(2022, 11, 14)
    # a milestone done on Friday 2022-11-18 of that week: the data reach 11-18
    later = pd.concat([MILESTONES, pd.DataFrame([("P1", 3, "验收", date(2022, 12, 1), date(2022, 11, 18), None)],
                                                columns=MILESTONES.columns)])
    assert default_as_of(REPORTS, date(2026, 11, 27), later) == date(2022, 11, 18)
    # on 11-16 the completion dated 11-18 has not happened yet: the data reach 11-14
    assert default_as_of(REPORTS, date(2022, 11, 16), later) == date(2022, 11, 14)
    assert default_as_of(REPORTS, date(2022, 11, 10), later) == date(2022, 11, 10)  # never in the future
    assert default_as_of(REPORTS.iloc[0:0], date(2026, 11, 27)) == date(2026, 11, 27)


def test_last_months():
    assert last_months(STATS, 12) == (date(2021, 11, 1), date(2022, 10, 1))
    assert last_months(STATS.iloc[0:0]) is None


def test_overview_figures():
    ov = overview(PROJECTS, MILESTONES, REPORTS, STATS, GRIDS, date(2022, 11, 16))
    assert (ov.projects_total, ov.projects_running) == (3, 2)
    # week of 2022-11-14: P1 and P2 active (P3 done), only P1 reported → 1/2
    assert (ov.week_start, ov.week_active, ov.week_reported) == (date(2022, 11, 14), 2, 1)
    assert ov.reporting_rate == 0.5
    assert ov.status_counts == {"绿": 1, "红": 1, "已完成": 1} and ov.behind == 1
    # county over 2021-11..2022-10: reported 10+10+20 = 40, handled 9+10+19 = 38
    assert ov.county[["reported", "handled"]].values.tolist() == [[40, 38]]
    jia = ov.by_unit.set_index("unit").loc["甲"]
    assert (jia["reported"], jia["handled"], jia["grids"], jia["branches"]) == (20, 19, 1, 1)
    assert pd.isna(ov.by_unit.set_index("unit").loc["乙", "grids"])  # no registry rows for 乙

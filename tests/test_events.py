"""Event analytics run in DuckDB on a real file; expected values counted by hand."""

from datetime import date, datetime

import pytest

import database
from analytics import events as ev

EVENTS = [
    # id, reported_at, unit, community, grid, category, status, handled_at
    ("E1", datetime(2022, 10, 1, 8), "甲", "A", "1", "环境卫生", "已处置", datetime(2022, 10, 1, 10)),   # 2 h
    ("E2", datetime(2022, 10, 2, 8), "甲", "A", "1", "环境卫生", "已处置", datetime(2022, 10, 3, 8)),    # 24 h
    ("E3", datetime(2022, 10, 3, 8), "甲", "A", "2", "矛盾纠纷", "已处置", datetime(2022, 11, 2, 8)),    # 720 h, next month
    ("E4", datetime(2022, 10, 20, 8), "甲", "A", "2", "矛盾纠纷", "处置中", None),
    ("E5", datetime(2022, 10, 30, 8), "乙", "B", "1", "其他", "未处置", None),
]


@pytest.fixture
def db(tmp_path):
    con = database.connect(tmp_path / "e.duckdb")
    con.executemany("insert into events values (?, ?, ?, ?, ?, ?, ?, ?, 1)", EVENTS)
    con.executemany("insert into grid_stats values (?, ?, ?, ?, ?, ?, ?, 1)", [
        (date(2022, 10, 1), "甲", "A", "1", 9, 2, 2),   # agrees: E1, E2 reported and handled in Oct
        (date(2022, 10, 1), "甲", "A", "2", 9, 2, 1),   # detail: reported 2 (E3, E4), handled 0 in Oct
        (date(2022, 11, 1), "甲", "A", "2", 9, 0, 1),   # agrees: E3 handled in Nov
        (date(2022, 10, 1), "丙", "C", "1", 9, 5, 5),   # no detail for 丙 at all: not compared
    ])
    return con


def run(con, query):
    return database.query(con, *query)


OCT = (date(2022, 10, 1), date(2022, 10, 31))


def test_counts_by_category_and_status(db):
    assert run(db, ev.counts_by("category", *OCT)).values.tolist() == [["环境卫生", 2], ["矛盾纠纷", 2], ["其他", 1]]
    assert dict(run(db, ev.counts_by("status", *OCT, unit="甲")).values.tolist()) == {"已处置": 3, "处置中": 1}


def test_handling_time_median_and_p90(db):
    out = run(db, ev.handling_time("unit", *OCT)).iloc[0]
    # hours 2, 24, 720: median 24; P90 (linear) = 24 + 0.8 × (720 − 24) = 580.8
    assert (out.unit, out.events) == ("甲", 3)
    assert out.median_hours == pytest.approx(24.0) and out.p90_hours == pytest.approx(580.8)


def test_open_events_older_than_setting(db):
    # on 2022-10-31: open are E3 (28 days; handled only in Nov), E4 (11 days), E5 (1 day)
    out = run(db, ev.open_events(date(2022, 10, 31), older_than_days=7))
    assert out[["event_id", "days_open"]].values.tolist() == [["E3", 28], ["E4", 11]]
    assert run(db, ev.open_events(date(2022, 10, 31), older_than_days=28)).empty  # 28 is not > 28


def test_open_summary_bands(db):
    out = run(db, ev.open_summary(date(2022, 10, 31)))
    assert out[["band", "events"]].values.tolist() == [["3天以内", 1], ["8–30天", 2]]


def test_cross_check_shows_disagreement_only_where_both_exist(db):
    out = run(db, ev.cross_check(date(2022, 10, 1), date(2022, 11, 30)))
    assert out[["month", "grid", "stats_reported", "detail_reported", "stats_handled", "detail_handled"]] \
        .astype({"month": str}).values.tolist() == [["2022-10-01", "2", 2, 2, 1, 0]]


def test_unknown_dimension_refused():
    with pytest.raises(ValueError):
        ev.counts_by("unit; drop table events", *OCT)


# --- issue 12: every level of the drill-down, and which units the figures cover ----------------------

def test_filters_by_community_and_grid(db):
    # 甲/A/1 holds E1, E2 (环境卫生); 甲/A/2 holds E3, E4 (矛盾纠纷); 乙/B/1 holds E5
    assert run(db, ev.counts_by("category", *OCT, unit="甲", community="A", grid="2")).values.tolist() == [
        ["矛盾纠纷", 2]]
    assert run(db, ev.counts_by("status", *OCT, unit="乙", community="B")).values.tolist() == [["未处置", 1]]
    assert run(db, ev.counts_by("status", *OCT, unit="甲", community="B")).empty  # no community B in 甲
    # handled in grid 1: E1 2 h and E2 24 h → median 13 h
    assert run(db, ev.handling_time("category", *OCT, unit="甲", community="A", grid="1"))["median_hours"].tolist() == [13.0]
    # open on 10-31 and older than 7 days in grid 甲/A/2: E3 (28 days, handled only 11-02), E4 (11 days)
    assert run(db, ev.open_events(date(2022, 10, 31), 7, "甲", community="A", grid="2"))["event_id"].tolist() == [
        "E3", "E4"]
    assert run(db, ev.open_events(date(2022, 10, 31), 7, "甲", community="A", grid="1")).empty
    assert run(db, ev.open_summary(date(2022, 10, 31), "乙", community="B", grid="1"))["events"].tolist() == [1]
    # grid 1 agrees with the monthly figures, grid 2 does not
    assert run(db, ev.cross_check(date(2022, 10, 1), date(2022, 11, 30), "甲", community="A", grid="1")).empty
    assert len(run(db, ev.cross_check(date(2022, 10, 1), date(2022, 11, 30), "甲", community="A", grid="2"))) == 1


def test_units_covered_by_the_event_detail(db):
    assert run(db, ev.covered_units(*OCT))["unit"].tolist() == ["乙", "甲"]  # by code point: 乙 U+4E59 < 甲 U+7532
    assert run(db, ev.covered_units(date(2022, 9, 1), date(2022, 9, 30))).empty


@pytest.mark.parametrize("covered, unit, community, grid, expected, has", [
    (["㮾梨街道"], None, None, None, "事件明细仅含 㮾梨街道:以下事件数字只代表该街道,不是全县。", True),
    (["㮾梨街道", "星沙街道"], None, None, None, "事件明细仅含 㮾梨街道、星沙街道:以下事件数字只代表这些单位,不是全县。", True),
    (["㮾梨街道"], "㮾梨街道", None, None, "以下事件数字:㮾梨街道。", True),
    (["㮾梨街道"], "㮾梨街道", "保家村", None, "以下事件数字:㮾梨街道 · 保家村。", True),
    (["㮾梨街道"], "㮾梨街道", "保家村", "网格1", "以下事件数字:㮾梨街道 · 保家村 · 网格1。", True),
    (["㮾梨街道"], "星沙街道", None, None, "星沙街道没有事件明细(统计期内事件明细仅含 㮾梨街道)。", False),
    ([], None, None, None, "统计期内没有事件明细。", False),
])
def test_coverage_note(covered, unit, community, grid, expected, has):
    assert ev.coverage_note(covered, unit, community, grid) == (expected, has)

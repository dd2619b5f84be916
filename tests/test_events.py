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

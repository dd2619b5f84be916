"""Cell parsers: every form the contract lists, and what is refused."""

from datetime import date, datetime

import pytest

from ingest.clean import (
    CellError,
    normalise_header,
    parse_date,
    parse_datetime,
    parse_int,
    parse_month,
    parse_number,
    parse_percent,
    parse_round,
    parse_text,
    parse_week,
    strip_unit,
)


@pytest.mark.parametrize("raw, expected", [
    ("1,234", 1234), ("１２３", 123), (" 98 ", 98), (98.0, 98), ("1，234", 1234), ("", None), ("  ", None), (0, 0),
])
def test_int_accepts_text_numbers(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["12.5", "abc", "1.2.3", True])
def test_int_refuses(raw):
    with pytest.raises(CellError):
        parse_int(raw)


@pytest.mark.parametrize("raw, expected", [("65%", 65.0), ("６５％", 65.0), (65, 65.0), ("12.5", 12.5)])
def test_percent(raw, expected):
    assert parse_percent(raw) == expected


def test_number_from_text_with_spaces():
    assert parse_number(" 3.5 ") == 3.5


@pytest.mark.parametrize("raw", [
    "2022-11-14", "2022/11/14", "2022.11.14", "2022年11月14日", "20221114", 44879, 44879.0,
    date(2022, 11, 14), datetime(2022, 11, 14, 9, 30), "2022-11-14 00:00:00", "２０２２－１１－１４",
])
def test_date_forms(raw):
    # 44879 = days from 1899-12-30 to 2022-11-14 (Excel's serial for that day)
    assert parse_date(raw) == date(2022, 11, 14)


@pytest.mark.parametrize("raw", ["2022-13-01", "2022-02-30", "明天", 12, "14/11/2022"])
def test_date_refuses(raw):
    with pytest.raises(CellError):
        parse_date(raw)


@pytest.mark.parametrize("raw", [
    "2022-11", "2022年11月", "202211", 202211, "2022/11", "2022-11-14", date(2022, 11, 30), 44879,
])
def test_month_forms(raw):
    assert parse_month(raw) == date(2022, 11, 1)


@pytest.mark.parametrize("raw, monday", [
    ("2022-11-14", date(2022, 11, 14)),  # a Monday stays
    ("2022-11-20", date(2022, 11, 14)),  # Sunday → its Monday
    ("2022-11-16", date(2022, 11, 14)),
    ("2022-W46", date(2022, 11, 14)),    # ISO week 46 of 2022 starts Monday 14 Nov
    ("2022W1", date(2022, 1, 3)),        # ISO week 1 of 2022 starts 3 Jan
])
def test_week_normalised_to_monday(raw, monday):
    assert parse_week(raw) == monday


@pytest.mark.parametrize("raw, expected", [
    ("2022-11-14 09:30", datetime(2022, 11, 14, 9, 30)),
    ("2022/11/14 9:05:07", datetime(2022, 11, 14, 9, 5, 7)),
    ("2022-11-14", datetime(2022, 11, 14)),
    (44879.5, datetime(2022, 11, 14, 12, 0)),
])
def test_datetime(raw, expected):
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize("raw, expected", [(1, 1), (2.0, 2), ("3", 3), ("第一轮", 1), ("第二轮", 2), ("第3轮", 3)])
def test_round(raw, expected):
    assert parse_round(raw) == expected


@pytest.mark.parametrize("raw", ["第四轮", 4, "x"])
def test_round_refuses(raw):
    with pytest.raises(CellError):
        parse_round(raw)


def test_text_keeps_ids_typed_as_numbers():
    assert parse_text(12.0) == "12"
    assert parse_text("  星沙街道 ") == "星沙街道"


@pytest.mark.parametrize("raw, expected", [
    ("上报事件(件)", "上报事件"), ("上报事件（件）", "上报事件"), (" 上报 事件 ", "上报事件"), ("采集基础数据（条）", "采集基础数据"),
])
def test_header_normalisation(raw, expected):
    assert strip_unit(normalise_header(raw)) == expected

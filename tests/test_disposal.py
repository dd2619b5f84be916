"""Disposal rates, hand-worked."""

from datetime import date

import pandas as pd
import pytest

from analytics.disposal import disposal_rates


def stats(rows):
    return pd.DataFrame(rows, columns=["month", "unit", "community", "grid", "collected", "reported", "handled"])


STATS = stats([
    (date(2022, 9, 1), "甲街道", "A", "1", 10, 100, 90),
    (date(2022, 10, 1), "甲街道", "A", "1", 10, 100, 100),
    (date(2022, 10, 1), "甲街道", "B", "1", 5, 0, 0),
    (date(2022, 10, 1), "乙镇", "C", "1", 7, 4, 6),  # backlog: handled > reported
])


def test_county():
    out = disposal_rates(STATS, "county")
    # handled 90+100+0+6 = 196, reported 100+100+0+4 = 204 → 196/204
    assert out[["collected", "reported", "handled"]].values.tolist() == [[32, 204, 196]]
    assert out.rate[0] == pytest.approx(196 / 204)


def test_by_unit_rate_over_100_kept_and_flagged():
    out = disposal_rates(STATS, "unit").set_index("unit")
    assert out.loc["乙镇", "rate"] == pytest.approx(1.5)  # 6 / 4
    assert bool(out.loc["乙镇", "over_100"]) and not bool(out.loc["甲街道", "over_100"])
    assert out.loc["甲街道", "rate"] == pytest.approx(190 / 200)


def test_zero_reported_is_undefined():
    out = disposal_rates(STATS, "community").set_index("community")
    assert pd.isna(out.loc["B", "rate"])
    assert not bool(out.loc["B", "over_100"])


def test_month_range_is_inclusive():
    out = disposal_rates(STATS, "county", (date(2022, 10, 1), date(2022, 10, 1)))
    assert out[["reported", "handled"]].values.tolist() == [[104, 106]]


def test_empty_input_gives_one_county_row():
    out = disposal_rates(STATS.iloc[0:0], "county")
    assert len(out) == 1 and out.reported[0] == 0 and pd.isna(out.rate[0])


from analytics.disposal import month_changes, previous_period, rank_rates, ranking  # noqa: E402


def rates(rows):
    return pd.DataFrame(rows, columns=["unit", "reported", "handled", "rate"])


def test_competition_ranking_with_ties_and_minimum_volume():
    r = rank_rates(rates([
        ("甲", 100, 99, 0.99),
        ("乙", 50, 49.5, 0.99),   # tie with 甲 → both 1
        ("丙", 20, 19, 0.95),     # → 3 (competition: 1, 1, 3)
        ("丁", 9, 9, 1.0),        # best rate but only 9 reported < 10 → listed, not ranked
        ("戊", 0, 0, float("nan")),
    ]), min_reported=10).set_index("unit")
    assert r["rank"].tolist()[:3] == [1, 1, 3]
    assert pd.isna(r.loc["丁", "rank"]) and not r.loc["丁", "ranked"]
    assert pd.isna(r.loc["戊", "rank"])


def test_minimum_volume_is_a_setting():
    r = rank_rates(rates([("甲", 100, 99, 0.99), ("丁", 9, 9, 1.0)]), min_reported=5)
    assert r.set_index("unit")["rank"].to_dict() == {"甲": 2, "丁": 1}


@pytest.mark.parametrize("first, last, expected", [
    (date(2022, 10, 1), date(2022, 10, 1), (date(2022, 9, 1), date(2022, 9, 1))),
    (date(2021, 11, 1), date(2022, 10, 1), (date(2020, 11, 1), date(2021, 10, 1))),
    (date(2022, 1, 1), date(2022, 3, 1), (date(2021, 10, 1), date(2021, 12, 1))),
])
def test_previous_period(first, last, expected):
    assert previous_period(first, last) == expected


def test_ranking_with_rank_change_and_a_grid_seen_in_one_month_only():
    s = stats([
        (date(2022, 9, 1), "甲", "A", "1", 0, 20, 20),   # Sept: 甲 1.00 rank 1
        (date(2022, 9, 1), "乙", "A", "1", 0, 20, 10),   # Sept: 乙 0.50 rank 2
        (date(2022, 10, 1), "甲", "A", "1", 0, 20, 10),  # Oct: 甲 0.50 rank 2
        (date(2022, 10, 1), "乙", "A", "1", 0, 20, 19),  # Oct: 乙 0.95 rank 1
        (date(2022, 10, 1), "丙", "A", "1", 0, 30, 15),  # Oct only: 丙 0.50 rank 2 (tie with 甲), no previous
    ])
    out = ranking(s, "unit", (date(2022, 10, 1), date(2022, 10, 1))).set_index("unit")
    assert out["rank"].to_dict() == {"乙": 1, "甲": 2, "丙": 2}
    assert out["previous_rank"].to_dict()["乙"] == 2 and out["rank_change"].to_dict()["乙"] == 1  # up one
    assert out["rank_change"].to_dict()["甲"] == -1
    assert pd.isna(out.loc["丙", "previous_rank"]) and pd.isna(out.loc["丙", "rank_change"])


def test_month_on_month_and_year_on_year():
    s = stats([
        (date(2021, 10, 1), "甲", "A", "1", 5, 10, 8),
        (date(2022, 9, 1), "甲", "A", "1", 6, 20, 20),
        (date(2022, 10, 1), "甲", "A", "1", 8, 25, 24),
    ])
    out = month_changes(s, "unit", date(2022, 10, 1)).iloc[0]
    assert out["reported_change_mom"] == 5 and out["reported_change_yoy"] == 15  # 25−20, 25−10
    assert out["rate_change_mom"] == pytest.approx(24 / 25 - 1.0)     # 0.96 − 1.00
    assert out["rate_change_yoy"] == pytest.approx(24 / 25 - 8 / 10)  # 0.96 − 0.80


from analytics.disposal import months_available, only, period_totals  # noqa: E402


def test_months_only_and_period_totals():
    assert months_available(STATS) == [date(2022, 9, 1), date(2022, 10, 1)]
    assert len(only(STATS, "甲街道")) == 3 and len(only(STATS, "甲街道", "B")) == 1
    totals = period_totals(STATS, (date(2022, 10, 1), date(2022, 10, 1)))
    # October: reported 100+0+4 = 104, handled 100+0+6 = 106; previous (September): 100 / 90
    assert totals.loc["current", ["reported", "handled"]].tolist() == [104, 106]
    assert totals.loc["previous", ["reported", "handled"]].tolist() == [100, 90]


def test_month_changes_without_the_year_before_are_unknown_not_zero():
    s = stats([(date(2022, 9, 1), "甲", "A", "1", 6, 20, 20), (date(2022, 10, 1), "甲", "A", "1", 8, 25, 24)])
    out = month_changes(s, "county", date(2022, 10, 1)).iloc[0]
    assert out["reported_change_mom"] == 5
    assert pd.isna(out["reported_yoy"]) and pd.isna(out["reported_change_yoy"]) and pd.isna(out["rate_change_yoy"])


# --- issue 12: comparisons only against a complete period; rates over 100% -------------------------

from analytics.disposal import missing_months  # noqa: E402

HALF = stats([  # statistics for 2022-01 … 2022-06 only
    *[(date(2022, m, 1), "甲", "A", "1", 1, 10, 9) for m in range(1, 7)],
    *[(date(2022, m, 1), "乙", "A", "1", 1, 10, 8) for m in range(1, 7)],
])


def test_missing_months_of_a_period():
    # 2021-11 … 2022-02: the statistics start in 2022-01, so November and December are missing
    assert missing_months(HALF, (date(2021, 11, 1), date(2022, 2, 1))) == [date(2021, 11, 1), date(2021, 12, 1)]
    assert missing_months(HALF, (date(2022, 1, 1), date(2022, 6, 1))) == []


def test_period_totals_say_whether_the_previous_period_is_complete():
    # 2022-04 … 2022-06 → previous 2022-01 … 2022-03: all three months there
    full = period_totals(HALF, (date(2022, 4, 1), date(2022, 6, 1)))
    assert bool(full.loc["previous", "complete"]) and full.loc["previous", "missing"] == 0
    # 2022-03 … 2022-06 → previous 2021-11 … 2022-02: only 2 of its 4 months have data
    half = period_totals(HALF, (date(2022, 3, 1), date(2022, 6, 1)))
    assert not bool(half.loc["previous", "complete"]) and half.loc["previous", "missing"] == 2
    assert bool(half.loc["current", "complete"])


def test_no_rank_change_against_a_half_empty_period():
    # previous period 2021-11 … 2022-02 has 2 of 4 months: ranks from it would compare unlike with like
    out = ranking(HALF, "unit", (date(2022, 3, 1), date(2022, 6, 1))).set_index("unit")
    assert out["rank"].to_dict() == {"甲": 1, "乙": 2}  # 36/40 = 0.9 against 32/40 = 0.8
    assert out["previous_rank"].isna().all() and out["rank_change"].isna().all()
    assert not out["previous_complete"].any()
    # 2022-04 … 2022-06 against the complete 2022-01 … 2022-03: same order, change 0
    out = ranking(HALF, "unit", (date(2022, 4, 1), date(2022, 6, 1))).set_index("unit")
    assert out["previous_complete"].all() and out["rank_change"].to_dict() == {"甲": 0, "乙": 0}


def test_rates_over_100_percent_are_not_ranked():
    # the rule: a rate over 100% (handled > reported) is listed with its rate, marked, and not ranked
    r = rank_rates(rates([
        ("甲", 12, 13, 13 / 12),   # 108.3%: not ranked
        ("乙", 100, 99, 0.99),     # → 1
        ("丙", 50, 45, 0.90),      # → 2
        ("丁", 20, 20, 1.0),       # exactly 100% is ranked → 1 above 乙
    ])).set_index("unit")
    assert pd.isna(r.loc["甲", "rank"]) and r.loc[["乙", "丙", "丁"], "rank"].tolist() == [2, 3, 1]
    assert not r.loc["甲", "ranked"] and bool(r.loc["甲", "over_100"])
    assert not r.loc["丁", "over_100"]


from analytics.disposal import comparison_note, rank_change_label, rate_note  # noqa: E402


def test_comparison_note_says_why_there_is_no_change():
    # 2022-03 … 2022-06 → previous 2021-11 … 2022-02, of which only 2022-01 and 2022-02 have statistics
    assert comparison_note(period_totals(HALF, (date(2022, 3, 1), date(2022, 6, 1)))) == (
        "前一同长统计期(2021年11月—2022年2月)4 个月中只有 2 个月有网格统计,不显示增减和名次变化")
    assert comparison_note(period_totals(HALF, (date(2022, 1, 1), date(2022, 6, 1)))) == (
        "前一同长统计期(2021年7月—2021年12月)没有网格统计,不显示增减和名次变化")
    assert comparison_note(period_totals(HALF, (date(2022, 4, 1), date(2022, 6, 1)))) == (
        "增减和名次变化与前一同长统计期(2022年1月—2022年3月)比较")


@pytest.mark.parametrize("rank, previous, complete, expected", [
    (2, 4, True, "↑2"),
    (3, 1, True, "↓2"),
    (2, 2, True, "–"),             # unchanged
    (2, None, True, "新"),          # not ranked in the previous period
    (None, 2, True, "—"),           # not ranked now
    (2, None, False, "—"),          # the previous period is incomplete: no change at all
])
def test_rank_change_label(rank, previous, complete, expected):
    assert rank_change_label(rank, previous, complete) == expected


def test_rate_note():
    assert rate_note(13 / 12) == "数据异常:处置率超过100%,不参与排名"
    assert rate_note(1.0) == "" and rate_note(float("nan")) == ""


def test_rate_text_marks_rates_over_100():
    from analytics.disposal import rate_text

    assert rate_text(579 / 569) == "101.8%(数据异常)"  # 㮾梨 2021-12
    assert rate_text(0.979) == "97.9%" and rate_text(1.0) == "100.0%" and rate_text(float("nan")) == "—"

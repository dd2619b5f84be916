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

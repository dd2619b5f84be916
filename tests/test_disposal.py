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

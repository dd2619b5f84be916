import math

import pandas as pd
import pytest

from analytics.formatting import fmt_date, fmt_int, fmt_month, fmt_pct


@pytest.mark.parametrize("value, text", [(108512, "108,512"), (0, "0"), (None, "—"), (math.nan, "—"), (1234.6, "1,235")])
def test_int(value, text):
    assert fmt_int(value) == text


@pytest.mark.parametrize("value, text", [(125634 / 128327, "97.9%"), (1.5, "150.0%"), (None, "—"), (math.nan, "—")])
def test_pct(value, text):
    assert fmt_pct(value) == text


def test_dates():
    assert fmt_date(pd.Timestamp("2022-11-14")) == "2022年11月14日"
    assert fmt_date(pd.NaT) == "—"
    assert fmt_month(pd.Timestamp("2022-10-01")) == "2022年10月"

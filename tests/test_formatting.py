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


# --- the one formatting layer (issue #12): expected texts worked out by hand ---

from datetime import date, datetime  # noqa: E402

from analytics.formatting import (  # noqa: E402
    column_kinds,
    csv_value,
    drop_empty_columns,
    export_value,
    fmt_rate_change,
    format_frame,
    format_value,
    infer_kind,
    screen_frame,
)


@pytest.mark.parametrize("value, kind, text", [
    (7542, "count", "7,542"), (3046.0, "count", "3,046"), (92720, "count", "92,720"), (0, "count", "0"),
    (None, "count", "—"), (math.nan, "rate", "—"), (pd.NaT, "date", "—"), (pd.NA, "score", "—"), ("", "text", "—"),
    (None, "text", "—"), ("  ", "text", "—"),
    (0.9623, "rate", "96.2%"), (1.018, "rate", "101.8%"), (0.0, "rate", "0.0%"), (96.25, "percent", "96.3%"),
    (0.0, "rate_change", "0.0 个百分点"), (0.012, "rate_change", "+1.2 个百分点"), (-0.0004, "rate_change", "0.0 个百分点"),
    (-0.0251, "rate_change", "-2.5 个百分点"),
    (87.456, "score", "87.46"), (87.455, "score", "87.46"), (90, "score", "90.00"),
    (1234.5, "number", "1,234.5"), (2.0, "number", "2"), (3.46, "decimal", "3.5"), (1234.0, "decimal", "1,234.0"),
    (datetime(2022, 11, 18), "date", "2022-11-18"), (pd.Timestamp("2022-11-18 00:00:00"), "datetime", "2022-11-18"),
    (pd.Timestamp("2022-11-18 09:30"), "datetime", "2022-11-18 09:30"), (date(2022, 10, 1), "month", "2022年10月"),
    (2022, "plain", "2022"), (2022.0, "plain", "2022"), ("星沙街道", "text", "星沙街道"), (True, "text", "是"),
    (False, "text", "否"),
])
def test_format_value(value, kind, text):
    assert format_value(value, kind) == text


def test_a_rate_change_never_shows_an_arrow_or_plus_zero():
    assert fmt_rate_change(0.0) == "0.0 个百分点"
    assert "↑" not in fmt_rate_change(0.0) and "+0" not in fmt_rate_change(0.00001)


@pytest.mark.parametrize("header, values, kind", [
    ("上报事件", [7542, 3046], "count"), ("处置率", [0.962, 0.979], "rate"), ("报送率", [1.0, 0.5], "rate"),
    ("处置率变化(百分点)", [0.01, -0.02], "rate_change"), ("最终得分", [87.456, 90.0], "score"),
    ("项目编号", ["LH2022-01", "LH2022-02"], "text"), ("年份", [2021, 2022], "plain"), ("名次", [1, 2], "plain"),
    ("最近周报", [pd.Timestamp("2022-11-18"), pd.NaT], "date"),
    ("上传时间", [pd.Timestamp("2022-11-18 09:30"), pd.Timestamp("2022-11-18")], "datetime"),
    ("周次", [date(2022, 11, 14), None], "date"), ("目标值", [3.5, 2.0], "number"), ("目标值", [3.0, 2.0], "count"),
])
def test_kinds_are_inferred_from_the_header_and_values(header, values, kind):
    assert infer_kind(header, pd.Series(values)) == kind


def test_a_given_kind_wins_and_an_unknown_kind_is_refused():
    frame = pd.DataFrame({"处置率": [96.2], "数": [1.0]})
    assert column_kinds(frame, {"处置率": "percent"}) == {"处置率": "percent", "数": "count"}
    with pytest.raises(ValueError, match="未知的列类型"):
        column_kinds(frame, {"数": "money"})


def test_a_whole_table_as_text_has_no_none_nan_or_midnight():
    frame = pd.DataFrame({"单位": ["星沙街道", None], "上报事件": [92720, None], "处置率": [0.9623, math.nan],
                          "最近周报": [pd.Timestamp("2022-11-18"), pd.NaT]})
    assert format_frame(frame).values.tolist() == [["星沙街道", "92,720", "96.2%", "2022-11-18"], ["—", "—", "—", "—"]]


def test_empty_columns_are_dropped_unless_kept():
    frame = pd.DataFrame({"单位": ["a", "b"], "说明": ["", None], "同比": [math.nan, math.nan], "环比": ["—", "—"]})
    assert list(drop_empty_columns(frame).columns) == ["单位"]
    assert list(drop_empty_columns(frame, keep=["同比"]).columns) == ["单位", "同比"]


def test_the_screen_keeps_numbers_as_numbers_and_missing_as_null():
    frame = pd.DataFrame({"上报事件": [7542, None], "处置率": [0.9623, None], "变化(百分点)": [0.0, None],
                          "最近周报": [pd.Timestamp("2022-11-18"), None]})
    kinds = column_kinds(frame)
    shown = screen_frame(frame, kinds)
    assert shown["上报事件"].tolist()[0] == 7542 and pd.isna(shown["上报事件"].tolist()[1])
    assert shown["处置率"].tolist()[0] == pytest.approx(96.23) and pd.isna(shown["处置率"].tolist()[1])
    assert shown["变化(百分点)"].tolist() == ["0.0 个百分点", None]
    assert pd.api.types.is_datetime64_any_dtype(shown["最近周报"]) and pd.isna(shown["最近周报"].tolist()[1])


def test_export_values_are_real_numbers_and_dates():
    assert export_value(7542.0, "count") == 7542 and isinstance(export_value(7542.0, "count"), int)
    assert export_value(96.2, "percent") == pytest.approx(0.962)
    assert export_value(0.012, "rate_change") == pytest.approx(1.2)
    assert export_value(pd.Timestamp("2022-11-18"), "date") == datetime(2022, 11, 18)
    assert export_value(None, "count") == "—"
    assert csv_value(pd.Timestamp("2022-11-18"), "date") == "2022-11-18" and csv_value(math.nan, "rate") == "—"


def test_an_empty_table_keeps_its_columns_whatever_their_type():
    frame = pd.DataFrame({"上报时间": pd.Series([], dtype="datetime64[ns]"), "事件数": pd.Series([], dtype="int64")})
    assert list(drop_empty_columns(frame).columns) == ["上报时间", "事件数"]
    dates = pd.DataFrame({"上报时间": pd.to_datetime([None, None]), "单位": ["a", "b"]})
    assert list(drop_empty_columns(dates).columns) == ["单位"]

"""Chart builders (issue 12): reference lines that name their scope, rates over 100% marked, the roadmap.

Figures are plotly objects: the tests read their traces, shapes and annotations.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import charts


def unit_rates(rows):
    return pd.DataFrame(rows, columns=["unit", "reported", "handled", "rate"])


def annotations(fig) -> list[str]:
    """The texts a reader sees beside the plot: annotations and legend entries."""
    return [a.text for a in fig.layout.annotations] + [t.name for t in fig.data if t.showlegend is not False]


def hlines(fig) -> list[float]:
    """The reference lines (vertical: the rate axis is x)."""
    return sorted(round(s.x0, 6) for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1)


def dots(fig) -> dict:
    return dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))


# 星沙's communities: 甲 98/100, 乙 95/100, 丙 50/50. 星沙 = (98+95+50)/250 = 243/250 = 97.2%; county 96.2%
COMMUNITIES = unit_rates([("甲", 100, 98, 0.98), ("乙", 100, 95, 0.95), ("丙", 50, 50, 1.0)])


def test_drilled_chart_names_its_scope_and_shows_the_county_too():
    fig = charts.disposal_by_unit(COMMUNITIES, 0.962, scope_rate=243 / 250, scope_name="星沙街道")
    texts = annotations(fig)
    assert "星沙街道 97.2%" in texts and "全县 96.2%" in texts
    assert not any(t.startswith("全县 97.2") for t in texts)
    assert hlines(fig) == [96.2, 97.2]


def test_bar_colours_are_set_against_the_drilled_scope_and_never_red():
    fig = charts.disposal_by_unit(COMMUNITIES, 0.962, scope_rate=243 / 250, scope_name="星沙街道")
    colours = dots(fig)
    # 甲 98% and 丙 100% are above 星沙's 97.2%, 乙 95% below it (though 乙 would be below the county too)
    assert colours["甲"] == colours["丙"] != colours["乙"]
    assert set(colours.values()).isdisjoint(set(charts.STATUS_COLOURS.values()) | {charts.RED})
    # 97% is above the county's 96.2% but below 星沙's 97.2%: coloured as below
    fig = charts.disposal_by_unit(unit_rates([("丁", 100, 97, 0.97), ("甲", 100, 98, 0.98)]), 0.962,
                                  scope_rate=0.972, scope_name="星沙街道")
    colours = dots(fig)
    assert colours["丁"] != colours["甲"]


def test_county_chart_draws_one_line_named_for_the_county():
    fig = charts.disposal_by_unit(unit_rates([("甲", 10, 9, 0.9), ("乙", 10, 10, 1.0)]), 0.95)
    assert [t for t in annotations(fig) if "%" in t] == ["全县 95.0%"]
    assert hlines(fig) == [95.0]


def test_rates_over_100_are_marked_on_the_bars():
    # 保家村 13/12 = 108.3%
    fig = charts.disposal_by_unit(unit_rates([("保家村", 12, 13, 13 / 12), ("甲", 100, 99, 0.99)]), 0.99)
    labels = dict(zip(fig.data[0].y, fig.data[0].text, strict=True))
    assert labels["保家村"] == "108.3%(数据异常)" and labels["甲"] == "99.0%"


def test_trend_marks_months_over_100():
    monthly = pd.DataFrame({"month": [date(2021, 11, 1), date(2021, 12, 1)], "reported": [100, 110],
                            "handled": [95, 112], "rate": [0.95, 112 / 110]})
    fig = charts.disposal_trend(monthly)
    marked = [t for t in fig.data if t.name == "处置率超过100%"]
    assert len(marked) == 1 and [pd.Timestamp(x) for x in marked[0].x] == [pd.Timestamp(2021, 12, 1)]
    assert marked[0].y[0] == pytest.approx(101.818, abs=1e-3)  # 112/110


MILESTONES = pd.DataFrame([  # seq order 1..5; 2 and 5 slipped or are late, 3 is not due
    ("P1", 1, "调研", date(2022, 7, 1), date(2022, 7, 1)),
    ("P1", 2, "方案", date(2022, 8, 1), date(2022, 8, 20)),   # done 19 days late (a slippage trace)
    ("P1", 3, "试点", date(2022, 10, 1), None),               # overdue on 2022-10-15
    ("P1", 4, "推广", date(2022, 11, 1), None),               # not yet due
    ("P1", 5, "总结", date(2022, 9, 1), date(2022, 8, 25)),   # done early (a slippage trace)
], columns=["project_id", "seq", "milestone", "planned_on", "done_on"]).sample(frac=1, random_state=3)


def test_roadmap_keeps_milestone_order():
    fig = charts.roadmap(MILESTONES, date(2022, 10, 15))
    order = ["1. 调研", "2. 方案", "3. 试点", "4. 推广", "5. 总结"]
    assert list(fig.layout.yaxis.categoryarray) == order
    assert fig.layout.yaxis.categoryorder == "array" and fig.layout.yaxis.autorange == "reversed"


def test_roadmap_marks_overdue_milestones():
    fig = charts.roadmap(MILESTONES, date(2022, 10, 15))
    overdue = [t for t in fig.data if t.name == "逾期未完成"]
    assert len(overdue) == 1 and list(overdue[0].y) == ["3. 试点"]  # 4 is not due, 1/2/5 are done


def test_roadmap_date_label_clear_of_the_legend():
    fig = charts.roadmap(MILESTONES, date(2022, 10, 15))
    label = next(a for a in fig.layout.annotations if "数据日期" in a.text)
    assert "2022-10-15" in label.text
    # the legend sits above the plot; the date label at the foot of the line, inside the plot
    assert fig.layout.legend.y > 1 and label.yref == "paper" and label.y <= 0.05


def test_units_are_rows_best_on_top_on_a_round_percent_axis():
    """Names on the y-axis (readable on a phone, never rotated), dots not bars on the truncated axis."""
    fig = charts.disposal_by_unit(unit_rates([("乙", 100, 86, 0.86), ("甲", 100, 99, 0.99), ("丙", 100, 95, 0.95)]),
                                  0.933)
    assert fig.data[0].type == "scatter" and list(fig.data[0].y) == ["乙", "丙", "甲"]  # plotly draws bottom-up
    assert not fig.layout.xaxis.tickangle and not fig.layout.yaxis.tickangle
    # lowest value 86 less 1 → 85 is the multiple of 5 below; 100 plus room for the labels
    assert list(fig.layout.xaxis.range) == [85, 104] and fig.layout.xaxis.dtick == 5
    assert fig.layout.xaxis.ticksuffix == "%"


def test_value_labels_never_cross_a_reference_line():
    fig = charts.disposal_by_unit(unit_rates([("乙", 100, 95, 0.95), ("甲", 100, 99, 0.99)]), 0.962)
    sides = dict(zip(fig.data[0].y, fig.data[0].textposition, strict=True))
    assert sides == {"乙": "middle left", "甲": "middle right"}  # 95.0% left of its dot, away from the 96.2% line

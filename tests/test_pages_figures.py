"""Issue 12 on the pages: figures that say what they cover, compare like with like, and look back honestly.

Run under AppTest against the sample database; expected values worked out by hand from the sample
(counts quoted in the comments come from the sample workbooks).
"""

from __future__ import annotations

import json
from datetime import date

from conftest import app_test
from ui.text import md_unescape


def page(path: str):
    at = app_test()
    at.run()
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)


def annotation_texts(spec: dict) -> list[str]:
    """Texts beside the plot: annotations and the legend's entries (the reference lines are named there)."""
    return ([a.get("text", "") for a in spec["layout"].get("annotations", [])]
            + [t.get("name", "") for t in spec["data"] if t.get("showlegend", True) is not False])


def metrics(at) -> dict:
    return {m.label: m for m in at.metric}


def table_with(at, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def captions(at) -> str:
    """The captions as a reader sees them (data in them is Markdown-escaped)."""
    return "\n".join(md_unescape(c.value) for c in at.caption)


# 1 --------------------------------------------------------------------------------------------------

def test_drilled_rate_chart_names_the_street_and_keeps_the_county_line(app_db):
    at = page("views/grid.py")
    at.selectbox(key="drill_unit").select("星沙街道").run()
    texts = annotation_texts(chart(at, "chart_grid_rates"))
    # 星沙 2021-11 … 2022-10: 125,634 ÷ 128,327 = 97.9%; the county 324,936 ÷ 337,603 = 96.2%
    assert "星沙街道 97.9%" in texts and "全县 96.2%" in texts
    assert "全县 97.9%" not in texts


# 2 --------------------------------------------------------------------------------------------------

def test_no_kpi_change_against_a_half_empty_period(app_db):
    at = page("views/grid.py")
    at.select_slider(key="grid_period").set_value((date(2022, 2, 1), date(2022, 10, 1))).run()
    assert not at.exception
    m = metrics(at)
    # previous period 2021-05 … 2022-01 has statistics for 2021-11, 2021-12, 2022-01 only: no change shown
    assert all(m[label].delta in (None, "") for label in ("采集基础数据(条)", "上报事件(件)", "处置事项(件)", "全县处置率"))
    assert "前一同长统计期(2021年5月—2022年1月)9 个月中只有 3 个月有网格统计,不显示增减和名次变化" in captions(at)
    # no comparison: the ranking has no 名次变化 column at all (a column of "—" only is empty for the view)
    assert "名次变化" not in table_with(at, "名次").columns


def test_kpi_change_against_a_complete_period(app_db):
    at = page("views/grid.py")
    at.select_slider(key="grid_period").set_value((date(2022, 10, 1), date(2022, 10, 1))).run()
    m = metrics(at)
    assert m["上报事件(件)"].delta not in (None, "")  # September 2022 is there
    assert "增减和名次变化与前一同长统计期(2022年9月—2022年9月)比较" in captions(at)


# 3 --------------------------------------------------------------------------------------------------

def test_event_analysis_says_whose_events_it_shows(app_db):
    at = page("views/grid.py")
    assert "事件明细仅含 㮾梨街道:以下事件数字只代表该街道,不是全县。" in captions(at)
    at.selectbox(key="drill_unit").select("星沙街道").run()
    assert any("星沙街道没有事件明细(统计期内事件明细仅含 㮾梨街道)" in md_unescape(i.value) for i in at.info)
    assert not [w for w in at.get("button_group") if w.key == "events_view"]  # no event figures for 星沙


def test_event_analysis_follows_the_community(app_db):
    at = page("views/grid.py")
    at.selectbox(key="drill_unit").select("㮾梨街道").run()
    at.segmented_control(key="events_view").set_value("处置状态").run()
    street = table_with(at, "处置状态")["事件数"].sum()
    at.selectbox(key="drill_community").select("保家村").run()
    assert "以下事件数字:㮾梨街道 · 保家村。" in captions(at)
    village = table_with(at, "处置状态")["事件数"].sum()
    # the sample's 7,542 events of 㮾梨 (2021-11 … 2022-10), 719 of them in 保家村 (its monthly reports sum to 719)
    assert (street, village) == (7542, 719)


# 6 --------------------------------------------------------------------------------------------------

def test_rates_over_100_marked_in_kpi_and_not_ranked(app_db):
    at = page("views/grid.py")
    at.selectbox(key="drill_unit").select("㮾梨街道").run()
    at.select_slider(key="grid_period").set_value((date(2021, 12, 1), date(2021, 12, 1))).run()
    # 㮾梨 2021-12: 579 handled ÷ 569 reported = 101.8%
    assert metrics(at)["㮾梨街道处置率"].value == "101.8%(数据异常)"
    assert any("101.8%" in w.value and "数据异常" in w.value for w in at.warning)
    assert table_with(at, "环比").set_index("指标").loc["处置率", "2021年12月"] == "101.8%(数据异常)"
    at.select_slider(key="grid_period").set_value((date(2022, 9, 1), date(2022, 9, 1))).run()
    ranking = table_with(at, "名次").set_index("村社区")
    # 保家村 2022-09: 65 ÷ 60 = 108.3%: listed, marked, not ranked (it used to be #1)
    assert ranking.loc["保家村", "名次"] == "不排名"
    assert ranking.loc["保家村", "说明"] == "数据异常:处置率超过100%,不参与排名"
    assert "处置率超过100%" in captions(at) and "不参与排名" in captions(at)
    trend = chart(at, "chart_grid_rates")
    labels = dict(zip(trend["data"][0]["y"], trend["data"][0]["text"], strict=True))
    assert labels["保家村"] == "108.3%(数据异常)"


def test_grid_level_drill_filters_events_to_the_grid(app_db):
    at = page("views/grid.py")
    at.selectbox(key="drill_unit").select("㮾梨街道").run()
    at.selectbox(key="drill_community").select("保家村").run()
    grid = at.selectbox(key="drill_grid").options[1]
    at.selectbox(key="drill_grid").select(grid).run()
    assert not at.exception
    assert f"以下事件数字:㮾梨街道 · 保家村 · {grid}。" in captions(at)
    at.segmented_control(key="events_view").set_value("处置状态").run()
    events = table_with(at, "处置状态")["事件数"].sum()
    # 㮾梨's statistics are counted from its events: the grid's events equal its reported events
    assert events == int(metrics(at)["上报事件(件)"].value.replace(",", ""))
    assert metrics(at)["上报事件(件)"].value != "719"  # not the whole village


# 4 --------------------------------------------------------------------------------------------------

def test_past_week_reporting_rate_counts_projects_closed_later(app_db):
    at = page("views/dispatch.py")
    at.selectbox(key="dispatch_week").set_value(date(2022, 8, 29)).run()
    assert not at.exception
    m = metrics(at)
    # in the week of 2022-08-29 all 34 projects were running: LH2022-12 finished 2022-10-28, LH2022-30
    # 2022-11-04, LH2022-33 reported until the week of 2022-09-05 before it was terminated; 33 reported
    assert m["应报项目"].value == "34 个"
    assert m["本周报送率"].value == "97.1%"  # 33 ÷ 34 = 0.9706 (not 30 ÷ 31 = 96.8%)


def test_status_on_a_past_date_is_not_a_later_completion(app_db):
    at = app_test()
    at.run()
    at.date_input(key="as_of").set_value(date(2022, 9, 30)).run()
    at.switch_page("views/project.py")
    at.run()
    at.selectbox(key="detail_project").select("LH2022-12").run()
    assert not at.exception
    # LH2022-12's last milestone was done on 2022-10-28: on 2022-09-30 it was not yet 已完成
    assert metrics(at)["状态"].value != "已完成"
    assert metrics(at)["状态"].value in ("红", "黄", "绿")


# 5 --------------------------------------------------------------------------------------------------

def test_default_data_date_is_the_latest_date_of_the_data_and_shown(app_db):
    at = page("views/projects.py")
    # the sample's latest fact: a milestone done on Friday 2022-11-18 (the latest report is for the week of
    # 11-14); not the Sunday 2022-11-20 after it
    assert at.date_input(key="as_of").value == date(2022, 11, 18)
    assert any(c.value.startswith("数据最新到 2022年11月18日") for c in at.sidebar.caption)
    assert "按 2022年11月18日 计算" in captions(at)


# 7 --------------------------------------------------------------------------------------------------

def review_board(at):
    return table_with(at, "项目编号").set_index("项目编号")


def test_round_view_applies_a_flag_only_from_its_date(app_db):
    at = page("views/review.py")
    final = review_board(at)
    # the final view: LH2022-17 flagged 铺张浪费 on 2022-10-21 is disqualified
    assert final.loc["LH2022-17", "状态"] == "取消资格"
    at.segmented_control(key="review_round").set_value(1).run()
    assert not at.exception
    # 截至第1轮 with no round date given: no flag of a later date may count
    assert review_board(at).loc["LH2022-17", "状态"] != "取消资格"
    assert "未填第1轮评审日期:4 条项目标记均未计入;填写后计入该日及以前的标记(标记自其日期起生效)。" in captions(at)
    at.date_input(key="review_round_date").set_value(date(2022, 8, 31)).run()
    assert review_board(at).loc["LH2022-17", "状态"] != "取消资格"
    assert "按第1轮评审日期 2022-08-31,4 条之后的项目标记未计入(标记自其日期起生效)。" in captions(at)
    at.date_input(key="review_round_date").set_value(date(2022, 10, 31)).run()
    assert review_board(at).loc["LH2022-17", "状态"] == "取消资格"  # flagged 10-21, before 10-31


def test_computed_and_decided_commendations_shown_apart(app_db):
    at = page("views/review.py")
    board = review_board(at)
    # the department decided 通报表扬 for LH2022-01, -04 and -18 (项目标记, 2022-11-16)
    assert sorted(board.index[board["组织部通报表扬"] == "是"]) == ["LH2022-01", "LH2022-04", "LH2022-18"]
    assert (board["建议通报表扬"] == "是").sum() >= 10  # the computed top 10 (ties included)
    m = metrics(at)
    assert m["组织部通报表扬"].value == "3 个" and "建议通报表扬" in m
    at.segmented_control(key="review_round").set_value(1).run()
    at.date_input(key="review_round_date").set_value(date(2022, 8, 31)).run()
    assert review_board(at)["组织部通报表扬"].isna().all()  # not decided yet on 2022-08-31 (shown "—")
    assert metrics(at)["组织部通报表扬"].value == "0 个"


# 8 --------------------------------------------------------------------------------------------------

def test_project_roadmap_in_order_with_overdue_marked(app_db):
    at = page("views/project.py")
    at.selectbox(key="detail_project").select("LH2022-15").run()
    assert not at.exception
    spec = chart(at, "chart_roadmap")
    # LH2022-15: 1 调研摸底, 2 方案制定, 3 试点推进 done early (slippage traces for 1, 2, 3), 4 全面铺开 planned
    # 2022-11-10 and not done on 数据日期 2022-11-18 (8 days overdue), 5 总结提炼 due 2022-12-20
    assert spec["layout"]["yaxis"]["categoryarray"] == ["1. 调研摸底", "2. 方案制定", "3. 试点推进", "4. 全面铺开",
                                                        "5. 总结提炼"]
    overdue = [t for t in spec["data"] if t.get("name") == "逾期未完成"]
    assert len(overdue) == 1 and overdue[0]["y"] == ["4. 全面铺开"] and overdue[0]["customdata"] == [8]
    assert "数据日期 2022-11-18" in annotation_texts(spec)

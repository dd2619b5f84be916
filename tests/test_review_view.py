"""Review display shaping: tiny literal frames, every expected value worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.review import ReviewSettings, judge_breakdown
from analytics.review_view import (
    ALL_ROUNDS,
    BOARD_COLUMNS,
    board_display,
    breakdown_tables,
    consistency_table,
    held_rounds,
    judge_matrix,
    missing_table,
    project_labels,
    ranking_board,
    ranking_summary,
    round_arithmetic,
    round_choice_label,
    round_choices,
    round_score_points,
    rules_text,
    scores_up_to,
)

SCORE_COLUMNS = ["round", "project_id", "judge", "score_measures", "score_timeliness", "score_results"]


def scores(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=SCORE_COLUMNS)


PROJECTS = pd.DataFrame({
    "project_id": ["P1", "P2", "P3"],
    "name": ["345工程", "三务积分", "支部建在网格上"],
    "unit": ["星沙街道", "黄兴镇", "㮾梨街道"],
    "leader": ["石争", "张韧", "李四"],
})

# rank_projects' shape: P2 ranked 1st, P1 misses round 2, P4 (not in PROJECTS) disqualified
RANKING = pd.DataFrame({
    "project_id": ["P2", "P1", "P4"],
    "round_1": [84.0, 80.0, 90.0],
    "round_2": [84.42, math.nan, 88.0],
    "round_3": [math.nan, math.nan, math.nan],
    "final_score": [84.21, math.nan, 89.0],
    "rank": pd.array([1, None, None], dtype="Int64"),
    "status": ["已排名", "评审未完成", "取消资格"],
    "bonus": [3.0, 0.0, 0.0],
    "commended": [True, False, False],
    "explanation": [
        "第1轮 84.00(…)×0.5 + 第2轮 84.42(…)×0.5 = 最终得分 84.21;排名第1,通报表扬,加3分",
        "评审未完成:缺第2轮评分;已有第1轮 80.00",
        "取消资格:铺张浪费——宣传品超标;不参与排名,不加分;得分仅供参考:…",
    ],
})

# five judges, totals A 80, B 90, C 70, D 85, E 75
FIVE = scores(
    (1, "P1", "A", 25, 25, 30), (1, "P1", "B", 28, 27, 35), (1, "P1", "C", 20, 20, 30),
    (1, "P1", "D", 26, 24, 35), (1, "P1", "E", 22, 23, 30),
)


@pytest.mark.parametrize("rounds, held, choices", [
    pytest.param([], [], [ALL_ROUNDS], id="no scores: only 最终"),
    pytest.param([1, 1], [1], [3], id="one round held: 截至第1轮 would equal 最终"),
    pytest.param([2, 1], [1, 2], [3, 1], id="two rounds"),
    pytest.param([3, 1, 2, 2], [1, 2, 3], [3, 1, 2], id="three rounds"),
])
def test_round_choices(rounds, held, choices):
    table = scores(*[(r, "P1", "A", 1, 1, 1) for r in rounds])
    assert held_rounds(table) == held
    assert round_choices(table) == choices


def test_round_choice_labels():
    assert [round_choice_label(c) for c in (3, 1, 2)] == ["最终(全部轮次)", "截至第1轮", "截至第2轮"]


def test_scores_up_to_keeps_earlier_rounds_and_leaves_input_alone():
    table = scores((1, "P1", "A", 1, 1, 1), (2, "P1", "A", 2, 2, 2), (3, "P1", "A", 3, 3, 3))
    before = table.copy()
    assert scores_up_to(table, 2)["round"].tolist() == [1, 2]
    assert scores_up_to(table, 3)["round"].tolist() == [1, 2, 3]
    pd.testing.assert_frame_equal(table, before)


def test_ranking_board():
    board = ranking_board(RANKING, PROJECTS)
    assert list(board.columns) == BOARD_COLUMNS
    assert board["项目编号"].tolist() == ["P2", "P1", "P4"]
    assert board["名次"].iloc[0] == 1 and board["名次"].iloc[1:].isna().all()
    assert board.loc[0, ["项目名称", "牵头单位", "第一责任人"]].tolist() == ["三务积分", "黄兴镇", "张韧"]
    assert pd.isna(board.loc[2, "项目名称"])  # unknown project kept, not dropped
    assert board["最终得分"].iloc[0] == 84.21 and board["第2轮"].iloc[0] == 84.42
    assert board["加分"].tolist() == [3.0, 0.0, 0.0]
    assert board["建议通报表扬"].tolist() == ["是", "", ""]
    assert board["组织部通报表扬"].tolist() == ["", "", ""]  # no flags given
    assert board["状态"].tolist() == ["已排名", "评审未完成", "取消资格"]
    assert board["说明"].tolist() == ["", "评审未完成:缺第2轮评分", "取消资格:铺张浪费——宣传品超标"]


def test_ranking_board_keeps_only_held_rounds():
    board = ranking_board(RANKING, PROJECTS, rounds=[1, 2])
    assert "第3轮" not in board.columns and ["第1轮", "第2轮"] == [c for c in board.columns if c.endswith("轮")]
    assert list(ranking_board(RANKING, PROJECTS, rounds=[1, 2, 3]).columns) == BOARD_COLUMNS


def test_board_display_shows_dashes_for_missing_numbers():
    shown = board_display(ranking_board(RANKING, PROJECTS, rounds=[1, 2]))
    assert shown["名次"].tolist() == ["1", "—", "—"]
    assert shown["第2轮"].tolist() == ["84.42", "—", "88.00"]
    assert shown["最终得分"].tolist() == ["84.21", "—", "89.00"]
    assert shown["加分"].tolist() == ["3", "0", "0"]
    assert shown["项目编号"].tolist() == ["P2", "P1", "P4"]


def test_ranking_board_rounds_to_two_decimals():
    ranking = RANKING.assign(final_score=[84.2166667, math.nan, 89.0])
    assert ranking_board(ranking, PROJECTS)["最终得分"].iloc[0] == 84.22


def test_ranking_summary():
    assert ranking_summary(RANKING) == {"ranked": 1, "commended": 1, "disqualified": 1, "projects": 3}


def test_project_labels_follow_the_ranking():
    assert project_labels(RANKING, PROJECTS) == {"P2": "P2 三务积分", "P1": "P1 345工程", "P4": "P4"}


def test_breakdown_tables_mark_dropped_scores():
    tables = breakdown_tables(judge_breakdown(FIVE, "P1"))
    assert list(tables) == [1]
    table = tables[1]
    assert list(table.columns) == ["评委", "举措实在", "解难实时", "成果实用", "合计", "说明"]
    assert table["合计"].tolist() == [80, 90, 70, 85, 75]
    assert table["说明"].tolist() == ["", "去掉最高分", "去掉最低分", "", ""]


@pytest.mark.parametrize("judges, text", [
    pytest.param("ABCDE", "5名评委;去掉最高分90.0(B)和最低分70.0(C),其余3名评委合计240.0 ÷ 3 = 80.00",
                 id="5 judges: (80+85+75)/3 = 80"),
    pytest.param("ABCD", "4名评委;不去分,全部评委合计325.0 ÷ 4 = 81.25",
                 id="4 judges: (80+90+70+85)/4 = 81.25"),
])
def test_round_arithmetic(judges, text):
    table = FIVE[FIVE["judge"].isin(list(judges))]
    assert round_arithmetic(breakdown_tables(judge_breakdown(table, "P1"))[1]) == text


def test_round_arithmetic_keeps_quarter_points():
    # totals 80.25, 90, 70, 85, 75: keep 80.25 + 85 + 75 = 240.25, /3 = 80.083
    table = FIVE.astype({"score_results": "float64"})
    table.loc[0, "score_results"] = 30.25
    assert round_arithmetic(breakdown_tables(judge_breakdown(table, "P1"))[1]).endswith(
        "合计240.25 ÷ 3 = 80.08")


def test_breakdown_totals_lose_float_noise():
    # 28.8 + 30 + 36.9 = 95.69999999999999 in floating point; shown as 95.7
    table = scores(*[(1, "P1", j, 28.8, 30, 36.9) for j in "ABC"])
    assert breakdown_tables(judge_breakdown(table, "P1"))[1]["合计"].tolist() == [95.7, 95.7, 95.7]


def test_consistency_table():
    consistency = pd.DataFrame({"round": [1], "judge": ["A"], "n_projects": [3], "mean_total": [80.0 + 1 / 3],
                                "bias": [-5.5555], "label": ["打分偏低"]})
    table = consistency_table(consistency)
    assert list(table.columns) == ["轮次", "评委", "参与比较的项目数", "平均总分", "与其他评委平均分之差", "提示"]
    assert table.iloc[0].tolist() == [1, "A", 3, 80.33, -5.56, "打分偏低"]


def test_judge_matrix():
    table = scores(
        (1, "P1", "B", 10, 10, 10), (1, "P1", "A", 20, 20, 20), (1, "P2", "A", 5, 5, 5),
        (2, "P1", "A", 1, 1, 1),
    )
    # round 1: A scored P1 60 and P2 15; B scored P1 30 only; ranking order puts P2 first
    matrix = judge_matrix(table, 1, order=["P2", "P1"])
    assert list(matrix.index) == ["A", "B"] and list(matrix.columns) == ["P2", "P1"]
    assert matrix.loc["A"].tolist() == [15, 60]
    assert math.isnan(matrix.loc["B", "P2"]) and matrix.loc["B", "P1"] == 30
    assert judge_matrix(table, 2).loc["A", "P1"] == 3
    assert judge_matrix(table, 3).empty


def test_round_score_points_leave_out_missing_rounds():
    points = round_score_points(RANKING, {"P2": "P2 三务积分"})
    # P2 has rounds 1 and 2, P1 round 1, P4 rounds 1 and 2; round 3 nobody
    assert sorted(zip(points["round"], points["project"], points["score"], strict=True)) == [
        (1, "P1", 80.0), (1, "P2 三务积分", 84.0), (1, "P4", 90.0), (2, "P2 三务积分", 84.42), (2, "P4", 88.0),
    ]


def test_missing_table():
    missing = pd.DataFrame({"round": [2], "judge": ["B"], "project_id": ["P3"]})
    assert missing_table(missing, PROJECTS).iloc[0].tolist() == [2, "B", "P3", "支部建在网格上"]
    assert missing_table(missing.iloc[0:0], PROJECTS).empty


@pytest.mark.parametrize("rounds, formula", [
    pytest.param([1, 2, 3], "最终得分 = 第1轮×0.3 + 第2轮×0.3 + 第3轮×0.4", id="all rounds"),
    pytest.param([1, 2], "最终得分 = 第1轮×0.5 + 第2轮×0.5", id="two rounds: 0.3/0.6 each"),
    pytest.param([1], "最终得分 = 第1轮×1", id="one round"),
])
def test_rules_text_reads_the_settings(rounds, formula):
    text = rules_text(ReviewSettings(), rounds)
    assert formula in text
    assert "举措实在(30分)+解难实时(30分)+成果实用(40分)" in text
    assert "第1–3名加3分、第4–10名加2分、第11–15名加1分" in text
    assert "前10名建议通报表扬" in text and "弄虚作假、铺张浪费的项目取消资格" in text


def test_rules_text_with_other_settings():
    settings = ReviewSettings(round_weights=(1, 1, 2), trim_min_judges=7, bonus_tiers=((5, 2.5),), commend_top=5)
    text = rules_text(settings, [1, 2, 3])
    assert "第1轮×0.25 + 第2轮×0.25 + 第3轮×0.5" in text
    assert "达到7人" in text and "第1–5名加2.5分" in text and "前5名建议通报表扬" in text


# --- issue 12: a flag applies from its date; computed and decided commendations named apart -----------

from datetime import date  # noqa: E402

from analytics.review_view import DECIDED_COMMEND, SUGGESTED_COMMEND, flags_as_of  # noqa: E402

FLAGS = pd.DataFrame({
    "project_id": ["P4", "P2", "P1"],
    "flag": ["铺张浪费", "通报表扬", "通报表扬"],
    "reason": ["宣传品超标", "成效突出", "成效突出"],
    "flagged_on": [date(2022, 10, 21), date(2022, 11, 16), date(2022, 11, 16)],
})


def test_flags_apply_from_their_date():
    assert flags_as_of(FLAGS, date(2022, 10, 20)).empty
    assert flags_as_of(FLAGS, date(2022, 10, 21))["project_id"].tolist() == ["P4"]  # on the day itself
    assert flags_as_of(FLAGS, None)["project_id"].tolist() == ["P4", "P2", "P1"]   # no date: all of them
    assert len(FLAGS) == 3  # the argument is left alone


def test_board_names_the_computed_and_the_decided_commendation_apart():
    board = ranking_board(RANKING, PROJECTS, flags=FLAGS)
    # computed: P2 is ranked 1st (top 10); decided by the department: P2 and P1 (P1 has no complete score)
    assert board[SUGGESTED_COMMEND].tolist() == ["是", "", ""]
    assert board[DECIDED_COMMEND].tolist() == ["是", "是", ""]
    assert SUGGESTED_COMMEND == "建议通报表扬" and DECIDED_COMMEND == "组织部通报表扬"
    assert "通报表扬" not in board.columns  # no column that could mean either
    # without flags as of the round's date, nothing was decided yet
    early = ranking_board(RANKING, PROJECTS, flags=flags_as_of(FLAGS, date(2022, 9, 1)))
    assert early[DECIDED_COMMEND].tolist() == ["", "", ""]

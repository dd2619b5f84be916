"""Review scoring and ranking: every expected value is worked out by hand below."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analytics.review import (
    ReviewSettings,
    bonus_for_rank,
    judge_breakdown,
    judge_consistency,
    missing_scores,
    rank_projects,
    round_scores,
    settings_help,
    validate_scores,
)

Cells = dict[tuple[int, str, str], tuple[float, float, float]]

RANKING_COLUMNS = [
    "project_id", "round_1", "round_2", "round_3", "final_score",
    "rank", "status", "bonus", "commended", "explanation",
]
NO_FLAGS = pd.DataFrame(columns=["project_id", "flag", "reason", "flagged_on"])


def sheet(cells: Cells) -> pd.DataFrame:
    """Score rows from {(round, project, judge): (举措实在, 解难实时, 成果实用)}."""
    return pd.DataFrame(
        [
            {"round": rnd, "project_id": pid, "judge": judge,
             "score_measures": m, "score_timeliness": t, "score_results": r, "note": None}
            for (rnd, pid, judge), (m, t, r) in cells.items()
        ],
        columns=["round", "project_id", "judge", "score_measures", "score_timeliness", "score_results", "note"],
    )


def flags(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """Flag rows from (project_id, flag, reason), all dated 2023-03-01."""
    return pd.DataFrame(
        [{"project_id": p, "flag": f, "reason": why, "flagged_on": date(2023, 3, 1)} for p, f, why in rows],
        columns=["project_id", "flag", "reason", "flagged_on"],
    )


def one_round(totals: dict[str, tuple[float, float, float]], judge: str = "J") -> pd.DataFrame:
    """Round 1 only, one judge: each project's round score is that judge's total."""
    return sheet({(1, pid, judge): cell for pid, cell in totals.items()})


def by_project(ranking: pd.DataFrame) -> pd.DataFrame:
    return ranking.set_index("project_id")


def ranks(ranking: pd.DataFrame) -> dict[str, int | None]:
    return {p: (None if pd.isna(r) else int(r)) for p, r in zip(ranking["project_id"], ranking["rank"])}


# ---------------------------------------------------------------- round scores

FIVE = {"A": (25, 25, 30), "B": (28, 27, 35), "C": (20, 20, 30), "D": (26, 24, 35), "E": (22, 23, 30)}
# totals: A 80, B 90, C 70, D 85, E 75


@pytest.mark.parametrize("judges, score, high, low, mean_results", [
    pytest.param(FIVE, 80.0, "B", "C", 32.0, id="5 judges: drop B 90 and C 70, (80+85+75)/3 = 80; 成果 160/5 = 32"),
    pytest.param({j: FIVE[j] for j in "ABCD"}, 81.25, None, None, 32.5,
                 id="4 judges: plain mean (80+90+70+85)/4 = 81.25; 成果 (30+35+30+35)/4 = 32.5"),
    pytest.param(
        {"A": (25, 25, 30), "B": (26, 26, 30), "C": (25, 25, 35), "D": (28, 28, 35),
         "E": (20, 20.5, 30), "F": (24, 24, 30), "G": (27, 26, 35)},
        82.6, "D", "E", 225 / 7,
        id="7 judges: totals 80 82 85 91 70.5 78 88, drop 91 and 70.5, 413/5 = 82.6; 成果 225/7",
    ),
    pytest.param(
        {"A": (28, 27, 35), "B": (27, 28, 35), "C": (25, 25, 30), "D": (20, 20, 30), "E": (22, 23, 30)},
        245 / 3, "A", "D", 32.0,
        id="A and B tie at 90: only A (first by name) dropped, (90+80+75)/3 = 81.667",
    ),
    pytest.param(
        {"A": (25, 25, 30), "B": (28, 27, 35), "C": (20, 20, 30), "D": (20, 20, 30), "E": (22, 23, 30)},
        75.0, "B", "C", 31.0,
        id="C and D tie at 70: only C dropped, (80+70+75)/3 = 75; 成果 155/5 = 31",
    ),
    pytest.param({j: (25, 25, 30) for j in "ABCDE"}, 80.0, "A", "B", 30.0,
                 id="all 80: A dropped as highest, B as lowest, 80"),
    pytest.param(
        # in floats 0.1+0.2+39.9 = 40.199999999999996 < 0.2+0+40 = 40.2: equal at 6 decimals
        {"A": (0.1, 0.2, 39.9), "B": (0.2, 0, 40), "C": (0, 0, 10), "D": (0, 0, 20), "E": (0, 0, 30)},
        (40.2 + 20 + 30) / 3, "A", "C", 139.9 / 5,
        id="A and B tie at 40.2 despite float noise: A dropped; (40.2+20+30)/3 = 30.067; 成果 139.9/5",
    ),
])
def test_round_score(judges, score, high, low, mean_results):
    table = round_scores(sheet({(1, "P1", j): cell for j, cell in judges.items()}))
    assert len(table) == 1
    row = table.iloc[0]
    assert row["n_judges"] == len(judges)
    assert row["round_score"] == pytest.approx(score)
    assert row["dropped_high_judge"] == high
    assert row["dropped_low_judge"] == low
    assert row["mean_results"] == pytest.approx(mean_results)


def test_round_scores_one_row_per_round_and_project():
    cells: Cells = {(1, "P1", j): c for j, c in FIVE.items()}
    cells[(2, "P1", "A")] = (20, 20, 30)   # 70
    cells[(1, "P2", "A")] = (10, 10, 20)   # 40
    table = round_scores(sheet(cells))
    assert list(zip(table["round"], table["project_id"])) == [(1, "P1"), (1, "P2"), (2, "P1")]
    assert table["round_score"].tolist() == pytest.approx([80.0, 40.0, 70.0])
    assert table["dropped_high_total"].iloc[0] == 90.0 and table["dropped_low_total"].iloc[0] == 70.0
    assert math.isnan(table["dropped_high_total"].iloc[1])


def test_trim_min_judges_is_a_setting():
    # 4 judges, trimming from 4: drop B 90 and C 70, (80+85)/2 = 82.5
    four = sheet({(1, "P1", j): FIVE[j] for j in "ABCD"})
    table = round_scores(four, ReviewSettings(trim_min_judges=4))
    assert table["round_score"].iloc[0] == pytest.approx(82.5)


# ---------------------------------------------------------------- judge breakdown


def test_judge_breakdown_drops_exactly_one_of_tied_highest():
    cells: Cells = {
        (1, "P1", "B"): (27, 28, 35),  # 90, tied highest
        (1, "P1", "A"): (28, 27, 35),  # 90, tied highest, first by name → dropped
        (1, "P1", "C"): (25, 25, 30),  # 80
        (1, "P1", "D"): (20, 20, 30),  # 70, lowest → dropped
        (1, "P1", "E"): (22, 23, 30),  # 75
        (1, "P2", "A"): (10, 10, 10),  # another project: not shown
    }
    table = judge_breakdown(sheet(cells), "P1")
    assert table["judge"].tolist() == ["A", "B", "C", "D", "E"]
    assert table["total"].tolist() == [90.0, 90.0, 80.0, 70.0, 75.0]
    assert table["dropped"].tolist() == [True, False, False, True, False]
    assert table["dropped_as"].tolist() == ["最高分", "", "", "最低分", ""]
    assert table["dropped"].dtype == bool


def test_judge_breakdown_without_trimming_and_unknown_project():
    cells: Cells = {(1, "P1", j): FIVE[j] for j in "ABC"} | {(2, "P1", "A"): (20, 20, 30)}
    table = judge_breakdown(sheet(cells), "P1")
    assert list(zip(table["round"], table["judge"])) == [(1, "A"), (1, "B"), (1, "C"), (2, "A")]
    assert not table["dropped"].any()
    assert judge_breakdown(sheet(cells), "P9").empty


# ---------------------------------------------------------------- ranking


def test_explanation_spells_out_the_arithmetic():
    ranking = rank_projects(sheet({(1, "P1", j): c for j, c in FIVE.items()}), NO_FLAGS)
    # one round held → weight 1; (80+85+75)/3 = 80
    assert ranking["explanation"].iloc[0] == (
        "第1轮 80.00（5名评委,去掉最高分90.0和最低分70.0后取平均）×1 = 最终得分 80.00;排名第1,建议通报表扬,加3分"
    )


def test_final_score_ties_are_broken_by_latest_round():
    cells: Cells = {
        # P1: 0.3×70 + 0.3×70 + 0.4×82 = 21 + 21 + 32.8 = 74.8 (in floats 74.80000000000001)
        (1, "P1", "J"): (20, 20, 30), (2, "P1", "J"): (20, 20, 30), (3, "P1", "J"): (25, 25, 32),
        # P2: 0.3×68 + 0.3×68 + 0.4×85 = 20.4 + 20.4 + 34 = 74.8 (in floats 74.8)
        (1, "P2", "J"): (19, 19, 30), (2, "P2", "J"): (19, 19, 30), (3, "P2", "J"): (25, 25, 35),
    }
    ranking = rank_projects(sheet(cells), NO_FLAGS)
    # equal after rounding to 6 decimals, so round 3 decides: P2 85 > P1 82
    assert ranking["project_id"].tolist() == ["P2", "P1"]
    assert ranks(ranking) == {"P2": 1, "P1": 2}
    assert ranking["final_score"].tolist() == pytest.approx([74.8, 74.8])
    assert "按第3轮得分排定先后" in ranking["explanation"].iloc[0]


def test_then_by_untrimmed_mean_results_of_latest_round():
    cells: Cells = {}
    # P1: totals A 80, B 90, C 70, D 80, E 80 → trimmed (80+80+80)/3 = 80;
    #     成果 untrimmed (30+35+30+30+30)/5 = 31 (the kept A, D, E alone would give 30)
    for judge, cell in {"A": (25, 25, 30), "B": (28, 27, 35), "C": (20, 20, 30),
                        "D": (25, 25, 30), "E": (25, 25, 30)}.items():
        cells[(1, "P1", judge)] = cell
    # P2: totals A 80, B 90, C 70, D 80, E 80 → 80; 成果 (30×5)/5 = 30
    for judge, cell in {"A": (25, 25, 30), "B": (30, 30, 30), "C": (20, 20, 30),
                        "D": (25, 25, 30), "E": (25, 25, 30)}.items():
        cells[(1, "P2", judge)] = cell
    ranking = rank_projects(sheet(cells), NO_FLAGS)
    assert ranks(ranking) == {"P1": 1, "P2": 2}
    assert "按第1轮成果实用平均分排定先后" in ranking["explanation"].iloc[0]


def test_tie_beyond_tie_breakers_shares_rank_and_skips_next():
    ranking = rank_projects(one_round({
        "P1": (28, 28, 34),  # 90
        "P3": (25, 25, 30),  # 80, 成果 30
        "P2": (25, 25, 30),  # 80, 成果 30: same in every key as P3
        "P4": (20, 20, 30),  # 70
    }), NO_FLAGS)
    assert ranking["project_id"].tolist() == ["P1", "P2", "P3", "P4"]
    assert ranking["rank"].tolist() == [1, 2, 2, 4]
    assert "排名并列第2" in by_project(ranking).loc["P3", "explanation"]


def test_tie_across_bonus_boundary_3_4():
    ranking = by_project(rank_projects(one_round({
        "P1": (30, 30, 35),  # 95 → 1
        "P2": (30, 30, 30),  # 90 → 2
        "P3": (25, 25, 35),  # 85 → 3
        "P4": (25, 25, 35),  # 85 → 3 (tied with P3, not 4)
        "P5": (25, 25, 30),  # 80 → 5
    }), NO_FLAGS))
    assert ranking["rank"].tolist() == [1, 2, 3, 3, 5]
    assert ranking["bonus"].tolist() == [3.0, 3.0, 3.0, 3.0, 2.0]


def test_tie_across_boundary_10_11_commends_both():
    totals = {f"P{i:02d}": (30, 30, 40 - i) for i in range(1, 10)}  # P01 99, P02 98 … P09 91
    totals |= {"P10": (30, 30, 30), "P11": (30, 30, 30), "P12": (30, 30, 29)}  # 90, 90, 89
    ranking = by_project(rank_projects(one_round(totals), NO_FLAGS))
    assert ranking["rank"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 12]
    # ranks 1–3 → 3; 4–10 → 2; 11–15 → 1
    assert ranking["bonus"].tolist() == [3.0] * 3 + [2.0] * 8 + [1.0]
    assert ranking["commended"].tolist() == [True] * 11 + [False]


@pytest.mark.parametrize("rank, bonus", [
    (1, 3.0), (3, 3.0), (4, 2.0), (10, 2.0), (11, 1.0), (15, 1.0), (16, 0.0), (None, 0.0),
])
def test_bonus_tiers(rank, bonus):
    assert bonus_for_rank(rank) == bonus


def test_missing_round_is_incomplete():
    cells: Cells = {
        (1, "P1", "J"): (25, 25, 30), (2, "P1", "J"): (28, 28, 34),  # 80, 90 → 0.5×80 + 0.5×90 = 85
        (1, "P2", "J"): (30, 30, 40),                                 # 100 but no round 2
        (2, "P3", "J"): (20, 20, 30),                                 # 70 but no round 1
    }
    ranking = rank_projects(sheet(cells), NO_FLAGS)
    assert ranking["project_id"].tolist() == ["P1", "P2", "P3"]
    assert ranking["status"].tolist() == ["已排名", "评审未完成", "评审未完成"]
    assert ranking["rank"].iloc[0] == 1 and ranking["rank"].iloc[1:].isna().all()
    assert ranking["final_score"].iloc[0] == pytest.approx(85.0)
    assert ranking["final_score"].iloc[1:].isna().all()
    assert ranking["bonus"].tolist() == [3.0, 0.0, 0.0]
    assert ranking["commended"].tolist() == [True, False, False]
    p2 = by_project(ranking).loc["P2"]
    assert p2["round_1"] == 100.0 and math.isnan(p2["round_2"])
    assert p2["explanation"].startswith("评审未完成:缺第2轮评分")
    assert by_project(ranking).loc["P3", "explanation"].startswith("评审未完成:缺第1轮评分")


@pytest.mark.parametrize("flag, disqualified", [("铺张浪费", True), ("弄虚作假", True), ("通报表扬", False)])
def test_flagged_best_project(flag, disqualified):
    scores = one_round({"P1": (30, 30, 38), "P2": (30, 30, 30), "P3": (25, 25, 35)})  # 98, 90, 85
    ranking = rank_projects(scores, flags(("P1", flag, "会议布置超标准")))
    p1 = by_project(ranking).loc["P1"]
    assert p1["final_score"] == 98.0  # computed even when disqualified, for reference
    if disqualified:
        assert ranking["project_id"].tolist() == ["P2", "P3", "P1"]
        assert ranks(ranking) == {"P2": 1, "P3": 2, "P1": None}
        assert (p1["status"], p1["bonus"], p1["commended"]) == ("取消资格", 0.0, False)
        assert p1["explanation"].startswith(f"取消资格:{flag}——会议布置超标准")
    else:
        assert ranks(ranking) == {"P1": 1, "P2": 2, "P3": 3}
        assert p1["status"] == "已排名" and "会议布置超标准" in p1["explanation"]


@pytest.mark.parametrize("round_totals, final, weights_text", [
    pytest.param({1: (25, 25, 30)}, 80.0, ["×1 "], id="round 1 only: 1.0 × 80 = 80"),
    pytest.param({1: (25, 25, 30), 2: (28, 28, 34)}, 85.0, ["×0.5 ", "×0.5 "],
                 id="rounds 1-2: 0.3/0.6 = 0.5 each, 0.5×80 + 0.5×90 = 85"),
    pytest.param({1: (25, 25, 30), 2: (28, 28, 34), 3: (20, 20, 30)}, 79.0, ["×0.3 ", "×0.3 ", "×0.4 "],
                 id="rounds 1-3: 0.3×80 + 0.3×90 + 0.4×70 = 24 + 27 + 28 = 79"),
    pytest.param({1: (25, 25, 30), 3: (20, 20, 30)}, 52 / 0.7, ["×0.4286 ", "×0.5714 "],
                 id="rounds 1 and 3: (0.3×80 + 0.4×70)/0.7 = 52/0.7 = 74.286"),
])
def test_weights_renormalised_over_held_rounds(round_totals, final, weights_text):
    ranking = rank_projects(sheet({(r, "P1", "J"): c for r, c in round_totals.items()}), NO_FLAGS)
    assert ranking["final_score"].iloc[0] == pytest.approx(final)
    explanation = ranking["explanation"].iloc[0]
    assert all(text in explanation for text in weights_text)


def test_projects_list_adds_unscored_projects():
    ranking = rank_projects(one_round({"P1": (25, 25, 30)}), NO_FLAGS, projects=pd.Series(["P1", "P9"]))
    assert ranking["project_id"].tolist() == ["P1", "P9"]
    assert ranking["status"].tolist() == ["已排名", "评审未完成"]
    assert ranking["explanation"].iloc[1] == "评审未完成:缺第1轮评分"


@pytest.mark.parametrize("given, statuses", [
    (None, []),
    (["P2", "P1"], ["评审未完成", "评审未完成"]),
])
def test_empty_scores(given, statuses):
    empty = sheet({})
    ranking = rank_projects(empty, NO_FLAGS, projects=given)
    assert list(ranking.columns) == RANKING_COLUMNS
    assert ranking["status"].tolist() == statuses
    assert ranking["rank"].isna().all() and str(ranking["rank"].dtype) == "Int64"
    assert sorted(ranking["project_id"]) == sorted(given or [])


def test_empty_frames_without_columns():
    assert list(rank_projects(pd.DataFrame(), pd.DataFrame()).columns) == RANKING_COLUMNS
    assert round_scores(pd.DataFrame()).empty
    assert judge_consistency(pd.DataFrame()).empty
    assert missing_scores(pd.DataFrame()).empty
    assert validate_scores(pd.DataFrame()) == []


def test_arguments_are_not_mutated():
    scores = sheet({(1, "P1", j): c for j, c in FIVE.items()})
    flagged = flags(("P1", "铺张浪费", "超标"))
    before = scores.copy(), flagged.copy()
    rank_projects(scores, flagged, projects=["P1", "P2"])
    round_scores(scores)
    judge_breakdown(scores, "P1")
    judge_consistency(scores)
    missing_scores(scores)
    validate_scores(scores)
    pd.testing.assert_frame_equal(scores, before[0])
    pd.testing.assert_frame_equal(flagged, before[1])


# ---------------------------------------------------------------- judges


def test_judge_consistency_bias():
    cells: Cells = {
        (1, "P1", "A"): (30, 30, 30), (1, "P1", "B"): (25, 25, 30), (1, "P1", "C"): (20, 20, 30),  # 90 80 70
        (1, "P2", "A"): (25, 25, 30), (1, "P2", "B"): (23, 23, 30), (1, "P2", "C"): (24, 24, 30),  # 80 76 78
        (1, "P3", "A"): (20, 20, 30), (1, "P3", "B"): (20, 21, 30),                                # 70 71
    }
    table = judge_consistency(sheet(cells)).set_index("judge")
    # A: P1 90 − (80+70)/2 = 15; P2 80 − (76+78)/2 = 3; P3 70 − 71 = −1 → (15+3−1)/3 = 17/3 = 5.667
    # B: P1 80 − (90+70)/2 = 0; P2 76 − (80+78)/2 = −3; P3 71 − 70 = 1 → −2/3 = −0.667
    # C: P1 70 − (90+80)/2 = −15; P2 78 − (80+76)/2 = 0 → −15/2 = −7.5
    assert table["bias"].tolist() == pytest.approx([17 / 3, -2 / 3, -7.5])
    assert table["n_projects"].tolist() == [3, 3, 2]
    assert table["label"].tolist() == ["打分偏高", "", "打分偏低"]
    # mean totals: A (90+80+70)/3 = 80; B (80+76+71)/3 = 75.667; C (70+78)/2 = 74
    assert table["mean_total"].tolist() == pytest.approx([80.0, 227 / 3, 74.0])


@pytest.mark.parametrize("a, b, label_a, label_b", [
    ((25, 25, 35), (25, 25, 30), "打分偏高", "打分偏低"),  # 85 − 80 = 5: on the threshold counts
    ((25, 25, 34.9), (25, 25, 30), "", ""),               # 84.9 − 80 = 4.9
    ((20, 20, 30), (20, 20, 30), "", ""),                 # 0
])
def test_judge_consistency_threshold(a, b, label_a, label_b):
    table = judge_consistency(sheet({(1, "P1", "A"): a, (1, "P1", "B"): b}))
    assert table["label"].tolist() == [label_a, label_b]


def test_missing_scores():
    cells: Cells = {
        (1, "P1", "A"): (20, 20, 30), (1, "P2", "A"): (20, 20, 30), (1, "P1", "B"): (20, 20, 30),
        (2, "P1", "A"): (20, 20, 30), (2, "P1", "B"): (20, 20, 30), (2, "P3", "C"): (20, 20, 30),
    }
    table = missing_scores(sheet(cells))
    # round 1: judges A, B × projects P1, P2 → B lacks P2
    # round 2: judges A, B, C × projects P1, P3 → A and B lack P3, C lacks P1
    assert list(table.itertuples(index=False, name=None)) == [
        (1, "B", "P2"), (2, "A", "P3"), (2, "B", "P3"), (2, "C", "P1"),
    ]
    assert list(table.columns) == ["round", "judge", "project_id"]


# ---------------------------------------------------------------- validation and settings


@pytest.mark.parametrize("row, expected", [
    ({}, None),
    ({"score_measures": 31}, "“举措实在”31分超出范围 0–30"),
    ({"score_timeliness": -1}, "“解难实时”-1分超出范围 0–30"),
    ({"score_results": 40.5}, "“成果实用”40.5分超出范围 0–40"),
    ({"score_results": None}, "缺少“成果实用”分数"),
    ({"score_measures": "好"}, "“举措实在”的分数“好”不是数字"),
    ({"round": 4}, "轮次“4”无效"),
    ({"judge": " "}, "缺少评委"),
])
def test_validate_scores(row, expected):
    values = {"round": 1, "project_id": "P1", "judge": "A",
              "score_measures": 30, "score_timeliness": 0, "score_results": 40} | row
    messages = validate_scores(pd.DataFrame([values]))
    if expected is None:
        assert messages == []
    else:
        assert len(messages) == 1 and expected in messages[0]


def test_validate_scores_duplicates():
    row = {"round": 1, "project_id": "P1", "judge": "A",
           "score_measures": 20, "score_timeliness": 20, "score_results": 30}
    messages = validate_scores(pd.DataFrame([row, row]))
    assert messages == ["第1轮 项目P1 评委A:有2条评分,应只有一条(计算时每条都计入)"]


@pytest.mark.parametrize("kwargs", [
    {"round_weights": (0.5, 0.5)},
    {"round_weights": (0.3, 0.0, 0.7)},
    {"trim_min_judges": 2},
    {"bonus_tiers": ((10, 2.0), (3, 3.0))},
    {"precision": -1},
])
def test_settings_refuse_nonsense(kwargs):
    with pytest.raises(ValueError):
        ReviewSettings(**kwargs)


def test_every_setting_has_help():
    help_texts = settings_help()
    assert set(help_texts) >= {"trim_min_judges", "round_weights", "precision", "bonus_tiers",
                               "commend_top", "bias_threshold", "max_measures"}
    assert all(text for text in help_texts.values())

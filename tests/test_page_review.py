"""评审排名 under AppTest, against a copy of the sample database.

The final scores the page shows are checked against a computation done here,
independently of analytics.review and of the importer: the sample workbook
read with openpyxl, each round's 7 judges' totals with the highest and the
lowest dropped, the rounds weighted 0.3 / 0.3 / 0.4.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, open_page
from ui.text import md_unescape

APP = str(ROOT / "app.py")
PAGE = "views/review.py"
DATA = ROOT / "data"
SCORES_BOOK = DATA / "04_评审打分.xlsx"
WEIGHTS = {1: 0.3, 2: 0.3, 3: 0.4}
DASH = "—"


def run(page: str | None = PAGE) -> AppTest:
    return open_page(page)


def board(at: AppTest):
    return at.get_by_key("review_board").value


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


# ---------------------------------------------------------------- the workbook, read by hand


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    """A sheet's rows as {header: value}, the header row being the first that has 项目编号.

    A header written with a unit ("举措实在(分)") is keyed by its name without it.
    """
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    start = next(i for i, row in enumerate(rows) if "项目编号" in [str(c).strip() for c in row if c is not None])
    headers = [str(c).strip().split("(")[0].split("（")[0] if c is not None else "" for c in rows[start]]
    out = []
    for row in rows[start + 1:]:
        record = dict(zip(headers, row, strict=False))
        if record.get("项目编号") not in (None, ""):
            out.append(record)
    return out


def workbook_totals() -> dict[tuple[str, int], list[float]]:
    """(project, round) → every judge's total 举措实在 + 解难实时 + 成果实用."""
    totals: dict[tuple[str, int], list[float]] = defaultdict(list)
    for row in sheet_rows(SCORES_BOOK, "评审打分"):
        rnd = {"第一轮": 1, "第二轮": 2, "第三轮": 3}.get(str(row["轮次"]).strip()) or int(row["轮次"])
        total = float(row["举措实在"]) + float(row["解难实时"]) + float(row["成果实用"])
        totals[(str(row["项目编号"]).strip(), rnd)].append(total)
    return totals


def trimmed_mean(values: list[float]) -> float:
    """Drop one highest and one lowest (7 judges → 5 kept) and average."""
    assert len(values) == 7, f"the sample has 7 judges per project and round, got {len(values)}"
    kept = sorted(values)[1:-1]
    return sum(kept) / len(kept)


def flagged(flag: str) -> set[str]:
    """Projects carrying ``flag`` in whichever sample workbook holds the 项目标记 sheet."""
    out = set()
    for path in sorted(DATA.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path, read_only=True)
        has_sheet = "项目标记" in wb.sheetnames
        wb.close()
        if has_sheet:
            out |= {str(r["项目编号"]).strip() for r in sheet_rows(path, "项目标记") if r.get("标记") == flag}
    return out


# ---------------------------------------------------------------- tests


def test_board_lists_every_project_ranked_first(app_db):
    at = run()
    assert at.title[0].value == "评审排名"
    shown = board(at)
    assert len(shown) == 34 and shown["项目编号"].is_unique
    statuses = shown["状态"].tolist()
    # ranked rows first, then 评审未完成, then 取消资格
    assert statuses == sorted(statuses, key=["已排名", "评审未完成", "取消资格"].index)
    ranked = shown[shown["状态"] == "已排名"]
    # 名次 is a number (it sorts as one); unranked rows have none, which the grid writes "—"
    assert ranked["名次"].notna().all() and shown.loc[shown["状态"] != "已排名", "名次"].isna().all()
    assert metric(at, "参与排名项目") == f"{len(ranked)} 个"
    assert metric(at, "已开展评审") == "3 轮"
    assert list(shown.columns[:11]) == ["名次", "项目编号", "项目名称", "牵头单位", "第一责任人",
                                        "第1轮", "第2轮", "第3轮", "最终得分", "加分", "建议通报表扬"]


def test_waste_flag_disqualifies_and_top_project_gets_three_points(app_db):
    waste = flagged("铺张浪费")
    assert waste, "the sample data flags at least one project 铺张浪费"
    shown = board(run()).set_index("项目编号")
    for pid in waste:
        row = shown.loc[pid]
        assert row["状态"] == "取消资格" and pd.isna(row["名次"]) and row["加分"] == 0
        assert pd.isna(row["建议通报表扬"]) and "铺张浪费" in row["说明"]
    top = shown[shown["名次"] == 1]
    assert len(top) >= 1 and (top["加分"] == 3).all() and (top["建议通报表扬"] == "是").all()
    assert (shown["建议通报表扬"] == "是").sum() >= 10


def test_final_scores_match_the_workbook_computed_by_hand(app_db):
    totals = workbook_totals()
    shown = board(run())
    ranked = shown[shown["状态"] == "已排名"]
    assert len(ranked) >= 10
    for row in ranked.itertuples():
        rounds = {r: trimmed_mean(totals[(row.项目编号, r)]) for r in WEIGHTS}
        final = sum(rounds[r] * w for r, w in WEIGHTS.items())
        # "to 2 decimals": what the page shows is the true value rounded, so it is within half a cent
        assert abs(float(row.最终得分) - final) <= 0.005 + 1e-9, (row.项目编号, row.最终得分, final)
        assert abs(float(row.第1轮) - rounds[1]) <= 0.005 + 1e-9


def test_breakdown_drops_one_highest_and_one_lowest_per_round(app_db):
    at = run()
    shown = board(at)
    pid = shown[shown["状态"] == "已排名"]["项目编号"].iloc[4]  # "why am I 5th?"
    at.selectbox(key="review_project").set_value(pid).run()
    assert not at.exception, [e.value for e in at.exception]
    totals = workbook_totals()
    for rnd in (1, 2, 3):
        table = at.get_by_key(f"review_breakdown_{rnd}").dataframe[0].value
        assert len(table) == 7
        assert sorted(table["说明"].fillna("")) == ["", "", "", "", "", "去掉最低分", "去掉最高分"]
        dropped = table.set_index("说明")["合计"]
        assert dropped["去掉最高分"] == pytest.approx(max(totals[(pid, rnd)]))
        assert dropped["去掉最低分"] == pytest.approx(min(totals[(pid, rnd)]))
    explanation = next(md_unescape(i.value) for i in at.info if "最终得分" in i.value)  # as the reader sees it
    final = shown.set_index("项目编号").loc[pid, "最终得分"]
    assert f"= 最终得分 {final:.2f}" in explanation and "×0.3" in explanation and "×0.4" in explanation
    assert "去掉最高分" in explanation


def test_round_filter_ranks_on_earlier_rounds_only(app_db):
    at = run()
    at.segmented_control(key="review_round").set_value(1).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = board(at)
    assert len(shown) == 34 and "第2轮" not in shown.columns and "第3轮" not in shown.columns
    assert metric(at, "已开展评审") == "1 轮"
    totals = workbook_totals()
    ranked = shown[shown["状态"] == "已排名"]
    # one round held: its weight renormalises to 1, so the final score is the round-1 score
    assert (ranked["最终得分"] == ranked["第1轮"]).all()
    best = max((trimmed_mean(v), pid) for (pid, rnd), v in totals.items()
               if rnd == 1 and pid not in flagged("铺张浪费") | flagged("弄虚作假"))
    assert abs(float(ranked.iloc[0]["最终得分"]) - best[0]) <= 0.005 + 1e-9


@pytest.mark.parametrize("view", ["评委一致性", "评委×项目热力图", "各轮得分分布"])
def test_judge_views(app_db, view):
    at = run()
    at.segmented_control(key="review_view").set_value(view).run()
    assert not at.exception, [e.value for e in at.exception]
    if view == "评委一致性":
        table = next(df.value for df in at.dataframe if "与其他评委平均分之差" in df.value.columns)
        assert set(table["轮次"]) == {1, 2, 3} and table.groupby("轮次")["评委"].nunique().eq(7).all()
    else:
        assert len(at.get("plotly_chart")) == 1

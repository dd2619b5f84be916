"""Shaping review results for the 评审排名 page: joins, pivots and Chinese tables, no Streamlit.

The rules themselves (trimming, weights, ranking, bonus) live in
:mod:`analytics.review`; this module only filters its inputs by round and
reshapes its outputs for display.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.formatting import DASH
from analytics.review import (
    COMMEND_FLAG,
    CRITERIA,
    DISQUALIFIED,
    DROPPED_HIGH,
    DROPPED_LOW,
    RANKED,
    ROUNDS,
    ReviewSettings,
)

#: the round filter's "all rounds" value: every round is ≤ the last one
ALL_ROUNDS = max(ROUNDS)

#: the top ranks by the rules (computed) and the department's decision (项目标记 通报表扬 rows): two
#: different things, never shown under one name
SUGGESTED_COMMEND = "建议" + COMMEND_FLAG
DECIDED_COMMEND = "组织部" + COMMEND_FLAG

BOARD_COLUMNS: list[str] = [
    "名次", "项目编号", "项目名称", "牵头单位", "第一责任人", "第1轮", "第2轮", "第3轮",
    "最终得分", "加分", SUGGESTED_COMMEND, DECIDED_COMMEND, "状态", "说明",
]
#: the board's score columns (2 decimals)
SCORE_COLUMNS: list[str] = [*(f"第{r}轮" for r in ROUNDS), "最终得分"]
BREAKDOWN_HEADERS: dict[str, str] = {
    "judge": "评委", **CRITERIA, "total": "合计", "note": "说明",
}
CONSISTENCY_HEADERS: dict[str, str] = {
    "round": "轮次", "judge": "评委", "n_projects": "参与比较的项目数",
    "mean_total": "平均总分", "bias": "与其他评委平均分之差", "label": "提示",
}


def held_rounds(scores: pd.DataFrame) -> list[int]:
    """The rounds (1–3) that have at least one score row, ascending."""
    if scores.empty or "round" not in scores.columns:
        return []
    rounds = pd.to_numeric(scores["round"], errors="coerce")
    return sorted(int(r) for r in rounds.dropna().unique() if r in ROUNDS)


def round_choices(scores: pd.DataFrame) -> list[int]:
    """The round filter's options: :data:`ALL_ROUNDS` first, then "up to round r" for each held round but the last.

    "Up to the last held round" is the same as all rounds, so it is not offered twice.
    """
    return [ALL_ROUNDS, *held_rounds(scores)[:-1]]


def round_choice_label(choice: int) -> str:
    """最终(全部轮次) / 截至第1轮 / 截至第2轮."""
    return "最终(全部轮次)" if choice == ALL_ROUNDS else f"截至第{choice}轮"


def _g(value: float) -> str:
    return f"{round(float(value), 4):g}"


def rules_text(settings: ReviewSettings, rounds: list[int]) -> str:
    """The rules in one paragraph, every number read from ``settings``; weights renormalised over ``rounds``."""
    m = settings.maxima
    criteria = "+".join(f"{label}({_g(m[c])}分)" for c, label in CRITERIA.items())
    weights = {r: settings.round_weights[r - 1] for r in rounds}
    total = sum(weights.values())
    formula = " + ".join(f"第{r}轮×{_g(w / total)}" for r, w in weights.items()) if rounds else "—"
    tiers, low = [], 1
    for limit, bonus in settings.bonus_tiers:
        tiers.append(f"第{low}–{limit}名加{_g(bonus)}分")
        low = limit + 1
    return (
        f"评委总分 = {criteria};一轮评委达到{settings.trim_min_judges}人时去掉一个最高分和一个最低分后取平均,"
        f"否则取全部平均。最终得分 = {formula}(按已开展的轮次折算权重),缺少任一已开展轮次的项目为“评审未完成”,不排名。"
        f"得分相同时依次比较最近一轮得分、最近一轮成果实用平均分。{'、'.join(tiers)}(考核基础分);"
        f"前{settings.commend_top}名{SUGGESTED_COMMEND}(组织部决定的见“{DECIDED_COMMEND}”);{'、'.join(settings.disqualifying_flags)}的项目取消资格。"
    )


def scores_up_to(scores: pd.DataFrame, last_round: int) -> pd.DataFrame:
    """A new frame of the score rows whose round is ≤ ``last_round`` (unreadable rounds are left out)."""
    rounds = pd.to_numeric(scores["round"], errors="coerce")
    return scores[rounds <= last_round].reset_index(drop=True)


def flags_as_of(flags: pd.DataFrame, on: date | None) -> pd.DataFrame:
    """A new frame of the flags in force on ``on``: a flag applies from its date (flagged_on ≤ on).

    ``on`` None: every flag (the final view). A flag without a readable date is left out of a
    dated view, since it cannot be placed before or after the round.
    """
    if on is None:
        return flags.reset_index(drop=True).copy()
    dated = pd.to_datetime(flags["flagged_on"], errors="coerce")
    return flags[dated.notna() & (dated <= pd.Timestamp(on))].reset_index(drop=True)


def decided_commendations(flags: pd.DataFrame) -> list[str]:
    """The projects the department decided to commend (项目标记 通报表扬 rows), by id."""
    ids = flags.loc[flags["flag"].astype(str).str.strip() == COMMEND_FLAG, "project_id"]
    return sorted(set(ids.astype(str).str.strip()))


def _project_info(projects: pd.DataFrame) -> pd.DataFrame:
    """project_id → name, unit, leader; ids as trimmed text like analytics.review uses."""
    info = projects[["project_id", "name", "unit", "leader"]].copy()
    info["project_id"] = info["project_id"].astype(str).str.strip()
    return info.drop_duplicates("project_id").set_index("project_id")


def _short_reason(status: str, explanation: str) -> str:
    """The first clause of an unranked project's explanation: "取消资格:铺张浪费——…" / "评审未完成:缺第3轮评分"."""
    return "" if status == RANKED else explanation.split(";")[0]


def ranking_board(ranking: pd.DataFrame, projects: pd.DataFrame, rounds: list[int] | None = None,
                  flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ranking as a table, in ``ranking``'s order (ranked, then 评审未完成, then 取消资格).

    ``ranking`` is :func:`analytics.review.rank_projects` output; ``projects``
    has project_id, name, unit, leader (a project missing there keeps blank
    names rather than disappearing). Only the round columns of ``rounds`` are
    kept when given (a round not yet held is an empty column). Numbers stay
    numbers (for the .xlsx): scores rounded to 2 decimals, 名次 null unless
    ranked; 建议通报表扬 (the computed top ranks) and 组织部通报表扬 (a
    通报表扬 row of ``flags``, already limited to the view's date) are 是 or
    blank; 说明 gives an unranked project's reason.
    """
    decided = set(decided_commendations(flags)) if flags is not None else set()
    info = _project_info(projects).reindex(ranking["project_id"].astype(str))
    board = pd.DataFrame({
        "名次": ranking["rank"].astype("Int64").to_numpy(),
        "项目编号": ranking["project_id"].to_numpy(),
        "项目名称": info["name"].to_numpy(),
        "牵头单位": info["unit"].to_numpy(),
        "第一责任人": info["leader"].to_numpy(),
        **{f"第{r}轮": ranking[f"round_{r}"].round(2).to_numpy() for r in ROUNDS},
        "最终得分": ranking["final_score"].round(2).to_numpy(),
        "加分": ranking["bonus"].to_numpy(),
        SUGGESTED_COMMEND: ["是" if c else "" for c in ranking["commended"]],
        DECIDED_COMMEND: ["是" if str(p).strip() in decided else "" for p in ranking["project_id"]],
        "状态": ranking["status"].to_numpy(),
        "说明": [_short_reason(s, e) for s, e in zip(ranking["status"], ranking["explanation"], strict=True)],
    }, columns=BOARD_COLUMNS)
    if rounds is not None:
        board = board.drop(columns=[f"第{r}轮" for r in ROUNDS if r not in rounds])
    return board


def _text(value: object, pattern: str) -> str:
    return DASH if pd.isna(value) else pattern.format(value)


def board_display(board: pd.DataFrame) -> pd.DataFrame:
    """:func:`ranking_board` for the screen: 名次 and scores as text, "—" where missing.

    st.dataframe shows a missing number as "None"; text columns let it show "—".
    """
    out = board.copy()
    out["名次"] = [_text(r, "{:.0f}") for r in board["名次"]]
    for column in [c for c in SCORE_COLUMNS if c in board.columns]:
        out[column] = [_text(v, "{:.2f}") for v in board[column]]
    out["加分"] = [_text(v, "{:g}") for v in board["加分"]]
    return out


def ranking_summary(ranking: pd.DataFrame) -> dict[str, int]:
    """Counts for the KPI row: ranked, commended, disqualified, and all projects."""
    return {
        "ranked": int((ranking["status"] == RANKED).sum()),
        "commended": int(ranking["commended"].sum()),
        "disqualified": int((ranking["status"] == DISQUALIFIED).sum()),
        "projects": len(ranking),
    }


def project_labels(ranking: pd.DataFrame, projects: pd.DataFrame) -> dict[str, str]:
    """project_id → "编号 名称", in the ranking's order (for a selectbox)."""
    names = _project_info(projects)["name"]
    return {pid: f"{pid} {names.get(pid, '')}".strip() for pid in ranking["project_id"].astype(str)}


def breakdown_tables(breakdown: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """:func:`analytics.review.judge_breakdown` output as one Chinese table per round.

    Columns: 评委, 举措实在, 解难实时, 成果实用, 合计 (2 decimals), 说明 (去掉最高分 / 去掉最低分 / "").
    """
    notes = {DROPPED_HIGH: f"去掉{DROPPED_HIGH}", DROPPED_LOW: f"去掉{DROPPED_LOW}", "": ""}
    out: dict[int, pd.DataFrame] = {}
    for rnd in sorted(breakdown["round"].unique()):
        rows = breakdown[breakdown["round"] == rnd]
        # totals to 2 decimals: 28.8 + 30 + 36.9 is 95.69999999999999 in floating point
        table = rows.assign(total=rows["total"].round(2), note=rows["dropped_as"].map(notes).fillna(""))
        out[int(rnd)] = table[list(BREAKDOWN_HEADERS)].rename(columns=BREAKDOWN_HEADERS).reset_index(drop=True)
    return out


def _num(value: float) -> str:
    """A total as written on a score sheet: 91.0, 70.5, 85.25 (at most 2 decimals)."""
    text = f"{round(float(value), 2):.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def round_arithmetic(table: pd.DataFrame) -> str:
    """One round's score as arithmetic, from a :func:`breakdown_tables` table.

    "7名评委;去掉最高分91.0(评委D)和最低分70.5(评委E),其余5名评委合计413.0 ÷ 5 = 82.60".
    """
    kept = table[table["说明"] == ""]
    text = f"{len(table)}名评委;"
    dropped = [
        f"{label}{_num(row['合计'])}({row['评委']})"
        for label in (DROPPED_HIGH, DROPPED_LOW)
        for _, row in table[table["说明"] == f"去掉{label}"].iterrows()
    ]
    if dropped:
        text += "去掉" + "和".join(dropped) + f",其余{len(kept)}名评委"
    else:
        text += "不去分,全部评委"
    if kept.empty:
        return text
    total = float(kept["合计"].sum())
    return text + f"合计{_num(total)} ÷ {len(kept)} = {total / len(kept):.2f}"


def consistency_table(consistency: pd.DataFrame) -> pd.DataFrame:
    """:func:`analytics.review.judge_consistency` output with Chinese headers, scores to 2 decimals."""
    out = consistency.assign(
        mean_total=consistency["mean_total"].round(2),
        bias=consistency["bias"].round(2),
    )
    return out[list(CONSISTENCY_HEADERS)].rename(columns=CONSISTENCY_HEADERS)


def judge_matrix(scores: pd.DataFrame, rnd: int, order: list[str] | None = None) -> pd.DataFrame:
    """Judge × project totals for one round: index judge (sorted), columns project_id.

    ``scores`` is the score table (round, project_id, judge and the three
    criteria). Columns follow ``order`` (e.g. the ranking) where given,
    projects not in it after, by id; a judge who did not score a project
    leaves NaN.
    """
    rows = scores[pd.to_numeric(scores["round"], errors="coerce") == rnd]
    totals = rows.assign(total=rows[list(CRITERIA)].sum(axis=1))
    matrix = totals.pivot_table(index="judge", columns="project_id", values="total", aggfunc="mean")
    present = list(matrix.columns)
    columns = [p for p in (order or []) if p in present] + sorted(p for p in present if p not in (order or []))
    matrix = matrix.reindex(columns=columns).sort_index()
    matrix.columns.name, matrix.index.name = "project_id", "judge"
    return matrix


def round_score_points(ranking: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Long form of the round scores for a distribution chart: round, project (label), score; NaN left out."""
    long = ranking.melt(id_vars="project_id", value_vars=[f"round_{r}" for r in ROUNDS],
                        var_name="round", value_name="score").dropna(subset=["score"])
    return pd.DataFrame({
        "round": long["round"].str.removeprefix("round_").astype("int64").to_numpy(),
        "project": [labels.get(p, p) for p in long["project_id"]],
        "score": long["score"].to_numpy(dtype="float64"),
    })


def missing_table(missing: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """:func:`analytics.review.missing_scores` output with the project's name and Chinese headers."""
    names = _project_info(projects)["name"]
    return pd.DataFrame({
        "轮次": missing["round"].to_numpy(),
        "评委": missing["judge"].to_numpy(),
        "项目编号": missing["project_id"].to_numpy(),
        "项目名称": [names.get(p, "") for p in missing["project_id"]],
    })

"""Review rounds (评审): round scores, the final ranking, bonuses and judge checks.

The rules, every number of which is a :class:`ReviewSettings` field:

- a judge's total for a project in a round = 举措实在 + 解难实时 + 成果实用
  (maxima 30 / 30 / 40);
- a project's round score: with 5 or more judges, drop ONE highest and ONE
  lowest total (one each, even when several judges tie) and average the rest;
  with fewer judges, the plain mean;
- final score = round scores weighted 0.3 / 0.3 / 0.4 over the rounds held so
  far (a round is held when any project has a score in it), the weights
  renormalised over those rounds; a project missing a held round is
  评审未完成: shown, not ranked;
- a project flagged 弄虚作假 or 铺张浪费 is 取消资格: shown with the reason,
  not ranked, no bonus (通报表扬 flags do not disqualify);
- ranking: final score descending, ties broken by the latest held round's
  score, then by that round's mean 成果实用 (all judges, untrimmed); still equal
  → the same rank, competition style (1, 2, 2, 4); floats are compared after
  rounding to ``precision`` decimals;
- bonus on the assessment base score: ranks 1–3 +3, 4–10 +2, 11–15 +1; ranks
  1–10 are commended (通报表扬).

Score rows missing a key or a criterion, or whose round is not 1–3, are left
out of every calculation here; :func:`validate_scores` reports them (and
out-of-range values, which are used as they are).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from contract import SCORE_MAX

#: the three criteria, in the order staff read them
CRITERIA: dict[str, str] = {
    "score_measures": "举措实在",
    "score_timeliness": "解难实时",
    "score_results": "成果实用",
}
#: review rounds are 1–3 by the data contract
ROUNDS: tuple[int, ...] = (1, 2, 3)
SCORE_COLUMNS: tuple[str, ...] = ("round", "project_id", "judge", *CRITERIA)
FLAG_COLUMNS: tuple[str, ...] = ("project_id", "flag", "reason", "flagged_on")

RANKED, INCOMPLETE, DISQUALIFIED = "已排名", "评审未完成", "取消资格"
COMMEND_FLAG = "通报表扬"
DROPPED_HIGH, DROPPED_LOW = "最高分", "最低分"

RANKING_COLUMNS: list[str] = [
    "project_id", "round_1", "round_2", "round_3", "final_score",
    "rank", "status", "bonus", "commended", "explanation",
]
ROUND_SCORE_COLUMNS: list[str] = [
    "round", "project_id", "n_judges", "round_score",
    "dropped_high_judge", "dropped_high_total", "dropped_low_judge", "dropped_low_total",
    "mean_results",
]
BREAKDOWN_COLUMNS: list[str] = ["round", "judge", *CRITERIA, "total", "dropped", "dropped_as"]
CONSISTENCY_COLUMNS: list[str] = ["round", "judge", "n_projects", "mean_total", "bias", "label"]
MISSING_COLUMNS: list[str] = ["round", "judge", "project_id"]


@dataclass(frozen=True)
class ReviewSettings:
    """Every number of the review rules; the defaults are the department's scheme.

    Each field's ``metadata["help"]`` is its Chinese help text, for a settings
    form (see :func:`settings_help`).
    """

    max_measures: float = field(
        default=SCORE_MAX["score_measures"],
        metadata={"help": "“举措实在”满分;超出 0 到此值的分数会被提示。"},
    )
    max_timeliness: float = field(
        default=SCORE_MAX["score_timeliness"],
        metadata={"help": "“解难实时”满分;超出 0 到此值的分数会被提示。"},
    )
    max_results: float = field(
        default=SCORE_MAX["score_results"],
        metadata={"help": "“成果实用”满分;超出 0 到此值的分数会被提示。"},
    )
    trim_min_judges: int = field(
        default=5,
        metadata={"help": "一轮评委人数达到此数时,去掉一个最高分和一个最低分后取平均;少于此数取全部平均。"},
    )
    round_weights: tuple[float, float, float] = field(
        default=(0.3, 0.3, 0.4),
        metadata={"help": "第1、2、3轮得分在最终得分中的权重;只按已开展的轮次计算,并按比例折算到合计为1。"},
    )
    precision: int = field(
        default=6,
        metadata={"help": "比较分数是否相同时保留的小数位数(避免计算机浮点误差造成的假差异)。"},
    )
    bonus_tiers: tuple[tuple[int, float], ...] = field(
        default=((3, 3.0), (10, 2.0), (15, 1.0)),
        metadata={"help": "考核基础分加分档次:(名次上限, 加分),如 (3, 3) 表示第1–3名加3分;并列取较高档。"},
    )
    commend_top: int = field(
        default=10,
        metadata={"help": "排名前若干名(含并列)予以通报表扬。"},
    )
    bias_threshold: float = field(
        default=5.0,
        metadata={"help": "评委打分与其他评委平均分的平均差达到此值记为“打分偏高”,达到其相反数记为“打分偏低”。"},
    )
    disqualifying_flags: tuple[str, ...] = field(
        default=("弄虚作假", "铺张浪费"),
        metadata={"help": "带有这些标记的项目取消评比资格:照常显示,不排名、不加分。"},
    )

    def __post_init__(self) -> None:
        # Fail at construction, with the field named, rather than as a wrong ranking later.
        if len(self.round_weights) != len(ROUNDS) or any(w <= 0 for w in self.round_weights):
            raise ValueError("round_weights must be three positive numbers (rounds 1–3)")
        if self.trim_min_judges < 3:
            raise ValueError("trim_min_judges must be at least 3, or trimming leaves no score")
        if min(self.max_measures, self.max_timeliness, self.max_results) <= 0:
            raise ValueError("criterion maxima must be positive")
        if self.precision < 0:
            raise ValueError("precision must be ≥ 0")
        limits = [int(limit) for limit, _ in self.bonus_tiers]
        if any(limit < 1 for limit in limits) or limits != sorted(set(limits)):
            raise ValueError("bonus_tiers must have increasing rank limits ≥ 1")
        if any(bonus < 0 for _, bonus in self.bonus_tiers):
            raise ValueError("bonus_tiers bonuses must be ≥ 0")

    @property
    def maxima(self) -> dict[str, float]:
        """Each criterion column's maximum."""
        return {
            "score_measures": self.max_measures,
            "score_timeliness": self.max_timeliness,
            "score_results": self.max_results,
        }


def settings_help() -> dict[str, str]:
    """Field name → Chinese help text of :class:`ReviewSettings`, for a settings form."""
    return {f.name: f.metadata.get("help", "") for f in fields(ReviewSettings)}


def bonus_for_rank(rank: int | None, settings: ReviewSettings | None = None) -> float:
    """The bonus for a rank: the first tier whose limit the rank does not exceed; 0.0 unranked."""
    settings = settings or ReviewSettings()
    if rank is None or pd.isna(rank):
        return 0.0
    for limit, bonus in settings.bonus_tiers:
        if int(rank) <= limit:
            return float(bonus)
    return 0.0


# ---------------------------------------------------------------- cleaning


def _ids(values: pd.Series) -> pd.Series:
    """Ids as trimmed text (a DB or list may hand over numbers); blank → missing."""
    def one(value: object) -> str | None:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        text = str(value).strip()
        return text or None

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def _clean_scores(scores: pd.DataFrame | None) -> pd.DataFrame:
    """A new frame of the usable score rows with typed columns, index 0..n-1.

    An empty frame is accepted without columns (nothing imported yet); a
    non-empty frame without the contract's columns is a programming error.
    """
    if scores is None or (scores.empty and not set(SCORE_COLUMNS) <= set(scores.columns)):
        return pd.DataFrame({
            "round": pd.Series(dtype="int64"),
            "project_id": pd.Series(dtype=object),
            "judge": pd.Series(dtype=object),
            **{c: pd.Series(dtype="float64") for c in CRITERIA},
        })
    missing = [c for c in SCORE_COLUMNS if c not in scores.columns]
    if missing:
        raise ValueError(f"scores lacks columns: {', '.join(missing)}")
    out = pd.DataFrame({
        "round": pd.to_numeric(scores["round"], errors="coerce").astype("float64"),
        "project_id": _ids(scores["project_id"]),
        "judge": _ids(scores["judge"]),
        **{c: pd.to_numeric(scores[c], errors="coerce").astype("float64") for c in CRITERIA},
    })
    usable = (
        out["round"].isin(ROUNDS)
        & out["project_id"].notna()
        & out["judge"].notna()
        & out[list(CRITERIA)].notna().all(axis=1)
    )
    out = out[usable].reset_index(drop=True)
    out["round"] = out["round"].astype("int64")
    return out


def _clean_flags(flags: pd.DataFrame | None) -> pd.DataFrame:
    """Flags as a new frame, oldest first, so explanations read in the order they were made."""
    if flags is None or (flags.empty and not {"project_id", "flag"} <= set(flags.columns)):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FLAG_COLUMNS})
    missing = [c for c in ("project_id", "flag") if c not in flags.columns]
    if missing:
        raise ValueError(f"flags lacks columns: {', '.join(missing)}")
    out = pd.DataFrame({
        "project_id": _ids(flags["project_id"]),
        "flag": _ids(flags["flag"]),
        "reason": _ids(flags["reason"]) if "reason" in flags.columns else None,
        "flagged_on": (
            pd.to_datetime(flags["flagged_on"], errors="coerce")
            if "flagged_on" in flags.columns else pd.NaT
        ),
    })
    out = out[out["project_id"].notna() & out["flag"].notna()]
    return out.sort_values(["flagged_on", "flag"], na_position="last", kind="stable").reset_index(drop=True)


def _judge_rows(clean: pd.DataFrame, settings: ReviewSettings) -> pd.DataFrame:
    """Every usable score row with its total and whether it was dropped (最高分 / 最低分 / "")."""
    rows = clean.copy()
    rows["total"] = rows[list(CRITERIA)].sum(axis=1)
    # ties are judged on rounded totals: 25.1 + 30.2 must tie with 55.3
    rows["_key"] = rows["total"].round(settings.precision)
    group = ["round", "project_id"]
    size = rows.groupby(group)["judge"].transform("size")
    trimmed = rows[size >= settings.trim_min_judges]
    # Highest: the largest total; among equal totals the first judge by name.
    high = (
        trimmed.sort_values([*group, "_key", "judge"], ascending=[True, True, False, True])
        .groupby(group).head(1).index
    )
    # Lowest: the smallest total, first judge by name, never the judge already
    # dropped as highest (when every total is equal they are two judges).
    low = (
        trimmed.drop(index=high)
        .sort_values([*group, "_key", "judge"])
        .groupby(group).head(1).index
    )
    # set by position in a plain array: .loc on a pyarrow-backed text column costs ~0.1 s a call
    dropped_as = np.full(len(rows), "", dtype=object)
    dropped_as[rows.index.get_indexer(high)] = DROPPED_HIGH
    dropped_as[rows.index.get_indexer(low)] = DROPPED_LOW
    rows["dropped_as"] = dropped_as
    rows["dropped"] = rows["dropped_as"] != ""
    return rows.drop(columns="_key")


# ---------------------------------------------------------------- round scores


def round_scores(scores: pd.DataFrame, settings: ReviewSettings | None = None) -> pd.DataFrame:
    """One row per (round, project_id): the round score and how it was obtained.

    Columns: round, project_id, n_judges, round_score (trimmed or plain mean of
    the judges' totals), dropped_high_judge / dropped_high_total and
    dropped_low_judge / dropped_low_total (None / NaN when not trimmed), and
    mean_results (mean 成果实用 over all the round's judges, untrimmed: the
    second tie-breaker). Sorted by round, project_id.
    """
    settings = settings or ReviewSettings()
    rows = _judge_rows(_clean_scores(scores), settings)
    if rows.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in ROUND_SCORE_COLUMNS})
        return out.astype({
            "round": "int64", "n_judges": "int64", "round_score": "float64",
            "dropped_high_total": "float64", "dropped_low_total": "float64", "mean_results": "float64",
        })
    group = ["round", "project_id"]
    out = rows.groupby(group).agg(
        n_judges=("judge", "size"),
        mean_results=("score_results", "mean"),
    )
    out["round_score"] = rows[~rows["dropped"]].groupby(group)["total"].mean()
    for kind, label in (("high", DROPPED_HIGH), ("low", DROPPED_LOW)):
        dropped = rows[rows["dropped_as"] == label].set_index(group)
        out[f"dropped_{kind}_judge"] = dropped["judge"]
        out[f"dropped_{kind}_total"] = dropped["total"]
    out = out.reset_index()
    for kind in ("high", "low"):
        column = f"dropped_{kind}_judge"
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    out["n_judges"] = out["n_judges"].astype("int64")
    return out[ROUND_SCORE_COLUMNS].sort_values(group, kind="stable").reset_index(drop=True)


def judge_breakdown(
    scores: pd.DataFrame, project_id: str, settings: ReviewSettings | None = None
) -> pd.DataFrame:
    """Each judge's scores for one project, per round, and which totals were dropped.

    Columns: round, judge, score_measures, score_timeliness, score_results,
    total, dropped (bool), dropped_as (最高分 / 最低分 / ""). Sorted by round, judge.

    When several judges tie for the highest total exactly one is dropped: the
    first of them by judge name (plain string order); likewise for the lowest,
    skipping the judge already dropped as highest (so when every total is
    equal, the first judge by name is dropped as highest and the second as
    lowest). Which tied judge is dropped does not change the round score.
    """
    settings = settings or ReviewSettings()
    rows = _judge_rows(_clean_scores(scores), settings)
    out = rows[rows["project_id"] == str(project_id).strip()]
    return out[BREAKDOWN_COLUMNS].sort_values(["round", "judge"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- ranking


def _fmt_total(value: float) -> str:
    """A judge's total as written on a score sheet: 91.0, 70.5, 85.25."""
    text = f"{round(float(value), 2):.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _fmt_weight(value: float) -> str:
    """A renormalised weight: 0.3, 0.5, 1, 0.4286."""
    return f"{round(value, 4):g}"


def _arithmetic(
    held_weights: dict[int, float], detail: dict[int, dict], final: float, settings: ReviewSettings
) -> str:
    """"第1轮 82.33（7名评委,去掉最高分91.0和最低分70.5后取平均）×0.3 + … = 最终得分 84.12"."""
    parts = []
    for rnd, weight in held_weights.items():
        d = detail[rnd]
        if d["n_judges"] >= settings.trim_min_judges:
            how = (f"{d['n_judges']}名评委,去掉最高分{_fmt_total(d['dropped_high_total'])}"
                   f"和最低分{_fmt_total(d['dropped_low_total'])}后取平均")
        else:
            how = f"{d['n_judges']}名评委,取平均"
        parts.append(f"第{rnd}轮 {d['round_score']:.2f}（{how}）×{_fmt_weight(weight)}")
    return " + ".join(parts) + f" = 最终得分 {final:.2f}"


def _normalise_projects(projects: pd.Series | list | None) -> list[str]:
    if projects is None:
        return []
    series = projects if isinstance(projects, pd.Series) else pd.Series(list(projects), dtype=object)
    return [p for p in _ids(series) if p is not None]


def rank_projects(
    scores: pd.DataFrame,
    flags: pd.DataFrame | None,
    settings: ReviewSettings | None = None,
    projects: pd.Series | list | None = None,
) -> pd.DataFrame:
    """The final ranking: one row per project, with the arithmetic spelled out.

    Projects are ``projects`` ∪ those in ``scores`` ∪ those in ``flags`` (a
    scored or flagged project missing from the list is still shown rather
    than silently dropped).

    Columns (exactly): project_id, round_1, round_2, round_3 (round scores,
    NaN where not scored), final_score (NaN when a held round is missing;
    computed for 取消资格 projects too, for reference), rank (Int64, null unless
    已排名), status (已排名 / 评审未完成 / 取消资格), bonus (float), commended
    (bool), explanation (Chinese).

    Sorted: ranked by rank then project_id, then 评审未完成, then 取消资格, each
    by project_id. A disqualified project is 取消资格 even if it also misses a round.
    """
    settings = settings or ReviewSettings()
    rs = round_scores(scores, settings)
    flag_rows = _clean_flags(flags)

    ids = sorted(set(_normalise_projects(projects)) | set(rs["project_id"]) | set(flag_rows["project_id"]))
    if not ids:
        return _empty_ranking()

    held = sorted(int(r) for r in rs["round"].unique())
    weight_sum = sum(settings.round_weights[r - 1] for r in held)
    held_weights = {r: settings.round_weights[r - 1] / weight_sum for r in held}

    wide = rs.pivot(index="project_id", columns="round", values="round_score").reindex(index=ids, columns=list(ROUNDS))
    complete = wide[held].notna().all(axis=1) if held else pd.Series(False, index=ids)
    final = sum((wide[r] * w for r, w in held_weights.items()), pd.Series(0.0, index=ids))
    final = final.where(complete)

    disqualifying = flag_rows[flag_rows["flag"].isin(settings.disqualifying_flags)]
    disqualified = pd.Series(pd.Index(ids).isin(disqualifying["project_id"]), index=ids)
    status = pd.Series(INCOMPLETE, index=ids, dtype=object)
    status[complete & ~disqualified] = RANKED
    status[disqualified] = DISQUALIFIED

    # Sort keys, rounded so float noise cannot split a tie: 0.3×70 + 0.3×70 + 0.4×82
    # gives 74.80000000000001 but 0.3×68 + 0.3×68 + 0.4×85 gives 74.8.
    latest = held[-1] if held else None
    latest_rs = rs[rs["round"] == latest].set_index("project_id") if held else rs.set_index("project_id")
    keys = pd.DataFrame({
        "final": final.round(settings.precision),
        "latest": latest_rs["round_score"].reindex(ids).round(settings.precision),
        "results": latest_rs["mean_results"].reindex(ids).round(settings.precision),
    })
    ranked_keys = keys[status == RANKED].copy()
    ranked_keys["project_id"] = ranked_keys.index
    ranked_keys = ranked_keys.sort_values(
        ["final", "latest", "results", "project_id"], ascending=[False, False, False, True]
    )
    # Competition ranking: a row whose keys equal the previous row's shares its rank.
    key_cols = ["final", "latest", "results"]
    new_key = ranked_keys[key_cols].ne(ranked_keys[key_cols].shift()).any(axis=1)
    position = pd.Series(np.arange(1, len(ranked_keys) + 1), index=ranked_keys.index, dtype="float64")
    rank = position.where(new_key).ffill().reindex(ids).astype("Int64")

    bonus = pd.Series([bonus_for_rank(None if pd.isna(r) else int(r), settings) for r in rank], index=ids)
    commended = rank.fillna(settings.commend_top + 1).le(settings.commend_top).astype(bool)

    detail = {
        (int(row["round"]), row["project_id"]): row
        for row in rs.to_dict("records")
    }
    explanations = []
    for pid in ids:
        per_round = {r: detail[(r, pid)] for r in held if (r, pid) in detail}
        if status[pid] == DISQUALIFIED:
            text = _explain_disqualified(pid, disqualifying, per_round, held_weights, final[pid], settings)
        elif status[pid] == INCOMPLETE:
            text = _explain_incomplete(held, per_round)
        else:
            text = _arithmetic(held_weights, per_round, final[pid], settings)
            text += _explain_rank(pid, int(rank[pid]), bonus[pid], bool(commended[pid]), keys, status, latest)
        for row in flag_rows[(flag_rows["project_id"] == pid) & (flag_rows["flag"] == COMMEND_FLAG)].itertuples():
            text += f";组织部{COMMEND_FLAG}——{row.reason or '未写明原因'}"
        explanations.append(text)

    out = pd.DataFrame({
        "project_id": pd.Series(ids, dtype=str),
        "round_1": wide[1].to_numpy(dtype="float64"),
        "round_2": wide[2].to_numpy(dtype="float64"),
        "round_3": wide[3].to_numpy(dtype="float64"),
        "final_score": final.to_numpy(dtype="float64"),
        "rank": rank.to_numpy(),
        "status": pd.Series(status.to_numpy(), dtype=str),
        "bonus": bonus.to_numpy(dtype="float64"),
        "commended": commended.to_numpy(dtype=bool),
        "explanation": pd.Series(explanations, dtype=str),
    })
    out["rank"] = out["rank"].astype("Int64")
    group_order = out["status"].map({RANKED: 0, INCOMPLETE: 1, DISQUALIFIED: 2})
    out = (
        out.assign(_group=group_order)
        .sort_values(["_group", "rank", "project_id"], na_position="last", kind="stable")
        .drop(columns="_group")
        .reset_index(drop=True)
    )
    return out[RANKING_COLUMNS]


def _empty_ranking() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": pd.Series(dtype=str),
        "round_1": pd.Series(dtype="float64"),
        "round_2": pd.Series(dtype="float64"),
        "round_3": pd.Series(dtype="float64"),
        "final_score": pd.Series(dtype="float64"),
        "rank": pd.Series(dtype="Int64"),
        "status": pd.Series(dtype=str),
        "bonus": pd.Series(dtype="float64"),
        "commended": pd.Series(dtype=bool),
        "explanation": pd.Series(dtype=str),
    })


def _explain_rank(
    pid: str, rank: int, bonus: float, commended: bool,
    keys: pd.DataFrame, status: pd.Series, latest: int | None,
) -> str:
    """";排名第5,加2分", with 建议通报表扬 (the computed top ranks) and how a tie on the final score was settled."""
    ranked = keys[(status == RANKED) & (keys.index != pid)]
    mine = keys.loc[pid]
    same_final = ranked[ranked["final"] == mine["final"]]
    by_latest = same_final[same_final["latest"] != mine["latest"]]
    same_latest = same_final[same_final["latest"] == mine["latest"]]
    by_results = same_latest[same_latest["results"] != mine["results"]]
    tied = same_latest[same_latest["results"] == mine["results"]]

    text = f";排名{'并列' if len(tied) else ''}第{rank}"
    if commended:
        text += f",建议{COMMEND_FLAG}"
    text += f",加{bonus:g}分" if bonus > 0 else ",不加分"
    if len(by_latest):
        text += f";与{'、'.join(by_latest.index)}最终得分相同,按第{latest}轮得分排定先后"
    if len(by_results):
        text += (f";与{'、'.join(by_results.index)}最终得分和第{latest}轮得分均相同,"
                 f"按第{latest}轮成果实用平均分排定先后")
    if len(tied):
        text += f";与{'、'.join(tied.index)}最终得分、第{latest}轮得分及成果实用平均分均相同,名次并列"
    return text


def _explain_incomplete(held: list[int], per_round: dict[int, dict]) -> str:
    """"评审未完成:缺第3轮评分", with the rounds already scored."""
    if not held:
        return f"{INCOMPLETE}:尚无任何轮次的评分"
    missing = "、".join(str(r) for r in held if r not in per_round)
    text = f"{INCOMPLETE}:缺第{missing}轮评分"
    if per_round:
        text += ";已有" + "、".join(f"第{r}轮 {d['round_score']:.2f}" for r, d in per_round.items())
    return text


def _explain_disqualified(
    pid: str, disqualifying: pd.DataFrame, per_round: dict[int, dict],
    held_weights: dict[int, float], final: float, settings: ReviewSettings,
) -> str:
    """"取消资格:铺张浪费——<reason>", then the score it would have had, for reference."""
    reasons = [
        f"{row.flag}——{row.reason or '未写明原因'}"
        for row in disqualifying[disqualifying["project_id"] == pid].itertuples()
    ]
    text = f"{DISQUALIFIED}:" + ";".join(reasons) + ";不参与排名,不加分"
    if not pd.isna(final):
        text += ";得分仅供参考:" + _arithmetic(held_weights, per_round, final, settings)
    return text


# ---------------------------------------------------------------- judges


def judge_consistency(scores: pd.DataFrame, settings: ReviewSettings | None = None) -> pd.DataFrame:
    """How far each judge scores from the other judges, per round.

    For each project the judge scored alongside at least one other judge:
    difference = the judge's total − the mean of the OTHER judges' totals for
    that project. bias = the mean of those differences; n_projects = how many
    projects it averages (a project the judge scored alone has no comparison
    and is not counted); mean_total = the judge's mean total over all the
    projects they scored. label: 打分偏高 when bias ≥ bias_threshold, 打分偏低
    when bias ≤ −bias_threshold, else "" (also "" when bias is NaN).

    Columns: round, judge, n_projects, mean_total, bias, label. Sorted by round, judge.
    """
    settings = settings or ReviewSettings()
    rows = _clean_scores(scores)
    if rows.empty:
        return pd.DataFrame({
            "round": pd.Series(dtype="int64"), "judge": pd.Series(dtype=object),
            "n_projects": pd.Series(dtype="int64"), "mean_total": pd.Series(dtype="float64"),
            "bias": pd.Series(dtype="float64"), "label": pd.Series(dtype=object),
        })
    rows["total"] = rows[list(CRITERIA)].sum(axis=1)
    group = rows.groupby(["round", "project_id"])["total"]
    n = group.transform("size")
    others_mean = (group.transform("sum") - rows["total"]) / (n - 1).where(n > 1)
    rows["diff"] = rows["total"] - others_mean
    out = rows.groupby(["round", "judge"]).agg(
        n_projects=("diff", "count"),
        mean_total=("total", "mean"),
        bias=("diff", "mean"),
    ).reset_index()
    bias = out["bias"].round(settings.precision)
    out["label"] = np.select(
        [bias >= settings.bias_threshold, bias <= -settings.bias_threshold], ["打分偏高", "打分偏低"], ""
    ).astype(object)
    out["n_projects"] = out["n_projects"].astype("int64")
    return out[CONSISTENCY_COLUMNS].sort_values(["round", "judge"], kind="stable").reset_index(drop=True)


def missing_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores a judge still owes: (round, judge, project_id) for each held round.

    Within a round, every judge who scored any project of that round is
    expected to score every project someone scored in that round; projects
    nobody scored in the round are not listed (rank_projects reports those as
    评审未完成). Sorted by round, judge, project_id.
    """
    rows = _clean_scores(scores)
    expected = (
        rows[["round", "judge"]].drop_duplicates()
        .merge(rows[["round", "project_id"]].drop_duplicates(), on="round")
    )
    done = rows[MISSING_COLUMNS].drop_duplicates().assign(_done=True)
    out = expected.merge(done, on=MISSING_COLUMNS, how="left")
    out = out[out["_done"].isna()][MISSING_COLUMNS]
    out = out.astype({"round": "int64", "judge": object, "project_id": object})
    return out.sort_values(MISSING_COLUMNS, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- validation


def _where(row: pd.Series) -> str:
    """"第1轮 项目P1 评委张三", from whichever of the three are readable."""
    parts = []
    rnd = pd.to_numeric(pd.Series([row.get("round")]), errors="coerce").iloc[0]
    if not pd.isna(rnd) and float(rnd).is_integer():
        parts.append(f"第{int(rnd)}轮")
    for column, label in (("project_id", "项目"), ("judge", "评委")):
        value = row.get(column)
        if value is not None and not (not isinstance(value, str) and pd.isna(value)) and str(value).strip():
            parts.append(f"{label}{str(value).strip()}")
    return " ".join(parts)


def validate_scores(scores: pd.DataFrame, settings: ReviewSettings | None = None) -> list[str]:
    """Chinese messages for score rows the calculations cannot trust.

    Reports: missing columns; a round that is not 1–3; a missing project or
    judge; a criterion that is missing, not a number, or outside 0–its
    maximum; more than one row for the same (round, project, judge). The
    importer should already have refused these: this is a defensive check.
    Rows are identified as "第N行(第1轮 项目P1 评委张三)", N counting from 1 in
    the order given. Empty list when all is well.
    """
    settings = settings or ReviewSettings()
    if scores is None or scores.empty:
        return []
    missing = [c for c in SCORE_COLUMNS if c not in scores.columns]
    if missing:
        return [f"评分表缺少列:{'、'.join(missing)}"]
    messages: list[str] = []
    tolerance = 10.0 ** -settings.precision
    for position, (_, row) in enumerate(scores.iterrows(), start=1):
        who = _where(row)
        where = f"第{position}行" + (f"({who})" if who else "")
        rnd = pd.to_numeric(pd.Series([row["round"]]), errors="coerce").iloc[0]
        if pd.isna(rnd) or rnd not in ROUNDS:
            messages.append(f"{where}:轮次“{row['round']}”无效,应为 1、2 或 3")
        for column, label in (("project_id", "项目编号"), ("judge", "评委")):
            if _ids(pd.Series([row[column]], dtype=object)).iloc[0] is None:
                messages.append(f"{where}:缺少{label}")
        for column, label in CRITERIA.items():
            raw = row[column]
            value = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
            maximum = settings.maxima[column]
            if raw is None or (not isinstance(raw, str) and pd.isna(raw)) or (isinstance(raw, str) and not raw.strip()):
                messages.append(f"{where}:缺少“{label}”分数")
            elif pd.isna(value):
                messages.append(f"{where}:“{label}”的分数“{raw}”不是数字")
            elif value < -tolerance or value > maximum + tolerance:
                messages.append(f"{where}:“{label}”{value:g}分超出范围 0–{maximum:g}")
    clean = _clean_scores(scores)
    counts = clean.groupby(["round", "project_id", "judge"]).size()
    for (rnd, pid, judge), count in counts[counts > 1].items():
        messages.append(f"第{rnd}轮 项目{pid} 评委{judge}:有{count}条评分,应只有一条(计算时每条都计入)")
    return messages

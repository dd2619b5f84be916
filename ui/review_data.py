"""评审排名's figures, cached on (the round looked back to, its date, data version): the page only lays them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

import charts_review
from analytics import review_view as rv
from analytics.review import ReviewSettings, judge_breakdown, judge_consistency, missing_scores, rank_projects
from ui import data

SETTINGS = ReviewSettings()


@data.memo
def round_choices() -> list[int]:
    return rv.round_choices(data.table("review_scores"))


@dataclass(frozen=True)
class Standing:
    rounds: list[int]          # the rounds held up to the choice
    flags: pd.DataFrame        # the project flags that apply (those dated up to the round's date when looking back)
    all_flags: int             # how many flags there are in all
    ranking: pd.DataFrame      # analytics.review.rank_projects
    board: pd.DataFrame        # the ranking board as shown
    labels: dict[str, str]     # project id → label, in ranking order
    summary: dict[str, int]
    missing: pd.DataFrame      # scores a judge has not submitted, as shown (rv.missing_table)


def _used(choice: int) -> pd.DataFrame:
    """The review scores of the rounds up to ``choice``."""
    return rv.scores_up_to(data.table("review_scores"), choice)


def _flags(choice: int, round_date: date | None) -> tuple[pd.DataFrame, int]:
    all_flags = data.table("project_flags")
    if choice == rv.ALL_ROUNDS or round_date:
        return rv.flags_as_of(all_flags, round_date), len(all_flags)
    return all_flags.iloc[0:0], len(all_flags)  # looking back without the round's date: no flag counts yet


@data.memo
def standing(choice: int, round_date: date | None) -> Standing:
    """The ranking with the rounds up to ``choice`` and the flags in force on ``round_date``."""
    used = _used(choice)
    projects = data.table("projects")
    rounds = rv.held_rounds(used)
    flags, count = _flags(choice, round_date)
    ranking = rank_projects(used, flags, SETTINGS, projects=projects["project_id"])
    return Standing(rounds=rounds, flags=flags, all_flags=count, ranking=ranking,
                    board=rv.ranking_board(ranking, projects, rounds, flags),
                    labels=rv.project_labels(ranking, projects), summary=rv.ranking_summary(ranking),
                    missing=rv.missing_table(missing_scores(used), projects))


@data.memo
def breakdown(choice: int, project_id: str) -> dict[int, pd.DataFrame]:
    """One project's scores, round by round, judge by judge."""
    used = _used(choice)
    return rv.breakdown_tables(judge_breakdown(used, project_id, SETTINGS))


@data.memo
def consistency(choice: int) -> pd.DataFrame:
    return rv.consistency_table(judge_consistency(_used(choice), SETTINGS))


@data.memo(shared=True)
def heatmap(choice: int, round_date: date | None, heat_round: int) -> go.Figure:
    """The judge × project totals of one round, projects in ranking order (shared: never modify it)."""
    labels = standing(choice, round_date).labels
    matrix = rv.judge_matrix(_used(choice), heat_round, order=list(labels))
    return charts_review.judge_heatmap(matrix, labels, title=f"第{heat_round}轮 评委 × 项目 总分(项目按名次排列)")


@data.memo(shared=True)
def distribution(choice: int, round_date: date | None) -> go.Figure:
    """Each round's project scores (shared: never modify it)."""
    s = standing(choice, round_date)
    return charts_review.score_distribution(rv.round_score_points(s.ranking, s.labels), title="各轮项目得分分布")

"""Chart builders for the review (评审) figures: pure functions returning plotly figures.

Kept beside :mod:`charts` (whose layout, colours and font they reuse) so the
page, the projector and the bulletin draw review charts the same way.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts import GREY, RED, _layout, plot_text, plot_texts

ROUND_COLOURS = {1: "#E8A0A0", 2: "#D9363E", 3: RED}


def judge_heatmap(matrix: pd.DataFrame, labels: dict[str, str] | None = None,
                  title: str = "评委 × 项目 总分") -> go.Figure:
    """A heat map of each judge's total for each project: one row per project (its number on the y-axis,
    horizontal and readable at any width), one column per judge.

    ``matrix`` is judge × project_id totals (NaN where a judge did not score);
    ``labels`` maps project_id to the "编号 名称" shown on hover.
    """
    labels = labels or {}
    projects = [str(p) for p in matrix.columns]
    judges = [str(j) for j in matrix.index]
    names = [[plot_text(labels.get(p, p))] * len(judges) for p in projects]
    fig = go.Figure(go.Heatmap(
        z=matrix.T.to_numpy(dtype="float64"),
        x=plot_texts(judges),
        y=plot_texts(projects),
        customdata=names,
        colorscale=[[0.0, "#FFFFFF"], [1.0, RED]],
        texttemplate="%{z:.0f}",
        textfont={"size": 11},
        hoverongaps=False,
        colorbar={"title": {"text": "总分"}, "thickness": 12},
        hovertemplate="评委 %{x}<br>%{customdata}<br>总分 %{z:.1f}<extra></extra>",
        xgap=1,
        ygap=1,
    ))
    fig.update_xaxes(title="评委", side="top", type="category", tickangle=0)
    fig.update_yaxes(title=None, autorange="reversed", type="category")
    return _layout(fig, title, height=max(300, 22 * len(projects) + 160))


def score_distribution(points: pd.DataFrame, title: str = "各轮得分分布") -> go.Figure:
    """One box per round of the projects' round scores, every project drawn as a point.

    ``points`` has round, project (label shown on hover), score.
    """
    fig = go.Figure()
    for rnd in sorted(points["round"].unique()):
        data = points[points["round"] == rnd]
        fig.add_box(
            y=data["score"], name=f"第{int(rnd)}轮", text=plot_texts(data["project"]),
            marker_color=ROUND_COLOURS.get(int(rnd), GREY), line={"width": 1.5},
            boxpoints="all", jitter=0.4, pointpos=0, boxmean=True,
            hovertemplate="%{text}<br>得分 %{y:.2f}<extra>第" + str(int(rnd)) + "轮</extra>",
        )
    fig.update_yaxes(title="项目得分(去掉最高最低分后的平均)", gridcolor="#eee")
    fig.update_xaxes(title=None)
    return _layout(fig, title, height=420)

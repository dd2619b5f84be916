"""Chart builders: pure functions returning plotly figures.

The same builder serves the page, the projector and the bulletin, so
fonts and colours are set here and nowhere else.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

RED = "#C00000"
GREY = "#8C8C8C"
STATUS_COLOURS = {"红": "#D9363E", "黄": "#F0B400", "绿": "#2E9E4F", "已完成": "#4C7BD9"}
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 18}},
        font={"family": FONT, "size": 14},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    return fig


def disposal_by_unit(rates: pd.DataFrame, county_rate: float | None, title: str = "各乡镇街道网格事件处置率") -> go.Figure:
    """Bars of each unit's disposal rate (sorted), the county rate as a reference line.

    ``rates`` has columns unit, reported, handled, rate (0–1).
    """
    data = rates.dropna(subset=["rate"]).sort_values("rate", ascending=False)
    fig = go.Figure(
        go.Bar(
            x=data["unit"],
            y=data["rate"] * 100,
            marker_color=[RED if r >= (county_rate or 0) else GREY for r in data["rate"]],
            text=[f"{r * 100:.1f}%" for r in data["rate"]],
            textposition="outside",
            customdata=data[["reported", "handled"]].to_numpy(),
            hovertemplate="%{x}<br>处置率 %{y:.1f}%<br>上报 %{customdata[0]:,} 件,处置 %{customdata[1]:,} 件<extra></extra>",
        )
    )
    if county_rate is not None and county_rate == county_rate:
        fig.add_hline(y=county_rate * 100, line_dash="dash", line_color="#333",
                      annotation_text=f"全县 {county_rate * 100:.1f}%", annotation_position="top right")
    low = max(0.0, min([*(data["rate"] * 100), 100.0]) - 5)
    fig.update_yaxes(title="处置率(%)", range=[low, max(102.0, float((data["rate"] * 100).max() or 0) + 3)],
                     gridcolor="#eee")
    fig.update_xaxes(title=None, tickangle=-35)
    return _layout(fig, title)

"""Chart builders: pure functions returning plotly figures.

The same builder serves the page, the projector and the bulletin, so
fonts and colours are set here and nowhere else.

Plotly renders a subset of HTML in every text it draws (tick labels, hover
text, legends, titles, bar texts): ``<a href>`` becomes a link, ``<b>``,
``<br>``, ``<span style>`` style the text. Every text that comes from data
goes through :func:`plot_text` in the builder that puts it in the figure, so a
name is always drawn as the characters it holds.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from html import escape

import pandas as pd
import plotly.graph_objects as go

RED = "#C00000"
GREY = "#8C8C8C"
STATUS_COLOURS = {"红": "#D9363E", "黄": "#F0B400", "绿": "#2E9E4F", "已完成": "#4C7BD9"}
#: bars at or above the reference rate: a neutral blue (red/yellow/green mean project status only)
ABOVE = "#1F4E79"
#: rates over 100% and overdue milestones: an orange-brown that is no status colour
ANOMALY_COLOUR = "#C55A11"
#: the mark of a rate over 100% (handled > reported)
ANOMALY = "数据异常"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def plot_text(value: object) -> object:
    """A data value as literal text for plotly: ``< > &`` escaped (plotly shows the entities as the characters).

    Missing values stay missing (plotly leaves a gap); numbers and dates are left alone.
    """
    if isinstance(value, str):
        return escape(value, quote=False)
    return value


def plot_texts(values: Iterable[object]) -> list[object]:
    """:func:`plot_text` of every value (a column of labels)."""
    return [plot_text(v) for v in values]


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": plot_text(title), "x": 0, "font": {"size": 18}},
        font={"family": FONT, "size": 14},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    return fig


def rate_axis(values: list[float], room: float = 0.0) -> dict:
    """A rate axis (percent) on round ticks with %: from the multiple of 5 (10 on a wide span) at or below
    the lowest value less 1, to 100 (or the highest value) plus ``room`` for the value labels."""
    low_value = min([*values, 100.0]) - 1
    high = max([*values, 100.0])
    step = 10 if high - low_value > 40 else 5
    low = max(0.0, (low_value // step) * step)
    return {"range": [low, high + room], "tickmode": "linear", "tick0": 0, "dtick": step, "ticksuffix": "%"}


def disposal_by_unit(rates: pd.DataFrame, county_rate: float | None, title: str = "各乡镇街道网格事件处置率",
                     scope_rate: float | None = None, scope_name: str | None = None) -> go.Figure:
    """Each unit's disposal rate as a dot on its own row (names on the y-axis, best on top, readable at any
    width: desk, phone, projector, bulletin), with vertical reference lines that name their scope.

    ``rates`` has columns unit, reported, handled, rate (0–1). Dots, not bars: the rate axis does not start
    at 0 (rates sit between 85% and 100%), and a bar on a truncated axis would lie about proportions.
    The county rate is always drawn ("全县 96.2%"); after a drill-down (``scope_name`` = the street or
    community, ``scope_rate`` its own rate) that line is drawn too ("星沙街道 97.9%") and the dots are
    coloured against it: blue at or above, grey below — never red/yellow/green, which mean project status.
    The lines are named in the legend, and each value label sits on the side of its dot away from the
    lines, so no line strikes through a label. Rates over 100% are orange diamonds labelled 数据异常.
    """
    data = rates.dropna(subset=["rate"]).sort_values(["rate", "unit"], ascending=[True, False])  # best on top
    drilled = scope_name is not None and scope_rate is not None and scope_rate == scope_rate
    reference = scope_rate if drilled else county_rate
    refs = [(county_rate, "全县", "#333", "dash")]
    if drilled:
        refs.append((scope_rate, scope_name, ABOVE, "dot"))
    refs = [(r, name, colour, dash) for r, name, colour, dash in refs if r is not None and r == r]
    lowest_line = min((r for r, *_ in refs), default=None)
    rates_pct = data["rate"] * 100
    fig = go.Figure(go.Scatter(
        x=rates_pct, y=plot_texts(data["unit"]), mode="markers+text", showlegend=False,
        marker={"size": 12,
                "color": [ANOMALY_COLOUR if r > 1 else
                          ABOVE if reference is None or reference != reference or r >= reference else GREY
                          for r in data["rate"]],
                "symbol": ["diamond" if r > 1 else "circle" for r in data["rate"]]},
        text=[f"{r * 100:.1f}%" + (f"({ANOMALY})" if r > 1 else "") for r in data["rate"]],
        # a label left of a dot that lies left of every line, right of it otherwise: never across a line
        textposition=["middle left" if lowest_line is not None and r < lowest_line else "middle right"
                      for r in data["rate"]],
        cliponaxis=False,
        customdata=data[["reported", "handled"]].to_numpy(),
        hovertemplate="%{y}<br>处置率 %{x:.1f}%<br>上报 %{customdata[0]:,} 件,处置 %{customdata[1]:,} 件<extra></extra>",
    ))
    for r, name, colour, dash in refs:
        fig.add_vline(x=r * 100, line_dash=dash, line_color=colour, layer="below")
        fig.add_scatter(x=[None], y=[None], mode="lines", name=f"{plot_text(name)} {r * 100:.1f}%",
                        line={"color": colour, "dash": dash}, hoverinfo="skip")
    values = [*rates_pct.dropna().tolist(), *(r * 100 for r, *_ in refs)]
    fig.update_xaxes(title=None, gridcolor="#eee", **rate_axis(values, room=4 if len(data) else 0))
    fig.update_yaxes(title=None, showgrid=True, gridcolor="#f3f3f3", automargin=True)
    _layout(fig, title, height=max(260, 24 * len(data) + 110))
    fig.update_layout(showlegend=bool(refs), legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1,
                                                     "xanchor": "right"})
    return fig


def disposal_trend(monthly: pd.DataFrame, title: str = "逐月上报、处置与处置率") -> go.Figure:
    """Bars of reported and handled per month, the rate as a line on the right axis.

    ``monthly`` has columns month, reported, handled, rate (0–1).
    """
    # real dates, not one category per month: plotly then spaces the ticks to the width (no rotated,
    # overlapping month labels on a phone) and the hover still names the month
    months = pd.to_datetime(monthly["month"])
    rates = monthly["rate"] * 100
    fig = go.Figure()
    fig.add_bar(x=months, y=monthly["reported"], name="上报事件", marker_color="#E8A0A0",
                hovertemplate="%{x|%Y年%-m月}<br>上报 %{y:,} 件<extra></extra>")
    fig.add_bar(x=months, y=monthly["handled"], name="处置事项", marker_color=RED,
                hovertemplate="%{x|%Y年%-m月}<br>处置 %{y:,} 件<extra></extra>")
    fig.add_scatter(x=months, y=rates, name="处置率", yaxis="y2", mode="lines+markers",
                    line={"color": "#333", "width": 2}, hovertemplate="%{x|%Y年%-m月}<br>处置率 %{y:.1f}%<extra></extra>")
    over = monthly["rate"] > 1
    if over.any():  # a month with more handled than reported: marked, not passed over
        fig.add_scatter(x=months[over], y=rates[over], name="处置率超过100%", yaxis="y2", mode="markers",
                        marker={"symbol": "diamond", "size": 13, "color": ANOMALY_COLOUR},
                        hovertemplate="%{x|%Y年%-m月}<br>处置率 %{y:.1f}%(" + ANOMALY
                        + ":处置数多于上报数)<extra></extra>")
    # a fixed floor keeps a 0.3-point wobble from looking like a collapse
    low = min(80.0, float(rates.min()) - 2) if rates.notna().any() else 80.0
    high = max(100.0, float(rates.max()) + 1) if rates.notna().any() else 100.0
    fig.update_layout(barmode="group", yaxis={"title": "件数", "gridcolor": "#eee"},
                      yaxis2={"title": "处置率(%)", "overlaying": "y", "side": "right", "showgrid": False,
                              "range": [low, high], "tickmode": "linear", "dtick": 5 if high - low > 12 else 2,
                              "tick0": 0, "ticksuffix": "%"})
    # month over year on two short lines, every month up to 8, every other month up to 24: fits a phone
    n = len(monthly)
    fig.update_xaxes(tickformat="%-m月\n%Y", tickangle=0, dtick="M1" if n <= 8 else "M2" if n <= 24 else "M6")
    _layout(fig, title, height=380)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"})
    return fig


def horizontal_bars(frame: pd.DataFrame, label: str, value: str, title: str, unit: str = "件",
                    colour: str = RED) -> go.Figure:
    """A sorted horizontal bar chart (largest on top) of one value per label."""
    data = frame.sort_values(value, ascending=True)
    fig = go.Figure(go.Bar(
        x=data[value], y=plot_texts(data[label]), orientation="h", marker_color=colour,
        text=[f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}" for v in data[value]], textposition="outside",
        hovertemplate="%{y}<br>%{x:,.1f} " + unit + "<extra></extra>",
    ))
    fig.update_xaxes(title=unit, gridcolor="#eee")
    return _layout(fig, title, height=max(260, 32 * len(data) + 90))


def status_by_unit(table: pd.DataFrame, title: str = "各单位项目状态") -> go.Figure:
    """Stacked horizontal bars: one bar per unit, one segment per status.

    ``table`` has a ``unit`` column and one count column per status.
    """
    fig = go.Figure()
    data = table.iloc[::-1]  # plotly draws the first row at the bottom
    for status in [c for c in table.columns if c != "unit"]:
        if data[status].sum() == 0:
            continue
        fig.add_bar(y=plot_texts(data["unit"]), x=data[status], name=plot_text(status), orientation="h",
                    marker_color=STATUS_COLOURS.get(status, GREY),
                    hovertemplate="%{y}<br>" + plot_text(status) + " %{x} 个<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="项目数", dtick=1, gridcolor="#eee")
    _layout(fig, title, height=max(300, 26 * len(table) + 100))
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.06, "x": 1, "xanchor": "right"})
    return fig


def roadmap(milestones: pd.DataFrame, today: object, title: str = "项目时间表线路图") -> go.Figure:
    """Milestones as a Gantt-like chart: planned (hollow diamond) vs done (filled), overdue ones marked,
    and a line for the 数据日期.

    ``milestones`` has seq, milestone, planned_on, done_on. Rows are in seq order (1, 2, 3 …, top to
    bottom) whatever order the traces are added in; a milestone planned before ``today`` and not done
    by then is overdue (逾期未完成).
    """
    data = milestones.sort_values("seq")
    labels = [plot_text(f"{s}. {m}") for s, m in zip(data["seq"], data["milestone"], strict=True)]
    planned, done = pd.to_datetime(data["planned_on"]), pd.to_datetime(data["done_on"])
    day = pd.Timestamp(today).normalize()
    fig = go.Figure()
    for label, p, d in zip(labels, planned, done, strict=True):  # a bar from plan to completion shows slippage
        if pd.notna(d) and d != p:
            fig.add_scatter(x=[p, d], y=[label, label], mode="lines", showlegend=False, hoverinfo="skip",
                            line={"color": ANOMALY_COLOUR if d > p else GREY, "width": 6})
    fig.add_scatter(x=planned, y=labels, mode="markers", name="计划完成",
                    marker={"symbol": "diamond-open", "size": 14, "color": "#333", "line": {"width": 2}},
                    hovertemplate="%{y}<br>计划 %{x|%Y-%m-%d}<extra></extra>")
    fig.add_scatter(x=done, y=labels, mode="markers", name="实际完成",
                    marker={"symbol": "diamond", "size": 14, "color": ABOVE},
                    hovertemplate="%{y}<br>实际 %{x|%Y-%m-%d}<extra></extra>")
    late = (planned < day) & (done.isna() | (done > day))
    if late.any():
        days_late = [(day - p).days for p in planned[late]]
        fig.add_scatter(x=planned[late], y=[lb for lb, x in zip(labels, late, strict=True) if x], mode="markers",
                        name="逾期未完成", customdata=days_late,
                        marker={"symbol": "x", "size": 13, "color": ANOMALY_COLOUR, "line": {"width": 1}},
                        hovertemplate="%{y}<br>计划 %{x|%Y-%m-%d},逾期 %{customdata} 天未完成<extra></extra>")
    fig.add_vline(x=day.timestamp() * 1000, line_dash="dash", line_color="#555")
    # the label at the foot of the line, inside the plot: clear of the legend above it
    fig.add_annotation(x=day.timestamp() * 1000, xref="x", y=0, yref="paper", yanchor="bottom", xanchor="left",
                       text=f"数据日期 {day:%Y-%m-%d}", showarrow=False, font={"size": 12, "color": "#555"},
                       bgcolor="rgba(255,255,255,0.8)")
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    fig.update_xaxes(tickformat="%m月%d日", gridcolor="#eee")
    _layout(fig, title, height=max(260, 48 * len(data) + 110))
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.1, "x": 1, "xanchor": "right"})
    return fig


def progress_curve(curve: pd.DataFrame, title: str = "进度曲线:计划与周报") -> go.Figure:
    """Expected progress (from the timetable) and reported progress (from weekly reports) by week."""
    weeks = pd.to_datetime(curve["week"])
    fig = go.Figure()
    fig.add_scatter(x=weeks, y=curve["expected"], name="计划进度", mode="lines", line={"color": GREY, "dash": "dash"},
                    hovertemplate="%{x|%m月%d日}当周<br>计划 %{y:.0f}%<extra></extra>")
    fig.add_scatter(x=weeks, y=curve["reported"], name="周报进度", mode="lines+markers", connectgaps=False,
                    line={"color": RED}, hovertemplate="%{x|%m月%d日}当周<br>周报 %{y:.0f}%<extra></extra>")
    fig.update_yaxes(title="进度(%)", range=[0, 105], gridcolor="#eee")
    fig.update_xaxes(tickformat="%m月%d日")
    _layout(fig, title, height=320)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"})
    return fig


def reporting_trend(rates: pd.DataFrame, title: str = "每周周报报送率") -> go.Figure:
    """Weekly reporting rate (0–1) as a line."""
    weeks = pd.to_datetime(rates["week"])
    fig = go.Figure(go.Scatter(
        x=weeks, y=rates["rate"] * 100, mode="lines+markers", line={"color": RED},
        customdata=rates[["reported", "active"]].to_numpy(),
        hovertemplate="%{x|%m月%d日}当周<br>报送率 %{y:.1f}%<br>已报 %{customdata[0]} / 应报 %{customdata[1]}<extra></extra>",
    ))
    fig.update_yaxes(title="报送率(%)", range=[0, 105], gridcolor="#eee")
    fig.update_xaxes(tickformat="%m月%d日")
    return _layout(fig, title, height=300)


def for_projector(fig: go.Figure, height: int = 640) -> go.Figure:
    """The same figure for the projector: big type, fixed height (the slide must not scroll)."""
    fig = go.Figure(fig)  # a copy: the page's figure is left alone
    right = 20 + round((fig.layout.margin.r or 0) * 22 / 14)  # labels in the right margin grow with the type
    fig.update_layout(font={"size": 22}, title={"font": {"size": 30}}, height=height,
                      margin={"l": 20, "r": right, "t": 70, "b": 20})
    # the bigger labels need room: let plotly grow the margins around them
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    fig.update_traces(textfont_size=20, selector={"type": "bar"})
    return fig


# ---------------------------------------------------------------- 大屏 (kiosk) variants
# The kiosk stage has a fixed size in CSS pixels and is zoomed as a whole to the screen. Plotly measures
# its text and container with getBoundingClientRect, which a zoom (or transform) inflates, and then
# draws at the wrong scale; so the kiosk draws its two charts as plain SVG, which scales exactly.


KIOSK_THEMES = {
    "light": {"bg": "#FFFFFF", "fg": "#111111", "muted": "#555555", "grid": "#D0D0D0", "accent": "#C00000",
              "above": ABOVE, "other": "#8C8C8C", "plan": "#555555"},
    "dark": {"bg": "#000000", "fg": "#FFFFFF", "muted": "#D0D0D0", "grid": "#4A4A4A", "accent": "#FF4D4D",
             "above": "#7FB3E6", "other": "#9A9A9A", "plan": "#D0D0D0"},
}


def text_width(text: str, font_size: float) -> float:
    """Roughly how wide ``text`` is: a CJK character is one em, anything else about 0.6 em."""
    return sum(font_size if ord(ch) > 0x2E7F else 0.6 * font_size for ch in text)


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    """The drawing as an <img> of an SVG data URI: st.html's sanitiser drops inline <svg>, and as an image
    it can run nothing."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}">' + "".join(body) + "</svg>")
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="k-chart" alt="{escape(label)}" width="{width}" height="{height}" '
            f'src="data:image/svg+xml;base64,{data}">')


def kiosk_ranking_svg(ranked: pd.DataFrame, county_rate: float | None, theme: str = "light",
                      width: int = 460, height: int = 400, font_size: int = 13) -> str:
    """Horizontal bars of units' disposal rates as SVG, first row on top, unit names on the y-axis.

    ``ranked`` has unit, rate (0–1), rank (null when not ranked) and rank_change (previous rank − rank),
    in the order to show. Each bar is labelled with its rate and rank change; bars at or above the
    county rate (the dashed line) are red, the others grey. The rate axis starts at 0.
    """
    c = KIOSK_THEMES.get(theme, KIOSK_THEMES["light"])
    data = ranked.reset_index(drop=True)
    labels = [f"{r.rank}. {r.unit}" if pd.notna(r.rank) else f"— {r.unit}" for r in data.itertuples()]
    texts = [("—" if pd.isna(r.rate) else f"{r.rate * 100:.1f}%")
             + ("" if pd.isna(r.rank_change) or r.rank_change == 0
                else (f" ↑{r.rank_change}" if r.rank_change > 0 else f" ↓{-r.rank_change}"))
             for r in data.itertuples()]
    county = county_rate if county_rate is not None and county_rate == county_rate else None
    top = max([100.0, *(float(v) * 100 for v in data["rate"].dropna())])
    left = max((text_width(t, font_size) for t in labels), default=0) + 8
    right = max((text_width(t, font_size) for t in texts), default=0) + 6
    axis = font_size * 1.8
    plot_w, plot_h = max(width - left - right, 10), height - axis
    row = plot_h / max(len(data), 1)

    def x(value: float) -> float:
        return left + plot_w * value / top

    body = []
    for tick in range(0, int(top) + 1, 25):
        body.append(f'<line x1="{x(tick):.1f}" y1="0" x2="{x(tick):.1f}" y2="{plot_h:.1f}" stroke="{c["grid"]}"/>')
        body.append(f'<text x="{x(tick):.1f}" y="{height - 4:.1f}" font-size="{font_size}" fill="{c["fg"]}" '
                    f'text-anchor="middle">{tick}%</text>')
    for i, (r, label, text) in enumerate(zip(data.itertuples(), labels, texts, strict=True)):
        mid = row * i + row / 2
        value = 0.0 if pd.isna(r.rate) else float(r.rate) * 100
        # above the county is blue, not red: red/yellow/green mean project status only
        colour = c["above"] if county is not None and pd.notna(r.rate) and r.rate >= county else c["other"]
        body.append(f'<rect x="{left:.1f}" y="{mid - row * 0.36:.1f}" width="{max(x(value) - left, 0):.1f}" '
                    f'height="{row * 0.72:.1f}" fill="{colour}"/>')
        body.append(f'<text x="{left - 6:.1f}" y="{mid:.1f}" font-size="{font_size}" fill="{c["fg"]}" '
                    f'text-anchor="end" dominant-baseline="central">{escape(label)}</text>')
        body.append(f'<text x="{x(value) + 4:.1f}" y="{mid:.1f}" font-size="{font_size}" fill="{c["fg"]}" '
                    f'dominant-baseline="central">{escape(text)}</text>')
    if county is not None:
        body.append(f'<line x1="{x(county * 100):.1f}" y1="0" x2="{x(county * 100):.1f}" y2="{plot_h:.1f}" '
                    f'stroke="{c["fg"]}" stroke-width="1.5" stroke-dasharray="5,4"/>')
    body.append(f'<line x1="{left:.1f}" y1="0" x2="{left:.1f}" y2="{plot_h:.1f}" stroke="{c["fg"]}"/>')
    return _svg(width, height, body, "各单位网格事件处置率排名")


def kiosk_curve_svg(curve: pd.DataFrame, theme: str = "light", width: int = 380, height: int = 240,
                    font_size: int = 12) -> str:
    """A project's planned (dashed) and reported (solid, dots) progress by week as SVG.

    ``curve`` is :func:`analytics.progress.progress_curve` output: week, expected, reported (0–100).
    A week without a report breaks the reported line (no line is drawn across a gap).
    """
    c = KIOSK_THEMES.get(theme, KIOSK_THEMES["light"])
    weeks = pd.to_datetime(curve["week"]).reset_index(drop=True)
    left, right, axis = text_width("100%", font_size) + 8, 12, font_size * 1.8
    plot_w, plot_h = width - left - right, height - axis - 6
    n = len(weeks)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return 6 + plot_h * (1 - v / 105)

    body = []
    for tick in (0, 25, 50, 75, 100):
        body.append(f'<line x1="{left:.1f}" y1="{y(tick):.1f}" x2="{width - right:.1f}" y2="{y(tick):.1f}" '
                    f'stroke="{c["grid"]}"/>')
        body.append(f'<text x="{left - 6:.1f}" y="{y(tick):.1f}" font-size="{font_size}" fill="{c["fg"]}" '
                    f'text-anchor="end" dominant-baseline="central">{tick}%</text>')
    for i in sorted({round(k * (n - 1) / 3) for k in range(4)} if n > 1 else {0}) if n else []:
        anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"  # the end labels stay inside
        body.append(f'<text x="{x(i):.1f}" y="{height - 4:.1f}" font-size="{font_size}" fill="{c["fg"]}" '
                    f'text-anchor="{anchor}">{weeks[i].month}月{weeks[i].day}日</text>')

    def runs(values: pd.Series) -> list[list[tuple[float, float]]]:
        out: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(values):
            if pd.isna(v):
                out.append([])
            else:
                out[-1].append((x(i), y(float(v))))
        return [r for r in out if r]

    for points in runs(curve["expected"].reset_index(drop=True)):
        body.append(f'<polyline fill="none" stroke="{c["plan"]}" stroke-width="3" stroke-dasharray="7,5" '
                    f'points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in points)}"/>')
    for points in runs(curve["reported"].reset_index(drop=True)):
        body.append(f'<polyline fill="none" stroke="{c["accent"]}" stroke-width="4" '
                    f'points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in points)}"/>')
        body.extend(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5" fill="{c["accent"]}"/>' for a, b in points)
    body.append(f'<line x1="{left:.1f}" y1="{y(0):.1f}" x2="{width - right:.1f}" y2="{y(0):.1f}" stroke="{c["fg"]}"/>')
    return _svg(width, height, body, "进度曲线:计划与周报")

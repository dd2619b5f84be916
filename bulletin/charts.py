"""The bulletin's charts as PNG bytes, drawn with matplotlib in a CJK font.

Word documents need pictures, not plotly's HTML, and matplotlib renders
without a browser. Chinese needs a CJK font: Noto Sans CJK from Debian's
``fonts-noto-cjk`` (``make fonts``). Without such a font :func:`render`
raises :class:`ChartUnavailable` (rather than drawing empty boxes), and the
document is written with its tables only.

Uses ``matplotlib.figure.Figure`` directly, not pyplot: no global state, safe
in Streamlit's threads.
"""

from __future__ import annotations

import io

import pandas as pd

from bulletin.content import Chart

#: tried in order; the first one matplotlib can find is used
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
RED = "#C00000"
GREY = "#7F7F7F"


class ChartUnavailable(RuntimeError):
    """A chart cannot be drawn (no matplotlib, or no CJK font); the message is Chinese."""


def cjk_font(candidates: tuple[str, ...] = CJK_FONTS) -> str:
    """The first installed font family of ``candidates``; :class:`ChartUnavailable` if none."""
    try:
        from matplotlib import font_manager
    except ImportError as exc:  # pragma: no cover - matplotlib is in requirements.txt
        raise ChartUnavailable("未安装 matplotlib,无法绘制图表") from exc
    for attempt in range(2):
        installed = {f.name for f in font_manager.fontManager.ttflist}
        for name in candidates:
            if name in installed:
                return name
        if attempt == 0:
            # matplotlib's font cache may predate `make fonts`: add the CJK font files found now
            for path in font_manager.findSystemFonts():
                if "CJK" in path or "cjk" in path:
                    try:
                        font_manager.fontManager.addfont(path)
                    except (OSError, RuntimeError, ValueError):
                        continue
    raise ChartUnavailable(f"未找到中文字体({'、'.join(candidates)}),图表从略:请安装 fonts-noto-cjk(make fonts)")


def render(chart: Chart, fonts: tuple[str, ...] = CJK_FONTS) -> bytes:
    """One chart as PNG bytes (16 × 7.5 cm at 200 dpi)."""
    from matplotlib.figure import Figure

    font = cjk_font(fonts)
    fig = Figure(figsize=(6.3, 2.95), dpi=200)
    ax = fig.add_subplot()
    rc = {"fontfamily": font}
    if chart.kind == "reporting":
        _reporting(ax, chart.data, rc)
    elif chart.kind == "disposal":
        _disposal(ax, chart.data, chart.reference, rc)
    else:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    ax.set_title(chart.title, fontsize=11, **rc)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontfamily(font)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _reporting(ax, data: pd.DataFrame, rc: dict) -> None:
    weeks = pd.to_datetime(data["week"])
    labels = [f"{w.month}月{w.day}日" for w in weeks]
    values = (data["rate"] * 100).tolist()
    bars = ax.bar(labels, [0 if pd.isna(v) else v for v in values], color=RED, width=0.6)
    for bar, v in zip(bars, values, strict=True):
        text = "—" if pd.isna(v) else f"{v:.1f}%"
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                    fontsize=7, xytext=(0, 1), textcoords="offset points", **rc)
    ax.set_ylim(0, 110)
    ax.set_ylabel("报送率(%)", fontsize=8, **rc)
    ax.tick_params(labelsize=7)


def _disposal(ax, data: pd.DataFrame, reference: float | None, rc: dict) -> None:
    labels = data["unit"].astype(str).tolist()
    values = (data["rate"] * 100).tolist()
    ax.bar(labels, values, color=RED, width=0.6)
    if reference is not None and not pd.isna(reference):
        ax.axhline(reference * 100, color=GREY, linestyle="--", linewidth=1)
        ax.annotate(f"全县 {reference * 100:.1f}%", (len(labels) - 0.5, reference * 100), ha="right", va="bottom",
                    fontsize=7, color=GREY, **rc)
    ax.set_ylim(0, max(105.0, max(values) * 1.05))  # a rate axis starts at 0 for bars
    ax.set_ylabel("处置率(%)", fontsize=8, **rc)
    ax.tick_params(axis="x", labelsize=6, labelrotation=60)
    ax.tick_params(axis="y", labelsize=7)

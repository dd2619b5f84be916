"""The 总览 briefing drawn as compact HTML: status tiles, the projects behind, the review top 10 and the
best and worst units. Every data value is escaped: no name or reason can become markup."""

from __future__ import annotations

from html import escape

import pandas as pd

from analytics.briefing import Kpi
from analytics.formatting import DASH, fmt_pct, fmt_rate_change
from charts import STATUS_COLOURS

TEXT_ON = {"黄": "#1F1F1F"}  # yellow needs dark text to stay readable
#: the mark of a rate over 100% (events of earlier months handled this month)
OVER_100 = '<sup title="超过 100%:处置了以前月份积压的事件">※</sup>'

CSS = """<style>
.lh-sec { display: flex; justify-content: space-between; align-items: baseline; gap: .5rem; flex-wrap: wrap;
  border-bottom: 2px solid #C00000; margin: 0 0 .35rem; }
.lh-sec b { font-size: 1.08rem; } .lh-sec span { color: #555; font-size: .85rem; }
.lh-tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(5.2rem, 1fr)); gap: 3px; }
.lh-tile { border-radius: 3px; color: #fff; font-size: .72rem; line-height: 1.15; padding: 2px 4px;
  display: flex; align-items: center; min-height: 1.6rem; word-break: break-all; }
.lh-list { width: 100%; border-collapse: collapse; font-size: .86rem; margin-top: .45rem; }
.lh-list td, .lh-list th { border-bottom: 1px solid #eee; padding: 2px 4px; vertical-align: top; text-align: left; }
.lh-list th { color: #555; font-weight: 600; white-space: nowrap; }
.lh-list td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.lh-chip { display: inline-block; min-width: 1.4em; text-align: center; border-radius: 3px; color: #fff;
  padding: 0 3px; font-size: .8rem; }
.lh-up { color: #1F1F1F; } .lh-down { color: #1F1F1F; } .lh-muted { color: #777; }
</style>"""


def _chip(status: object) -> str:
    s = "" if pd.isna(status) else str(status)
    colour = STATUS_COLOURS.get(s, "#8C8C8C")
    return (f'<span class="lh-chip" style="background:{colour};color:{TEXT_ON.get(s, "#fff")}">'
            f"{escape(s or DASH)}</span>")


def section(title: str, note: str = "") -> str:
    return f'{CSS}<div class="lh-sec"><b>{escape(title)}</b><span>{escape(note)}</span></div>'


def tiles(frame: pd.DataFrame) -> str:
    """One small tile per project, coloured by status; the tile names the lead unit, hover gives the rest."""
    if frame.empty:
        return '<p class="lh-muted">还没有项目:请上传「项目台账」。</p>'
    cells = []
    for row in frame.itertuples(index=False):
        status = "" if pd.isna(row.status) else str(row.status)
        tip = f"{row.project_id} {row.name} · {row.unit} · {row.leader} · {status or DASH}"
        cells.append(f'<div class="lh-tile" title="{escape(tip, quote=True)}" style="background:'
                     f'{STATUS_COLOURS.get(status, "#8C8C8C")};color:{TEXT_ON.get(status, "#fff")}">'
                     f"{escape(str(row.unit))}</div>")
    return f'{CSS}<div class="lh-tiles">{"".join(cells)}</div>'


def attention(frame: pd.DataFrame) -> str:
    """The red and yellow projects with 第一责任人 and reason."""
    if frame.empty:
        return '<p class="lh-muted" style="margin-top:.4rem">没有红色或黄色项目:全部按计划推进。</p>'
    rows = "".join(
        f"<tr title='{escape(f'{r.project_id} {r.name}', quote=True)}'><td>{_chip(r.status)}</td>"
        f"<td style='white-space:nowrap'>{escape(str(r.unit))}</td><td style='white-space:nowrap'>"
        f"{escape(str(r.leader))}</td><td>{escape(str(r.reason or DASH))}</td></tr>"
        for r in frame.itertuples(index=False))
    return (f'{CSS}<table class="lh-list"><tr><th></th><th>牵头单位</th><th>第一责任人</th><th>原因</th></tr>'
            f"{rows}</table>")


def top(frame: pd.DataFrame) -> str:
    """The computed review top 10 with bonus points."""
    if frame.empty:
        return '<p class="lh-muted">还没有评审打分。</p>'
    rows = "".join(
        f"<tr title='{escape(f'{r.project_id} {r.name}', quote=True)}'><td class='n'>{int(r.rank)}</td>"
        f"<td>{escape(str(r.unit))}</td><td class='n'>{r.final_score:.2f}</td>"
        f"<td class='n'>{'+' + format(r.bonus, 'g') if r.bonus else DASH}</td></tr>"
        for r in frame.itertuples(index=False))
    return (f'{CSS}<table class="lh-list"><tr><th>名次</th><th>牵头单位</th><th>得分</th><th>加分</th></tr>'
            f"{rows}</table>")


def _points(change: object) -> str:
    if pd.isna(change):
        return '<span class="lh-muted">上月无数据</span>'
    points = round(float(change) * 100, 1)
    if points == 0:
        return '<span class="lh-muted">持平</span>'
    css = "lh-up" if points > 0 else "lh-down"
    return f'<span class="{css}">{fmt_rate_change(change)}</span>'


def units(frame: pd.DataFrame, title: str) -> str:
    """Units with their rate and the change since the month before; rates over 100% are marked."""
    if frame.empty:
        return f'<p class="lh-muted">{escape(title)}:数据不足。</p>'
    rows = "".join(
        f"<tr><td>{escape(str(r.unit))}</td><td class='n'>{fmt_pct(r.rate)}"
        f"{OVER_100 if r.rate > 1 else ''}</td>"
        f"<td class='n'>{_points(r.change)}</td></tr>"
        for r in frame.itertuples(index=False))
    return f'{CSS}<table class="lh-list"><tr><th colspan="3">{escape(title)}</th></tr>{rows}</table>'


def delta(kpi: Kpi, kind: str = "count") -> dict:
    """``st.metric`` keyword arguments for a KPI's change: none without a comparison, 持平 without an arrow
    for no change, 个百分点 for rates. Always grey: red, yellow and green mean project status only, so the
    direction of a change is told by its arrow and sign, not its colour."""
    return {"delta_color": "off", **_delta(kpi, kind)}


def _delta(kpi: Kpi, kind: str) -> dict:
    change = kpi.change
    if change is None:
        return {"delta": f"{kpi.compared_with}无数据", "delta_color": "off", "delta_arrow": "off"}
    if kind == "rate":
        points = round(change * 100, 1)
        if points == 0:
            return {"delta": f"与{kpi.compared_with}持平", "delta_color": "off", "delta_arrow": "off"}
        return {"delta": fmt_rate_change(change)}
    if round(change) == 0:
        return {"delta": f"与{kpi.compared_with}持平", "delta_color": "off", "delta_arrow": "off"}
    return {"delta": f"{round(change):+d} 个"}

"""The 大屏 stage: its CSS, its small script (keys, mouse, scale), the cached deck and each slide's markup.

The stage is laid out at :data:`STAGE_W` × :data:`STAGE_H` CSS pixels and scaled as a whole to the
largest 16:9 box the screen holds (``transform: scale``), so every slide fits any screen without
scrolling and all type — chart labels included — grows with the screen. Everything that came from
data is escaped before it goes into markup.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape

import pandas as pd
import streamlit as st

import charts
import database
import playlists
from analytics.kiosk import Slide, Tables, build_deck, even_parts
from ui import data

#: the stage's own size in CSS pixels: the smallest screen to serve (1024×768) shows it at 1:1, larger
#: ones zoom it (never below 1, where charts would be measured smaller than their column)
STAGE_W, STAGE_H = 1024, 576
#: sizes below are written for a 1280-pixel-wide design and scaled to the stage by :func:`px`
DESIGN_W = 1280
STATUS_CLASS = {"红": "red", "黄": "yellow", "绿": "green", "已完成": "done"}
STATUS_WORD = {"红": "红色", "黄": "黄色", "绿": "绿色"}


# ---------------------------------------------------------------- data


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _deck(path: str, data_version: int, as_of: date, slides: tuple[str, ...], projects: tuple[str, ...],
          grid_first: date | None, grid_last: date | None) -> list[Slide]:
    t = Tables(data.table("projects"), data.table("milestones"), data.table("weekly_reports"),
               data.table("grid_stats"), data.table("indicators"), data.table("review_scores"),
               data.table("project_flags"))
    return build_deck(t, as_of, slides, projects, grid_first, grid_last)


def deck(playlist: playlists.Playlist, as_of: date) -> list[Slide]:
    """The playlist's slides for ``as_of``; rebuilt when an import changes the data version."""
    return _deck(str(database.db_path()), data.version(), as_of, tuple(playlist.slides), tuple(playlist.projects),
                 playlist.grid_first, playlist.grid_last)


# ---------------------------------------------------------------- sizes on the stage

def px(design: float) -> int:
    """A size of the 1280-pixel design in stage pixels."""
    return round(design * STAGE_W / DESIGN_W)


def _scaled(css_text: str) -> str:
    return re.sub(r"(\d+(?:\.\d+)?)px", lambda m: f"{float(m[1]) * STAGE_W / DESIGN_W:g}px", css_text)


PAD_X, COLUMN_GAP = px(40), px(28)


def column_width(weights: list[int], index: int = 0) -> int:
    """The pixel width of column ``index`` of ``st.columns(weights)`` on the stage (less a few pixels of
    slack): the charts are drawn at that size."""
    inner = STAGE_W - 2 * PAD_X - COLUMN_GAP * (len(weights) - 1)
    return int(inner * weights[index] / sum(weights)) - 4


def split_evenly(frame: pd.DataFrame, most: int) -> list[pd.DataFrame]:
    """``frame`` in as few consecutive parts of at most ``most`` rows as possible, as even as possible."""
    return list(even_parts(frame, most)) if len(frame) else [frame]


# ---------------------------------------------------------------- style and script


def css(theme: str) -> str:
    """The projector page's style: Streamlit's chrome hidden, the scaled 16:9 stage, the theme's colours."""
    c = charts.KIOSK_THEMES.get(theme, charts.KIOSK_THEMES["light"])
    status = {"red": charts.STATUS_COLOURS["红"], "yellow": charts.STATUS_COLOURS["黄"],
              "green": charts.STATUS_COLOURS["绿"], "done": charts.STATUS_COLOURS["已完成"]}
    panel = "#F2F2F2" if theme != "dark" else "#161616"
    frame = f"""<style>
:root {{ --k: calc(min(100vw, {STAGE_W / STAGE_H:.6f} * 100vh) / {STAGE_W}px); }}
header[data-testid=stHeader], [data-testid=stToolbar], [data-testid=stDecoration], [data-testid=stSidebar],
[data-testid=stSidebarCollapsedControl], [data-testid=stStatusWidget] {{ display: none !important; }}
[data-testid=stApp], [data-testid=stMain] {{ background: {c['bg']}; }}
[data-testid=stMainBlockContainer] {{ padding: 0 !important; max-width: none !important; }}
[data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock],
[data-testid=stVerticalBlock]:has(> [data-testid=stLayoutWrapper] > .st-key-kiosk_frame) {{ gap: 0 !important; }}
[data-testid=stLayoutWrapper]:has(> .st-key-kiosk_script), .st-key-kiosk_script {{ display: none !important; }}
.st-key-kiosk_frame {{ position: relative; overflow: hidden; flex: none;
  width: calc({STAGE_W}px * var(--k)); height: calc({STAGE_H}px * var(--k));
  margin: calc((100vh - {STAGE_H}px * var(--k)) / 2) auto 0 auto; }}
.st-key-kiosk_stage {{ position: absolute; left: 0; top: 0; width: {STAGE_W}px; height: {STAGE_H}px;
  zoom: var(--k); box-sizing: border-box; overflow: hidden; background: {c['bg']}; color: {c['fg']}; }}
"""
    design = f"""
.st-key-kiosk_stage {{ padding: 26px 40px 10px 40px; gap: 14px !important; }}
.st-key-kiosk_stage, .st-key-kiosk_stage * {{ font-family: {charts.FONT}; }}
.st-key-kiosk_stage [data-testid=stHorizontalBlock] {{ gap: 28px; flex-wrap: nowrap; }}
.k-head {{ display: flex; align-items: baseline; gap: 24px; border-bottom: 4px solid {c['accent']};
  padding-bottom: 8px; }}
.k-title {{ font-size: 38px; font-weight: 800; color: {c['accent']}; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; min-width: 0; flex: 1 1 auto; }}
.k-period {{ font-size: 20px; color: {c['muted']}; white-space: nowrap; flex: none; }}
.st-key-kiosk_stage > div:has(.k-foot) {{ margin-top: auto; }}
.k-foot {{ height: 26px; display: flex;
  align-items: center; justify-content: space-between; font-size: 15px; color: {c['muted']}; }}
.k-dots {{ display: flex; gap: 7px; align-items: center; }}
.k-dot {{ width: 8px; height: 8px; border-radius: 50%; background: {c['grid']}; display: inline-block; }}
.k-dot.on {{ background: {c['accent']}; width: 11px; height: 11px; }}
.k-kpis {{ display: grid; grid-template-columns: repeat(2, 1fr); gap: 22px; margin-top: 8px; }}
.k-kpi {{ background: {panel}; border-left: 8px solid {c['accent']}; padding: 16px 24px; }}
.k-kpi .l {{ font-size: 24px; color: {c['muted']}; }}
.k-kpi .v {{ font-size: 68px; font-weight: 800; line-height: 1.15; color: {c['fg']}; }}
.k-kpi .c {{ font-size: 20px; color: {c['muted']}; }}
.k-kpi .c.good {{ color: {status['green'] if theme != 'dark' else '#5BE37D'}; }}
.k-kpi .c.bad {{ color: {c['accent']}; }}
.k-note {{ font-size: 20px; color: {c['fg']}; margin-top: 4px; }}
.k-table {{ width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 20px; color: {c['fg']}; }}
.k-table th {{ font-size: 18px; color: {c['muted']}; text-align: left; font-weight: 600; padding: 6px 10px;
  border-bottom: 2px solid {c['fg']}; }}
.k-table td {{ padding: 8px 10px; border-bottom: 1px solid {c['grid']}; vertical-align: top; line-height: 1.3; }}
.k-clamp1 {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.k-clamp2, .k-clamp3 {{ display: -webkit-box; -webkit-box-orient: vertical; overflow: hidden; }}
.k-clamp2 {{ -webkit-line-clamp: 2; }}
.k-clamp3 {{ -webkit-line-clamp: 3; }}
.k-small {{ font-size: 18px; }}
.k-pill {{ display: inline-block; color: #fff; font-weight: 700; border-radius: 6px; padding: 1px 10px;
  font-size: 20px; }}
.k-pill.red {{ background: {status['red']}; }} .k-pill.yellow {{ background: {status['yellow']}; color: #000; }}
.k-pill.green {{ background: {status['green']}; }} .k-pill.done {{ background: {status['done']}; }}
.k-rank {{ font-size: 26px; font-weight: 800; color: {c['accent']}; }}
.k-big {{ font-size: 48px; font-weight: 800; line-height: 1.1; }}
.k-card {{ background: {panel}; padding: 12px 18px; }}
.k-meta {{ font-size: 19px; color: {c['muted']}; }}
.k-figs {{ display: flex; gap: 36px; margin: 6px 0 2px 0; }}
.k-figs .l {{ font-size: 18px; color: {c['muted']}; }}
.k-sec {{ font-size: 19px; font-weight: 700; color: {c['accent']}; margin: 10px 0 4px 0; }}
.k-sec:first-child {{ margin-top: 0; }}
.k-ms {{ display: flex; flex-wrap: wrap; gap: 6px 10px; font-size: 17px; }}
.k-ms span {{ border: 2px solid {c['grid']}; padding: 1px 8px; border-radius: 6px; white-space: nowrap; }}
.k-ms .done {{ border-color: {status['green']}; }} .k-ms .late {{ border-color: {status['red']}; }}
.k-text {{ font-size: 18px; line-height: 1.35; }}
.k-warn {{ font-size: 18px; line-height: 1.35; border-left: 5px solid {status['red']}; padding-left: 10px;
  margin-bottom: 4px; }}
.k-charts {{ display: flex; gap: 28px; margin-top: 6px; }}
.k-legend {{ font-size: 17px; color: {c['muted']}; }}
.k-empty {{ font-size: 40px; margin-top: 160px; text-align: center; color: {c['muted']}; }}
.st-key-kiosk_controls {{ position: fixed !important; left: 50%; bottom: 18px; transform: translateX(-50%);
  z-index: 999990; width: auto !important; background: rgba(20, 20, 20, 0.78); border-radius: 14px;
  padding: 8px 12px; opacity: 0; transition: opacity .25s; }}
.st-key-kiosk_controls:hover, body.kiosk-awake .st-key-kiosk_controls {{ opacity: 1; }}
"""
    return frame + _scaled(design) + "</style>"


#: keys ← → space (and PageUp/PageDown from a presenter's clicker) turn the pages by pressing the
#: hidden controls; a mouse move shows the controls for three seconds. Installed once per tab.
SCRIPT = """<script>
(function () {
  if (window.__kioskInstalled) { return; }
  window.__kioskInstalled = true;
  var k = function () {  // fallback where CSS cannot divide lengths: the stage scale as a number
    if (!CSS.supports('width', 'calc(1px * (100vw / 1px))')) {
      document.documentElement.style.setProperty('--k', Math.min(innerWidth / __W__, innerHeight / __H__));
    }
  };
  k(); window.addEventListener('resize', k);
  var press = function (key) {
    var b = document.querySelector('.st-key-' + key + ' button');
    if (b) { b.click(); b.blur(); }
  };
  document.addEventListener('keydown', function (e) {
    if (!document.querySelector('.st-key-kiosk_stage')) { return; }
    var tag = (e.target && e.target.tagName) || '';
    if (/INPUT|TEXTAREA|SELECT/.test(tag)) { return; }
    if (e.key === 'ArrowRight' || e.key === ' ' || e.key === 'PageDown') { e.preventDefault(); press('kiosk_next'); }
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { e.preventDefault(); press('kiosk_prev'); }
  }, true);
  var timer = null;
  document.addEventListener('mousemove', function () {
    document.body.classList.add('kiosk-awake');
    clearTimeout(timer);
    timer = setTimeout(function () { document.body.classList.remove('kiosk-awake'); }, 3000);
  });
})();
</script>""".replace("__W__", str(STAGE_W)).replace("__H__", str(STAGE_H))


# ---------------------------------------------------------------- slide markup


def _e(value: object) -> str:
    return escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def head(slide: Slide) -> str:
    return (f'<div class="k-head"><div class="k-title">{_e(slide.title)}</div>'
            f'<div class="k-period">{_e(slide.period)}</div></div>')


def foot(slide: Slide, index: int, total: int, seconds: int, paused: bool, notice: str = "") -> str:
    dots = "".join(f'<span class="k-dot{" on" if i == index else ""}"></span>' for i in range(total))
    clock = "已暂停" if paused else f"每页 {seconds} 秒"
    left = _e(notice) if notice else _e(slide.data_date)
    return (f'<div class="k-foot"><span>{left}</span><span class="k-dots">{dots}</span>'
            f'<span data-slide="{index + 1}">第 {index + 1} / {total} 页 · {clock}</span></div>')


def overview_html(slide: Slide) -> str:
    cards = "".join(f'<div class="k-kpi"><div class="l">{_e(k["label"])}</div><div class="v">{_e(k["value"])}</div>'
                    f'<div class="c {k["tone"]}">{_e(k["change"])}</div></div>' for k in slide.payload["kpis"])
    return f'<div class="k-kpis">{cards}</div><div class="k-note">{_e(slide.payload["note"])}</div>'


def status_html(slide: Slide) -> str:
    rows = slide.payload["rows"]
    if not rows:
        return '<div class="k-empty">全部项目按计划推进,没有红色、黄色项目。</div>'
    body = "".join(
        f'<tr><td><span class="k-pill {STATUS_CLASS.get(r["status"], "")}">{_e(STATUS_WORD.get(r["status"], r["status"]))}'
        f'</span></td><td><div class="k-clamp2"><b>{_e(r["name"])}</b></div></td>'
        f'<td><div class="k-clamp2">{_e(r["unit"])}</div></td><td>{_e(r["leader"])}</td>'
        f'<td><div class="k-clamp3 k-small">{_e(r["reason"])}</div></td></tr>' for r in rows)
    return (f'<table class="k-table"><colgroup><col style="width:{px(84)}px"><col style="width:{px(300)}px">'
            f'<col style="width:{px(175)}px"><col style="width:{px(110)}px"><col></colgroup>'
            '<thead><tr><th>状态</th><th>项目</th><th>牵头单位</th><th>第一责任人</th><th>原因</th></tr></thead>'
            f'<tbody>{body}</tbody></table>')


def review_html(slide: Slide) -> str:
    body = "".join(
        f'<tr><td class="k-rank">{r["rank"]}</td><td><div class="k-clamp1"><b>{_e(r["name"])}</b></div></td>'
        f'<td><div class="k-clamp1">{_e(r["unit"])}</div></td><td>{_e(r["score"])}</td>'
        f'<td class="k-rank">{_e(r["bonus"])}</td></tr>' for r in slide.payload["rows"])
    return (f'<table class="k-table"><colgroup><col style="width:{px(80)}px"><col><col style="width:{px(230)}px">'
            f'<col style="width:{px(120)}px"><col style="width:{px(110)}px"></colgroup>'
            '<thead><tr><th>名次</th><th>项目</th><th>牵头单位</th><th>最终得分</th><th>加分</th></tr></thead>'
            f'<tbody>{body}</tbody></table>')


def grid_legend(slide: Slide) -> str:
    return ('<div class="k-legend">按处置率从高到低;蓝色不低于全县、灰色低于全县,虚线为全县处置率;↑↓ 为名次较上一期的变化;'
            '上报不足 10 件的单位不排名(列在最后)。</div>')


def project_card_html(slide: Slide) -> str:
    p = slide.payload
    cls = STATUS_CLASS.get(p["status"], "")
    return (f'<div class="k-card"><div class="k-meta"><span class="k-pill {cls}">{_e(STATUS_WORD.get(p["status"], p["status"]))}'
            f'</span> {_e(p["unit"])} · 第一责任人 {_e(p["leader"])} · {_e(p["category"])}</div>'
            f'<div class="k-figs"><div><div class="l">计划进度</div><div class="k-big">{_e(p["expected"])}</div></div>'
            f'<div><div class="l">实际进度</div><div class="k-big">{_e(p["actual"])}</div></div></div>'
            f'<div class="k-clamp2 k-small">{_e(p["reason"])}</div></div>')


def curve_legend(theme: str) -> str:
    c = charts.KIOSK_THEMES.get(theme, charts.KIOSK_THEMES["light"])
    return (f'<div class="k-legend">进度曲线:<b style="color:{c["accent"]}">━ 周报进度</b> '
            f'<b style="color:{c["plan"]}">╍ 计划进度</b></div>')


def project_detail_html(slide: Slide) -> str:
    p = slide.payload
    mark = {"done": "✓", "late": "逾期", "todo": ""}
    ms = "".join(f'<span class="{m["state"]}">{_e(m["name"])} {_e(m["planned"])} {mark[m["state"]]}</span>'
                 for m in p["milestones"][:8]) or "<span>还没有上传节点</span>"
    ind = "".join(f'<div class="k-clamp1">{_e(i["name"])}:<b>{_e(i["value"])}</b></div>' for i in p["indicators"])
    ind_title = f'成效指标({_e(p["indicator_period"])})' if p["indicator_period"] else "成效指标"
    diff = "".join(f'<div class="k-warn k-clamp2">{_e(d)}</div>' for d in p["difficulties"]) or \
        '<div class="k-text">近四周周报未反映困难。</div>'
    return (f'<div class="k-sec">项目节点</div><div class="k-ms">{ms}</div>'
            f'<div class="k-sec">{ind_title}</div><div class="k-text">{ind or "还没有上传成效指标。"}</div>'
            f'<div class="k-sec">最新周小结</div><div class="k-text k-clamp3">{_e(p["summary"])}</div>'
            f'<div class="k-sec">存在困难与需协调事项</div>{diff}')


def empty_html(slide: Slide) -> str:
    return f'<div class="k-empty">{_e(slide.payload.get("note", ""))}</div>'

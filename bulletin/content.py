"""The content of a 双周通报: data in, a structured bulletin out (pure: no files, no database).

Every figure comes from the analytics modules the pages use
(:mod:`analytics.progress`, :mod:`analytics.disposal`, :mod:`analytics.review`,
:mod:`analytics.review_view`); this module only chooses periods, puts the
figures in sections and writes the sentences.

Periods
-------
- The period (通报期) is two whole weeks: a Monday and the Sunday 13 days later.
  The previous period is the two weeks before it.
- Weekly reporting counts the two weeks of the period; project status is taken
  on the period's last day (and on the previous period's last day for the change).
- Grid statistics are monthly: the bulletin reports the latest month whose
  statistics are present and that has ended by the period's last day, with its
  change against the month before (only when that month is present too).
- Review rounds carry no date in the data contract: a round with scores counts
  as held by the period unless ``BulletinSettings.round_dates`` gives it a date
  after the period's end (a bulletin is drafted after its period, and scores
  are entered after their round).
- Project flags take effect from their date: only flags dated on or before the
  period's end are applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from analytics.disposal import month_changes, months_available, ranking
from analytics.formatting import DASH, fmt_date, fmt_int, fmt_month, fmt_pct
from analytics.progress import (
    DONE,
    GREEN,
    RED,
    YELLOW,
    ProgressSettings,
    difficulties,
    missed_consecutive,
    project_status,
    reporting,
    reporting_rate,
    week_monday,
)
from analytics.review import COMMEND_FLAG, DISQUALIFIED, RANKED, ReviewSettings, rank_projects
from analytics.review_view import held_rounds, scores_up_to

TITLE = "党建聚合力·书记领航行动第{number}期双周通报"
SECTION_REPORTING = "周报报送"
SECTION_PROGRESS = "项目进度"
SECTION_REVIEW = "评审排名"
SECTION_GRID = "网格治理"
SECTION_DIFFICULTIES = "需协调解决的困难"
CHINESE_NUMERALS = "一二三四五六七八九十"


class PeriodError(ValueError):
    """A period that is not two whole weeks; the message is Chinese."""


@dataclass(frozen=True)
class BulletinSettings:
    """What the department decides, not the data; the help text of each field is in its metadata."""

    issuer: str = field(default="中共长沙县委组织部", metadata={"help": "发文机关,印在标题下和落款处"})
    round_dates: tuple[tuple[int, date], ...] = field(default=(), metadata={
        "help": "评审各轮的日期,如 ((1, date(2022, 9, 20)),);未给日期的轮次只要有打分即视为已开展"})
    min_reported: int = field(default=10, metadata={
        "help": "网格事件上报少于此数的单位列出但不参与处置率排名"})
    trend_weeks: int = field(default=8, metadata={"help": "周报报送率趋势图显示的周数"})
    progress: ProgressSettings = field(default_factory=ProgressSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)


@dataclass(frozen=True)
class Chart:
    """A chart to draw: its kind (see :mod:`bulletin.charts`), title and data."""

    kind: str
    title: str
    data: pd.DataFrame
    reference: float | None = None  # e.g. the county rate, drawn as a line


@dataclass(frozen=True)
class Section:
    """One numbered section: paragraphs, an optional table and an optional chart.

    ``table`` holds raw values (ints, floats, text); ``share_columns`` names the
    columns whose values are shares 0–1, written as percentages.
    """

    title: str
    paragraphs: tuple[str, ...]
    table: pd.DataFrame | None = None
    share_columns: tuple[str, ...] = ()
    chart: Chart | None = None
    #: columns written with a fixed number of decimals (e.g. scores with 2)
    decimals: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Bulletin:
    """A bulletin's whole content: what both the .docx and the .xlsx are written from."""

    number: int
    period_start: date
    period_end: date
    issuer: str
    issued_on: date
    draft: bool
    opening: str
    headline: dict[str, Any]
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        return TITLE.format(number=self.number)

    @property
    def period_text(self) -> str:
        return period_text(self.period_start, self.period_end)


@dataclass(frozen=True)
class Data:
    """The tables a bulletin reads (as ``database.read_table`` returns them)."""

    projects: pd.DataFrame
    milestones: pd.DataFrame
    reports: pd.DataFrame
    grid_stats: pd.DataFrame
    scores: pd.DataFrame
    flags: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.projects.empty and self.grid_stats.empty


# ---------------------------------------------------------------- periods


def check_period(start: date, end: date) -> None:
    """Raise :class:`PeriodError` unless start is a Monday and end the Sunday 13 days later."""
    if end < start:
        raise PeriodError(f"通报期的结束日期 {fmt_date(end)} 早于开始日期 {fmt_date(start)}。")
    if start.weekday() != 0:
        raise PeriodError(f"通报期须从周一开始:{fmt_date(start)} 不是周一"
                          f"(该周的周一是 {fmt_date(week_monday(start))})。")
    if end != start + timedelta(days=13):
        raise PeriodError(f"通报期须为连续两周(周一至第二周的周日):从 {fmt_date(start)} 开始应到 "
                          f"{fmt_date(start + timedelta(days=13))} 结束,而不是 {fmt_date(end)}。")


def period_text(start: date, end: date) -> str:
    """2022年11月7日至11月20日 (the year once when both days share it)."""
    tail = f"{end.month}月{end.day}日" if end.year == start.year else fmt_date(end)
    return f"{fmt_date(start)}至{tail}"


def default_period(reports: pd.DataFrame, today: date) -> tuple[date, date]:
    """The last two full weeks of the data: the latest reported week and the one before it.

    Without reports, the two weeks before the week of ``today``.
    """
    weeks = pd.to_datetime(reports["week_start"], errors="coerce").dropna() if not reports.empty else None
    if weeks is not None and len(weeks):
        last = week_monday(weeks.max())
    else:
        last = week_monday(today) - timedelta(days=7)
    start = last - timedelta(days=7)
    return start, start + timedelta(days=13)


def period_choices(reports: pd.DataFrame, today: date, n: int = 12) -> list[tuple[date, date]]:
    """Recent two-week periods, newest first, ending with :func:`default_period`, stepping by two weeks."""
    start, _ = default_period(reports, today)
    return [(start - timedelta(days=14 * k), start - timedelta(days=14 * k) + timedelta(days=13)) for k in range(n)]


def _weeks(start: date) -> list[date]:
    return [start, start + timedelta(days=7)]


# ---------------------------------------------------------------- sections


def _share_change(now: float, before: float) -> float:
    return now - before if not (pd.isna(now) or pd.isna(before)) else float("nan")


def _change_words(change: float, unit: str = "个百分点") -> str:
    """"上升1.2个百分点" / "下降0.4个百分点" / "持平"; change of a share (0–1)."""
    if pd.isna(change):
        return ""
    points = round(change * 100, 1)
    if points == 0:
        return "持平"
    return f"{'上升' if points > 0 else '下降'}{abs(points):.1f}{unit}"


def _reporting(d: Data, start: date, s: BulletinSettings) -> tuple[Section, dict[str, Any]]:
    weeks = _weeks(start)
    rates = reporting_rate(d.projects, d.reports, weeks)
    before = reporting_rate(d.projects, d.reports, [w - timedelta(days=14) for w in weeks])
    active, reported = int(rates["active"].sum()), int(rates["reported"].sum())
    rate = reported / active if active else float("nan")
    prev_active, prev_reported = int(before["active"].sum()), int(before["reported"].sum())
    prev_rate = prev_reported / prev_active if prev_active else float("nan")

    # who missed a week of the period, and how many weeks running they have been silent at its end
    missed: dict[str, list[date]] = {}
    for wk in weeks:
        who = reporting(d.projects, d.reports, wk)
        for pid in who.loc[~who["reported"], "project_id"]:
            missed.setdefault(pid, []).append(wk)
    streak: dict[str, int] = {}
    n = 1
    while True:
        silent = set(missed_consecutive(d.projects, d.reports, weeks[-1], n)["project_id"])
        if not silent:
            break
        for pid in silent:
            streak[pid] = n
        n += 1

    info = d.projects.set_index("project_id")
    rows = [{
        "项目编号": pid,
        "项目名称": info.at[pid, "name"],
        "牵头单位": info.at[pid, "unit"],
        "第一责任人": info.at[pid, "leader"],
        "未报送周次": "、".join(f"{w.month}月{w.day}日当周" for w in wks),
        "截至期末连续未报周数": streak.get(pid, 0),
    } for pid, wks in missed.items()]
    table = pd.DataFrame(rows, columns=["项目编号", "项目名称", "牵头单位", "第一责任人", "未报送周次",
                                        "截至期末连续未报周数"])
    table = table.sort_values(["截至期末连续未报周数", "项目编号"], ascending=[False, True], kind="stable")
    table = table.reset_index(drop=True)

    week_words = ";".join(
        f"{w.month}月{w.day}日当周应报{int(a)}个、已报{int(r)}个" for w, a, r in
        zip(weeks, rates["active"], rates["reported"], strict=True))
    first = f"本期两周应报送周报{fmt_int(active)}个次,实际报送{fmt_int(reported)}个次,报送率{fmt_pct(rate)}"
    change = _change_words(_share_change(rate, prev_rate))
    first += (f",较上期{change}" if change and change != "持平" else (",与上期持平" if change else "")) + "。"
    first += f"其中{week_words}。"
    paragraphs = [first]
    if table.empty:
        paragraphs.append("本期所有应报项目均按时报送周报。")
    else:
        running = table[table["截至期末连续未报周数"] >= 2]
        text = f"本期有{len(table)}个项目未按时报送周报"
        if len(running):
            names = "、".join(f"{n}({u})" for u, n in zip(running["牵头单位"], running["项目名称"], strict=True))
            who = "均" if len(running) == len(table) else f"其中{len(running)}个项目"
            text += f",{who}截至期末已连续两周及以上未报送:{names}"
        paragraphs.append(text + ",请相关单位督促第一责任人按时报送。")

    trend_weeks = [weeks[-1] - timedelta(days=7 * k) for k in range(s.trend_weeks - 1, -1, -1)]
    trend = reporting_rate(d.projects, d.reports, trend_weeks)
    chart = Chart("reporting", f"近{s.trend_weeks}周周报报送率", trend) if trend["active"].sum() else None
    figures = {"report_active": active, "report_reported": reported, "report_rate": rate,
               "report_rate_previous": prev_rate, "not_reported": len(table),
               "silent_two_weeks": int((table["截至期末连续未报周数"] >= 2).sum())}
    return Section(SECTION_REPORTING, tuple(paragraphs), table, (), chart), figures


def _progress(d: Data, end: date, s: BulletinSettings) -> tuple[Section, dict[str, Any]]:
    status = project_status(d.projects, d.milestones, d.reports, end, s.progress)
    before = project_status(d.projects, d.milestones, d.reports, end - timedelta(days=14), s.progress)
    counts = {k: int(v) for k, v in status["status"].value_counts().items()}
    counts_before = {k: int(v) for k, v in before["status"].value_counts().items()}
    behind = status[status["status"].isin([RED, YELLOW])].merge(
        d.projects[["project_id", "name", "unit", "leader"]], on="project_id", how="left")
    behind["_order"] = behind["status"].map({RED: 0, YELLOW: 1})
    behind = behind.sort_values(["_order", "project_id"], kind="stable")
    table = pd.DataFrame({
        "项目编号": behind["project_id"], "项目名称": behind["name"], "牵头单位": behind["unit"],
        "第一责任人": behind["leader"], "状态": behind["status"].map({RED: "红色", YELLOW: "黄色"}),
        "计划进度": behind["expected"] / 100, "实际进度": behind["actual"] / 100, "原因": behind["reason"],
    }).reset_index(drop=True)
    red, yellow, green, done = (counts.get(k, 0) for k in (RED, YELLOW, GREEN, DONE))
    scored = red + yellow + green + done
    became_red = set(status.loc[status["status"] == RED, "project_id"]) - set(
        before.loc[before["status"] == RED, "project_id"])
    text = (f"截至{fmt_date(end)},纳入调度的{scored}个项目中,按计划推进(绿色){green}个,已完成{done}个,"
            f"进度滞后{red + yellow}个(红色{red}个、黄色{yellow}个)")
    prev_behind = counts_before.get(RED, 0) + counts_before.get(YELLOW, 0)
    delta = red + yellow - prev_behind
    text += "," + (f"滞后项目较上期{'增加' if delta > 0 else '减少'}{abs(delta)}个" if delta else "滞后项目数与上期持平")
    if became_red:
        text += f",本期新转为红色{len(became_red)}个"
    text += "。"
    paragraphs = [text]
    if table.empty:
        paragraphs.append("本期没有进度滞后的项目。")
    else:
        paragraphs.append("进度滞后项目及原因见下表,请牵头单位对照时间表线路图倒排工期、加快推进。")
    figures = {"status_counts": counts, "status_counts_previous": counts_before, "behind": red + yellow,
               "red": red, "yellow": yellow, "green": green, "done": done, "scored": scored}
    return Section(SECTION_PROGRESS, tuple(paragraphs), table, ("计划进度", "实际进度")), figures


def _review(d: Data, end: date, s: BulletinSettings) -> tuple[Section | None, dict[str, Any]]:
    dates = dict(s.round_dates)
    rounds = [r for r in held_rounds(d.scores) if dates.get(r) is None or dates[r] <= end]
    if not rounds:
        return None, {"review_round": None}
    last = max(rounds)
    flags = d.flags
    if not flags.empty:
        on = pd.to_datetime(flags["flagged_on"], errors="coerce")
        flags = flags[on.isna() | (on <= pd.Timestamp(end))]
    ranking_ = rank_projects(scores_up_to(d.scores, last), flags, s.review, projects=d.projects["project_id"])
    info = d.projects.set_index("project_id")[["name", "unit", "leader"]]
    praised = set(flags.loc[flags["flag"] == COMMEND_FLAG, "project_id"]) if not flags.empty else set()
    top = ranking_[(ranking_["status"] == RANKED) & (ranking_["bonus"] > 0)]
    table = pd.DataFrame({
        "名次": top["rank"].astype("int64"),
        "项目名称": top["project_id"].map(info["name"]),
        "牵头单位": top["project_id"].map(info["unit"]),
        "第一责任人": top["project_id"].map(info["leader"]),
        "最终得分": top["final_score"].round(2),
        "考核加分": top["bonus"],
        "表扬": [("通报表扬" if pid in praised else "建议通报表扬") if c else ""
               for pid, c in zip(top["project_id"], top["commended"], strict=True)],
    }).reset_index(drop=True)
    ranked = int((ranking_["status"] == RANKED).sum())
    commended = int(ranking_["commended"].sum())
    out_ = ranking_[ranking_["status"] == DISQUALIFIED]
    upto = "第1轮" if last == 1 else f"第1至{last}轮"
    text = (f"按{upto}评审得分(每轮去掉一个最高分和一个最低分后取平均,各轮加权),{ranked}个项目参与排名,"
            f"前{s.review.commend_top}名{commended}个项目建议通报表扬,前{len(table)}名按名次在基层党建述职评议考核"
            f"基础分中加分")
    for pid in out_["project_id"]:
        why = "、".join(flags.loc[(flags["project_id"] == pid) & flags["flag"].isin(s.review.disqualifying_flags),
                                 "flag"].drop_duplicates())
        text += f";{info['name'].get(pid, pid)}({info['unit'].get(pid, '')})因{why}取消评比资格,不排名、不加分"
    text += "。"
    figures = {"review_round": last, "review_ranked": ranked, "review_commended": commended,
               "review_disqualified": len(out_)}
    return Section(SECTION_REVIEW, (text,), table, decimals=(("最终得分", 2), ("考核加分", 0))), figures


def grid_month(grid_stats: pd.DataFrame, end: date) -> date | None:
    """The latest month present in the statistics that has ended by ``end``, or None."""
    ended = [m for m in months_available(grid_stats) if (pd.Timestamp(m) + pd.offsets.MonthEnd(0)).date() <= end]
    return ended[-1] if ended else None


def _grid(d: Data, end: date, s: BulletinSettings) -> tuple[Section, dict[str, Any]]:
    month = grid_month(d.grid_stats, end) if not d.grid_stats.empty else None
    if month is None:
        section = Section(SECTION_GRID, ("截至本期末尚无已结束月份的网格统计数据。",))
        return section, {"grid_month": None, "grid_rate": float("nan"), "grid_rate_previous": float("nan")}
    county = month_changes(d.grid_stats, "county", month).iloc[0]
    units = ranking(d.grid_stats, "unit", (month, month), s.min_reported)
    changes = month_changes(d.grid_stats, "unit", month)[["unit", "rate_change_mom"]]
    units = units.merge(changes, on="unit", how="left")
    table = pd.DataFrame({
        "名次": units["rank"],
        "乡镇街道": units["unit"],
        "上报事件": units["reported"],
        "处置事项": units["handled"],
        "处置率": units["rate"],
        "较上月(百分点)": (units["rate_change_mom"] * 100).round(1),
        "上月名次": units["previous_rank"],
        "名次变化": units["rank_change"],
    })
    rate, previous = float(county["rate"]), float(county["rate_mom"])
    change = _share_change(rate, previous)
    text = (f"{fmt_month(month)},全县网格上报事件{fmt_int(county['reported'])}件,处置事项"
            f"{fmt_int(county['handled'])}件,处置率{fmt_pct(rate)}")
    words = _change_words(change)
    text += (f",较上月{words}" if words and words != "持平" else (",与上月持平" if words else "")) + "。"
    ranked = units[units["ranked"]]
    paragraphs = [text]
    if len(ranked):
        best = ranked[ranked["rank"] == ranked["rank"].min()]["unit"].tolist()
        worst = ranked[ranked["rank"] == ranked["rank"].max()]["unit"].tolist()
        up = ranked[ranked["rank_change"].fillna(0) > 0].sort_values("rank_change", ascending=False)
        line = f"处置率排名第一的是{'、'.join(best)}"
        if len(ranked) > 1 and worst != best:
            line += f",排名最后的是{'、'.join(worst)}"
        if len(up):
            first = up.iloc[0]
            line += f";名次上升最多的是{first['unit']}(上升{int(first['rank_change'])}位)"
        paragraphs.append(line + "。")
    unranked = units[~units["ranked"]]
    if len(unranked):
        paragraphs.append(f"{'、'.join(unranked['unit'])}本月上报事件少于{s.min_reported}件,列出但不参与排名。")
    chart_data = units[["unit", "rate"]].dropna().sort_values("rate", ascending=False)
    chart = Chart("disposal", f"{fmt_month(month)}各乡镇街道网格事件处置率", chart_data, reference=rate) \
        if len(chart_data) else None
    figures = {"grid_month": month, "grid_reported": int(county["reported"]), "grid_handled": int(county["handled"]),
               "grid_rate": rate, "grid_rate_previous": previous}
    return Section(SECTION_GRID, tuple(paragraphs), table, ("处置率",), chart,
                   decimals=(("较上月(百分点)", 1),)), figures


def _difficulties(d: Data, start: date, end: date) -> tuple[Section, dict[str, Any]]:
    raised = difficulties(d.reports, d.projects)
    week = pd.to_datetime(raised["week_start"])
    raised = raised[(week >= pd.Timestamp(start)) & (week <= pd.Timestamp(end))]
    raised = raised.sort_values(["project_id", "week_start"], kind="stable")
    table = pd.DataFrame({
        "项目名称": raised["name"], "牵头单位": raised["unit"],
        "周次": [f"{w.month}月{w.day}日当周" for w in pd.to_datetime(raised["week_start"])],
        "存在困难": raised["difficulty"], "需协调事项": raised["coordination"],
        "累计提出周数": raised["weeks_raised"],
    }).reset_index(drop=True)
    projects = raised["project_id"].nunique()
    if table.empty:
        paragraphs = ("本期各项目未提出需协调解决的困难。",)
    else:
        paragraphs = (f"本期{projects}个项目在周报中提出困难或需协调事项{len(table)}条,请相关部门按职责研究解决,"
                      "县委组织部将跟踪督办。",)
    return Section(SECTION_DIFFICULTIES, paragraphs, table), {"difficulties": len(table),
                                                             "difficulty_projects": int(projects)}


# ---------------------------------------------------------------- the bulletin


def build(data: Data, start: date, end: date, number: int, issued_on: date, draft: bool = True,
          settings: BulletinSettings | None = None) -> Bulletin:
    """The bulletin for the period ``start``–``end`` (checked by :func:`check_period`).

    ``number`` is its 期数; ``issued_on`` the date printed with the issuer;
    ``draft`` marks a draft (printed under the title).
    """
    s = settings or BulletinSettings()
    check_period(start, end)
    reporting_section, f1 = _reporting(data, start, s)
    progress_section, f2 = _progress(data, end, s)
    review_section, f3 = _review(data, end, s)
    grid_section, f4 = _grid(data, end, s)
    difficulty_section, f5 = _difficulties(data, start, end)
    headline: dict[str, Any] = {"period_start": start, "period_end": end, **f1, **f2, **f3, **f4, **f5}
    sections = tuple(x for x in (reporting_section, progress_section, review_section, grid_section,
                                 difficulty_section) if x is not None)
    return Bulletin(number=number, period_start=start, period_end=end, issuer=s.issuer, issued_on=issued_on,
                    draft=draft, opening=opening(headline, start, end), headline=headline, sections=sections)


def opening(h: dict[str, Any], start: date, end: date) -> str:
    """The opening paragraph, from the headline figures."""
    text = f"{period_text(start, end)},全县书记领航项目应报送周报{fmt_int(h['report_active'])}个次," \
           f"周报报送率{fmt_pct(h['report_rate'])}"
    words = _change_words(_share_change(h["report_rate"], h["report_rate_previous"]))
    text += (f"(较上期{words})" if words and words != "持平" else "(与上期持平)" if words else "") + "。"
    text += (f"截至{end.month}月{end.day}日,按计划推进项目{h['green']}个、已完成{h['done']}个,"
             f"进度滞后项目{h['behind']}个(红色{h['red']}个、黄色{h['yellow']}个)。")
    if h.get("grid_month"):
        text += f"{fmt_month(h['grid_month'])}全县网格事件处置率{fmt_pct(h['grid_rate'])}"
        words = _change_words(_share_change(h["grid_rate"], h["grid_rate_previous"]))
        text += (f",较上月{words}" if words and words != "持平" else ",与上月持平" if words else "") + "。"
    return text + "现将有关情况通报如下。"


def heading(index: int, title: str) -> str:
    """"一、周报报送情况"."""
    return f"{CHINESE_NUMERALS[index]}、{title}情况" if title != SECTION_DIFFICULTIES else \
        f"{CHINESE_NUMERALS[index]}、{title}"


def cell_text(value: object, share: bool = False, decimals: int | None = None) -> str:
    """A table value as officials write it: 1,234; 97.9%; 85.25; — for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return DASH
    if share:
        return fmt_pct(value)
    if decimals is not None:
        return f"{float(value):,.{decimals}f}"
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, int) or (hasattr(value, "is_integer") and float(value).is_integer()
                                  and not isinstance(value, str)):
        return fmt_int(value)
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)

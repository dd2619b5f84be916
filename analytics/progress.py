"""Progress of the innovation projects (项目进度) and their weekly reports (周报).

The weekly dispatch (周调度) asks three questions, and this module answers them:

- how far along is each project, against its timetable? (:func:`project_status`:
  expected vs actual progress and a 红/黄/绿 status with its reason);
- who reported this week, and who has gone quiet? (:func:`reporting`,
  :func:`reporting_rate`, :func:`missed_consecutive`);
- what difficulties were raised? (:func:`difficulties`).

Conventions
-----------
- Dates may arrive as ``datetime64``, as ``datetime.date`` objects or as
  None/NaT; they are normalised with ``pd.to_datetime`` to midnight
  Timestamps and compared as dates. Date columns of the results are
  ``datetime64[ns]`` (NaT where missing).
- A week is named by its Monday; it runs Monday to Sunday inclusive.
- Progress (``expected``, ``actual``, ``reported``) is in percent, 0–100.
  A reporting ``rate`` is a share, 0–1 (like the disposal rate), so it goes
  straight to :func:`analytics.formatting.fmt_pct`.
- Milestone weights: a blank weight means equal weights. If ANY weight of a
  project is blank, all of that project's milestones weigh the same — mixing
  given and implied weights has no sensible meaning.

Statuses (:data:`STATUSES`), first rule that applies:

1. 已终止 / 申报 — the project's recorded status is 已终止 or 申报. These are
   not scored: a terminated project is not behind, and a project still
   being applied for has no timetable running yet. They keep their own
   status (not a colour) so the pages can filter them out.
2. 已完成 — recorded status 已完成, or every milestone done by ``on``.
3. 红 — a milestone more than ``red_overdue_days`` days past its planned date
   and not done, or expected − actual ≥ ``red_gap``.
4. 黄 — a milestone past its planned date and not done, or expected − actual
   ≥ ``yellow_gap``, or the project missed its weekly report in this week and
   the ``missed_report_weeks − 1`` weeks before (counted only while it was
   active in each of those weeks, as in :func:`missed_consecutive`).
5. 绿 — none of the above.

The reason lists every rule of the chosen colour that applies, joined with
";"; rules of a milder colour are not repeated under 红.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

DONE = "已完成"
RED = "红"
YELLOW = "黄"
GREEN = "绿"
TERMINATED = "已终止"
APPLYING = "申报"
#: every value of ``project_status(...)["status"]``
STATUSES = (DONE, RED, YELLOW, GREEN, TERMINATED, APPLYING)
#: recorded project statuses that end weekly reporting (see :func:`active_projects`)
CLOSED = (DONE, TERMINATED)

STATUS_COLUMNS = ["project_id", "expected", "actual", "status", "reason", "last_report"]

REASON_GREEN = "按计划推进"
REASON_TERMINATED = "项目已终止"
REASON_APPLYING = "项目尚在申报,未进入实施"
REASON_DONE_STATUS = "项目状态为已完成"

#: gaps are differences of float shares (e.g. 100·2/3); without this slack a
#: gap that is "exactly 25" on paper could land a hair below it
_EPS = 1e-9
_DATE = "datetime64[ns]"


@dataclass(frozen=True)
class ProgressSettings:
    """Thresholds of the 红/黄/绿 status; the help text of each field is in its metadata."""

    red_overdue_days: int = field(default=14, metadata={
        "help": "节点超过计划完成日期多少天仍未完成即为红色;恰好等于该天数仍为黄色"})
    red_gap: float = field(default=25.0, metadata={
        "help": "计划进度减实际进度达到多少个百分点(含等于)即为红色"})
    yellow_gap: float = field(default=10.0, metadata={
        "help": "计划进度减实际进度达到多少个百分点(含等于)即为黄色"})
    missed_report_weeks: int = field(default=2, metadata={
        "help": "连续多少周(含本周)未报送周报即为黄色"})

    def __post_init__(self) -> None:
        # reject settings under which the colours would overlap or never fire
        if self.red_overdue_days < 0:
            raise ValueError("red_overdue_days 不能为负数")
        if not 0 <= self.yellow_gap <= self.red_gap:
            raise ValueError("须满足 0 ≤ yellow_gap ≤ red_gap")
        if self.missed_report_weeks < 1:
            raise ValueError("missed_report_weeks 至少为 1")

    @classmethod
    def help_texts(cls) -> dict[str, str]:
        """Field name → its help text (for settings forms)."""
        return {f.name: f.metadata["help"] for f in fields(cls)}


# --- dates -------------------------------------------------------------------

def week_monday(d: date | datetime | pd.Timestamp) -> date:
    """The Monday of the (Monday–Sunday) week that holds ``d``, as a ``datetime.date``."""
    if d is None or pd.isna(d):
        raise ValueError("week_monday() needs a date, got a missing value")
    if isinstance(d, datetime):  # also pd.Timestamp; drop the time of day
        d = d.date()
    return d - timedelta(days=d.weekday())


def _day(value: Any) -> pd.Timestamp:
    """A date-like as a midnight Timestamp."""
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise ValueError("a date is required, got a missing value")
    return ts.normalize()


def _monday(value: Any) -> pd.Timestamp:
    return pd.Timestamp(week_monday(_day(value)))


def _days(values: pd.Series) -> pd.Series:
    """A date column as midnight Timestamps; None/NaT (and unparseable values) → NaT."""
    return pd.to_datetime(values, errors="coerce").dt.normalize()


def _empty_dates(n: int = 0) -> pd.Series:
    return pd.Series([pd.NaT] * n, dtype=_DATE)


# --- inputs, normalised (always on copies: arguments are never mutated) --------

def _prep_projects(projects: pd.DataFrame, milestones: pd.DataFrame | None = None,
                   reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Projects with ``_approved``, ``_due`` and ``_ended`` (see :func:`ended_on`) as Timestamps."""
    p = projects.reset_index(drop=True).copy()
    p["_approved"] = _days(p["approved_on"])
    p["_due"] = _days(p["due_on"])
    p["_ended"] = _ended(p, milestones, reports)
    return p


def _ended(p: pd.DataFrame, milestones: pd.DataFrame | None, reports: pd.DataFrame | None) -> pd.Series:
    """Per project (aligned with p) the day its recorded closure took effect; NaT when open or unknown."""
    ended = _empty_dates(len(p))
    ended.index = p.index
    if milestones is not None and len(milestones):
        m = pd.DataFrame({"project_id": milestones["project_id"].to_numpy(),
                          "done": _days(milestones["done_on"]).to_numpy()})
        by = m.groupby("project_id")["done"]
        finished = by.max().where(by.count() == by.size())  # every milestone done: the last one's day
        done = p["status"] == DONE
        ended[done] = p.loc[done, "project_id"].map(finished).astype(_DATE)
    if reports is not None and len(reports):
        r = reports if "week" in reports.columns else _prep_reports(reports)
        last_week = r.groupby("project_id")["week"].max()
        stopped = p["status"] == TERMINATED
        ended[stopped] = p.loc[stopped, "project_id"].map(last_week).astype(_DATE)
    return ended.astype(_DATE)


def ended_on(projects: pd.DataFrame, milestones: pd.DataFrame | None = None,
             reports: pd.DataFrame | None = None) -> pd.Series:
    """The day each project's recorded 已完成/已终止 took effect, as far as the data tell (NaT otherwise).

    The ledger keeps no date of closure, so it is read off the evidence:
    a 已完成 project ended on the day its last milestone was done (all of
    them done); a 已终止 project ended in the last week it reported (taken
    as that week's Monday: it owed that week's report, and is 已终止 from
    then on). Before that day it was running like any other project: it owed
    weekly reports and got a 红/黄/绿 status. A closed project with no such
    evidence (NaT) counts as closed in every week, as before. Aligned with
    ``projects`` (a fresh index).
    """
    return _prep_projects(projects, milestones, reports)["_ended"]


def _prep_milestones(milestones: pd.DataFrame) -> pd.DataFrame:
    """project_id, seq, milestone, planned, done, w (the effective weight), sorted by project and seq."""
    m = pd.DataFrame({
        "project_id": milestones["project_id"].to_numpy(),
        "seq": pd.to_numeric(milestones["seq"], errors="coerce").to_numpy(),
        "milestone": milestones["milestone"].to_numpy(),
        "planned": _days(milestones["planned_on"]).to_numpy(),
        "done": _days(milestones["done_on"]).to_numpy(),
        "weight": pd.to_numeric(milestones["weight"], errors="coerce").astype("float64").to_numpy(),
    })
    # one blank weight makes the whole project equal-weighted
    any_blank = m["weight"].isna().groupby(m["project_id"]).transform("any").astype(bool)
    m["w"] = m["weight"].where(~any_blank, 1.0)
    return m.sort_values(["project_id", "seq"], kind="stable").reset_index(drop=True)


def _prep_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports with ``week`` (the Monday of week_start) and a float ``percent``; undated rows dropped."""
    r = reports.reset_index(drop=True).copy()
    start = _days(r["week_start"])
    # week_start is a Monday by contract; moving any other day to its Monday costs nothing
    r["week"] = start - pd.to_timedelta(start.dt.day_of_week, unit="D")
    r["percent"] = pd.to_numeric(r["percent"], errors="coerce").astype("float64")
    return r[r["week"].notna()].reset_index(drop=True)


def _share(weights: pd.Series, mask: pd.Series) -> float:
    """Weighted share of the rows in ``mask``, in percent; NaN with no rows (or no weight)."""
    total = float(weights.sum())
    if len(weights) == 0 or total <= 0:
        return float("nan")
    # multiply before dividing so round shares come out exact (100·60/100 = 60.0)
    return 100.0 * float(weights[mask].sum()) / total


def _active(p: pd.DataFrame, monday: pd.Timestamp) -> pd.Series:
    """Active in the week starting ``monday`` (see :func:`active_projects`); p from :func:`_prep_projects`."""
    sunday = monday + pd.Timedelta(days=6)
    # a project closed later was open in the weeks up to its closing day
    is_open = ~p["status"].isin(CLOSED) | (p["_ended"].notna() & (p["_ended"] >= monday))
    started = p["_approved"].notna() & (p["_approved"] <= sunday)
    not_due = p["_due"].isna() | (p["_due"] >= monday)
    return (is_open & started & not_due).astype(bool)


def _missed(p: pd.DataFrame, r: pd.DataFrame, monday: pd.Timestamp, n: int) -> pd.Series:
    """Active in each of the n weeks ending with ``monday`` and reported in none of them."""
    if n < 1:
        raise ValueError("n 至少为 1")
    weeks = [monday - pd.Timedelta(weeks=k) for k in range(n)]
    active_all = pd.Series(True, index=p.index)
    for wk in weeks:
        active_all &= _active(p, wk)
    reported = p["project_id"].isin(r.loc[r["week"].isin(weeks), "project_id"])
    return (active_all & ~reported).astype(bool)


def _last_reports(p: pd.DataFrame, r: pd.DataFrame, until: pd.Timestamp) -> pd.Series:
    """Per project (aligned with p), the latest report week on or before ``until``, or NaT."""
    last = r[r["week"] <= until].groupby("project_id")["week"].max()
    return p["project_id"].map(last).astype(_DATE)


def _missed_reason(n: int) -> str:
    if n == 1:
        return "本周未报送周报"
    if n == 2:
        return "本周及上周均未报送周报"
    return f"连续{n}周(含本周)未报送周报"


def _overdue_reason(name: object, days: int) -> str:
    return f"节点'{name}'逾期{days}天未完成"


def _gap_reason(expected: float, actual: float) -> str:
    return f"进度落后计划{expected - actual:.1f}个百分点(计划{expected:.1f}%,实际{actual:.1f}%)"


# --- status --------------------------------------------------------------------

def _evaluate(recorded: object, ms: pd.DataFrame, reps: pd.DataFrame, day: pd.Timestamp,
              missed: bool, s: ProgressSettings, ended: Any = pd.NaT) -> dict[str, Any]:
    """expected, actual, status, reason, last_report of one project on ``day``.

    ``ms``: its milestones (prepared); ``reps``: its reports with week ≤ day;
    ``ended``: the day its recorded 已完成/已终止 took effect (NaT: unknown, always).
    """
    if recorded in CLOSED and pd.notna(ended) and day < ended:
        recorded = None  # not yet closed on that day: judged like a running project
    expected = _share(ms["w"], ms["planned"] <= day)
    done = ms["done"].notna() & (ms["done"] <= day)
    last_report = reps["week"].max() if len(reps) else pd.NaT
    # a report without a percent (should not pass the importer) cannot say how far along it is
    with_percent = reps[reps["percent"].notna()].sort_values("week")
    if len(with_percent):
        actual = float(with_percent["percent"].iloc[-1])
    else:
        actual = _share(ms["w"], done)
    out: dict[str, Any] = {"expected": expected, "actual": actual, "last_report": last_report}

    if recorded == TERMINATED:
        return out | {"status": TERMINATED, "reason": REASON_TERMINATED}
    if recorded == APPLYING:
        return out | {"status": APPLYING, "reason": REASON_APPLYING}

    finished: list[str] = []
    if recorded == DONE:
        finished.append(REASON_DONE_STATUS)
    if len(ms) and bool(done.all()):  # a project without milestones is not "all done"
        finished.append(f"全部{len(ms)}个节点均已完成")
    if finished:
        return out | {"status": DONE, "reason": ";".join(finished)}

    late = ms[~done & ms["planned"].notna() & (ms["planned"] < day)]
    late_days = [(int((day - planned).days), name) for planned, name in zip(late["planned"], late["milestone"], strict=True)]
    gap = expected - actual  # NaN when either is undefined: no gap rule then

    red = [_overdue_reason(name, d) for d, name in late_days if d > s.red_overdue_days]
    if gap >= s.red_gap - _EPS:
        red.append(_gap_reason(expected, actual))
    if red:
        return out | {"status": RED, "reason": ";".join(red)}

    yellow = [_overdue_reason(name, d) for d, name in late_days]  # all ≤ red_overdue_days here
    if gap >= s.yellow_gap - _EPS:
        yellow.append(_gap_reason(expected, actual))
    if missed:
        yellow.append(_missed_reason(s.missed_report_weeks))
    if yellow:
        return out | {"status": YELLOW, "reason": ";".join(yellow)}

    return out | {"status": GREEN, "reason": REASON_GREEN}


def project_status(projects: pd.DataFrame, milestones: pd.DataFrame, reports: pd.DataFrame,
                   on: date, settings: ProgressSettings | None = None) -> pd.DataFrame:
    """Expected vs actual progress and the 红/黄/绿 status of every project on the date ``on``.

    One row per project, in the order of ``projects``, with columns
    ``project_id``, ``expected`` and ``actual`` (percent 0–100, NaN where
    undefined), ``status`` (one of :data:`STATUSES`), ``reason`` (Chinese,
    reasons joined with ";") and ``last_report`` (the latest report's
    week_start on or before ``on``, NaT if none).

    - expected: weighted share of the milestones planned on or before ``on``;
      NaN for a project without milestones.
    - actual: ``percent`` of the latest report with week_start ≤ ``on``; with
      no such report, the weighted share of milestones done by ``on``.
    - status: see the module docstring. A recorded 已完成/已终止 applies from
      the day it took effect (:func:`ended_on`); before it the project is
      judged like a running one.
    """
    s = settings or ProgressSettings()
    day = _day(on)
    m = _prep_milestones(milestones)
    r = _prep_reports(reports)
    p = _prep_projects(projects, milestones, r)
    missed = _missed(p, r, _monday(day), s.missed_report_weeks)
    ms_by = {pid: g for pid, g in m.groupby("project_id", sort=False)}
    reps_by = {pid: g for pid, g in r[r["week"] <= day].groupby("project_id", sort=False)}
    no_ms, no_reps = m.iloc[0:0], r.iloc[0:0]

    rows = []
    for i, pid in enumerate(p["project_id"]):
        row = _evaluate(p["status"].iloc[i], ms_by.get(pid, no_ms), reps_by.get(pid, no_reps),
                        day, bool(missed.iloc[i]), s, p["_ended"].iloc[i])
        rows.append({"project_id": pid, **row})
    if not rows:
        return pd.DataFrame({"project_id": pd.Series(dtype=object), "expected": pd.Series(dtype="float64"),
                             "actual": pd.Series(dtype="float64"), "status": pd.Series(dtype=object),
                             "reason": pd.Series(dtype=object), "last_report": _empty_dates()})
    out = pd.DataFrame(rows)[STATUS_COLUMNS]
    out["expected"] = out["expected"].astype("float64")
    out["actual"] = out["actual"].astype("float64")
    out["last_report"] = pd.to_datetime(out["last_report"]).astype(_DATE)
    return out


def status_changes(projects: pd.DataFrame, milestones: pd.DataFrame, reports: pd.DataFrame,
                   week_start: date, settings: ProgressSettings | None = None) -> pd.DataFrame:
    """How each project's status moved over a week, for the weekly bulletin.

    Compares :func:`project_status` on the Sunday of the week holding
    ``week_start`` (``after``) with the Sunday before (``before``). Columns:
    ``project_id``, ``before``, ``after``, ``changed`` (bool); one row per
    project, in the order of ``projects``.
    """
    sunday = _monday(week_start) + pd.Timedelta(days=6)
    before = project_status(projects, milestones, reports, (sunday - pd.Timedelta(weeks=1)).date(), settings)
    after = project_status(projects, milestones, reports, sunday.date(), settings)
    return pd.DataFrame({
        "project_id": after["project_id"],
        "before": before["status"],
        "after": after["status"],
        "changed": (before["status"] != after["status"]).astype(bool),
    })


# --- weekly reporting ----------------------------------------------------------

def active_projects(projects: pd.DataFrame, week_start: date, milestones: pd.DataFrame | None = None,
                    reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """The projects that owe a weekly report for the week holding ``week_start``.

    Active means: approved_on ≤ the week's Sunday (so a project approved
    mid-week is active that week), due_on ≥ the week's Monday (a blank
    due_on never ends), and recorded status neither 已完成 nor 已终止 — or
    closed on or after the week's Monday (:func:`ended_on`, which needs
    ``milestones`` and ``reports``): looking back, a project closed later was
    active. A blank approved_on is never active. Returns the rows of
    ``projects`` (all its columns, a fresh index), in their order.
    """
    p = _prep_projects(projects, milestones, reports)
    return projects.reset_index(drop=True).loc[_active(p, _monday(week_start))].reset_index(drop=True)


def _reporting(p: pd.DataFrame, r: pd.DataFrame, monday: pd.Timestamp) -> pd.DataFrame:
    """Prepared active projects of the week with a bool ``reported``."""
    act = p[_active(p, monday)].copy()
    act["reported"] = act["project_id"].isin(r.loc[r["week"] == monday, "project_id"]).astype(bool)
    return act.reset_index(drop=True)


def reporting(projects: pd.DataFrame, reports: pd.DataFrame, week_start: date,
              milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who reported for the week holding ``week_start``.

    One row per active project (:func:`active_projects`), in the order of
    ``projects``: ``project_id``, ``unit``, ``reported`` (bool: it has a
    report for that week).
    """
    r = _prep_reports(reports)
    act = _reporting(_prep_projects(projects, milestones, r), r, _monday(week_start))
    return act[["project_id", "unit", "reported"]]


def reporting_rate(projects: pd.DataFrame, reports: pd.DataFrame, weeks: Sequence[date],
                   by: str | None = None, milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Weekly report rate (周报报送率) per week, optionally per group.

    Columns: ``week`` (the Monday), then ``by`` if given (a column of
    ``projects``, e.g. "unit"), ``active``, ``reported`` (ints) and ``rate``
    = reported ÷ active (0–1; NaN where nothing was active). Rows: weeks in
    the given order; with ``by``, every group value found in ``projects``
    (in order of first appearance) for every week, so a unit with no active
    project that week still gets a row (active 0, rate NaN). Projects with a
    blank ``by`` value count in no group.
    """
    r = _prep_reports(reports)
    p = _prep_projects(projects, milestones, r)
    if by is not None and by not in projects.columns:
        raise ValueError(f"projects has no column {by!r}")
    groups = [] if by is None else list(pd.unique(projects[by].dropna()))
    rows: list[dict[str, Any]] = []
    for wk in weeks:
        monday = _monday(wk)
        act = _reporting(p, r, monday)
        if by is None:
            parts = [({}, act)]
        else:
            parts = [({by: g}, act[act[by] == g]) for g in groups]
        for key, sub in parts:
            n_active, n_reported = len(sub), int(sub["reported"].sum())
            rows.append({"week": monday, **key, "active": n_active, "reported": n_reported,
                         "rate": n_reported / n_active if n_active else np.nan})
    columns = ["week", *([by] if by else []), "active", "reported", "rate"]
    out = pd.DataFrame(rows, columns=columns)
    out["week"] = pd.to_datetime(out["week"]).astype(_DATE)
    out[["active", "reported"]] = out[["active", "reported"]].astype("int64")
    out["rate"] = out["rate"].astype("float64")
    return out


def missed_consecutive(projects: pd.DataFrame, reports: pd.DataFrame, week_start: date,
                       n: int = 2, milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Projects that sent no report in the ``n`` weeks ending with the week holding ``week_start``.

    Only projects active (:func:`active_projects`) in each of those weeks
    count: a project approved last Wednesday has missed at most two weeks.
    Returns those rows of ``projects`` (all its columns, in its order) plus
    ``last_report``: their latest report's week on or before that week, or NaT.
    """
    r = _prep_reports(reports)
    p = _prep_projects(projects, milestones, r)
    monday = _monday(week_start)
    mask = _missed(p, r, monday, n)
    out = projects.reset_index(drop=True).loc[mask].reset_index(drop=True)
    out["last_report"] = _last_reports(p, r, monday)[mask].reset_index(drop=True)
    return out


def _filled(values: pd.Series) -> pd.Series:
    """Text stripped; blank or missing → None."""
    # built as a list: Series.map on a str column would turn the None back into NaN
    return pd.Series([(v.strip() or None) if isinstance(v, str) else None for v in values],
                     index=values.index, dtype=object)


def difficulties(reports: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Difficulties (存在困难) and requests for coordination (需协调事项) raised in weekly reports.

    The reports whose difficulty or coordination is non-blank after
    stripping, newest week first (ties by project_id). Columns:
    ``project_id``, ``name``, ``unit`` (from ``projects``; NaN for an
    unknown project), ``week_start``, ``difficulty``, ``coordination``
    (stripped; None where blank), ``reporter``, ``weeks_raised`` (how many
    weeks that project raised one, over all its reports).
    """
    r = _prep_reports(reports)
    r["difficulty"] = _filled(r["difficulty"])
    r["coordination"] = _filled(r["coordination"])
    raised = r[r["difficulty"].notna() | r["coordination"].notna()].copy()
    raised["weeks_raised"] = raised.groupby("project_id")["week"].transform("nunique").astype("int64")
    names = projects[["project_id", "name", "unit"]].drop_duplicates("project_id")
    out = raised.merge(names, on="project_id", how="left", validate="many_to_one")
    out["week_start"] = out["week"].astype(_DATE)
    out = out.sort_values(["week_start", "project_id"], ascending=[False, True], kind="stable")
    return out[["project_id", "name", "unit", "week_start", "difficulty", "coordination",
                "reporter", "weeks_raised"]].reset_index(drop=True)


def progress_curve(milestones: pd.DataFrame, reports: pd.DataFrame, project_id: object,
                   weeks: Sequence[date]) -> pd.DataFrame:
    """Planned vs reported progress of one project, week by week, for its detail chart.

    Columns: ``week`` (the Monday), ``expected`` (percent of the milestone
    weight planned by that week's Sunday; NaN without milestones) and
    ``reported`` (the percent of that week's report, NaN if none). Rows in
    the order of ``weeks``.
    """
    m = _prep_milestones(milestones)
    m = m[m["project_id"] == project_id]
    r = _prep_reports(reports)
    r = r[r["project_id"] == project_id]
    percent_by_week = r.drop_duplicates("week", keep="last").set_index("week")["percent"]
    rows = []
    for wk in weeks:
        monday = _monday(wk)
        sunday = monday + pd.Timedelta(days=6)
        rows.append({"week": monday,
                     "expected": _share(m["w"], m["planned"] <= sunday),
                     "reported": float(percent_by_week.get(monday, np.nan))})
    out = pd.DataFrame(rows, columns=["week", "expected", "reported"])
    out["week"] = pd.to_datetime(out["week"]).astype(_DATE)
    out[["expected", "reported"]] = out[["expected", "reported"]].astype("float64")
    return out

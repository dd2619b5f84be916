"""周报 filed online.

For each of its unit's projects in 实施中, a 工作人员 files the week's 本周小结, 下周计划, 完成进度,
存在困难 and 需协调事项 (填报人 = the account). A week stays open until its deadline: by default the
following Monday 12:00, or what a 管理员 set for that week; after it the week is locked, unless a
管理员 reopened it for one project (until a given time). A filing writes ``weekly_reports`` with the
import's key (project_id, week_start): a second filing for the same week replaces the first (kept for
rollback), never duplicates it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import duckdb
import pandas as pd

import database
from accounts import ADMIN, STAFF, User, audit
from analytics.progress import week_monday
from ingest.clean import CellError, parse_week
from workflows.forms import (
    ONLINE_WEEKLY,
    Problem,
    WorkflowError,
    check_refs,
    check_sheet,
    errors,
    load,
    log_upload,
    spec,
    uploader_name,
)

RUNNING = "实施中"
#: the default deadline: this long after the week's Monday (the following Monday 12:00)
DEFAULT_DEADLINE = timedelta(days=7, hours=12)
#: the fields a user fills in (column ids of the contract's 项目周报)
FIELDS = ("summary", "plan", "percent", "difficulty", "coordination")
PART = "周报"


def default_deadline(week_start: date) -> datetime:
    """The following Monday 12:00."""
    return datetime.combine(week_start, time()) + DEFAULT_DEADLINE


def deadline(con: duckdb.DuckDBPyConnection, week_start: date) -> datetime:
    """The deadline of a week: what an administrator set, or the default."""
    set_at = database.scalar(con, "select due_at from report_deadlines where week_start = ?", [week_start])
    return pd.Timestamp(set_at).to_pydatetime() if set_at is not None else default_deadline(week_start)


def open_until(con: duckdb.DuckDBPyConnection, project_id: str, week_start: date) -> datetime:
    """Until when a project's week may be filed: its deadline, or a later unlock."""
    due = deadline(con, week_start)
    unlocked = database.scalar(con, "select open_until from report_unlocks where project_id = ? and week_start = ?",
                               [project_id, week_start])
    return max(due, pd.Timestamp(unlocked).to_pydatetime()) if unlocked is not None else due


def is_open(con: duckdb.DuckDBPyConnection, project_id: str, week_start: date, now: datetime) -> bool:
    """A week may be filed from its start until :func:`open_until`; never a week still to come."""
    return week_start <= week_monday(now) and now < open_until(con, project_id, week_start)


def open_weeks(con: duckdb.DuckDBPyConnection, project_id: str, now: datetime) -> list[date]:
    """The weeks a project may file now, newest first: this week, and earlier weeks before their
    deadline (last week until Monday 12:00) or reopened by an administrator."""
    this = week_monday(now)
    candidates = {this, this - timedelta(days=7)}
    candidates.update(pd.Timestamp(w).date() for w in database.query(
        con, "select week_start from report_deadlines where due_at > ? union "
             "select week_start from report_unlocks where project_id = ? and open_until > ?",
        [now, project_id, now])["week_start"])
    return sorted((w for w in candidates if is_open(con, project_id, w, now)), reverse=True)


def unit_projects(con: duckdb.DuckDBPyConnection, unit: str) -> pd.DataFrame:
    """A unit's projects in 实施中 (those that file weekly reports), by 项目编号."""
    return database.query(con, "select project_id, name, leader, approved_on, due_on from projects "
                               "where unit = ? and status = ? order by project_id", [unit, RUNNING])


def reports(con: duckdb.DuckDBPyConnection, project_id: str) -> pd.DataFrame:
    """A project's weekly reports, newest first, with their ``source``: 在线填报 or the file they came from."""
    return database.query(con, "select r.*, coalesce(u.file_name, '—') as source, u.uploaded_at as filed_at "
                               "from weekly_reports r left join uploads u on u.id = r.upload_id "
                               "where r.project_id = ? order by r.week_start desc", [project_id])


def prefill(con: duckdb.DuckDBPyConnection, project_id: str, week_start: date) -> dict[str, Any]:
    """The form's starting values: the week's report if there is one; otherwise last week's plan as
    this week's summary to start from, and the latest progress."""
    mine = reports(con, project_id)
    weeks = pd.to_datetime(mine["week_start"]).dt.date
    same = mine[weeks == week_start]
    if not same.empty:
        row = same.iloc[0]
        return {f: (None if pd.isna(row[f]) else row[f]) for f in FIELDS}
    before = mine[weeks < week_start]
    if before.empty:
        return dict.fromkeys(FIELDS)
    last = before.iloc[0]
    return {"summary": None if pd.isna(last["plan"]) else last["plan"], "plan": None,
            "percent": None if pd.isna(last["percent"]) else float(last["percent"]),
            "difficulty": None, "coordination": None}


def _project(cur: duckdb.DuckDBPyConnection, project_id: str) -> tuple[str, str, str]:
    row = cur.execute("select unit, status, name from projects where project_id = ?", [project_id]).fetchone()
    if row is None:
        raise WorkflowError(f"“{project_id}”不在项目台账中,请先上传项目台账或核对名称")
    return row


def _may_file(user: User, unit: str) -> None:
    if user.role == ADMIN:
        return
    if user.role != STAFF:
        raise WorkflowError(f"当前账号({user.role})不能填报周报")
    if unit != user.unit:
        raise WorkflowError(f"该项目由{unit}牵头,只能填报本单位({user.unit})牵头项目的周报")


def file_report(con: duckdb.DuckDBPyConnection, user: User, project_id: str, week: Any, values: dict[str, Any],
                now: datetime) -> bool:
    """File (or re-file) one project's report for the week holding ``week``; True when it replaced one.

    Checked on the server: the user's unit leads the project (or the user is a 管理员), the project is
    实施中, the week is open, and the values pass the contract's 项目周报 rules (any error: nothing is
    written, :class:`WorkflowError` carries the problems).
    """
    try:
        week_start = parse_week(week)
    except CellError as exc:
        raise WorkflowError(f"周次{exc}") from None
    if week_start is None:
        raise WorkflowError("请选择填报的周次")
    with database.IMPORT_LOCK, database.transaction(con) as cur:
        unit, status, name = _project(cur, project_id)
        _may_file(user, unit)
        if status != RUNNING:
            raise WorkflowError(f"项目 {project_id} 的状态为“{status}”,只有“{RUNNING}”的项目填报周报")
        if week_start > week_monday(now):
            raise WorkflowError(f"{week_start:%Y-%m-%d} 当周还没有开始,不能提前填报")
        if not is_open(cur, project_id, week_start, now):
            raise WorkflowError(f"{week_start:%Y-%m-%d} 当周的周报已于 {open_until(cur, project_id, week_start):%Y-%m-%d %H:%M} "
                                "截止并锁定;如需补报或修改,请联系管理员解锁")
        problems: list[Problem] = []
        row = {**{f: values.get(f) for f in FIELDS}, "project_id": project_id, "week_start": week_start,
               "reporter": user.display_name}
        sheet = check_sheet(spec("weekly_reports"), PART, [row], problems, numbered=False)
        check_refs(cur, [sheet], {project_id: unit}, problems)
        if errors(problems):
            raise WorkflowError(f"周报未保存:发现 {len(errors(problems))} 个错误,请改正后再提交。", errors(problems))
        upload_id = log_upload(cur, ONLINE_WEEKLY, [sheet], uploader_name(user),
                               {"project_id": project_id, "week_start": week_start}, now)
        replaced = load(cur, [sheet], upload_id) > 0
        audit(cur, user.username, "在线填报周报",
              f"{project_id}《{name}》{week_start:%Y-%m-%d} 当周周报{'(修改,替换原周报)' if replaced else ''},上传 {upload_id}",
              "成功", now)
    return replaced


def set_deadline(con: duckdb.DuckDBPyConnection, user: User, week: date, due_at: datetime, now: datetime) -> None:
    """A 管理员 sets the deadline of one week (for every project)."""
    if user.role != ADMIN:
        raise WorkflowError("只有管理员可以设置周报截止时间")
    week_start = week_monday(week)
    if due_at <= datetime.combine(week_start, time()):
        raise WorkflowError("截止时间应晚于该周的开始")
    with database.transaction(con) as cur:
        cur.execute("insert or replace into report_deadlines values (?, ?, ?, ?)", [week_start, due_at, user.username, now])
        audit(cur, user.username, "设置周报截止时间", f"{week_start:%Y-%m-%d} 当周:{due_at:%Y-%m-%d %H:%M}", "成功", now)


def unlock(con: duckdb.DuckDBPyConnection, user: User, project_id: str, week: date, until: datetime, now: datetime,
           reason: str = "") -> None:
    """A 管理员 reopens one project's locked week until ``until``."""
    if user.role != ADMIN:
        raise WorkflowError("只有管理员可以解锁周报")
    if until <= now:
        raise WorkflowError("解锁截止时间应晚于现在")
    week_start = week_monday(week)
    with database.transaction(con) as cur:
        _project(cur, project_id)
        cur.execute("insert or replace into report_unlocks values (?, ?, ?, ?, ?, ?)",
                    [project_id, week_start, until, user.username, now, reason.strip() or None])
        audit(cur, user.username, "解锁周报", f"{project_id} {week_start:%Y-%m-%d} 当周,开放至 {until:%Y-%m-%d %H:%M}"
              + (f";原因:{reason.strip()}" if reason.strip() else ""), "成功", now)

"""项目申报 → 审核 → 立项.

A unit's 工作人员 (or a 管理员 for any unit) drafts an application and submits it; a 管理员 approves
it (the next 项目编号 is assigned and the project, its milestones and its indicators are written like
an import writes them, status 实施中, 立项日期 = the approval date), returns it for changes with a
comment (the unit edits and resubmits) or rejects it with a reason. Every step is a row of
``project_application_history`` and a line of the audit trail.

States: 草稿 → 待审核 → 已通过 / 退回修改 (→ 待审核 again) / 不通过.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

import database
from accounts import ADMIN, STAFF, User, audit
from workflows.forms import (
    ONLINE_APPLICATION,
    ParsedSheet,
    Problem,
    WorkflowError,
    blank_to_none,
    check_refs,
    check_sheet,
    errors,
    load,
    log_upload,
    spec,
    uploader_name,
)

DRAFT, SUBMITTED, RETURNED, APPROVED, REJECTED = "草稿", "待审核", "退回修改", "已通过", "不通过"
STATES = (DRAFT, SUBMITTED, RETURNED, APPROVED, REJECTED)
#: states in which the unit may still change its application
EDITABLE = (DRAFT, RETURNED)
#: the review decisions and the state each leads to
DECISIONS = {"通过": APPROVED, "退回修改": RETURNED, "不通过": REJECTED}
#: 项目编号 as the sample writes them: LH2022-01
ID_PREFIX = "LH"
#: the part names problems are reported under
PART_PROJECT, PART_MILESTONES, PART_INDICATORS = "项目信息", "项目节点", "成效指标"
#: stands for the 项目编号 while none is assigned (never written anywhere)
PENDING_ID = "(待分配)"

MILESTONE_FIELDS = ("milestone", "planned_on", "weight")
INDICATOR_FIELDS = ("indicator", "measure_unit", "target", "actual")


@dataclass
class Application:
    """What a unit fills in. Milestones and indicators are lists of {column id: value}
    (``MILESTONE_FIELDS``, ``INDICATOR_FIELDS``); a milestone's 节点序号 is its place in the list."""

    unit: str
    name: str | None = None
    category: str | None = None
    leader: str | None = None
    leader_title: str | None = None
    summary: str | None = None
    goals: str | None = None
    due_on: date | None = None
    milestones: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)


# ---------------------------------------------------------------- pure helpers


def next_project_id(existing: Iterable[str], year: int) -> str:
    """The next 项目编号 of ``year`` in the pattern LH2022-01: one above the highest of that year
    (LH2022-01 when there is none), as many digits as the widest so far (at least two)."""
    pattern = re.compile(rf"^{ID_PREFIX}{year}-(\d+)$")
    numbers = [m.group(1) for text in existing if isinstance(text, str) and (m := pattern.match(text.strip()))]
    width = max([2, *(len(n) for n in numbers)])
    return f"{ID_PREFIX}{year}-{max([0, *(int(n) for n in numbers)]) + 1:0{width}d}"


def _filled(row: Mapping[str, Any], fields: Iterable[str]) -> bool:
    """Whether a table row holds anything (blank rows a user added and left are ignored)."""
    return any(not (blank_to_none(row.get(f)) is None or (isinstance(row.get(f), str) and not row[f].strip()))
               for f in fields)


def clean_rows(rows: Iterable[Mapping[str, Any]], fields: Iterable[str]) -> list[dict[str, Any]]:
    """Table rows as plain values (blank → None, Timestamps → dates), blank rows dropped."""
    fields = tuple(fields)
    out = []
    for row in rows:
        if not _filled(row, fields):
            continue
        values = {}
        for f in fields:
            value = blank_to_none(row.get(f))
            if isinstance(value, datetime):
                value = value.date()
            values[f] = value
        out.append(values)
    return out


def check(app: Application, project_id: str, approved_on: date,
          problems: list[Problem]) -> tuple[ParsedSheet, ParsedSheet, ParsedSheet]:
    """The application as the contract's 项目台账, 项目节点 and 成效指标 rows, checked by the import's rules.

    ``approved_on`` is the 立项日期 (the approval date; before approval the day of checking);
    the indicators' 实际值 are the values at 立项, their 统计期 the month of ``approved_on``.
    """
    project = {"project_id": project_id, "name": app.name, "unit": app.unit, "leader": app.leader,
               "leader_title": app.leader_title, "category": app.category, "approved_on": approved_on,
               "due_on": app.due_on, "summary": app.summary, "status": "实施中"}
    sheets = (
        check_sheet(spec("projects"), PART_PROJECT, [project], problems, numbered=False),
        check_sheet(spec("milestones"), PART_MILESTONES,
                    [{**m, "project_id": project_id, "seq": i, "done_on": None}
                     for i, m in enumerate(clean_rows(app.milestones, MILESTONE_FIELDS), start=1)], problems),
        check_sheet(spec("indicators"), PART_INDICATORS,
                    [{**m, "project_id": project_id, "period": approved_on.replace(day=1)}
                     for m in clean_rows(app.indicators, INDICATOR_FIELDS)], problems),
    )
    if sheets[1].rows_read == 0:
        problems.append(Problem(PART_MILESTONES, None, None, "", "请至少填写一个项目节点(项目时间表)"))
    return sheets


# ---------------------------------------------------------------- storage


def _content_json(app: Application) -> str:
    return json.dumps(asdict(app), ensure_ascii=False, default=lambda v: v.isoformat())


def _dated(rows: list[dict[str, Any]], fields: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        row = dict(row)
        for f in fields:
            if isinstance(row.get(f), str):
                row[f] = date.fromisoformat(row[f])
        out.append(row)
    return out


def _from_row(row: Mapping[str, Any]) -> Application:
    due = blank_to_none(row["due_on"])
    return Application(
        unit=row["unit"], name=blank_to_none(row["name"]), category=blank_to_none(row["category"]),
        leader=blank_to_none(row["leader"]), leader_title=blank_to_none(row["leader_title"]),
        summary=blank_to_none(row["summary"]), goals=blank_to_none(row["goals"]),
        due_on=due.date() if isinstance(due, datetime) else due,
        milestones=_dated(json.loads(row["milestones"]), ("planned_on",)),
        indicators=json.loads(row["indicators"]),
    )


def get(con: duckdb.DuckDBPyConnection, application_id: int) -> tuple[Application, dict[str, Any]]:
    """An application's content and its record (state, project_id, who and when)."""
    frame = database.query(con, "select * from project_applications where id = ?", [application_id])
    if frame.empty:
        raise WorkflowError(f"没有编号为 {application_id} 的申报")
    row = frame.iloc[0].to_dict()
    return _from_row(row), row


def listing(con: duckdb.DuckDBPyConnection, user: User) -> pd.DataFrame:
    """The applications a user may see: a 管理员 all of them, 工作人员 their unit's; newest first."""
    if user.role == ADMIN:
        where, params = "", []
    elif user.role == STAFF:
        where, params = "where unit = ?", [user.unit]
    else:
        return database.query(con, "select * from project_applications where false")
    return database.query(con, f"select * from project_applications {where} order by id desc", params)


def history(con: duckdb.DuckDBPyConnection, application_id: int) -> pd.DataFrame:
    """Every step of one application, oldest first."""
    return database.query(con, "select h.happened_at, h.username, coalesce(u.display_name, h.username) as who, "
                               "h.action, h.state, h.comment from project_application_history h "
                               "left join users u on u.username = h.username "
                               "where h.application_id = ? order by h.id", [application_id])


def _step(cur: duckdb.DuckDBPyConnection, application_id: int, user: User, action: str, state: str,
          comment: str | None, content: str | None, now: datetime) -> None:
    cur.execute("insert into project_application_history (application_id, happened_at, username, action, state, "
                "comment, content) values (?, ?, ?, ?, ?, ?, ?)",
                [application_id, now, user.username, action, state, comment, content])


def _may_apply(user: User, unit: str) -> None:
    if user.role == ADMIN:
        return
    if user.role != STAFF:
        raise WorkflowError(f"当前账号({user.role})不能申报项目")
    if unit != user.unit:
        raise WorkflowError(f"你是{user.unit}的工作人员,只能为本单位申报项目,不能为{unit}申报")


def save(con: duckdb.DuckDBPyConnection, user: User, app: Application, now: datetime, *,
         application_id: int | None = None, submit: bool = False) -> int:
    """Save a draft (``submit`` False) or submit for review; returns the application's id.

    A submission is checked in full by the contract's rules (as if approved today): with any error
    nothing is saved and :class:`WorkflowError` carries the problems. A draft is kept as it is.
    """
    _may_apply(user, app.unit)
    app = Application(**{**asdict(app), "milestones": clean_rows(app.milestones, MILESTONE_FIELDS),
                         "indicators": clean_rows(app.indicators, INDICATOR_FIELDS)})
    content = _content_json(app)
    stored = json.loads(content)
    with database.IMPORT_LOCK, database.transaction(con) as cur:
        if application_id is not None:
            row = cur.execute("select unit, state from project_applications where id = ?", [application_id]).fetchone()
            if row is None:
                raise WorkflowError(f"没有编号为 {application_id} 的申报")
            _may_apply(user, row[0])
            if row[1] not in EDITABLE:
                raise WorkflowError(f"申报 {application_id} 当前状态为“{row[1]}”,不能再修改")
            was = row[1]
        else:
            was = None
        if not cur.execute("select 1 from units where unit = ?", [app.unit]).fetchone():
            raise WorkflowError(f"“{app.unit}”不在单位名录中,请先上传单位名录或核对名称")
        if submit:
            problems: list[Problem] = []
            sheets = check(app, PENDING_ID, now.date(), problems)
            check_refs(cur, list(sheets), {PENDING_ID: app.unit}, problems)
            if errors(problems):
                raise WorkflowError(f"申报未提交:发现 {len(errors(problems))} 个错误,请改正后再提交。", errors(problems))
        state = SUBMITTED if submit else (was or DRAFT)
        values = [app.unit, app.name, app.category, app.leader, app.leader_title, app.summary, app.goals, app.due_on,
                  json.dumps(stored["milestones"], ensure_ascii=False), json.dumps(stored["indicators"], ensure_ascii=False),
                  state, user.username, now]
        columns = ("unit, name, category, leader, leader_title, summary, goals, due_on, milestones, indicators, "
                   "state, updated_by, updated_at")
        if application_id is None:
            application_id = int(cur.execute(
                f"insert into project_applications ({columns}, created_by, created_at) "
                f"values ({', '.join('?' * 15)}) returning id", [*values, user.username, now]).fetchone()[0])
        else:
            sets = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
            cur.execute(f"update project_applications set {sets} where id = ?", [*values, application_id])
        if submit:
            cur.execute("update project_applications set submitted_at = ? where id = ?", [now, application_id])
        action = ("重新提交" if was == RETURNED else "提交申报") if submit else "保存草稿"
        _step(cur, application_id, user, action, state, None, content, now)
        audit(cur, user.username, "项目申报", f"申报 {application_id}《{app.name or '未命名'}》({app.unit}):{action}",
              "成功", now)
    return application_id


def review(con: duckdb.DuckDBPyConnection, user: User, application_id: int, decision: str, comment: str,
           now: datetime) -> str | None:
    """A 管理员's decision on a submitted application: 通过 (returns the assigned 项目编号), 退回修改
    (with the changes wanted) or 不通过 (with the reason).

    通过 writes the project (status 实施中, 立项日期 = ``now``'s date), its milestones and its
    indicators in one transaction, logged as an upload named 在线申报; if the contract's rules find
    any error nothing is written and :class:`WorkflowError` carries the problems.
    """
    if user.role != ADMIN:
        raise WorkflowError("只有管理员可以审核项目申报")
    if decision not in DECISIONS:
        raise WorkflowError("审核结论应为:" + "、".join(DECISIONS))
    comment = (comment or "").strip()
    if decision == "退回修改" and not comment:
        raise WorkflowError("退回修改时请写明修改意见")
    if decision == "不通过" and not comment:
        raise WorkflowError("不通过时请写明理由")
    app, record = get(con, application_id)
    with database.IMPORT_LOCK, database.transaction(con) as cur:
        state = cur.execute("select state from project_applications where id = ?", [application_id]).fetchone()[0]
        if state != SUBMITTED:
            raise WorkflowError(f"申报 {application_id} 当前状态为“{state}”,只有“{SUBMITTED}”的申报可以审核")
        project_id = None
        upload_id = None
        if decision == "通过":
            # numbers once assigned are never reused, even if an administrator rolled that approval back
            existing = [r[0] for r in cur.execute("select project_id from projects union "
                                                  "select project_id from project_applications").fetchall()]
            project_id = next_project_id(existing, now.year)
            problems: list[Problem] = []
            sheets = check(app, project_id, now.date(), problems)
            check_refs(cur, list(sheets), {project_id: app.unit}, problems)
            if errors(problems):
                raise WorkflowError(f"未能立项:发现 {len(errors(problems))} 个错误,请退回修改。", errors(problems))
            upload_id = log_upload(cur, ONLINE_APPLICATION, sheets, uploader_name(user),
                                   {"application": application_id, "project_id": project_id}, now)
            load(cur, sheets, upload_id)
        new_state = DECISIONS[decision]
        cur.execute("update project_applications set state = ?, project_id = ?, upload_id = ?, reviewed_by = ?, "
                    "reviewed_at = ?, review_comment = ? where id = ?",
                    [new_state, project_id, upload_id, user.username, now, comment or None, application_id])
        _step(cur, application_id, user, decision, new_state, comment or None, None, now)
        detail = f"申报 {application_id}《{record['name'] or '未命名'}》({record['unit']}):{decision}"
        if project_id:
            detail += f",项目编号 {project_id},上传 {upload_id}"
        audit(cur, user.username, "审核项目申报", detail + (f";意见:{comment}" if comment else ""), "成功", now)
    return project_id

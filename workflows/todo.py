"""The 待办 list: what a user still has to do.

- 工作人员: the weeks of their unit's 实施中 projects that are open and not yet filed (this week's, and
  last week's until its deadline), and their unit's applications returned for changes;
- 管理员: applications waiting for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

import database
from accounts import ADMIN, STAFF, User
from workflows import applications, weekly

WEEKLY_PAGE, APPLY_PAGE = "views/weekly.py", "views/apply.py"


@dataclass(frozen=True)
class Todo:
    """One line of the list: what, and the page where it is done."""

    text: str
    page: str


def todo_items(con: duckdb.DuckDBPyConnection, user: User | None, now: datetime) -> list[Todo]:
    """The user's 待办, most urgent first (unfiled reports by deadline, then applications)."""
    if user is None:
        return []
    items: list[tuple[datetime, Todo]] = []
    if user.role == STAFF and user.unit:
        filed = database.query(con, "select r.project_id, r.week_start from weekly_reports r "
                                    "join projects p using (project_id) where p.unit = ?", [user.unit])
        done = {(pid, pd.Timestamp(w).date()) for pid, w in zip(filed["project_id"], filed["week_start"], strict=True)}
        for project in weekly.unit_projects(con, user.unit).itertuples():
            for week in weekly.open_weeks(con, project.project_id, now):
                if (project.project_id, week) in done:
                    continue
                due = weekly.open_until(con, project.project_id, week)
                items.append((due, Todo(f"{project.project_id}《{project.name}》{week:%m月%d日}当周周报未填报,"
                                        f"{due:%m月%d日 %H:%M} 截止", WEEKLY_PAGE)))
        returned = database.query(con, "select id, name, review_comment from project_applications "
                                       "where unit = ? and state = ? order by id", [user.unit, applications.RETURNED])
        for row in returned.itertuples():
            items.append((datetime.max, Todo(f"申报 {row.id}《{row.name or '未命名'}》被退回修改:{row.review_comment or ''}",
                                             APPLY_PAGE)))
    if user.role == ADMIN:
        waiting = database.query(con, "select id, unit, name, submitted_at from project_applications "
                                      "where state = ? order by submitted_at, id", [applications.SUBMITTED])
        for row in waiting.itertuples():
            items.append((datetime.max, Todo(f"待审核:{row.unit} 申报 {row.id}《{row.name or '未命名'}》"
                                             f"({pd.Timestamp(row.submitted_at):%m月%d日 %H:%M} 提交)", APPLY_PAGE)))
    return [todo for _due, todo in sorted(items, key=lambda item: item[0])]

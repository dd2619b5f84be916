"""The 周报填报 page's parts: one project's form for an open week, its earlier reports, the
administrator's deadlines and unlocks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from accounts import User
from analytics.formatting import DASH, fmt_date
from analytics.progress import week_monday
from contract import SHEETS_BY_TABLE
from ui.components import show_table
from workflows import weekly
from workflows.forms import WorkflowError, problems_frame

FLASH = "weekly_flash"
_SPEC = SHEETS_BY_TABLE["weekly_reports"]
HEADERS = {c.id: c.header for c in _SPEC.columns}
HISTORY_COLUMNS = {"week_start": HEADERS["week_start"], "summary": HEADERS["summary"], "plan": HEADERS["plan"],
                   "percent": HEADERS["percent"], "difficulty": HEADERS["difficulty"],
                   "coordination": HEADERS["coordination"], "reporter": HEADERS["reporter"], "source": "来源"}


def week_label(week: date) -> str:
    return f"{fmt_date(week)}—{fmt_date(week + timedelta(days=6))}(第{week.isocalendar().week}周)"


def report_form(con, user: User, project_id: str, week: date, now: datetime) -> None:
    """The form of one project's open week, pre-filled (its report, or last week's plan); a filing
    replaces the week's report."""
    start = weekly.prefill(con, project_id, week)
    due = weekly.open_until(con, project_id, week)
    tag = f"{project_id}_{week.isoformat()}"
    with st.form(f"weekly_form_{tag}"):
        st.caption(f"{week_label(week)} · {due:%Y-%m-%d %H:%M} 截止 · 填报人:{user.display_name}")
        summary = st.text_area(HEADERS["summary"], value=start["summary"] or "", key=f"wk_summary_{tag}",
                               help="已按上周的“下周计划”预填,请改写为本周实际完成的工作")
        plan = st.text_area(HEADERS["plan"], value=start["plan"] or "", key=f"wk_plan_{tag}")
        percent = st.number_input(HEADERS["percent"] + "(%)", min_value=0.0, max_value=100.0, step=1.0,
                                  value=start["percent"], format="%g", key=f"wk_percent_{tag}")
        difficulty = st.text_area(HEADERS["difficulty"], value=start["difficulty"] or "", key=f"wk_difficulty_{tag}")
        coordination = st.text_area(HEADERS["coordination"], value=start["coordination"] or "",
                                    key=f"wk_coordination_{tag}")
        go = st.form_submit_button("提交周报", key=f"wk_submit_{tag}", type="primary", icon=":material/send:")
    if go:
        values = {"summary": summary, "plan": plan, "percent": percent, "difficulty": difficulty,
                  "coordination": coordination}
        try:
            replaced = weekly.file_report(con, user, project_id, week, values, now)
            st.session_state[FLASH] = (f"{project_id} {fmt_date(week)}当周周报已{'修改(替换原周报)' if replaced else '提交'}。")
            st.rerun()
        except WorkflowError as exc:
            st.error(str(exc), icon=":material/error:")
            if exc.problems:
                show_table(problems_frame(exc.problems), key=f"wk_problems_{tag}", wrap=True)


def history(con, project_id: str, open_weeks: list[date]) -> None:
    """Earlier reports, read-only, with where each came from (在线填报 or the file)."""
    reports = weekly.reports(con, project_id)
    weeks = pd.to_datetime(reports["week_start"]).dt.date
    earlier = reports[~weeks.isin(open_weeks)]
    if earlier.empty:
        st.caption("还没有往期周报。")
        return
    table = earlier[list(HISTORY_COLUMNS)].rename(columns=HISTORY_COLUMNS)
    table[HEADERS["week_start"]] = weeks[~weeks.isin(open_weeks)].map(fmt_date)
    table[HEADERS["percent"]] = earlier["percent"].map(lambda v: DASH if pd.isna(v) else f"{v:.0f}%")
    with st.expander(f"往期周报({len(earlier)} 周,只读)"):
        show_table(table, key=f"wk_history_{project_id}", drop_empty=False, wrap=True)


def _moment(label: str, default: datetime, key: str) -> datetime:
    c1, c2 = st.columns(2)
    day = c1.date_input(f"{label}日期", value=default.date(), key=f"{key}_day", format="YYYY-MM-DD")
    clock = c2.time_input(f"{label}时间", value=default.time(), key=f"{key}_time")
    return datetime.combine(day, clock or time(12))


def admin_panel(con, user: User, projects: pd.DataFrame, now: datetime) -> None:
    """Set one week's deadline; reopen one project's locked week."""
    this = week_monday(now)
    with st.expander("截止时间与解锁(管理员)"):
        st.markdown("**设置某一周的截止时间**(默认为下周一 12:00)")
        week = week_monday(st.date_input("哪一周(选该周任意一天)", value=this, key="wk_deadline_week",
                                                format="YYYY-MM-DD"))
        st.caption(f"{week_label(week)}:现在的截止时间为 {weekly.deadline(con, week):%Y-%m-%d %H:%M}")
        due = _moment("截止", weekly.default_deadline(week), "wk_deadline")
        if st.button("保存截止时间", key="wk_deadline_go"):
            _act(lambda: weekly.set_deadline(con, user, week, due, now), f"{fmt_date(week)}当周的截止时间已设为 {due:%Y-%m-%d %H:%M}。")
        if projects.empty:
            return
        st.markdown("**解锁某个项目已截止的一周**")
        names = dict(zip(projects["project_id"], projects["name"], strict=True))
        project_id = st.selectbox("项目", list(names), format_func=lambda p: f"{p} {names[p]}", key="wk_unlock_project", placeholder="请选择")
        locked = week_monday(st.date_input("哪一周", value=this - timedelta(days=7), key="wk_unlock_week",
                                                  format="YYYY-MM-DD"))
        until = _moment("开放至", datetime.combine(now.date() + timedelta(days=1), time(18)), "wk_unlock")
        reason = st.text_input("原因", key="wk_unlock_reason")
        if st.button("解锁", key="wk_unlock_go"):
            _act(lambda: weekly.unlock(con, user, project_id, locked, until, now, reason),
                 f"{project_id} {fmt_date(locked)}当周已开放至 {until:%Y-%m-%d %H:%M}。")


def _act(step, done: str) -> None:
    try:
        step()
        st.session_state[FLASH] = done
        st.rerun()
    except WorkflowError as exc:
        st.error(str(exc), icon=":material/error:")

"""The 项目申报 page's parts: the application form, its read-only view, the review panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from accounts import User
from analytics.formatting import DASH
from contract import CATEGORIES, SHEETS_BY_TABLE
from ui.components import show_table
from ui.text import as_text
from workflows import applications as apps
from workflows.forms import WorkflowError, problems_frame

FLASH = "apply_flash"
NEXT_PICK = "apply_next_pick"

#: editor header (the contract's) → column id, for the milestones and indicators tables
MILESTONE_HEADERS = {SHEETS_BY_TABLE["milestones"].column(f).header: f for f in apps.MILESTONE_FIELDS}
INDICATOR_HEADERS = {SHEETS_BY_TABLE["indicators"].column(f).header: f for f in apps.INDICATOR_FIELDS}
LIST_COLUMNS = {"id": "申报编号", "unit": "申报单位", "name": "项目名称", "state": "状态", "project_id": "项目编号",
                "review_comment": "审核意见", "updated_at": "最近修改"}


def _editor_frame(rows: list[dict], headers: dict[str, str], dates: tuple[str, ...], numbers: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame({h: [r.get(f) for r in rows] for h, f in headers.items()})
    for h, f in headers.items():
        if f in dates:
            frame[h] = pd.to_datetime(frame[h]).astype("datetime64[s]")
        elif f in numbers:
            frame[h] = pd.to_numeric(frame[h]).astype("float64")
        else:
            frame[h] = frame[h].astype("string")
    return frame


def _records(frame: pd.DataFrame, headers: dict[str, str]) -> list[dict]:
    return [{headers[h]: v for h, v in row.items()} for row in frame.to_dict("records")]


def listing_table(listing: pd.DataFrame) -> pd.DataFrame:
    table = listing[list(LIST_COLUMNS)].rename(columns=LIST_COLUMNS)
    table["最近修改"] = pd.to_datetime(table["最近修改"]).dt.strftime("%Y-%m-%d %H:%M")
    return table.fillna(DASH)


def form(user: User, app: apps.Application | None, key: str, units: list[str]) -> tuple[apps.Application, str | None]:
    """The application form; returns its content and "save" / "submit" when a button was pressed."""
    app = app or apps.Application(unit=user.unit or (units[0] if units else ""))
    with st.form(f"apply_form_{key}"):
        if user.is_admin:
            unit = st.selectbox("申报单位", units, index=units.index(app.unit) if app.unit in units else (0 if units else None),
                                key=f"apply_unit_{key}", placeholder="请选择")
        else:
            unit = app.unit
            st.markdown(f"**申报单位**:{as_text(user.unit)}")
        c1, c2 = st.columns([2, 1])
        name = c1.text_input("项目名称", value=app.name or "", key=f"apply_name_{key}")
        category = c2.selectbox("项目类别", CATEGORIES, key=f"apply_category_{key}",
                                index=CATEGORIES.index(app.category) if app.category in CATEGORIES else None,
                                placeholder="请选择")
        c1, c2, c3 = st.columns(3)
        leader = c1.text_input("第一责任人", value=app.leader or "", key=f"apply_leader_{key}")
        title = c2.text_input("职务", value=app.leader_title or "", key=f"apply_title_{key}")
        due_on = c3.date_input("计划完成日期", value=app.due_on, key=f"apply_due_{key}", format="YYYY-MM-DD")
        summary = st.text_area("项目简介", value=app.summary or "", key=f"apply_summary_{key}")
        goals = st.text_area("项目目标", value=app.goals or "", key=f"apply_goals_{key}")
        st.markdown("**项目节点(时间表)**:按先后顺序填写,节点序号按行自动编排;权重可不填(各节点权重相等)。")
        milestones = st.data_editor(
            _editor_frame(app.milestones, MILESTONE_HEADERS, ("planned_on",), ("weight",)), num_rows="dynamic",
            key=f"apply_milestones_{key}", hide_index=True,
            column_config={"计划完成日期": st.column_config.DateColumn(format="YYYY-MM-DD")})
        st.markdown("**成效指标**:实际值填立项时的现状,统计期记为立项当月;以后按月上传“成效指标”更新。")
        indicators = st.data_editor(
            _editor_frame(app.indicators, INDICATOR_HEADERS, (), ("target", "actual")), num_rows="dynamic",
            key=f"apply_indicators_{key}", hide_index=True)
        b1, b2 = st.columns(2)
        save = b1.form_submit_button("保存草稿", key=f"apply_save_{key}", icon=":material/save:")
        submit = b2.form_submit_button("提交审核", key=f"apply_submit_{key}", type="primary", icon=":material/send:")
    content = apps.Application(unit=unit, name=name, category=category, leader=leader, leader_title=title,
                               summary=summary, goals=goals, due_on=due_on,
                               milestones=_records(milestones, MILESTONE_HEADERS),
                               indicators=_records(indicators, INDICATOR_HEADERS))
    return content, "submit" if submit else "save" if save else None


def refused(exc: WorkflowError) -> None:
    st.error(str(exc), icon=":material/error:")
    if exc.problems:
        show_table(problems_frame(exc.problems), key="apply_problems", wrap=True)


def view(app: apps.Application) -> None:
    """An application, read-only."""
    fields = pd.DataFrame({"项": ["申报单位", "项目名称", "项目类别", "第一责任人", "职务", "计划完成日期", "项目简介", "项目目标"],
                           "内容": [app.unit, app.name, app.category, app.leader, app.leader_title,
                                  app.due_on.isoformat() if app.due_on else None, app.summary, app.goals]})
    show_table(fields, key="review_fields", drop_empty=False, wrap=True, widths={"项": 110})
    show_table(_editor_frame(app.milestones, MILESTONE_HEADERS, ("planned_on",), ("weight",)), key="review_milestones",
               kinds={"计划完成日期": "date"}, drop_empty=False)
    if app.indicators:
        show_table(_editor_frame(app.indicators, INDICATOR_HEADERS, (), ("target", "actual")), key="review_indicators",
                   drop_empty=False)


def history_table(steps: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"时间": pd.to_datetime(steps["happened_at"]).dt.strftime("%Y-%m-%d %H:%M"),
                         "经办人": steps["who"], "操作": steps["action"], "操作后状态": steps["state"],
                         "意见": steps["comment"]}).fillna(DASH)

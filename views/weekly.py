"""周报填报: each 实施中 project of the unit files this week's summary and plan online."""

from __future__ import annotations

import streamlit as st

from accounts import ADMIN, STAFF
from ui import auth, data
from ui import weekly as weekly_ui
from ui.components import empty_state
from ui.text import as_text
from workflows import weekly

user = auth.require(ADMIN, STAFF)
st.title("周报填报")
st.caption("每个“实施中”的项目每周填报一次:本周小结、下周计划、完成进度。每周的周报在下周一 12:00 截止(管理员可调整),"
           "截止后锁定,需补报或修改请联系管理员解锁。同一周再次提交会替换原周报。")
con, now = data.con(), auth.now()
if flash := st.session_state.pop(weekly_ui.FLASH, None):
    st.success(flash, icon=":material/check_circle:")

if user.is_admin:
    units = data.table("units")["unit"].tolist()
    unit = st.selectbox("牵头单位", units, key="weekly_unit", placeholder="请选择")
else:
    unit = user.unit
projects = weekly.unit_projects(con, unit or "")
if projects.empty:
    empty_state(f"{as_text(unit or '本单位')}没有“实施中”的项目,不需要填报周报。")
for project in projects.itertuples():
    with st.container(border=True):
        st.subheader(as_text(f"{project.project_id} {project.name}"))
        open_weeks = weekly.open_weeks(con, project.project_id, now)
        if len(open_weeks) > 1:
            week = st.segmented_control("填报周", open_weeks, default=open_weeks[0], key=f"wk_week_{project.project_id}",
                                        format_func=weekly_ui.week_label) or open_weeks[0]
        else:
            week = open_weeks[0] if open_weeks else None
        if week is None:
            st.caption("本周已截止。")
        else:
            weekly_ui.report_form(con, user, project.project_id, week, now)
        weekly_ui.history(con, project.project_id, open_weeks)
if user.is_admin:
    weekly_ui.admin_panel(con, user, projects, now)

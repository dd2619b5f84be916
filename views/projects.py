"""项目总览: every project, its progress against its timetable, and who is behind."""

from __future__ import annotations

import streamlit as st

from analytics.formatting import fmt_date
from analytics.project_view import STATUS_ORDER, filter_board, status_counts
from contract import CATEGORIES
from ui import auth, data, projects
from ui.components import as_of_date, download_table, empty_state, show_table

auth.require()
st.title("项目总览")
if data.table("projects").empty:
    empty_state("还没有项目台账。请到「数据上传」页下载“项目台账”模板,填好后上传。")
    st.stop()

as_of = as_of_date()
board = projects.board(as_of)
st.caption(f"按 {fmt_date(as_of)} 计算(可在左侧栏修改数据日期)。红:节点逾期超过14天或进度落后计划25个百分点以上;"
           "黄:节点逾期、进度落后10个百分点以上,或本周和上周都没有报送周报。")

counts = status_counts(board)
cols = st.columns(len(STATUS_ORDER))
for col, status in zip(cols, STATUS_ORDER, strict=True):
    col.metric(status, f"{counts[status]} 个", border=True)

f1, f2, f3 = st.columns(3)
units = f1.multiselect("牵头单位", sorted(board["unit"].unique()), key="projects_units", placeholder="全部单位")
categories = f2.multiselect("项目类别", list(CATEGORIES), key="projects_categories", placeholder="全部类别")
statuses = f3.multiselect("状态", STATUS_ORDER, key="projects_statuses", placeholder="全部状态")
shown = filter_board(board, units, categories, statuses)

if shown.empty:
    empty_state("没有符合筛选条件的项目。")
else:
    table = projects.board_table(shown)
    phone_keep = ["状态", "牵头单位", "原因"]
    show_table(table, key="projects_table", kinds=projects.BOARD_KINDS, name_column="项目名称", wrap=True,
               widths=projects.BOARD_WIDTHS, phone=phone_keep, style=projects.styled, column_config=projects.BOARD_CONFIG,
               on_select=projects.open_detail("projects_table", table["项目编号"].tolist()), selection_mode="single-row")
    st.caption(f"共 {len(shown)} 个项目。点选一行查看项目详情。")
    download_table(table, "项目总览", key="dl_projects", kinds=projects.BOARD_KINDS)
projects.follow_detail_link()

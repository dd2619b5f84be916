"""领航看板: the frame. Page config, theme, shared state, and the page list.

Every page is listed once, here, with its Chinese title and section.
"""

from __future__ import annotations

import streamlit as st

from ui.components import as_of_picker

st.set_page_config(page_title="领航看板 · 党建聚合力书记领航行动", page_icon="🚩", layout="wide")

PAGES = {
    "看板": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
        st.Page("pages/grid.py", title="网格治理", icon=":material/grid_view:"),
    ],
    "项目": [
        st.Page("pages/projects.py", title="项目总览", icon=":material/view_list:"),
        st.Page("pages/project.py", title="项目详情", icon=":material/description:"),
        st.Page("pages/dispatch.py", title="周调度", icon=":material/event_repeat:"),
        st.Page("pages/review.py", title="评审排名", icon=":material/emoji_events:"),
    ],
    "数据": [
        st.Page("pages/upload.py", title="数据上传", icon=":material/upload_file:"),
    ],
}

with st.sidebar:
    st.markdown("### :material/flag: 领航看板")
    st.caption("长沙县 · 党建聚合力书记领航行动")
    as_of_picker()

st.navigation(PAGES).run()

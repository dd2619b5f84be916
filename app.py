"""领航看板: the frame. Page config, theme, who is logged in, and the page list.

Every page is listed once, here, with its Chinese title and section; what a
role may see is decided here (and checked again by each page). Page scripts
live in ``views/``, not ``pages/``: Streamlit still auto-discovers a
``pages/`` folder for a session that opens a deep link before any session
has run this script, which would bypass the log-in.
"""

from __future__ import annotations

import streamlit as st

from accounts import ADMIN, STAFF
from ui import auth
from ui.components import as_of_picker
from ui.frame import apply_frame_style, run_page
from ui.text import md_escape

st.set_page_config(page_title="领航看板 · 党建聚合力书记领航行动", page_icon="🚩", layout="wide")
apply_frame_style()

OVERVIEW = st.Page("views/overview.py", title="总览", icon=":material/dashboard:", default=True)
PROJECTOR = st.Page("views/projector.py", title="大屏", icon=":material/slideshow:")
BOARDS = {
    "看板": [OVERVIEW, st.Page("views/grid.py", title="网格治理", icon=":material/grid_view:"), PROJECTOR],
    "项目": [
        st.Page("views/projects.py", title="项目总览", icon=":material/view_list:"),
        st.Page("views/project.py", title="项目详情", icon=":material/description:"),
        st.Page("views/dispatch.py", title="周调度", icon=":material/event_repeat:"),
        st.Page("views/review.py", title="评审排名", icon=":material/emoji_events:"),
        st.Page("views/bulletin.py", title="双周通报", icon=":material/campaign:"),
    ],
}
UPLOAD = st.Page("views/upload.py", title="数据上传", icon=":material/upload_file:")
ADMIN_PAGE = st.Page("views/admin.py", title="系统管理", icon=":material/admin_panel_settings:")
PLAYLISTS = st.Page("views/playlists.py", title="大屏播放列表", icon=":material/playlist_play:")
ACCOUNT = st.Page("views/account.py", title="我的账号", icon=":material/person:")
LOGIN = st.Page("views/login.py", title="登录", icon=":material/login:")

user = auth.current_user()
auth.flush_cookie()
if user is None and auth.check_display_token():
    pages = [PROJECTOR]  # a projector link: that one read-only view, nothing else
    position = "hidden"
elif user is None:
    pages = [LOGIN]
    position = "hidden"
else:
    own = [ACCOUNT]
    if user.role in (ADMIN, STAFF):
        own.insert(0, UPLOAD)
    if user.role == ADMIN:
        own.extend([ADMIN_PAGE, PLAYLISTS])
    filing = [st.Page("views/weekly.py", title="周报填报", icon=":material/edit_note:"),
              st.Page("views/apply.py", title="项目申报", icon=":material/assignment_add:")]
    pages = {**BOARDS, **({"填报": filing} if user.role in (ADMIN, STAFF) else {}), "数据与账号": own}
    position = "sidebar"
    with st.sidebar:
        st.caption(md_escape(f"{user.display_name} · {user.role}" + (f" · {user.unit}" if user.unit else "")))
        run_page(as_of_picker)

run_page(st.navigation(pages, position=position, expanded=True).run)  # every page listed, no "View more"

"""The 待办 list at the top of a user's first page: unfiled weekly reports, returned applications,
applications to review. Each line links to the page where it is done."""

from __future__ import annotations

import streamlit as st

from accounts import User
from ui import auth, data
from ui.text import as_text
from workflows.todo import todo_items


def show(user: User | None) -> None:
    """Nothing when there is nothing to do."""
    items = todo_items(data.con(), user, auth.now())
    if not items:
        return
    with st.container(border=True, key="todo"):
        st.markdown(f"**:material/checklist: 待办({len(items)} 项)**")
        for item in items:
            st.page_link(item.page, label=as_text(item.text), icon=":material/chevron_right:")

"""登录: the only page a visitor without a session sees."""

from __future__ import annotations

import streamlit as st

import accounts
import database
from ui import auth, data

st.title("领航看板 · 登录")
st.caption("长沙县委组织部 · 党建聚合力书记领航行动")
notice = st.session_state.pop("auth_notice", None)
if notice:
    st.warning(notice, icon=":material/schedule:")

with st.form("login", clear_on_submit=True):  # the password never stays in session state
    username = st.text_input("用户名", key="login_username")
    password = st.text_input("密码", type="password", key="login_password")
    submitted = st.form_submit_button("登录", type="primary")
if submitted:
    try:
        user = accounts.authenticate(data.con(), username.strip(), password, auth.now(), source=auth.source_address())
    except accounts.AccountError as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        auth.sign_in(user)
        st.rerun()
auth.sso_button()

if database.scalar(data.con(), "select count(*) from users where username in ('admin', 'leader', 'xingsha')") == 3:
    st.info("这是示例数据库:运行 `make run` 时已创建演示账号 admin(管理员)、leader(领导)、xingsha(星沙街道工作人员),"
            "密码只在当时的终端中显示一次。", icon=":material/info:")
elif not database.scalar(data.con(), "select count(*) from users"):
    st.info("还没有任何账号。请在服务器上运行 `python -m accounts create-admin` 创建第一个管理员。",
            icon=":material/info:")

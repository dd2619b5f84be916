"""我的账号: who I am, change my password, log out."""

from __future__ import annotations

import streamlit as st

import accounts
from ui import auth, data
from ui.text import md_escape

user = auth.require()
st.title("我的账号")
st.write(f"**{md_escape(user.display_name)}**(用户名 {md_escape(user.username)},角色 {user.role}"
         + (f",单位 {md_escape(user.unit)}" if user.unit else "") + ")")

with st.form("change_password", clear_on_submit=True):
    st.subheader("修改密码")
    old = st.text_input("原密码", type="password", key="pw_old")
    new = st.text_input("新密码(至少10个字符)", type="password", key="pw_new")
    again = st.text_input("再输入一次新密码", type="password", key="pw_again")
    submitted = st.form_submit_button("修改密码")
if submitted:
    if new != again:
        st.error("两次输入的新密码不一致。")
    else:
        try:
            version = accounts.change_password(data.con(), user.username, old, new, auth.now())
        except accounts.AccountError as exc:
            st.error(str(exc))
        else:
            auth.keep_session(version)  # this session goes on; the account's other sessions end
            st.success("密码已修改。该账号在其他电脑或浏览器上的登录已失效。")

if st.button("退出登录", key="logout", icon=":material/logout:"):
    auth.sign_out()
    st.rerun()

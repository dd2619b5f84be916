"""系统管理 (管理员 only): accounts, the audit trail, rolling back uploads, projector links."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import accounts
import database
from ingest.rollback import RollbackError, rollback_preview, rollback_upload
from ui import auth, data
from ui.components import download_table, empty_state, show_table
from ui.text import md_escape

admin = auth.require(accounts.ADMIN)
st.title("系统管理")
view = st.segmented_control("管理", ["账号", "审计日志", "上传回退", "大屏链接"], default="账号", key="admin_view")
con = data.con()

if view == "账号":
    users = accounts.list_users(con, auth.now())
    show_table(users.rename(columns={"username": "用户名", "display_name": "姓名", "role": "角色", "unit": "单位",
                                     "email": "邮箱", "active": "启用", "created_at": "创建时间",
                                     "last_login": "最近登录", "locked_until": "锁定至"}), key="admin_users")
    with st.form("new_user", clear_on_submit=True):
        st.subheader("新建账号")
        c1, c2, c3 = st.columns(3)
        username = c1.text_input("用户名", key="new_username")
        name = c2.text_input("姓名", key="new_name")
        role = c3.selectbox("角色", accounts.ROLES, index=2, key="new_role", placeholder="请选择")
        unit = c1.selectbox("单位(工作人员必填)", [None, *data.table("units")["unit"]], key="new_unit", placeholder="请选择",
                            format_func=lambda u: "(无)" if u is None else u)
        email = c2.text_input("邮箱(统一身份认证用,可不填)", key="new_email")
        password = c3.text_input("初始密码(至少10个字符)", type="password", key="new_password")
        if st.form_submit_button("创建账号", type="primary"):
            try:
                accounts.create_user(con, username, name, role, password, unit=unit, email=email.strip() or None,
                                     actor=admin.username, now=auth.now())
                st.success(f"已创建账号“{md_escape(username)}”。")
            except accounts.AccountError as exc:
                st.error(md_escape(exc))
    st.caption("停用、重置密码、调整角色或单位后,该账号已打开的页面在下一次操作时退出登录。")
    c1, c2 = st.columns(2)
    target = c1.selectbox("选择账号", users["username"], key="admin_target", placeholder="请选择")
    if c2.button("重置密码并显示一次", key="admin_reset") and target:
        password = accounts.new_password(target)
        try:
            accounts.reset_password(con, target, password, admin.username, auth.now())
            st.warning(f"“{md_escape(target)}”的新密码:`{password}`(只显示这一次,请当面或电话告知本人)")
        except accounts.AccountError as exc:
            st.error(md_escape(exc))
    if c2.button("停用 / 启用", key="admin_toggle") and target:
        active = bool(users.set_index("username").loc[target, "active"])
        try:
            accounts.set_active(con, target, not active, admin.username, auth.now())
            st.rerun()
        except accounts.AccountError as exc:
            st.error(md_escape(exc))
    with st.form("change_role"):
        st.subheader("调整角色或单位")
        r1, r2 = st.columns(2)
        new_role = r1.selectbox("新角色", accounts.ROLES, key="role_new", placeholder="请选择")
        new_unit = r2.selectbox("单位(工作人员必填)", [None, *data.table("units")["unit"]], key="role_unit", placeholder="请选择",
                                format_func=lambda u: "(无)" if u is None else u)
        if st.form_submit_button("调整", key="role_go") and target:
            try:
                accounts.set_role(con, target, new_role, new_unit, admin.username, auth.now())
                st.success(f"已调整“{md_escape(target)}”为{new_role}" + (f"({md_escape(new_unit)})" if new_role == accounts.STAFF else "") + "。")
            except accounts.AccountError as exc:
                st.error(md_escape(exc))

elif view == "审计日志":
    log = database.query(con, "select happened_at, username, action, detail, outcome from audit "
                              "order by id desc limit 5000")
    c1, c2 = st.columns(2)
    actions = c1.multiselect("操作", sorted(log["action"].unique()), key="audit_actions", placeholder="全部操作")
    who = c2.multiselect("用户", sorted(log["username"].dropna().unique()), key="audit_users", placeholder="全部用户")
    keep = log["action"].isin(actions or log["action"]) & (log["username"].isin(who) if who else True)
    shown = log[keep]
    shown = shown.rename(columns={"happened_at": "时间", "username": "用户", "action": "操作", "detail": "详情",
                                  "outcome": "结果"})
    show_table(shown, key="audit_table", wrap=True, widths={"详情": 360})
    download_table(shown, "审计日志", key="dl_audit")

elif view == "上传回退":
    st.caption("回退一次上传:删除它写入的行,恢复被它替换的旧行,在一个事务中完成。被后来上传替换过的数据需先回退后来的上传。")
    uploads = data.recent_uploads(500)
    imported = uploads[uploads["status"] == "imported"]
    if imported.empty:
        empty_state("没有可以回退的上传。")
    else:
        show_table(data.uploads_for_display(imported), key="rollback_uploads", kinds={"时间": "datetime"},
                   name_column="文件")
        chosen = st.selectbox("要回退的上传编号", imported["id"].tolist(), key="rollback_id", placeholder="请选择",
                              format_func=lambda i: f"{i} · {imported.set_index('id').loc[i, 'file_name']}")
        effect, refusal = rollback_preview(con, int(chosen))
        if refusal:
            st.warning(md_escape(refusal), icon=":material/block:")
        else:
            st.markdown("**回退前请核对:** 回退后,下表中的行将被删除或恢复。")
            show_table(pd.DataFrame([(name, removed, restored) for name, (removed, restored) in effect.items()],
                                    columns=["表", "将删除的行", "将恢复的旧行"]), key="rollback_preview", drop_empty=False)
        confirmed = st.checkbox("我已核对上表,确认回退这次上传", key="rollback_confirm", disabled=bool(refusal))
        if st.button("回退这次上传", type="primary", key="rollback_go", disabled=not confirmed or bool(refusal)):
            try:
                counts = rollback_upload(con, int(chosen), admin.username, auth.now())
                st.success(f"已回退上传 {chosen}:" + ",".join(f"{t} 删除 {r} 行、恢复 {s} 行"
                                                          for t, (r, s) in counts.items()))
            except RollbackError as exc:
                st.error(md_escape(exc))

elif view == "大屏链接":
    st.caption("观摩会大屏可用专用链接免登录打开,只读,只能看大屏页面;不用时请撤销。")
    with st.form("new_link", clear_on_submit=True):
        l1, l2 = st.columns([3, 1])
        note = l1.text_input("用途说明", placeholder="如:县委三楼会议室大屏", key="link_note")
        days = l2.number_input("有效天数", min_value=1, max_value=366, value=30, step=1, key="link_days")
        if st.form_submit_button("生成链接", key="link_go"):
            try:
                token = accounts.create_display_link(con, admin.username, note or "大屏", auth.now(), days=int(days))
            except accounts.AccountError as exc:
                st.error(str(exc))
            else:
                st.warning(f"大屏链接(只显示这一次,{int(days)} 天内有效;点右上角按钮复制,在会议室电脑的浏览器中打开):")
                st.code(auth.display_link_url(token), language=None)
    links = accounts.list_display_links(con)
    if links.empty:
        empty_state("还没有大屏链接。")
    else:
        show_table(links.drop(columns="token_hash").rename(columns={
            "note": "用途", "created_by": "创建人", "created_at": "创建时间", "expires_at": "有效至",
            "revoked_at": "撤销时间"}), key="links_table")
        live = links[links["revoked_at"].isna() & (links["expires_at"].isna() | (links["expires_at"] > auth.now()))]
        if not live.empty:
            pick = st.selectbox("撤销哪个链接", live["token_hash"], key="link_revoke", placeholder="请选择",
                                format_func=lambda h: live.set_index("token_hash").loc[h, "note"])
            if st.button("撤销", key="link_revoke_go"):
                accounts.revoke_display_link(con, pick, admin.username, auth.now())
                st.rerun()

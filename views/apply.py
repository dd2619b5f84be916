"""项目申报: a unit applies with a new project; a 管理员 approves it (立项), returns it or rejects it."""

from __future__ import annotations

import streamlit as st

from accounts import ADMIN, STAFF
from ui import applications as form_ui
from ui import auth, data
from ui.components import empty_state, show_table
from ui.text import as_text
from workflows import applications as apps
from workflows.forms import WorkflowError

user = auth.require(ADMIN, STAFF)
st.title("项目申报")
st.caption("填写项目名称、类别、第一责任人、时间表和成效指标,可先保存草稿,填好后提交审核。组织部审核通过后自动立项:"
           "分配项目编号,状态为“实施中”,立项日期为审核通过之日。")
con = data.con()
if flash := st.session_state.pop(form_ui.FLASH, None):
    st.success(flash, icon=":material/check_circle:")
if (pick := st.session_state.pop(form_ui.NEXT_PICK, None)) is not None:
    st.session_state["apply_pick"] = pick

listing = apps.listing(con, user)
st.subheader("全部申报" if user.is_admin else f"{as_text(user.unit)}的申报")
if listing.empty:
    empty_state("还没有申报。")
else:
    show_table(form_ui.listing_table(listing), key="apply_list")

st.subheader("填写申报")
editable = listing[listing["state"].isin(apps.EDITABLE)]
names = {int(i): n for i, n in zip(editable["id"], editable["name"], strict=True)}
states = {int(i): s for i, s in zip(editable["id"], editable["state"], strict=True)}
pick = st.selectbox("选择", [None, *names], key="apply_pick", placeholder="请选择",
                    format_func=lambda i: "新建申报" if i is None else f"申报 {i}《{names[i] or '未命名'}》({states[i]})")
app = None
if pick is not None:
    app, record = apps.get(con, int(pick))
    if record["state"] == apps.RETURNED:
        st.warning(f"组织部退回修改的意见:{as_text(record['review_comment'])}", icon=":material/undo:")
content, action = form_ui.form(user, app, str(pick) if pick is not None else "new", data.table("units")["unit"].tolist())
if action:
    try:
        saved = apps.save(con, user, content, auth.now(), application_id=None if pick is None else int(pick),
                          submit=action == "submit")
        st.session_state[form_ui.FLASH] = f"申报 {saved} 已提交审核。" if action == "submit" else f"申报 {saved} 已保存为草稿。"
        st.session_state[form_ui.NEXT_PICK] = saved if action == "save" else None
        st.rerun()
    except WorkflowError as exc:
        form_ui.refused(exc)
if pick is not None:
    with st.expander("办理记录"):
        show_table(form_ui.history_table(apps.history(con, int(pick))), key="apply_history", wrap=True)

if user.is_admin:
    st.subheader("审核")
    waiting = listing[listing["state"] == apps.SUBMITTED]
    if waiting.empty:
        empty_state("没有待审核的申报。")
        st.stop()
    labels = {int(i): f"申报 {i} · {u}《{n or '未命名'}》" for i, u, n in zip(waiting["id"], waiting["unit"], waiting["name"], strict=True)}
    chosen = int(st.selectbox("待审核的申报", list(labels), format_func=labels.get, key="review_pick", placeholder="请选择"))
    chosen_app, _record = apps.get(con, chosen)
    form_ui.view(chosen_app)
    with st.expander("办理记录"):
        show_table(form_ui.history_table(apps.history(con, chosen)), key="review_history", wrap=True)
    comment = st.text_area("审核意见(退回修改、不通过时必填)", key="review_comment")
    buttons = st.columns(3)
    for column, (decision, icon) in zip(buttons, (("通过", "check"), ("退回修改", "undo"), ("不通过", "block")), strict=True):
        if column.button(decision, key=f"review_{decision}", icon=f":material/{icon}:",
                         type="primary" if decision == "通过" else "secondary"):
            try:
                project_id = apps.review(con, user, chosen, decision, comment, auth.now())
                st.session_state[form_ui.FLASH] = (f"申报 {chosen} 已通过,立项编号 {project_id}。" if project_id
                                                   else f"申报 {chosen}:{decision}。")
                st.rerun()
            except WorkflowError as exc:
                form_ui.refused(exc)

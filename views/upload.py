"""数据上传: import workbooks, see precisely what is wrong, download templates, see the history."""

from __future__ import annotations

import functools

import streamlit as st

import export
from accounts import ADMIN, STAFF
from ingest import import_file
from ingest.guard import configured_upload_mb
from ingest.report import group_problems
from ingest.templates import template_bytes, templates_for, unit_choices
from ui import auth, data
from ui.components import download_table, empty_state, show_table
from ui.text import md_escape

user = auth.require(ADMIN, STAFF)
st.title("数据上传")
if user.role == STAFF:
    st.info(f"你是{md_escape(user.unit)}的工作人员:只能上传本单位的数据和本单位牵头项目的数据;"
            "单位名录、评审打分和项目标记由管理员上传。", icon=":material/badge:")
else:
    st.info("管理员可以上传所有表格,包括单位名录、评审打分和项目标记,也可以改变项目的牵头单位。",
            icon=":material/badge:")
st.caption(f"支持 .xlsx / .xls / .xlsm / .csv,单个文件不超过 {configured_upload_mb()} MB;一个文件可以包含多张工作表。"
           "文件中只要有一个错误,整份文件都不导入,数据库保持原样;改正后重新上传,相同关键字段的行会被替换,不会重复。")

# a new key after every import empties the uploader: pressing 开始导入 again cannot re-import the same files
ROUND = st.session_state.setdefault("upload_round", 0)
files = st.file_uploader("选择要上传的文件", type=["xlsx", "xls", "xlsm", "csv"], accept_multiple_files=True,
                         key="upload_files" if ROUND == 0 else f"upload_files_{ROUND}")
left, right = st.columns([1, 3])
force = right.checkbox("文件曾经导入过也重新导入", key="upload_force")
if left.button("开始导入", type="primary", key="upload_go", disabled=not files):
    outcomes = []
    for uploaded in files:
        bar = st.progress(0.0, text=md_escape(f"{uploaded.name}:准备中…"))
        result = import_file(data.con(), uploaded.getvalue(), uploaded.name, user=user, force=force,
                             uploader=user.username,
                             progress=lambda f, m, n=uploaded.name, bar=bar: bar.progress(min(f, 1.0), md_escape(f"{n}:{m}")))
        bar.empty()
        outcomes.append({"name": uploaded.name, "status": result.status, "summary": result.summary(),
                         "upload_id": result.upload_id, "sheets": result.sheet_summary(),
                         "grouped": group_problems(result.problems), "report": result.report_frame()})
    st.session_state["upload_outcomes"] = outcomes
    st.session_state["upload_round"] = ROUND + 1
    st.rerun()

for n, outcome in enumerate(st.session_state.get("upload_outcomes", [])):
    if outcome["status"] == "imported":
        st.success(md_escape(outcome["summary"]), icon=":material/check_circle:")
        show_table(outcome["sheets"])
    elif outcome["status"] == "duplicate":
        st.info(md_escape(outcome["summary"]), icon=":material/content_copy:")
    else:
        st.error(md_escape(outcome["summary"]), icon=":material/error:")
    grouped = outcome["grouped"]
    if grouped.empty:
        continue
    errors, warnings = grouped[grouped["级别"] == "错误"], grouped[grouped["级别"] != "错误"]
    if not errors.empty:
        st.markdown(f"**需要改正的问题({len(errors):,} 类,共 {int(errors['行数'].sum()):,} 处)**")
        show_table(errors.drop(columns="级别"), key=f"report_{n}_{outcome['upload_id']}", wrap=True)
    if not warnings.empty:
        with st.expander(f"另有 {int(warnings['行数'].sum()):,} 条提示(不影响导入)"):
            show_table(warnings.drop(columns="级别"), key=f"warnings_{n}_{outcome['upload_id']}", wrap=True)
    st.download_button("下载逐行问题清单(Excel)", functools.partial(export.to_xlsx, outcome["report"], "问题清单"),
                       file_name=export.file_name(f"问题清单_{outcome['name'].rsplit('.', 1)[0]}", ".xlsx"),
                       key=f"dl_report_{n}_{outcome['upload_id']}", on_click="ignore", icon=":material/download:")

st.subheader("模板下载")
st.caption("每个模板含表头、下拉选项和“填写说明”工作表。表头上方可保留标题行,末尾可保留合计行。")
units = data.table("units")
sheets = templates_for(user.role)
cols = st.columns(5)
for i, sheet in enumerate(sheets):
    cols[i % 5].download_button(
        sheet.name,  # each template is written only when its button is clicked
        data=functools.partial(template_bytes, sheet, unit_choices(sheet, units, user.unit if user.role == STAFF else None)),
        file_name=f"模板_{sheet.name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"template_{sheet.table}", on_click="ignore", icon=":material/description:", width="stretch",
    )

st.subheader("上传记录")
history = data.recent_uploads(500)
if history.empty:
    empty_state("还没有上传记录。")
else:
    shown = data.uploads_for_display(history)
    show_table(shown, key="table_upload_history", kinds={"时间": "datetime"}, name_column="文件")
    download_table(shown, "上传记录", key="dl_upload_history", kinds={"时间": "datetime"})

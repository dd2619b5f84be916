"""数据上传: import workbooks, see precisely what is wrong, download templates, see the history."""

from __future__ import annotations

import streamlit as st

import export
from accounts import ADMIN, STAFF
from contract import SHEETS
from ingest import import_file
from ingest.guard import configured_upload_mb
from ingest.templates import template_bytes
from ui import auth, data
from ui.components import download_table, empty_state

user = auth.require(ADMIN, STAFF)
st.title("数据上传")
st.caption(f"支持 .xlsx / .xls / .xlsm / .csv,单个文件不超过 {configured_upload_mb()} MB;一个文件可以包含多张工作表。文件中只要有一个错误,整份文件都不导入,"
           "数据库保持原样;改正后重新上传,相同关键字段的行会被替换,不会重复。")

files = st.file_uploader("选择要上传的文件", type=["xlsx", "xls", "xlsm", "csv"], accept_multiple_files=True,
                         key="upload_files")
left, right = st.columns([1, 3])
force = right.checkbox("文件曾经导入过也重新导入", key="upload_force")
if user.unit:
    right.caption(f"你是{user.unit}的工作人员:只能上传本单位的数据和本单位牵头项目的数据。")
if left.button("开始导入", type="primary", key="upload_go", disabled=not files):
    for uploaded in files:
        bar = st.progress(0.0, text=f"{uploaded.name}:准备中…")
        result = import_file(data.con(), uploaded.getvalue(), uploaded.name, user=user, force=force,
                             uploader=user.username,
                             progress=lambda f, m, n=uploaded.name, bar=bar: bar.progress(min(f, 1.0), f"{n}:{m}"))
        bar.empty()
        if result.status == "imported":
            st.success(result.summary(), icon=":material/check_circle:")
            st.dataframe(result.sheet_summary(), hide_index=True)
        elif result.status == "duplicate":
            st.info(result.summary(), icon=":material/content_copy:")
        else:
            st.error(result.summary(), icon=":material/error:")
        if result.problems:
            report = result.report_frame()
            st.dataframe(report, hide_index=True, key=f"report_{result.upload_id}")
            st.download_button("下载问题清单(Excel)", export.to_xlsx(report, "问题清单"),
                               file_name=f"问题清单_{uploaded.name.rsplit('.', 1)[0]}.xlsx",
                               key=f"dl_report_{result.upload_id}", on_click="ignore",
                               icon=":material/download:")

st.subheader("模板下载")
st.caption("每个模板含表头、下拉选项和“填写说明”工作表。表头上方可保留标题行,末尾可保留合计行。")
units = data.table("units")["unit"].tolist()
cols = st.columns(5)
for i, sheet in enumerate(SHEETS):
    cols[i % 5].download_button(
        sheet.name, data=template_bytes(sheet, units), file_name=f"模板_{sheet.name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"template_{sheet.table}", on_click="ignore", icon=":material/description:", width="stretch",
    )

st.subheader("上传记录")
history = data.recent_uploads(500)
if history.empty:
    empty_state("还没有上传记录。")
else:
    shown = data.uploads_for_display(history)
    st.dataframe(shown, hide_index=True, key="table_upload_history")
    download_table(shown, "上传记录", key="dl_upload_history")

"""What a user may import: checked on the server for every file, row by row.

- 管理员: everything.
- 领导: nothing (reads only).
- 工作人员: rows of their own unit only. Sheets with a unit column (网格台账,
  网格统计, 事件明细, 项目台账's 牵头单位) must name their unit; project-level
  sheets (项目节点, 项目周报, 成效指标) only for projects their unit leads;
  单位名录, 评审打分 and 项目标记 only by 管理员.
"""

from __future__ import annotations

from collections.abc import Mapping

from accounts import ADMIN, LEADER, STAFF, User

#: sheets only an administrator may upload
ADMIN_ONLY = ("units", "review_scores", "project_flags")


def import_violations(user: User | None, sheets: list, project_units: Mapping[str, str | None]) -> list[tuple]:
    """(sheet name, excel row or None, column header, value, message) for every row the user may not write.

    ``sheets`` are the parsed sheets of the file (``ingest.pipeline.ParsedSheet``); ``project_units`` maps
    every known project (in the database or in the same file) to its leading unit. ``user`` None means a
    trusted caller (the command line, the sample build).
    """
    if user is None or user.role == ADMIN:
        return []
    out: list[tuple] = []
    for sheet in sheets:
        spec = sheet.spec
        if user.role == LEADER:
            out.append((sheet.raw_name, None, None, "", "领导账号只能查看,不能上传数据"))
            continue
        if user.role != STAFF:
            out.append((sheet.raw_name, None, None, "", "当前账号没有上传权限"))
            continue
        if spec.table in ADMIN_ONLY:
            out.append((sheet.raw_name, None, None, "", f"“{spec.name}”只能由管理员上传"))
            continue
        frame = sheet.frame
        if "unit" in spec.ids:
            header = sheet.headers.get("unit", spec.column("unit").header)
            for row in frame[frame["unit"].notna() & (frame["unit"] != user.unit)].itertuples(index=False):
                out.append((sheet.raw_name, row.excel_row, header, row.unit,
                            f"只能上传本单位({user.unit})的数据"))
        elif "project_id" in spec.ids:
            header = sheet.headers.get("project_id", spec.column("project_id").header)
            for row in frame[frame["project_id"].notna()].itertuples(index=False):
                owner = project_units.get(row.project_id)
                if owner is not None and owner != user.unit:
                    out.append((sheet.raw_name, row.excel_row, header, row.project_id,
                                f"该项目由{owner}牵头,只能上传本单位({user.unit})牵头项目的数据"))
    return out

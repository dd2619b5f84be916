"""What a user may import: checked on the server for every file, row by row.

- 管理员: everything.
- 领导: nothing (reads only).
- 工作人员: rows of their own unit only. Sheets with a unit column (网格台账,
  网格统计, 事件明细, 项目台账's 牵头单位) must name their unit; project-level
  sheets (项目节点, 项目周报, 成效指标) only for projects their unit leads;
  单位名录, 评审打分 and 项目标记 only by 管理员.

Both the rows a file brings and the rows it would replace are checked: a row
already in the database may only be replaced by the unit it belongs to (its
own unit, or the unit leading its project, *according to the database*), so
no file can move another unit's project or events to its own unit. A
project's 牵头单位 can only be changed by 管理员.
"""

from __future__ import annotations

from collections.abc import Mapping

from accounts import ADMIN, LEADER, STAFF, User

#: sheets only an administrator may upload
ADMIN_ONLY = ("units", "review_scores", "project_flags")


def import_violations(user: User | None, sheets: list, project_units: Mapping[str, str | None]) -> list[tuple]:
    """(sheet name, excel row or None, column header, value, message) for every row the user may not write.

    ``sheets`` are the parsed sheets of the file (``ingest.pipeline.ParsedSheet``); ``project_units`` maps
    every known project to its leading unit: the database's, and the file's only for projects not yet in
    the database. ``user`` None means a trusted caller (the command line, the sample build).
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


def may_write_replaced(user: User | None) -> bool:
    """Whether the rows an upload would replace need checking for this user (staff only)."""
    return user is not None and user.role == STAFF


def replaced_violations(user: User | None, sheet, existing) -> list[tuple]:
    """(sheet name, excel row, header, key, message) for every row of ``sheet`` that would replace a row
    the user may not write.

    ``existing`` holds, per incoming row that matches a row in the database, ``excel_row``, the key
    columns and ``owner``: the unit the database row belongs to (its unit, or its project's leading unit).
    """
    if not may_write_replaced(user):
        return []
    spec = sheet.spec
    what = "项目" if spec.table == "projects" else "+".join(sheet.headers.get(k, spec.column(k).header)
                                                          for k in spec.key)
    header = "+".join(sheet.headers.get(k, spec.column(k).header) for k in spec.key)
    out: list[tuple] = []
    for row in existing[existing["owner"].isna() | (existing["owner"] != user.unit)].itertuples(index=False):
        key = " / ".join(_display(getattr(row, k)) for k in spec.key)
        owner = row.owner if isinstance(row.owner, str) else "其他单位"
        out.append((sheet.raw_name, row.excel_row, header, key, f"{what} {key} 属于{owner},你无权修改"))
    return out


def _display(value) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)

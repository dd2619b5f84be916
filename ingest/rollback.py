"""Rolling back an upload: the rows it wrote go, the rows it replaced come back, in one transaction.

Every import archives the rows it replaces in ``<table>_replaced`` with
``replaced_by`` = the upload's id, so the previous state can be restored
exactly. An upload whose rows were since replaced by a later upload cannot
be rolled back on its own (the later one must go first): that would bring
back a state nobody ever saw.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

import database
from accounts import audit
from contract import SHEETS


class RollbackError(ValueError):
    """Refused; the message is Chinese."""


def rollback_upload(con: duckdb.DuckDBPyConnection, upload_id: int, actor: str, now: datetime) -> dict[str, int]:
    """Undo one imported upload; returns rows removed and restored per table."""
    with database.IMPORT_LOCK:
        with database.transaction(con) as cur:
            row = cur.execute("select status, file_name from uploads where id = ?", [upload_id]).fetchone()
            if row is None:
                raise RollbackError(f"没有编号为 {upload_id} 的上传记录")
            refusal = _refusal(cur, upload_id, row)
            if refusal:
                raise RollbackError(refusal)
            counts: dict[str, int] = {}
            for sheet in SHEETS:
                cols = ", ".join([*sheet.ids, "upload_id"])
                removed = cur.execute(f"delete from {sheet.table} where upload_id = ?", [upload_id]).fetchone()[0]
                restored = cur.execute(
                    f"insert into {sheet.table} ({cols}) select {cols} from {sheet.table}_replaced "
                    "where replaced_by = ?", [upload_id]).fetchone()[0]
                cur.execute(f"delete from {sheet.table}_replaced where replaced_by = ?", [upload_id])
                if removed or restored:
                    counts[sheet.table] = int(removed), int(restored)
            cur.execute("update uploads set status = 'rolled_back' where id = ?", [upload_id])
            detail = f"上传 {upload_id}({row[1]}):" + ",".join(
                f"{t} 删除 {r} 行、恢复 {s} 行" for t, (r, s) in counts.items())
            audit(cur, actor, "回退上传", detail, "成功", now)
    return counts


def rollback_preview(con: duckdb.DuckDBPyConnection, upload_id: int) -> tuple[dict[str, tuple[int, int]], str | None]:
    """What rolling ``upload_id`` back would do, without doing it: rows to remove and to restore per sheet
    (its Chinese name), and the reason it would be refused (None when it can be rolled back)."""
    cur = con.cursor()
    try:
        row = cur.execute("select status, file_name from uploads where id = ?", [upload_id]).fetchone()
        if row is None:
            return {}, f"没有编号为 {upload_id} 的上传记录"
        counts: dict[str, tuple[int, int]] = {}
        for sheet in SHEETS:
            removed = cur.execute(f"select count(*) from {sheet.table} where upload_id = ?", [upload_id]).fetchone()[0]
            restored = cur.execute(f"select count(*) from {sheet.table}_replaced where replaced_by = ?",
                                   [upload_id]).fetchone()[0]
            if removed or restored:
                counts[sheet.name] = int(removed), int(restored)
        return counts, _refusal(cur, upload_id, row)
    finally:
        cur.close()


def _refusal(cur: duckdb.DuckDBPyConnection, upload_id: int, row: tuple) -> str | None:
    """Why ``upload_id`` (its uploads row: status, file name) cannot be rolled back, or None: it is not
    imported, or a later upload replaced some of its rows (that one must go first)."""
    if row[0] != "imported":
        return f"上传 {upload_id}({row[1]})的状态不是“已导入”,无需回退"
    later: set[int] = set()
    for sheet in SHEETS:
        later.update(r[0] for r in cur.execute(
            f"select distinct replaced_by from {sheet.table}_replaced where upload_id = ?", [upload_id]).fetchall())
    if later:
        ids = "、".join(str(i) for i in sorted(later))
        return f"上传 {upload_id} 的部分数据已被后来的上传(编号 {ids})替换,请先回退这些上传"
    return None

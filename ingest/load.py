"""Loading a checked file: the upload's log line, then every sheet's rows, in the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from accounts import audit
from ingest.model import ImportResult, ParsedSheet, Problem


def _report_json(problems: list[Problem]) -> str:
    return json.dumps([p.__dict__ for p in problems], ensure_ascii=False, default=str)


def log_upload(cur: duckdb.DuckDBPyConnection, result: ImportResult, uploader: str | None) -> int:
    row = cur.execute(
        """insert into uploads (file_name, sha256, sheets, uploader, rows_read, rows_loaded, rows_replaced,
                                status, report)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""",
        [
            result.file_name,
            result.sha256,
            "、".join(f"{s.raw_name}→{s.spec.name}" for s in result.sheets),
            uploader,
            sum(s.rows_read for s in result.sheets),
            sum(s.rows_loaded for s in result.sheets),
            sum(s.rows_replaced for s in result.sheets),
            result.status,
            _report_json(result.problems) if result.problems else (result.message or None),
        ],
    ).fetchone()
    outcome = {"imported": "成功", "duplicate": "重复文件"}.get(result.status, "未导入")
    audit(cur, uploader, "上传", f"上传 {row[0]}:{result.file_name}({len(result.errors)} 个错误)", outcome,
          datetime.now())
    return int(row[0])


def load_sheet(cur: duckdb.DuckDBPyConnection, sheet: ParsedSheet, upload_id: int) -> None:
    """Replace the rows whose keys the sheet carries, then insert its rows."""
    spec = sheet.spec
    view = f"incoming_{spec.table}"
    cur.register(view, sheet.table)  # the Arrow table itself: DuckDB reads it in place
    try:
        on = " and ".join(f"t.{k} = i.{k}" for k in spec.key)
        # keep what is replaced, so an administrator can roll this upload back exactly
        cur.execute(f"insert into {spec.table}_replaced select t.*, ? from {spec.table} t "
                    f"where exists (select 1 from {view} i where {on})", [upload_id])
        replaced = cur.execute(f"delete from {spec.table} t using {view} i where {on}").fetchone()[0]
        casts = ", ".join(f"cast(i.{c.id} as {c.sql_type})" for c in spec.columns)
        cur.execute(
            f"insert into {spec.table} ({', '.join(spec.ids)}, upload_id) select {casts}, ? from {view} i",
            [upload_id],
        )
    finally:
        cur.unregister(view)
    sheet.rows_loaded = sheet.table.num_rows
    sheet.rows_replaced = int(replaced or 0)

"""The one module that owns the DuckDB file.

Opening it (path from ``DASHBOARD_DB``, default ``data/dashboard.duckdb``),
creating and migrating the schema, and running queries with bound
parameters. Everything else reads and writes through :func:`query`,
:func:`execute` or :func:`transaction`.

DuckDB connections are not thread-safe and Streamlit runs one thread per
session, so the app shares one connection and every use takes its own
``cursor()``. Imports are serialised by :data:`IMPORT_LOCK`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from contract import SHEETS, Sheet

ROOT = Path(__file__).resolve().parent
DEFAULT_DB = ROOT / "data" / "dashboard.duckdb"

#: one import at a time per process: imports read-then-write keys
IMPORT_LOCK = threading.Lock()


class DatabaseError(RuntimeError):
    """A problem with the database file, with a message in Chinese."""


def db_path() -> Path:
    """The database file: ``$DASHBOARD_DB`` or ``data/dashboard.duckdb``."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


# ---------------------------------------------------------------- schema


def table_ddl(sheet: Sheet) -> str:
    """CREATE TABLE for one contract sheet; every row records its upload."""
    cols = [
        f"{c.id} {c.sql_type}{' NOT NULL' if c.required or c.id in sheet.key else ''}"
        for c in sheet.columns
    ]
    cols.append("upload_id BIGINT NOT NULL")
    cols.append(f"PRIMARY KEY ({', '.join(sheet.key)})")
    return f"CREATE TABLE IF NOT EXISTS {sheet.table} (\n  " + ",\n  ".join(cols) + "\n)"


UPLOADS_DDL = """
CREATE SEQUENCE IF NOT EXISTS upload_seq START 1;
CREATE TABLE IF NOT EXISTS uploads (
  id BIGINT PRIMARY KEY DEFAULT nextval('upload_seq'),
  uploaded_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
  file_name VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  sheets VARCHAR,
  uploader VARCHAR,
  rows_read INTEGER NOT NULL DEFAULT 0,
  rows_loaded INTEGER NOT NULL DEFAULT 0,
  rows_replaced INTEGER NOT NULL DEFAULT 0,
  status VARCHAR NOT NULL,
  report VARCHAR
)
"""


def _v1(cur: duckdb.DuckDBPyConnection) -> None:
    """The contract's ten tables and the upload log."""
    for statement in UPLOADS_DDL.split(";"):
        if statement.strip():
            cur.execute(statement)
    for sheet in SHEETS:
        cur.execute(table_ddl(sheet))


def _v2(cur: duckdb.DuckDBPyConnection) -> None:
    """Accounts, the audit trail, display links, and the rows each upload replaced (for rollback)."""
    cur.execute("""
        CREATE TABLE IF NOT EXISTS users (
          username VARCHAR PRIMARY KEY,
          display_name VARCHAR NOT NULL,
          role VARCHAR NOT NULL,
          unit VARCHAR,
          email VARCHAR,
          password_hash VARCHAR NOT NULL,
          active BOOLEAN NOT NULL DEFAULT true,
          created_at TIMESTAMP NOT NULL,
          last_login TIMESTAMP,
          failed_attempts INTEGER NOT NULL DEFAULT 0,
          locked_until TIMESTAMP
        )""")
    cur.execute("CREATE SEQUENCE IF NOT EXISTS audit_seq START 1")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS audit (
          id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
          happened_at TIMESTAMP NOT NULL,
          username VARCHAR,
          action VARCHAR NOT NULL,
          detail VARCHAR,
          outcome VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS display_links (
          token_hash VARCHAR PRIMARY KEY,
          note VARCHAR,
          created_by VARCHAR NOT NULL,
          created_at TIMESTAMP NOT NULL,
          revoked_at TIMESTAMP
        )""")
    for sheet in SHEETS:
        # same columns as the table, plus the upload that replaced the row
        cur.execute(f"CREATE TABLE IF NOT EXISTS {sheet.table}_replaced AS "
                    f"SELECT *, NULL::BIGINT AS replaced_by FROM {sheet.table} WHERE false")


#: migration n brings a file from version n-1 to n; append, never edit
MIGRATIONS: tuple[Callable[[duckdb.DuckDBPyConnection], None], ...] = (_v1, _v2)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    cur = con.cursor()
    exists = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = cur.execute("select max(version) from schema_version").fetchone()
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the file up to :data:`SCHEMA_VERSION`, each step in its own transaction."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise DatabaseError(
            f"数据库文件的结构版本为 {current},高于本程序支持的 {SCHEMA_VERSION},请升级程序后再打开。"
        )
    cur = con.cursor()
    for version in range(current + 1, SCHEMA_VERSION + 1):
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, migrated_at TIMESTAMP)")
            MIGRATIONS[version - 1](cur)
            cur.execute("INSERT INTO schema_version VALUES (?, current_localtimestamp())", [version])
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the database file."""
    target = Path(path) if path else db_path()
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except duckdb.Error as exc:
        raise DatabaseError(f"无法打开数据库文件 {target}:{exc}") from exc
    if not read_only:
        migrate(con)
    return con


# ---------------------------------------------------------------- queries


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict | None = None) -> pd.DataFrame:
    """Run one read query with bound parameters on its own cursor; a DataFrame back."""
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> Any:
    cur = con.cursor()
    try:
        row = cur.execute(sql, params or []).fetchone()
        return row[0] if row else None
    finally:
        cur.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside BEGIN … COMMIT; any exception rolls everything back."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        cur.close()
        raise
    cur.execute("COMMIT")
    cur.close()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Bumped by every import: the key that page caches hang on."""
    return int(scalar(con, "select coalesce(max(id), 0) from uploads where status = 'imported'") or 0)


def table_names() -> list[str]:
    """Allow-list of the data tables (for anything that names a table dynamically)."""
    return [s.table for s in SHEETS]


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """A whole data table, its key order; the table name is checked against the allow-list."""
    if table not in table_names() and table != "uploads":
        raise ValueError(f"unknown table {table!r}")
    sheet = next((s for s in SHEETS if s.table == table), None)
    order = ", ".join(sheet.key) if sheet else "id"
    return query(con, f"select * from {table} order by {order}")

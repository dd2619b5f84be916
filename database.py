"""The one module that owns the DuckDB file.

Opening it (path from ``DASHBOARD_DB``, default ``data/dashboard.duckdb``),
creating and migrating the schema, and running queries with bound
parameters. Everything else reads and writes through :func:`query`,
:func:`execute` or :func:`transaction`.

DuckDB connections are not thread-safe and Streamlit runs one thread per
session, so the app shares one connection and every use takes its own
``cursor()``. Imports are serialised by :data:`IMPORT_LOCK`.

Errors reach users as Chinese sentences (:func:`explain_error`); a file this
process may not write opens read-only. :func:`backup` writes a consistent copy,
also while the app runs, and :func:`restore` puts one back
(``python -m database backup|restore``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
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


def _v3(cur: duckdb.DuckDBPyConnection) -> None:
    """Sessions that end when they should, log-in throttling per account and source, expiring display links.

    - ``users.session_version``: bumped by deactivating, resetting a password, changing role or unit;
      an open session whose version differs ends at its next run;
    - ``login_throttle``: failed log-ins per (hash of the typed name, source address), so a stranger
      locks out only their own address, and unknown names lock exactly like real ones;
    - ``display_links.expires_at``: links made before this version expire 30 days after creation.
    """
    cur.execute("ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0")
    cur.execute("ALTER TABLE display_links ADD COLUMN expires_at TIMESTAMP")
    cur.execute("UPDATE display_links SET expires_at = created_at + INTERVAL 30 DAY")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS login_throttle (
          name_hash VARCHAR NOT NULL,
          source VARCHAR NOT NULL,
          failures INTEGER NOT NULL DEFAULT 0,
          locks INTEGER NOT NULL DEFAULT 0,
          locked_until TIMESTAMP,
          last_failure TIMESTAMP,
          PRIMARY KEY (name_hash, source)
        )""")


def _v4_bulletins(cur: duckdb.DuckDBPyConnection) -> None:
    """Issued 双周通报: one row per bulletin (期数), its period, figures and both files, frozen at issue."""
    cur.execute("""
        CREATE TABLE IF NOT EXISTS bulletins (
          number INTEGER PRIMARY KEY,
          period_start DATE NOT NULL,
          period_end DATE NOT NULL,
          issued_at TIMESTAMP NOT NULL,
          issued_by VARCHAR NOT NULL,
          figures VARCHAR NOT NULL,
          docx BLOB NOT NULL,
          xlsx BLOB NOT NULL,
          withdrawn_at TIMESTAMP,
          withdrawn_by VARCHAR
        )""")


def _v5_workflows(cur: duckdb.DuckDBPyConnection) -> None:
    """项目申报 and its history; weekly-report deadlines set by an administrator and unlocked weeks.

    One row of ``project_applications`` per application (its milestones and indicators as JSON
    lists until approval writes them to the contract's tables); one row of
    ``project_application_history`` per step (who, when, the state after it, the comment, the
    content as it stood). ``report_deadlines``: one row per week whose deadline differs from the
    default (the following Monday 12:00). ``report_unlocks``: one row per project and week an
    administrator reopened, until ``open_until``.
    """
    cur.execute("CREATE SEQUENCE IF NOT EXISTS application_seq START 1")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS project_applications (
          id BIGINT PRIMARY KEY DEFAULT nextval('application_seq'),
          unit VARCHAR NOT NULL,
          name VARCHAR,
          category VARCHAR,
          leader VARCHAR,
          leader_title VARCHAR,
          summary VARCHAR,
          goals VARCHAR,
          due_on DATE,
          milestones VARCHAR NOT NULL DEFAULT '[]',
          indicators VARCHAR NOT NULL DEFAULT '[]',
          state VARCHAR NOT NULL,
          project_id VARCHAR,
          upload_id BIGINT,
          created_by VARCHAR NOT NULL,
          created_at TIMESTAMP NOT NULL,
          updated_by VARCHAR NOT NULL,
          updated_at TIMESTAMP NOT NULL,
          submitted_at TIMESTAMP,
          reviewed_by VARCHAR,
          reviewed_at TIMESTAMP,
          review_comment VARCHAR
        )""")
    cur.execute("CREATE SEQUENCE IF NOT EXISTS application_history_seq START 1")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS project_application_history (
          id BIGINT PRIMARY KEY DEFAULT nextval('application_history_seq'),
          application_id BIGINT NOT NULL,
          happened_at TIMESTAMP NOT NULL,
          username VARCHAR NOT NULL,
          action VARCHAR NOT NULL,
          state VARCHAR NOT NULL,
          comment VARCHAR,
          content VARCHAR
        )""")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS report_deadlines (
          week_start DATE PRIMARY KEY,
          due_at TIMESTAMP NOT NULL,
          set_by VARCHAR NOT NULL,
          set_at TIMESTAMP NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS report_unlocks (
          project_id VARCHAR NOT NULL,
          week_start DATE NOT NULL,
          open_until TIMESTAMP NOT NULL,
          unlocked_by VARCHAR NOT NULL,
          unlocked_at TIMESTAMP NOT NULL,
          reason VARCHAR,
          PRIMARY KEY (project_id, week_start)
        )""")


def _v6_playlists(cur: duckdb.DuckDBPyConnection) -> None:
    """大屏 playlists: which slides, which projects (the visit list), seconds per slide, theme, grid period."""
    cur.execute("""
        CREATE TABLE IF NOT EXISTS playlists (
          name VARCHAR PRIMARY KEY,
          slides VARCHAR NOT NULL,
          projects VARCHAR NOT NULL,
          seconds INTEGER NOT NULL,
          theme VARCHAR NOT NULL,
          grid_first DATE,
          grid_last DATE,
          updated_by VARCHAR NOT NULL,
          updated_at TIMESTAMP NOT NULL
        )""")


def _v7_sessions(cur: duckdb.DuckDBPyConnection) -> None:
    """Open log-ins that survive a reload: one row per session, keyed by the hash of the cookie's id."""
    cur.execute("""
        CREATE TABLE IF NOT EXISTS sessions (
          token_hash VARCHAR PRIMARY KEY,
          username VARCHAR NOT NULL,
          session_version INTEGER NOT NULL,
          created_at TIMESTAMP NOT NULL,
          expires_at TIMESTAMP NOT NULL
        )""")


#: migration n brings a file from version n-1 to n; append, never edit
MIGRATIONS: tuple[Callable[[duckdb.DuckDBPyConnection], None], ...] = (
    _v1, _v2, _v3, _v4_bulletins, _v5_workflows, _v6_playlists, _v7_sessions)
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
    """Open (creating if needed) and migrate the database file.

    A file this process may not write (permissions, a read-only mount) is
    opened read-only instead, so the dashboard keeps showing its data; every
    import then fails with :data:`READ_ONLY_MESSAGE`.
    """
    target = Path(path) if path else db_path()
    fallback = not read_only and target.exists() and not _writable(target)
    read_only = read_only or fallback
    try:
        if not read_only:
            target.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(target), read_only=read_only)
        if fallback and schema_version(con) < SCHEMA_VERSION:
            con.close()
            raise DatabaseError(f"数据库文件 {target} 是只读的,而它的结构需要升级才能使用:请联系管理员开放写权限后再打开。")
        if not read_only:
            migrate(con)
    except (duckdb.Error, OSError) as exc:
        raise DatabaseError(f"无法打开数据库文件 {target}:{explain_error(exc)}") from exc
    return con


def _writable(target: Path) -> bool:
    """The file and its folder (where DuckDB keeps the write-ahead log) may both be written."""
    return os.access(target, os.W_OK) and os.access(target.parent, os.W_OK)


READ_ONLY_MESSAGE = ("数据库是只读的(文件只读,或以只读方式打开),无法写入:本次导入没有写入任何数据,"
                     "看板继续显示原有数据。请联系管理员检查数据库文件的权限。")
DISK_FULL_MESSAGE = ("磁盘空间不足(或文件大小超出系统限制),写入数据库失败:本次导入已全部撤销,"
                     "看板继续显示原有数据。请清理磁盘空间后重新上传。")
IN_USE_MESSAGE = ("数据库文件正被另一个程序(如正在运行的看板或另一个导入命令)使用:"
                  "请先关闭它,或在看板的“数据上传”页导入。")
PERMISSION_MESSAGE = "没有读写数据库文件的权限:请联系管理员检查数据库文件及其所在文件夹的权限。"
ALREADY_OPEN_MESSAGE = "数据库文件已在本程序中打开(例如看板正在使用它):请在已打开的连接上操作,或先关闭它。"
CONFLICT_MESSAGE = "有其他操作正在同时修改同一条记录,本次操作没有写入任何数据:请稍后再试一次。"


#: how :func:`explain_error` starts when it does not know the error (pages then say less, and log it)
UNKNOWN_ERROR_PREFIX = "数据库出错"


def explain_error(exc: BaseException) -> str:
    """A DuckDB or system error as a Chinese sentence that says what went wrong."""
    if isinstance(exc, DatabaseError):
        return str(exc)
    text = str(exc)
    lowered = text.lower()
    if "read-only" in lowered or "read only" in lowered or "readonly" in lowered:
        return READ_ONLY_MESSAGE
    if any(word in lowered for word in ("no space left", "file too large", "disk full", "quota exceeded")):
        return DISK_FULL_MESSAGE
    if "conflicting lock" in lowered or "could not set lock" in lowered:
        return IN_USE_MESSAGE
    if "permission denied" in lowered:
        return PERMISSION_MESSAGE
    if "already attached" in lowered or "unique file handle conflict" in lowered:
        return ALREADY_OPEN_MESSAGE
    if is_write_conflict(exc):
        return CONFLICT_MESSAGE
    return f"{UNKNOWN_ERROR_PREFIX},本次操作没有写入任何数据(技术信息:{type(exc).__name__}:{text[:300]})"


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
    """A cursor inside BEGIN … COMMIT; any exception (also a failed COMMIT) rolls everything back."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
        cur.execute("COMMIT")
    except BaseException:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed COMMIT has already ended the transaction
        raise
    finally:
        cur.close()


#: how often a write that collided with a concurrent one is tried again, and the first pause between tries
CONFLICT_ATTEMPTS, CONFLICT_PAUSE = 12, 0.01


def is_write_conflict(exc: BaseException) -> bool:
    """DuckDB's optimistic concurrency: another transaction changed the same row first (``Conflict on …``)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and (
        "conflict on" in text or "write-write conflict" in text
        or (isinstance(exc, duckdb.TransactionException) and ("conflict" in text or "duplicate key" in text)))


def write(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """Run ``work(cursor)`` in a transaction and return its result; a write conflict runs it again.

    DuckDB refuses the second of two transactions that change the same row at the same time
    (two log-ins to one shared account, say), and the second of two that insert the same key
    (a duplicate-key error). ``work`` must read what it changes inside its own
    transaction, so running it again after the other one committed gives the right result. After
    :data:`CONFLICT_ATTEMPTS` tries it raises :class:`DatabaseError` with :data:`CONFLICT_MESSAGE`:
    never DuckDB's English error.
    """
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            with transaction(con) as cur:
                return work(cur)
        except duckdb.Error as exc:
            # two inserts of one new key collide at the statement (ConstraintException) or at COMMIT
            duplicate = "duplicate key" in str(exc).lower()
            if not (is_write_conflict(exc) or duplicate):
                raise
            if attempt == CONFLICT_ATTEMPTS - 1:
                if isinstance(exc, duckdb.ConstraintException):
                    raise  # the key exists for good: not a collision, the caller's own error
                raise DatabaseError(CONFLICT_MESSAGE) from exc
            time.sleep(CONFLICT_PAUSE * (attempt + 1) * (1 + random.random()))
    raise AssertionError("unreachable")


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Changed by every import and every rollback: the key that page caches hang on."""
    return int(scalar(con, "select coalesce(max(id) filter (where status = 'imported'), 0) * 1000003 "
                           "+ count(*) filter (where status = 'rolled_back') from uploads") or 0)


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


# ---------------------------------------------------------------- backup and restore


def backup_dir(db: Path | None = None) -> Path:
    """Where backups go: ``backups/`` beside the database file (``data/backups/`` by default)."""
    return (db or db_path()).resolve().parent / "backups"


def default_backup_path(db: Path | None = None, label: str = "") -> Path:
    """``backups/<name>-[label-]YYYYmmdd-HHMMSS.duckdb``, never an existing file."""
    db = db or db_path()
    stem = f"{db.stem}-{label + '-' if label else ''}{datetime.now():%Y%m%d-%H%M%S}"
    target, n = backup_dir(db) / f"{stem}.duckdb", 1
    while target.exists():
        n += 1
        target = target.with_name(f"{stem}-{n}.duckdb")
    return target


def backup(source: duckdb.DuckDBPyConnection | str | Path, target: str | Path) -> Path:
    """Write a consistent copy of the database to the new file ``target``; return its path.

    - ``source`` a connection (the running app, in process): ``COPY FROM DATABASE`` in one
      transaction, under :data:`IMPORT_LOCK`, so it is one committed state, between imports;
      pages keep reading meanwhile. (A read-only connection: nobody can be writing, the file is copied.)
    - ``source`` a path nobody holds: opened read-only and copied the same way.
    - ``source`` a path another process holds (the dashboard is running; DuckDB's file lock
      keeps every other process out, even readers): the file and its write-ahead log are read
      twice until both passes agree byte for byte. That is the state of the disk at one
      instant, which DuckDB recovers exactly as after a power cut.

    The copy is opened, its log replayed and checkpointed into the one file, and every table
    counted before it is renamed to ``target``: a backup that exists is a backup that opens.
    Restore with :func:`restore` (``python -m database restore FILE``).
    """
    target = Path(target)
    if target.exists():
        raise DatabaseError(f"备份文件 {target} 已存在,未覆盖:请换一个文件名。")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    _remove_with_wal(partial)
    try:
        if isinstance(source, duckdb.DuckDBPyConnection):
            _copy_from_connection(source, partial)
        else:
            _copy_from_path(Path(source), partial)
        _settle(partial)
        os.replace(partial, target)
    except duckdb.Error as exc:
        _remove_with_wal(partial)
        raise DatabaseError(f"备份失败:{explain_error(exc)}") from exc
    except BaseException:
        _remove_with_wal(partial)
        raise
    return target


def restore(backup_file: str | Path, target: str | Path | None = None) -> Path | None:
    """Replace the database file with a backup; return the safety copy of what it replaced.

    The dashboard must be stopped first (while it holds the file this refuses, with a
    Chinese message): a file replaced under a running process would be overwritten by
    its next checkpoint. The current file is first backed up into ``backups/`` (label
    ``before-restore``), the backup is copied beside the target and renamed over it, and
    the old write-ahead log is removed so it can never be replayed onto the restored file.
    """
    source, target = Path(backup_file), Path(target) if target else db_path()
    if not source.is_file():
        raise DatabaseError(f"找不到备份文件 {source}")
    try:
        check = duckdb.connect(str(source), read_only=True)
        try:
            version = schema_version(check)
        finally:
            check.close()
    except duckdb.Error as exc:
        raise DatabaseError(f"备份文件 {source} 无法打开,未恢复:{explain_error(exc)}") from exc
    if not 0 < version <= SCHEMA_VERSION:
        raise DatabaseError(f"备份文件 {source} 的结构版本为 {version},本程序支持 1–{SCHEMA_VERSION},未恢复。")
    safety = None
    if target.exists():
        # attaching fails while any process, this one included, holds the file; detaching checkpoints its log
        probe = duckdb.connect(":memory:")
        try:
            probe.execute("ATTACH ? AS restore_target", [str(target)])
            probe.execute("DETACH restore_target")
        except duckdb.Error as exc:
            raise DatabaseError(f"无法恢复:{explain_error(exc)}(恢复前请先停止看板)") from exc
        finally:
            probe.close()
        safety = backup(target, default_backup_path(target, "before-restore"))
    staging = target.with_name(target.name + ".restoring")
    _remove_with_wal(staging)
    shutil.copyfile(source, staging)
    if Path(f"{source}.wal").exists():
        shutil.copyfile(f"{source}.wal", f"{staging}.wal")
    _settle(staging)
    Path(f"{target}.wal").unlink(missing_ok=True)
    os.replace(staging, target)
    return safety


def _copy_from_connection(con: duckdb.DuckDBPyConnection, dest: Path) -> None:
    cur = con.cursor()
    try:
        name, path, read_only = cur.execute(
            "select database_name, path, readonly from duckdb_databases() where database_name = current_database()"
        ).fetchone()
        if read_only:
            # no writer can hold the file while a reader does: a plain copy is consistent
            shutil.copyfile(path, dest)
            if Path(f"{path}.wal").exists():
                shutil.copyfile(f"{path}.wal", f"{dest}.wal")
            return
        quoted = '"' + name.replace('"', '""') + '"'
        with IMPORT_LOCK:
            cur.execute("ATTACH ? AS backup_target", [str(dest)])
            try:
                cur.execute(f"COPY FROM DATABASE {quoted} TO backup_target")
            finally:
                cur.execute("DETACH backup_target")
    finally:
        cur.close()


def _copy_from_path(path: Path, dest: Path) -> None:
    if not path.is_file():
        raise DatabaseError(f"找不到数据库文件 {path}")
    scratch = duckdb.connect(":memory:")
    try:
        try:
            scratch.execute("ATTACH ? AS backup_source (READ_ONLY)", [str(path)])
        except duckdb.IOException as exc:
            if explain_error(exc) != IN_USE_MESSAGE:
                raise
            _snapshot_files(path, dest)  # the dashboard is running and holds the file
            return
        scratch.execute("ATTACH ? AS backup_target", [str(dest)])
        scratch.execute("COPY FROM DATABASE backup_source TO backup_target")
    finally:
        scratch.close()


#: how often to re-read a file that keeps changing before giving up, and the pause between
SNAPSHOT_ATTEMPTS, SNAPSHOT_PAUSE = 40, 0.05


def _snapshot_files(path: Path, dest: Path) -> None:
    """Copy the database file and its log until a second read of both matches the copy."""
    pair = ((path, dest), (Path(f"{path}.wal"), Path(f"{dest}.wal")))
    for _attempt in range(SNAPSHOT_ATTEMPTS):
        copied = [_copy_hashing(src, dst) for src, dst in pair]
        if copied == [_copy_hashing(src, None) for src, _dst in pair]:
            return
        time.sleep(SNAPSHOT_PAUSE)
    raise DatabaseError("数据库一直在写入,未能取得一致的副本:请稍后再试。")


def _copy_hashing(src: Path, dst: Path | None) -> str | None:
    """SHA-256 of ``src`` (None if it does not exist), copying it to ``dst`` on the way."""
    digest = hashlib.sha256()
    try:
        with open(src, "rb") as fin, (open(dst, "wb") if dst else open(os.devnull, "wb")) as fout:
            while block := fin.read(1 << 20):
                digest.update(block)
                fout.write(block)
    except FileNotFoundError:
        if dst:
            dst.unlink(missing_ok=True)
        return None
    return digest.hexdigest()


def _settle(path: Path) -> None:
    """Open a fresh copy, replay its log into the file, and read every table once."""
    con = duckdb.connect(str(path))
    try:
        version = schema_version(con)
        if version < 1:
            raise DatabaseError(f"副本 {path} 中没有看板的数据表,未保存。")
        for (table,) in con.execute("select table_name from duckdb_tables() where database_name = current_database()"
                                    ).fetchall():
            con.execute(f'select count(*) from "{table}"').fetchone()
        con.execute("CHECKPOINT")
    finally:
        con.close()
    Path(f"{path}.wal").unlink(missing_ok=True)  # empty after the checkpoint


def _remove_with_wal(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """``python -m database backup [--db PATH] [--to FILE]`` / ``python -m database restore FILE [--db PATH]``."""
    parser = argparse.ArgumentParser(prog="python -m database", description="看板数据库的备份与恢复")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="写一份一致的数据库副本(看板运行时也可以)")
    make.add_argument("--db", type=Path, default=None, help="数据库文件(默认 $DASHBOARD_DB 或 data/dashboard.duckdb)")
    make.add_argument("--to", type=Path, default=None, help="备份文件(默认 backups/<库名>-<时间>.duckdb)")
    back = commands.add_parser("restore", help="用备份替换数据库文件(请先停止看板)")
    back.add_argument("file", type=Path, help="备份文件")
    back.add_argument("--db", type=Path, default=None, help="要替换的数据库文件")
    args = parser.parse_args(argv)
    db = args.db or db_path()
    try:
        if args.command == "backup":
            target = backup(db, args.to or default_backup_path(db))
            print(f"已备份到 {target}")
        else:
            safety = restore(args.file, db)
            print(f"已用 {args.file} 恢复 {db}" + (f";恢复前的数据库另存为 {safety}" if safety else ""))
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

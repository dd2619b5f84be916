"""The import pipeline, one for every sheet of the contract: it composes the stages.

read (:mod:`ingest.read`, after :mod:`ingest.guard`) → recognise sheet, header row, columns
(:mod:`ingest.recognise`) → clean values (:mod:`ingest.clean`) → validate rows, keys, references
and permissions (:mod:`ingest.validate`) → load in one transaction and log the upload (:mod:`ingest.load`).

Nothing is written unless the whole file is clean: every problem of every
sheet is collected first, and a file with any error is logged as rejected
and leaves the data tables exactly as they were.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

import database
from accounts import ADMIN, User
from ingest.clean import parse_sheet
from ingest.load import load_sheet, log_upload
from ingest.model import ERROR, WARNING, ImportResult, ParsedSheet, Problem, Progress
from ingest.read import ReadError, read_file
from ingest.recognise import HEADER_SCAN_ROWS, map_headers, match_header, recognise
from ingest.validate import RULES, check_database, check_keys

__all__ = ["ERROR", "HEADER_SCAN_ROWS", "WARNING", "ImportResult", "ParsedSheet", "Problem", "Progress",
           "import_file", "match_header", "parse_file", "sha256"]

#: sheets of our own templates that carry no data
SKIP_SHEETS = ("填写说明",)


def parse_file(data: bytes, file_name: str, progress: Progress | None = None) -> tuple[list[ParsedSheet], list[Problem]]:
    """Read and check a file without touching any database."""
    report = progress or (lambda _f, _m: None)
    problems: list[Problem] = []
    report(0.05, "正在读取文件…")
    try:
        raws = read_file(data, file_name)
    except ReadError as exc:
        return [], [Problem(file_name, None, None, "", str(exc))]
    parsed: list[ParsedSheet] = []
    for n, raw in enumerate(raws):
        report(0.1 + 0.6 * n / max(len(raws), 1), f"正在检查工作表“{raw.name}”…")
        if raw.name in SKIP_SHEETS or not raw.height:
            continue
        found = recognise(raw)
        if found is None:
            problems.append(Problem(raw.name, None, None, "",
                                    "无法识别这张工作表:名称和表头都不符合任何模板,已跳过", WARNING))
            continue
        spec, header_idx = found
        if header_idx is None:
            problems.append(Problem(raw.name, None, None, "",
                                    f"前 {HEADER_SCAN_ROWS} 行中找不到“{spec.name}”的表头行"))
            continue
        mapping = map_headers(raw, spec, header_idx, problems)
        sheet = parse_sheet(raw, spec, header_idx, mapping, problems)
        for rule in spec.rules:
            RULES[rule](sheet, problems)
        parsed.append(sheet)
    if not parsed and not any(p.level == ERROR for p in problems):
        problems.append(Problem(file_name, None, None, "",
                                "文件中没有可导入的工作表:请使用模板,或让表头与模板一致"))
    check_keys(parsed, problems)
    return parsed, problems


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refusal_as_rejection(func: Callable[..., ImportResult]) -> Callable[..., ImportResult]:
    """A database that refuses even to log the attempt (read-only file, full disk): a rejected
    result with a Chinese message, never a traceback. Nothing was written."""

    @functools.wraps(func)
    def wrapper(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *args: Any,
                **kwargs: Any) -> ImportResult:
        try:
            return func(con, data, file_name, *args, **kwargs)
        except (duckdb.Error, database.DatabaseError) as exc:
            result = ImportResult(file_name, sha256(data))
            result.problems.append(Problem(file_name, None, None, "", database.explain_error(exc)))
            if kwargs.get("progress"):
                kwargs["progress"](1.0, "写入失败,未导入")
            return result

    return wrapper


def _duplicate(con: duckdb.DuckDBPyConnection, result: ImportResult, earlier: pd.DataFrame, uploader: str | None,
               report: Progress) -> ImportResult:
    """Log and report a file imported before (same SHA-256), left alone."""
    when = pd.Timestamp(earlier.uploaded_at.iloc[0]).strftime("%Y-%m-%d %H:%M")
    result.status = "duplicate"
    result.message = (f"{result.file_name} 与 {when} 导入的文件(上传编号 {int(earlier.id.iloc[0])})完全相同,"
                      "未重复导入。")
    with database.transaction(con) as cur:
        result.upload_id = log_upload(cur, result, uploader)
    report(1.0, result.message)
    return result


def _parse_guarded(data: bytes, file_name: str, report: Progress) -> tuple[list[ParsedSheet], list[Problem]]:
    """``parse_file``, with whatever a parser raises turned into a Chinese error: every failed upload is
    answered and logged, never a traceback."""
    try:
        return parse_file(data, file_name, report)
    except MemoryError:
        return [], [Problem(file_name, None, None, "", "文件过大,读取时内存不足,未导入。请拆分后分批上传")]
    except Exception as exc:  # noqa: BLE001 - any parser failure must become a Chinese rejection
        return [], [Problem(file_name, None, None, "", f"文件无法读取,未导入:{_explain_parse_error(exc)}")]


def _explain_parse_error(exc: Exception) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return "某个单元格的内容过长(超过 131,072 个字符),请检查文件是否损坏或是否为本系统的数据文件"
    return "文件格式异常或已损坏,请用 Excel 打开后另存为 .xlsx 再上传"


@_refusal_as_rejection
def import_file(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *, uploader: str | None = None,
                progress: Progress | None = None, force: bool = False, user: User | None = None) -> ImportResult:
    """Import one file all-or-nothing and log the attempt in ``uploads`` and the audit trail.

    ``force`` re-imports a file whose SHA-256 was imported before (otherwise
    reported as a duplicate and left alone). ``user`` is checked row by row
    against what their role and unit may write (None: a trusted caller such
    as the command line).
    """
    report = progress or (lambda _f, _m: None)
    result = ImportResult(file_name, sha256(data))
    with database.IMPORT_LOCK:
        earlier = database.query(
            con, "select id, uploaded_at from uploads where sha256 = ? and status = 'imported' order by id desc limit 1",
            [result.sha256],
        )
        duplicate = not earlier.empty and not force
        if duplicate and (user is None or user.role == ADMIN):
            return _duplicate(con, result, earlier, uploader, report)

        result.sheets, result.problems = _parse_guarded(data, file_name, report)
        # the sheets as read are gone: hand their memory back before DuckDB takes its own
        pa.system_memory_pool().release_unused()
        report(0.75, "正在核对单位和项目…")
        with database.transaction(con) as cur:
            check_database(cur, result.sheets, user, result.problems)
        if result.errors:
            for s in result.sheets:
                s.rows_loaded = s.rows_replaced = 0
            with database.transaction(con) as cur:
                result.upload_id = log_upload(cur, result, uploader)
            report(1.0, "发现错误,未导入")
            return result
        if duplicate:  # the user may write every row of it: only now say it is a duplicate
            result.sheets, result.problems = [], []
            return _duplicate(con, result, earlier, uploader, report)

        report(0.8, "正在写入数据库…")
        try:
            with database.transaction(con) as cur:
                result.status = "imported"
                result.upload_id = log_upload(cur, result, uploader)
                for sheet in sorted(result.sheets, key=lambda s: s.spec.order):
                    load_sheet(cur, sheet, result.upload_id)
                cur.execute(
                    "update uploads set rows_loaded = ?, rows_replaced = ? where id = ?",
                    [sum(s.rows_loaded for s in result.sheets), sum(s.rows_replaced for s in result.sheets),
                     result.upload_id],
                )
        except duckdb.Error as exc:
            result.status = "rejected"
            for s in result.sheets:
                s.rows_loaded = s.rows_replaced = 0
            result.problems.append(Problem(file_name, None, None, "", database.explain_error(exc)))
            with database.transaction(con) as cur:
                result.upload_id = log_upload(cur, result, uploader)
        report(1.0, "导入完成" if result.ok else "写入失败,已撤销")
        return result

"""Command line: ``python -m ingest FILE... [--db PATH]`` and ``python -m ingest --sample``.

Exit 0 when every file was imported (or was already imported), 1 when any
was rejected; the Chinese report goes to stderr and the database is left
as it was for every rejected file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import database
from ingest.pipeline import ImportResult, import_file

DATA_DIR = database.ROOT / "data"
SAMPLE_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".csv")


def sample_files(folder: Path = DATA_DIR) -> list[Path]:
    """The sample workbooks, in name order (units first, then projects, …)."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SAMPLE_SUFFIXES and not p.name.startswith("~$"))


def print_result(result: ImportResult, quiet: bool = False) -> None:
    """The summary; then every problem (only errors' reports when ``quiet``)."""
    stream = sys.stdout if result.status != "rejected" else sys.stderr
    print(result.summary(), file=stream)
    if result.problems and not (quiet and result.status != "rejected"):
        frame = result.report_frame()
        shown = frame.head(200)
        for row in shown.itertuples(index=False):
            where = f"工作表“{row[0]}”" + ("" if _missing(row[1]) else f"第 {int(row[1])} 行")
            column = "" if _missing(row[2]) or not row[2] else f"列“{row[2]}”"
            value = "" if _missing(row[3]) or row[3] == "" else f"值“{row[3]}”"
            print(f"  [{row[5]}] {where} {column} {value}:{row[4]}", file=stream)
        if len(frame) > len(shown):
            print(f"  …… 另有 {len(frame) - len(shown)} 条未列出", file=stream)


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA (whose truth value is ambiguous)."""
    return value is None or bool(pd.isna(value))


def build_sample(db: Path, quiet: bool = False) -> int:
    """Build a fresh sample database from data/; 0 on success."""
    tmp = db.with_name(db.name + ".building")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    con = database.connect(tmp)
    try:
        for path in sample_files():
            result = import_file(con, path.read_bytes(), path.name, uploader="示例数据")
            print_result(result, quiet)
            if not result.ok:
                return 1
    finally:
        con.close()
    # build aside, then move into place: a half-built sample never replaces a good one
    tmp.replace(db)
    Path(str(db) + ".wal").unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="导入符合数据规范的 Excel/CSV 文件")
    parser.add_argument("files", nargs="*", type=Path, help="要导入的文件")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件(默认 $DASHBOARD_DB 或 data/dashboard.duckdb)")
    parser.add_argument("--sample", action="store_true", help="用 data/ 中的示例工作簿重建示例数据库")
    parser.add_argument("--force", action="store_true", help="即使文件曾导入过也重新导入")
    parser.add_argument("--uploader", default="命令行", help="记录在上传日志中的上传人")
    parser.add_argument("--quiet", action="store_true", help="成功导入时只打印摘要,不逐条列出提示")
    args = parser.parse_args(argv)
    db = args.db or database.db_path()
    if args.sample:
        return build_sample(db, args.quiet)
    if not args.files:
        parser.error("请指定要导入的文件,或使用 --sample")
    try:
        con = database.connect(db)
    except database.DatabaseError as exc:
        print(f"未导入:{exc}", file=sys.stderr)
        return 1
    failed = False
    try:
        for path in args.files:
            if not path.is_file():
                print(f"找不到文件:{path}", file=sys.stderr)
                failed = True
                continue
            result = import_file(con, path.read_bytes(), path.name, uploader=args.uploader, force=args.force)
            print_result(result, args.quiet)
            failed |= result.status == "rejected"
    finally:
        con.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

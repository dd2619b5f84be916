"""``python -m bulletin --from DATE --to DATE [--db PATH] --out DIR``: a draft bulletin as .docx and .xlsx.

Exit 0 and the two paths on stdout; exit 1 with a Chinese message on stderr
(no traceback) for a bad date or period, a missing or empty database, or a
folder that cannot be written. The database is opened read-only: drafting
never changes it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import database
from bulletin.content import PeriodError
from bulletin.store import BulletinError, draft


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期,应写成 2022-11-07") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors exit 2 in English; the contract is 1 in Chinese
        message = (message.replace("the following arguments are required:", "缺少参数")
                   .replace("argument ", "").replace("unrecognized arguments:", "无法识别的参数"))
        print(f"参数有误:{message}\n用法:python -m bulletin --from 2022-11-07 --to 2022-11-20 --out 文件夹",
              file=sys.stderr)
        sys.exit(1)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m bulletin", description="生成双周通报草稿(Word 与 Excel)")
    parser.add_argument("--from", dest="start", type=_date, required=True, help="通报期第一天(周一),如 2022-11-07")
    parser.add_argument("--to", dest="end", type=_date, required=True, help="通报期最后一天(第二周的周日)")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件(默认 $DASHBOARD_DB 或 data/dashboard.duckdb)")
    parser.add_argument("--out", type=Path, required=True, help="写入 .docx 和 .xlsx 的文件夹")
    args = parser.parse_args(argv)
    db = args.db or database.db_path()
    if not db.is_file():
        print(f"找不到数据库文件 {db}:请先导入数据(make sample 可建示例数据库)。", file=sys.stderr)
        return 1
    try:
        con = database.connect(db, read_only=True)
    except database.DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        if database.schema_version(con) < 1:
            raise BulletinError(f"{db} 不是看板的数据库(没有数据表)。")
        made = draft(con, args.start, args.end, date.today())
        args.out.mkdir(parents=True, exist_ok=True)
        paths = [args.out / f"{made.file_stem}.docx", args.out / f"{made.file_stem}.xlsx"]
        paths[0].write_bytes(made.docx)
        paths[1].write_bytes(made.xlsx)
    except (PeriodError, BulletinError, database.DatabaseError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"无法写入文件夹 {args.out}:{exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for note in made.notes:
        print(note, file=sys.stderr)
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

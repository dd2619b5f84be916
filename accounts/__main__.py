"""``python -m accounts create-admin`` and friends.

- ``create-admin [--db PATH] [--username NAME]``: the first administrator; asks for the password
  twice (or reads one line from stdin with ``--password-stdin``).
- ``demo [--db PATH]``: on a database with no accounts, creates one demo account of each role and
  prints the passwords once (``make run`` does this for the sample database).
- ``list [--db PATH]``: the accounts, without passwords.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path

import accounts
import database

DEMO = (
    ("admin", "系统管理员", accounts.ADMIN, None),
    ("leader", "县委领导(演示)", accounts.LEADER, None),
    ("xingsha", "星沙街道工作人员(演示)", accounts.STAFF, "星沙街道"),
)


def create_admin(db: Path | None, username: str, password_stdin: bool) -> int:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("新管理员密码(至少10个字符,不能是重复字符、连续数字字母、常见密码或包含用户名):")
        if getpass.getpass("再输入一次:") != password:
            print("两次输入的密码不一致", file=sys.stderr)
            return 1
    con = database.connect(db)
    try:
        accounts.create_user(con, username, "系统管理员", accounts.ADMIN, password, actor="命令行", now=datetime.now())
    except accounts.AccountError as exc:
        print(f"未创建:{exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"已创建管理员账号“{username}”。")
    return 0


def demo(db: Path | None) -> int:
    con = database.connect(db)
    try:
        if database.scalar(con, "select count(*) from users"):
            print("数据库中已有账号,未创建演示账号。")
            return 0
        print("已创建演示账号(密码只显示这一次,请记下):")
        for username, name, role, unit in DEMO:
            password = accounts.new_password(username)
            accounts.create_user(con, username, name, role, password, unit=unit, actor="示例数据",
                                 now=datetime.now())
            print(f"  {role:<5} 用户名 {username:<8} 密码 {password}" + (f"  (单位:{unit})" if unit else ""))
    finally:
        con.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accounts", description="账号管理")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("create-admin", help="创建管理员账号")
    p.add_argument("--db", type=Path)
    p.add_argument("--username", default="admin")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    d = sub.add_parser("demo", help="在没有账号的数据库上创建演示账号")
    d.add_argument("--db", type=Path)
    ls = sub.add_parser("list", help="列出账号")
    ls.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    if args.command == "create-admin":
        return create_admin(args.db, args.username, args.password_stdin)
    if args.command == "demo":
        return demo(args.db)
    con = database.connect(args.db)
    print(accounts.list_users(con).to_string(index=False))
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Sessions end when they should, and log-ins never collide: real threads, one DuckDB file, AppTest pages."""

from __future__ import annotations

import threading
from datetime import datetime

import accounts
import database

T0 = datetime(2022, 11, 14, 9, 0)
PASSWORD = "Meeting-room-7"


def test_simultaneous_logins_to_one_account_all_succeed(con):
    """A meeting shares one leader account: six log-ins at the same moment, on six threads, all get in."""
    accounts.create_user(con, "leader", "县委领导", accounts.LEADER, PASSWORD, now=T0)
    n = 6
    start = threading.Barrier(n)
    outcomes: list[object] = [None] * n

    def log_in(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = accounts.authenticate(con, "leader", PASSWORD, T0)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            outcomes[i] = exc

    threads = [threading.Thread(target=log_in, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [getattr(o, "username", o) for o in outcomes] == ["leader"] * n
    assert database.scalar(con, "select count(*) from audit where action = '登录' and outcome = '成功'") == n


def test_simultaneous_failures_and_logins_never_raise_a_database_error(con):
    """Wrong passwords and right ones at once, on one account: only Chinese AccountErrors, never DuckDB's."""
    accounts.create_user(con, "leader", "县委领导", accounts.LEADER, PASSWORD, now=T0)
    n = 8
    start = threading.Barrier(n)
    outcomes: list[object] = [None] * n

    def log_in(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = accounts.authenticate(con, "leader", PASSWORD if i % 2 else "Wrong-pass-99", T0)
        except accounts.AccountError as exc:
            outcomes[i] = str(exc)
        except Exception as exc:  # noqa: BLE001
            outcomes[i] = exc

    threads = [threading.Thread(target=log_in, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [o if isinstance(o, str) else getattr(o, "username", repr(o)) for o in outcomes] == \
        ["用户名或密码错误", "leader"] * 4
    # the four failures were all counted, none lost to a retried write
    assert database.scalar(con, "select count(*) from audit where action = '登录' and outcome = '失败'") == 4

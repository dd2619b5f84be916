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


# ---------------------------------------------------------------- the check the projector's auto-advance makes


def _fragment_check() -> None:
    """Run as a script by AppTest: what the projector fragment asks on every slide."""
    import streamlit as st

    from ui import auth

    st.text("allowed" if auth.still_allowed() else "refused")


def check_as(session: dict | None = None, display: str | None = None) -> str:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_fragment_check, default_timeout=60)
    if session is not None:
        at.session_state["auth"] = session
    if display is not None:
        at.query_params["display"] = display
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at.text[0].value


def test_every_slide_rechecks_expiry_account_and_link(app_db):
    from datetime import timedelta

    con = database.connect(app_db)
    accounts.create_user(con, "li", "李书记", accounts.LEADER, PASSWORD, now=T0)
    token = accounts.create_display_link(con, "admin", "会议室", datetime.now())
    con.close()
    session = {"username": "li", "display_name": "李书记", "role": "领导", "unit": None, "email": None,
               "session_version": 0, "logged_in_at": datetime.now()}
    assert check_as(session) == "allowed"
    assert check_as({**session, "logged_in_at": datetime.now() - timedelta(hours=8)}) == "refused"
    assert check_as(display=token) == "allowed"
    con = database.connect(app_db)
    accounts.set_active(con, "li", False, "admin", T0)
    accounts.revoke_display_link(con, accounts.list_display_links(con).token_hash[0], "admin", T0)
    con.close()
    assert check_as(session) == "refused"
    assert check_as(display=token) == "refused"


def test_version_2_file_keeps_its_accounts_and_links_and_gains_expiry(tmp_path):
    """A file written before v3: its accounts log in, its display links expire 30 days after creation."""
    import duckdb

    path = tmp_path / "v2.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute("CREATE TABLE schema_version (version INTEGER, migrated_at TIMESTAMP)")
    for version in (1, 2):
        database.MIGRATIONS[version - 1](raw)
        raw.execute("INSERT INTO schema_version VALUES (?, current_localtimestamp())", [version])
    password_hash = accounts._HASHER.hash(PASSWORD)
    raw.execute("insert into users (username, display_name, role, password_hash, created_at, last_login) "
                "values ('leader', '县委领导', '领导', ?, ?, ?)", [password_hash, T0, T0])
    token = "an-old-display-link-token-made-by-version-two"
    raw.execute("insert into display_links (token_hash, note, created_by, created_at) values (?, '旧链接', 'admin', ?)",
                [accounts._token_hash(token), T0])
    raw.close()
    con = database.connect(path)
    assert database.schema_version(con) >= 3
    user = accounts.authenticate(con, "leader", PASSWORD, T0)
    assert (user.username, user.session_version) == ("leader", 0)
    assert accounts.check_display_link(con, token, datetime(2022, 12, 14, 8, 59))
    assert not accounts.check_display_link(con, token, datetime(2022, 12, 14, 9, 0))  # 30 days after 11-14 09:00
    assert accounts.list_users(con, T0)["last_login"].tolist() == [T0]
    con.close()

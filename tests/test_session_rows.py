"""Sessions that survive a reload: the cookie's id resumes a server-side row until log-out, expiry (8 h),
deactivation, password reset or change, or a role change — on real database files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import accounts
import database
from accounts import sessions
from conftest import xlsx
from ingest import import_file

T0 = datetime(2022, 11, 14, 9, 0)
PASSWORD = "Zq8#mT4!vR2&kL"


@pytest.fixture
def db(tmp_path):
    con = database.connect(tmp_path / "s.duckdb")
    assert import_file(con, xlsx({"单位名录": [["单位名称", "单位类型"], ["星沙街道", "街道"]]}), "u.xlsx").ok
    accounts.create_user(con, "admin", "管理员", accounts.ADMIN, PASSWORD, now=T0)
    accounts.create_user(con, "wang", "王", accounts.STAFF, PASSWORD, unit="星沙街道", now=T0)
    yield con
    con.close()


def test_a_session_resumes_until_log_out_and_only_by_its_id(db):
    user = accounts.get_user(db, "wang")
    token = sessions.open_session(db, user, T0)
    other = sessions.open_session(db, user, T0)  # a second browser of the same account
    resumed, at = sessions.resume(db, token, T0 + timedelta(hours=7))
    assert (resumed.username, at) == ("wang", T0)
    # only a hash is stored: the id itself is nowhere in the database
    assert database.scalar(db, "select count(*) from sessions where token_hash = ?", [token]) == 0
    assert sessions.resume(db, token[:-1] + ("A" if token[-1] != "A" else "B"), T0) is None
    sessions.close(db, token)
    assert sessions.resume(db, token, T0) is None
    assert sessions.resume(db, other, T0) is not None  # logging out one browser leaves the other


def test_a_session_ends_eight_hours_after_log_in(db):
    token = sessions.open_session(db, accounts.get_user(db, "wang"), T0)
    assert sessions.resume(db, token, T0 + timedelta(hours=7, minutes=59)) is not None
    assert sessions.resume(db, token, T0 + timedelta(hours=8)) is None
    assert database.scalar(db, "select count(*) from sessions") == 0  # the expired row is gone


@pytest.mark.parametrize("change", [
    lambda con: accounts.set_active(con, "wang", False, "admin", T0),
    lambda con: accounts.reset_password(con, "wang", "Xy7@pL3$nQ9!wE", "admin", T0),
    lambda con: accounts.set_role(con, "wang", accounts.LEADER, None, "admin", T0),
    lambda con: accounts.change_password(con, "wang", PASSWORD, "Xy7@pL3$nQ9!wE", T0),
], ids=["deactivated", "password reset", "role changed", "password changed"])
def test_account_changes_delete_every_open_session(db, change):
    user = accounts.get_user(db, "wang")
    tokens = [sessions.open_session(db, user, T0) for _ in range(2)]
    admin = sessions.open_session(db, accounts.get_user(db, "admin"), T0)
    change(db)
    assert [sessions.resume(db, t, T0) for t in tokens] == [None, None]
    assert database.scalar(db, "select count(*) from sessions where username = 'wang'") == 0
    assert sessions.resume(db, admin, T0) is not None  # nobody else's


def test_the_cookie_is_strict_and_secure_over_https():
    script = sessions.cookie_script("abc", secure=True)
    assert "lhkb_session=abc" in script and "SameSite=Strict" in script and "Secure" in script
    assert "Max-Age=28800" in script
    assert "Secure" not in sessions.cookie_script("abc", secure=False)
    assert "Max-Age=0" in sessions.cookie_script(None, secure=False)


def _cookie_removals(at) -> int:
    return sum("lhkb_session=; Max-Age=0" in el.proto.body for el in at.get("html"))


@pytest.mark.parametrize("end, notice", [
    (lambda con, token: sessions.close(con, token), "已在其他窗口退出登录"),
    (lambda con, token: accounts.set_active(con, "test-领导", False, "admin", datetime.now()), "账号已被停用"),
], ids=["logged out elsewhere", "deactivated"])
def test_an_ended_session_drops_its_cookie_once_and_says_why(app_db, end, notice):
    from conftest import app_test

    at = app_test("领导")
    con = database.connect(app_db)
    try:
        token = sessions.open_session(con, accounts.get_user(con, "test-领导"), datetime.now())
        at.session_state["auth"] = {**at.session_state["auth"], "token": token}
        at.run()
        assert at.title[0].value.endswith("总览") and _cookie_removals(at) == 0
        end(con, token)
    finally:
        con.close()
    at.run()
    assert not at.exception
    assert any(notice in el.value for el in [*at.info, *at.warning, *at.error]), [e.value for e in at.warning]
    assert _cookie_removals(at) == 1  # the browser is told to forget the id …
    at.run()
    assert _cookie_removals(at) == 0  # … once, not on every run

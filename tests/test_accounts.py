"""Accounts: hashing, lockout and expiry with an injected clock, the CLI, display links."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest

import accounts
import database
from accounts.__main__ import main as cli

T0 = datetime(2022, 11, 14, 9, 0)


def test_password_is_hashed_never_stored(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, "correct horse 1", now=T0)
    stored = database.scalar(con, "select password_hash from users where username = 'li'")
    assert "correct horse" not in stored and stored.startswith("$argon2")
    assert accounts.authenticate(con, "li", "correct horse 1", T0).role == "领导"


def test_short_password_refused(con):
    with pytest.raises(accounts.AccountError, match="至少需要 10 个字符"):
        accounts.create_user(con, "li", "李四", accounts.LEADER, "123456789", now=T0)


def test_staff_needs_a_known_unit(con):
    with pytest.raises(accounts.AccountError, match="单位名录"):
        accounts.create_user(con, "w", "王", accounts.STAFF, "0123456789", unit="不存在镇", now=T0)
    user = accounts.create_user(con, "w", "王", accounts.STAFF, "0123456789", unit="星沙街道", now=T0)
    assert user.unit == "星沙街道" and user.can_upload and not user.is_admin


def test_five_failures_lock_for_fifteen_minutes(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, "0123456789", now=T0)
    for i in range(4):
        with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
            accounts.authenticate(con, "li", "wrong-password", T0 + timedelta(seconds=i))
    with pytest.raises(accounts.AccountError, match="已锁定 15 分钟"):
        accounts.authenticate(con, "li", "wrong-password", T0 + timedelta(seconds=5))
    # locked: even the right password is refused for 15 minutes
    with pytest.raises(accounts.AccountError, match="请于 09:15 后再试"):
        accounts.authenticate(con, "li", "0123456789", T0 + timedelta(minutes=14, seconds=59))
    assert accounts.authenticate(con, "li", "0123456789", T0 + timedelta(minutes=15, seconds=5)).username == "li"


def test_success_resets_the_failure_count(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, "0123456789", now=T0)
    for _ in range(4):
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(con, "li", "nope-nope-nope", T0)
    accounts.authenticate(con, "li", "0123456789", T0)
    for _ in range(4):  # four more failures do not lock: the count started again
        with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
            accounts.authenticate(con, "li", "nope-nope-nope", T0)


def test_unknown_user_and_inactive_user_same_message(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, "0123456789", now=T0)
    accounts.set_active(con, "li", False, "admin", T0)
    for name in ("li", "nobody"):
        with pytest.raises(accounts.AccountError, match="^用户名或密码错误$"):
            accounts.authenticate(con, name, "0123456789", T0)


@pytest.mark.parametrize("hours, expired", [(7.99, False), (8.0, True), (9, True)])
def test_session_expiry(hours, expired):
    assert accounts.session_expired(T0, T0 + timedelta(hours=hours)) is expired


def test_change_password_needs_the_old_one(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, "0123456789", now=T0)
    with pytest.raises(accounts.AccountError, match="原密码不正确"):
        accounts.change_password(con, "li", "bad-old-pass", "abcdefghijk", T0)
    accounts.change_password(con, "li", "0123456789", "abcdefghijk", T0)
    assert accounts.authenticate(con, "li", "abcdefghijk", T0).username == "li"


def test_logins_and_account_changes_are_audited(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, "0123456789", actor="admin", now=T0)
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(con, "li", "wrong-password", T0)
    accounts.authenticate(con, "li", "0123456789", T0)
    log = database.query(con, "select username, action, outcome from audit where action <> '上传' "
                              "order by id").values.tolist()
    assert log == [["admin", "创建账号", "成功"], ["li", "登录", "失败"], ["li", "登录", "成功"]]
    assert "0123456789" not in str(database.query(con, "select * from audit").values.tolist())


def test_user_by_email(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, "0123456789", email="Li@Example.org", now=T0)
    assert accounts.user_by_email(con, "li@example.org").username == "li"
    assert accounts.user_by_email(con, "other@example.org") is None


def test_display_links_revocable(con):
    token = accounts.create_display_link(con, "admin", "会议室大屏", T0)
    assert len(token) >= 40 and accounts.check_display_link(con, token)
    assert not accounts.check_display_link(con, token + "x") and not accounts.check_display_link(con, None)
    token_hash = accounts.list_display_links(con).token_hash[0]
    accounts.revoke_display_link(con, token_hash, "admin", T0)
    assert not accounts.check_display_link(con, token)


def test_cli_create_admin_and_demo(tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.duckdb"
    con = database.connect(db)
    con.execute("insert into units values ('星沙街道', '街道', 1, 1)")
    con.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli(["create-admin", "--db", str(db), "--password-stdin"]) == 1
    assert "至少需要 10 个字符" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-admin-password\n"))
    assert cli(["create-admin", "--db", str(db), "--password-stdin"]) == 0
    assert cli(["demo", "--db", str(db)]) == 0
    assert "已有账号" in capsys.readouterr().out  # demo accounts only on a database without accounts


def test_cli_demo_prints_passwords_once(tmp_path, capsys):
    db = tmp_path / "demo.duckdb"
    con = database.connect(db)
    con.execute("insert into units values ('星沙街道', '街道', 1, 1)")
    con.close()
    assert cli(["demo", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    passwords = [line.split("密码 ")[1].split()[0] for line in out.splitlines() if "密码 " in line]
    assert len(passwords) == 3
    con = database.connect(db)
    assert accounts.authenticate(con, "xingsha", passwords[2], T0).unit == "星沙街道"

"""Accounts: hashing, lockout and expiry with an injected clock, the CLI, display links."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest

import accounts
import database
from accounts.__main__ import main as cli

T0 = datetime(2022, 11, 14, 9, 0)
PW, PW2 = "Tea-garden-42", "New-river-77"


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
        accounts.create_user(con, "w", "王", accounts.STAFF, PW, unit="不存在镇", now=T0)
    user = accounts.create_user(con, "w", "王", accounts.STAFF, PW, unit="星沙街道", now=T0)
    assert user.unit == "星沙街道" and user.can_upload and not user.is_admin


def test_success_resets_the_failure_count(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, now=T0)
    for _ in range(4):
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(con, "li", "nope-nope-nope", T0)
    accounts.authenticate(con, "li", PW, T0)
    for _ in range(4):  # four more failures do not lock: the count started again
        with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
            accounts.authenticate(con, "li", "nope-nope-nope", T0)


@pytest.mark.parametrize("hours, expired", [(7.99, False), (8.0, True), (9, True)])
def test_session_expiry(hours, expired):
    assert accounts.session_expired(T0, T0 + timedelta(hours=hours)) is expired


def test_change_password_needs_the_old_one(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, now=T0)
    with pytest.raises(accounts.AccountError, match="原密码不正确"):
        accounts.change_password(con, "li", "bad-old-pass", PW2, T0)
    accounts.change_password(con, "li", PW, PW2, T0)
    assert accounts.authenticate(con, "li", PW2, T0).username == "li"


def test_logins_and_account_changes_are_audited(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, actor="admin", now=T0)
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(con, "li", "wrong-password", T0)
    accounts.authenticate(con, "li", PW, T0)
    log = database.query(con, "select username, action, outcome from audit where action <> '上传' "
                              "order by id").values.tolist()
    assert log == [["admin", "创建账号", "成功"], ["li", "登录", "失败"], ["li", "登录", "成功"]]
    assert PW not in str(database.query(con, "select * from audit").values.tolist())


def test_user_by_email(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, email="Li@Example.org", now=T0)
    assert accounts.user_by_email(con, "li@example.org").username == "li"
    assert accounts.user_by_email(con, "other@example.org") is None


def test_cli_create_admin_and_demo(tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.duckdb"
    con = database.connect(db)
    con.execute("insert into units values ('星沙街道', '街道', 1, 1)")
    con.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli(["create-admin", "--db", str(db), "--password-stdin"]) == 1
    assert "至少需要 10 个字符" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-board-password\n"))
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


# ---------------------------------------------------------------- log-in hygiene (issue 11)

STRANGER, OFFICE = "203.0.113.9", "10.1.1.1"


def attempt(con, name: str, password: str, at: datetime, source: str | None) -> str:
    try:
        accounts.authenticate(con, name, password, at, source=source)
    except accounts.AccountError as exc:
        return str(exc)
    return "ok"


def test_a_stranger_locks_only_their_own_address_and_locks_grow(con):
    accounts.create_user(con, "admin", "管理员", accounts.ADMIN, PW, now=T0)
    answers = [attempt(con, "admin", "Wrong-pass-1", T0 + timedelta(seconds=i), STRANGER) for i in range(5)]
    # the fifth failure at 09:00:04 locks (admin, stranger) until 09:15:04
    assert answers == ["用户名或密码错误"] * 4 + ["连续 5 次登录失败,请于 09:15 后再试"]
    assert attempt(con, "admin", PW, T0 + timedelta(minutes=10), STRANGER) == "登录失败次数过多,请于 09:15 后再试"
    # the administrator at the office, and from an unknown address, is not kept out
    assert attempt(con, "admin", PW, T0 + timedelta(minutes=10), OFFICE) == "ok"
    assert attempt(con, "admin", PW, T0 + timedelta(minutes=10), None) == "ok"
    # the lock ran out; five more failures lock twice as long: 09:16:04 + 30 min = 09:46:04
    later = T0 + timedelta(minutes=16)
    answers = [attempt(con, "admin", "Wrong-pass-1", later + timedelta(seconds=i), STRANGER) for i in range(5)]
    assert answers[-1] == "连续 5 次登录失败,请于 09:46 后再试"
    assert attempt(con, "admin", PW, T0 + timedelta(minutes=45), STRANGER) == "登录失败次数过多,请于 09:46 后再试"
    assert attempt(con, "admin", PW, T0 + timedelta(minutes=47), STRANGER) == "ok"


def test_answers_never_reveal_whether_an_account_exists(con):
    accounts.create_user(con, "admin", "管理员", accounts.ADMIN, PW, now=T0)
    accounts.create_user(con, "old", "老账号", accounts.LEADER, PW, now=T0)
    accounts.set_active(con, "old", False, "admin", T0)
    expected = ["用户名或密码错误"] * 4 + ["连续 5 次登录失败,请于 09:15 后再试", "登录失败次数过多,请于 09:15 后再试"]
    for name in ("admin", "nobody", "old"):
        answers = [attempt(con, name, "Wrong-pass-1", T0 + timedelta(seconds=i), STRANGER) for i in range(6)]
        assert answers == expected, name
    # the right password of a deactivated account reads the same as a wrong one
    assert attempt(con, "old", PW, T0, OFFICE) == "用户名或密码错误"


def test_a_typed_unknown_name_is_never_stored(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, now=T0)
    assert attempt(con, "My-Secret-Pass-9", "li", T0, None) == "用户名或密码错误"
    assert attempt(con, "li", "Wrong-pass-1", T0, None) == "用户名或密码错误"
    every_value = str(database.query(con, "select * from audit").values.tolist())
    every_value += str(database.query(con, "select * from login_throttle").values.tolist())
    assert "My-Secret-Pass-9" not in every_value
    names = database.query(con, "select username from audit where action = '登录' order by id")["username"].tolist()
    assert names[0].startswith("未知账号#") and len(names[0]) == len("未知账号#") + 6
    assert names[1] == "li"  # an account is recorded by its account name


def test_forgiven_failures_are_pruned(con):
    """A day without failures forgives a (name, source); its row goes at the next failure, so a flood of
    typed-in unknown names does not grow the table for ever. A running lock is kept."""
    for i in range(3):
        attempt(con, f"nobody{i}", "Wrong-pass-1", T0, STRANGER)  # 09:00: three unknown names, one failure each
    for i in range(5):
        attempt(con, "locked", "Wrong-pass-1", T0 + timedelta(hours=23, seconds=i), STRANGER)  # locked at 08:00 +1 day
    assert database.query(con, "select count(*) as n from login_throttle")["n"].iloc[0] == 4
    # 24 h 5 min after the first three: they are forgiven and removed; the locked name failed only 1 h ago: kept
    attempt(con, "someone", "Wrong-pass-1", T0 + timedelta(hours=24, minutes=5), OFFICE)
    left = database.query(con, "select source, locked_until is not null as locked from login_throttle order by source")
    assert left.values.tolist() == [[OFFICE, False], [STRANGER, True]]


@pytest.mark.parametrize("password, reason", [
    ("aaaaaaaaaaaa", "同一个字符"), ("0000000000", "同一个字符"),
    ("1234567890", "连续"), ("0123456789", "连续"), ("abcdefghij", "连续"), ("9876543210", "连续"),
    ("ZYXWVUTSRQ", "连续"), ("qwertyuiop", "连续"),
    ("zhangsan-2022", "用户名"), ("2022ZhangSan!", "用户名"),
    ("password123", "常见"), ("Passw0rd!!", "常见"), ("admin12345", "常见"), ("1qaz2wsx3edc", "常见"),
    ("woaini1314!", "常见"),
])
def test_trivial_passwords_refused_in_chinese(con, password, reason):
    with pytest.raises(accounts.AccountError, match=reason):
        accounts.create_user(con, "zhangsan", "张三", accounts.LEADER, password, now=T0)
    assert database.scalar(con, "select count(*) from users") == 0


def test_trivial_passwords_refused_on_reset_change_and_cli(con, tmp_path, monkeypatch, capsys):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, now=T0)
    with pytest.raises(accounts.AccountError, match="同一个字符"):
        accounts.reset_password(con, "li", "aaaaaaaaaaaa", "admin", T0)
    with pytest.raises(accounts.AccountError, match="常见"):
        accounts.change_password(con, "li", PW, "password123", T0)
    assert accounts.authenticate(con, "li", PW, T0).username == "li"  # still the old password
    db = tmp_path / "cli.duckdb"
    database.connect(db).close()
    monkeypatch.setattr("sys.stdin", io.StringIO("admin-admin-1\n"))
    assert cli(["create-admin", "--db", str(db), "--password-stdin"]) == 1
    assert "密码不能包含用户名" in capsys.readouterr().err
    assert accounts.new_password("li") != accounts.new_password("li")  # random, and always passes the rules


def test_account_changes_bump_the_session_version(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, now=T0)
    assert accounts.get_user(con, "li").session_version == 0
    accounts.set_active(con, "li", False, "admin", T0)
    assert accounts.get_user(con, "li") is None
    accounts.set_active(con, "li", True, "admin", T0)
    accounts.reset_password(con, "li", PW2, "admin", T0)
    with pytest.raises(accounts.AccountError, match="单位名录"):
        accounts.set_role(con, "li", accounts.STAFF, None, "admin", T0)
    accounts.set_role(con, "li", accounts.STAFF, "星沙街道", "admin", T0)
    user = accounts.get_user(con, "li")
    assert (user.role, user.unit, user.session_version) == ("工作人员", "星沙街道", 4)
    assert accounts.change_password(con, "li", PW2, PW, T0) == 5
    assert accounts.authenticate(con, "li", PW, T0).session_version == 5


def test_display_links_revocable_and_expire(con):
    token = accounts.create_display_link(con, "admin", "会议室大屏", T0)
    assert len(token) >= 40 and accounts.check_display_link(con, token, T0)
    assert not accounts.check_display_link(con, token + "x", T0) and not accounts.check_display_link(con, None, T0)
    # the default: 30 days
    assert accounts.list_display_links(con).expires_at[0] == datetime(2022, 12, 14, 9, 0)
    assert accounts.check_display_link(con, token, datetime(2022, 12, 14, 8, 59))
    assert not accounts.check_display_link(con, token, datetime(2022, 12, 14, 9, 0))
    day = accounts.create_display_link(con, "admin", "一天", T0, days=1)
    assert accounts.check_display_link(con, day, datetime(2022, 11, 15, 8, 59))
    assert not accounts.check_display_link(con, day, datetime(2022, 11, 15, 9, 0))
    with pytest.raises(accounts.AccountError, match="1–366 天"):
        accounts.create_display_link(con, "admin", "太久", T0, days=400)
    token_hash = accounts.list_display_links(con).set_index("note").loc["会议室大屏", "token_hash"]
    accounts.revoke_display_link(con, token_hash, "admin", T0)
    assert not accounts.check_display_link(con, token, T0)


def test_a_write_conflict_that_outlasts_the_retries_is_refused_in_chinese(con):
    """Another transaction holds the row: after the retries, a Chinese refusal and nothing written."""
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, now=T0)
    other = con.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("update users set display_name = '李四(改)', session_version = session_version + 1 where username = 'li'")
    with pytest.raises(accounts.AccountError, match="^有其他操作正在同时修改同一条记录"):
        accounts.set_active(con, "li", False, "admin", T0)
    other.execute("COMMIT")
    assert accounts.get_user(con, "li").display_name == "李四(改)"  # still active: nothing of the refusal written
    accounts.set_active(con, "li", False, "admin", T0)  # once the other one is done, it goes through
    assert accounts.get_user(con, "li") is None


def test_failures_a_day_old_are_forgiven(con):
    accounts.create_user(con, "li", "李四", accounts.LEADER, PW, now=T0)
    for i in range(4):
        assert attempt(con, "li", "Wrong-pass-1", T0 + timedelta(seconds=i), STRANGER) == "用户名或密码错误"
    # a fifth failure 25 hours later is the first of a new count, not the fifth in a row
    assert attempt(con, "li", "Wrong-pass-1", T0 + timedelta(hours=25), STRANGER) == "用户名或密码错误"

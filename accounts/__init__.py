"""Accounts, roles, log-in with lockout, session expiry, and the audit trail.

Roles:

- 管理员 — everything: manages accounts, uploads every sheet, rolls back uploads;
- 领导 — reads every page, uploads nothing;
- 工作人员 — reads every page, uploads only rows of their own unit (project-level
  sheets only for projects their unit leads; review scores, flags and the unit
  list only by 管理员).

Passwords are hashed with argon2 and never logged, shown or kept in session
state. Every function that depends on the time takes ``now`` so tests can
inject a clock.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

import database

ADMIN, LEADER, STAFF = "管理员", "领导", "工作人员"
ROLES = (ADMIN, LEADER, STAFF)
_HASHER = PasswordHasher()
#: a hash to verify against when the user does not exist, so timing does not reveal which names exist
_DUMMY_HASH = _HASHER.hash("not-a-real-password-0")


@dataclass(frozen=True)
class AuthSettings:
    """Log-in rules; every number a setting."""

    #: minimum password length
    min_password: int = 10
    #: failed attempts in a row that lock the account
    max_failures: int = 5
    #: how long a locked account stays locked
    lock_minutes: int = 15
    #: a session ends this long after log-in
    session_hours: float = 8.0


@dataclass(frozen=True)
class User:
    """Who is logged in: never holds the password or its hash."""

    username: str
    display_name: str
    role: str
    unit: str | None = None
    email: str | None = None

    @property
    def can_upload(self) -> bool:
        return self.role in (ADMIN, STAFF)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


class AccountError(ValueError):
    """A refused account operation; the message is Chinese and safe to show."""


def audit(cur: duckdb.DuckDBPyConnection, username: str | None, action: str, detail: str, outcome: str,
          now: datetime) -> None:
    """Write one line of the audit trail (inside the caller's transaction)."""
    cur.execute("insert into audit (happened_at, username, action, detail, outcome) values (?, ?, ?, ?, ?)",
                [now, username, action, detail, outcome])


def check_password(password: str, settings: AuthSettings = AuthSettings()) -> None:
    if len(password) < settings.min_password:
        raise AccountError(f"密码至少需要 {settings.min_password} 个字符")


def _user(row: tuple) -> User:
    return User(*row)


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    cur = con.cursor()
    row = cur.execute("select username, display_name, role, unit, email from users where username = ? and active",
                      [username]).fetchone()
    cur.close()
    return _user(row) if row else None


def user_by_email(con: duckdb.DuckDBPyConnection, email: str) -> User | None:
    """The active account with this e-mail (for single sign-on), case-insensitive."""
    cur = con.cursor()
    row = cur.execute("select username, display_name, role, unit, email from users "
                      "where lower(email) = lower(?) and active", [email]).fetchone()
    cur.close()
    return _user(row) if row else None


def create_user(con: duckdb.DuckDBPyConnection, username: str, display_name: str, role: str, password: str, *,
                unit: str | None = None, email: str | None = None, actor: str | None = None,
                now: datetime | None = None, settings: AuthSettings = AuthSettings()) -> User:
    """Create an account; 工作人员 must belong to a known unit."""
    now = now or datetime.now()
    username = username.strip()
    if not username:
        raise AccountError("用户名不能为空")
    if role not in ROLES:
        raise AccountError("角色应为:" + "、".join(ROLES))
    check_password(password, settings)
    with database.transaction(con) as cur:
        if cur.execute("select 1 from users where username = ?", [username]).fetchone():
            raise AccountError(f"用户名“{username}”已存在")
        if role == STAFF:
            if not unit or not cur.execute("select 1 from units where unit = ?", [unit]).fetchone():
                raise AccountError("工作人员账号必须属于单位名录中的一个单位")
        cur.execute(
            "insert into users (username, display_name, role, unit, email, password_hash, created_at) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [username, display_name.strip() or username, role, unit if role == STAFF else None, email,
             _HASHER.hash(password), now],
        )
        audit(cur, actor, "创建账号", f"{username}({role}{'/' + unit if role == STAFF else ''})", "成功", now)
    return User(username, display_name.strip() or username, role, unit if role == STAFF else None, email)


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str, now: datetime,
                 settings: AuthSettings = AuthSettings()) -> User:
    """Check a log-in; ``max_failures`` failures in a row lock the account for ``lock_minutes``.

    Raises AccountError with a message that does not reveal whether the user exists.
    """
    error: str | None = None  # raised after the commit, so failures and lockouts are recorded
    with database.transaction(con) as cur:
        row = cur.execute(
            "select username, display_name, role, unit, email, password_hash, active, failed_attempts, locked_until "
            "from users where username = ?", [username]).fetchone()
        if row is None or not row[6]:
            _verify(_DUMMY_HASH, password)
            audit(cur, username, "登录", "用户不存在或已停用", "失败", now)
            error = "用户名或密码错误"
        elif row[8] is not None and row[8] > now:
            audit(cur, username, "登录", "账号锁定中", "失败", now)
            error = f"连续输错密码次数过多,账号已锁定,请于 {row[8]:%H:%M} 后再试"
        elif not _verify(row[5], password):
            failed = (0 if row[8] is not None else row[7]) + 1  # a lock that ran out starts the count afresh
            lock = now + timedelta(minutes=settings.lock_minutes) if failed >= settings.max_failures else None
            cur.execute("update users set failed_attempts = ?, locked_until = ? where username = ?",
                        [0 if lock else failed, lock, username])
            audit(cur, username, "登录", f"密码错误(第 {failed} 次)" + (",账号锁定" if lock else ""), "失败", now)
            error = (f"连续 {settings.max_failures} 次密码错误,账号已锁定 {settings.lock_minutes} 分钟" if lock
                     else "用户名或密码错误")
        else:
            cur.execute("update users set failed_attempts = 0, locked_until = null, last_login = ? "
                        "where username = ?", [now, username])
            audit(cur, username, "登录", "", "成功", now)
    if error:
        raise AccountError(error)
    return _user(row[:5])


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def change_password(con: duckdb.DuckDBPyConnection, username: str, old: str, new: str, now: datetime,
                    settings: AuthSettings = AuthSettings()) -> None:
    """Change one's own password, proving the old one."""
    check_password(new, settings)
    with database.transaction(con) as cur:
        row = cur.execute("select password_hash from users where username = ? and active", [username]).fetchone()
        ok = row is not None and _verify(row[0], old)
        if ok:
            cur.execute("update users set password_hash = ? where username = ?", [_HASHER.hash(new), username])
        audit(cur, username, "修改密码", "" if ok else "原密码错误", "成功" if ok else "失败", now)
    if not ok:
        raise AccountError("原密码不正确")


def reset_password(con: duckdb.DuckDBPyConnection, username: str, new: str, actor: str, now: datetime,
                   settings: AuthSettings = AuthSettings()) -> None:
    """An administrator sets a new password (and unlocks the account)."""
    check_password(new, settings)
    with database.transaction(con) as cur:
        if not cur.execute("select 1 from users where username = ?", [username]).fetchone():
            raise AccountError(f"没有用户“{username}”")
        cur.execute("update users set password_hash = ?, failed_attempts = 0, locked_until = null "
                    "where username = ?", [_HASHER.hash(new), username])
        audit(cur, actor, "重置密码", username, "成功", now)


def set_active(con: duckdb.DuckDBPyConnection, username: str, active: bool, actor: str, now: datetime) -> None:
    with database.transaction(con) as cur:
        if not cur.execute("select 1 from users where username = ?", [username]).fetchone():
            raise AccountError(f"没有用户“{username}”")
        if not active and actor == username:
            raise AccountError("不能停用自己的账号")
        cur.execute("update users set active = ? where username = ?", [active, username])
        audit(cur, actor, "启用账号" if active else "停用账号", username, "成功", now)


def list_users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Accounts without their hashes."""
    return database.query(con, "select username, display_name, role, unit, email, active, created_at, last_login, "
                               "locked_until from users order by role, unit, username")


def session_expired(logged_in_at: datetime, now: datetime, settings: AuthSettings = AuthSettings()) -> bool:
    return now - logged_in_at >= timedelta(hours=settings.session_hours)


def new_password() -> str:
    """A random password that satisfies the rules (for demo accounts and resets)."""
    return secrets.token_urlsafe(12)


# ---------------------------------------------------------------- display links (projector without a login)


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def create_display_link(con: duckdb.DuckDBPyConnection, actor: str, note: str, now: datetime) -> str:
    """A long random token for a read-only projector link; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with database.transaction(con) as cur:
        cur.execute("insert into display_links (token_hash, note, created_by, created_at) values (?, ?, ?, ?)",
                    [_token_hash(token), note, actor, now])
        audit(cur, actor, "创建大屏链接", note, "成功", now)
    return token


def check_display_link(con: duckdb.DuckDBPyConnection, token: str | None) -> bool:
    if not token:
        return False
    cur = con.cursor()
    row = cur.execute("select 1 from display_links where token_hash = ? and revoked_at is null",
                      [_token_hash(token)]).fetchone()
    cur.close()
    return row is not None


def revoke_display_link(con: duckdb.DuckDBPyConnection, token_hash: str, actor: str, now: datetime) -> None:
    with database.transaction(con) as cur:
        cur.execute("update display_links set revoked_at = ? where token_hash = ? and revoked_at is null",
                    [now, token_hash])
        audit(cur, actor, "撤销大屏链接", token_hash[:8], "成功", now)


def list_display_links(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return database.query(con, "select token_hash, note, created_by, created_at, revoked_at from display_links "
                               "order by created_at desc")

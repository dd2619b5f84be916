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

import hashlib
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
#: the source address of a log-in when it is not known (tests, a command line): all such attempts are one source
UNKNOWN_SOURCE = "-"
#: what the audit trail records for a name that is no account (it may be a password typed into the wrong box)
UNKNOWN_ACCOUNT = "未知账号"
WRONG = "用户名或密码错误"


@dataclass(frozen=True)
class AuthSettings:
    """Log-in rules; every number a setting."""

    #: minimum password length
    min_password: int = 10
    #: failed attempts in a row (per account name and source address) that lock that pair
    max_failures: int = 5
    #: how long the first lock lasts; each further lock of the same pair lasts twice as long
    lock_minutes: int = 15
    #: the longest a lock lasts
    max_lock_minutes: int = 24 * 60
    #: a session ends this long after log-in
    session_hours: float = 8.0
    #: how long a new display link works unless the administrator chooses otherwise
    display_link_days: int = 30


@dataclass(frozen=True)
class User:
    """Who is logged in: never holds the password or its hash."""

    username: str
    display_name: str
    role: str
    unit: str | None = None
    email: str | None = None
    #: bumped by deactivation, password resets and changes, role or unit changes: older sessions end
    session_version: int = 0

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
    """Write one line of the audit trail (inside the caller's transaction); ``username`` is the account name."""
    cur.execute("insert into audit (happened_at, username, action, detail, outcome) values (?, ?, ?, ?, ?)",
                [now, username, action, detail, outcome])


def _write(con: duckdb.DuckDBPyConnection, work):
    """One account write, tried again after a collision with a concurrent one; Chinese errors only."""
    try:
        return database.write(con, work)
    except database.DatabaseError as exc:
        raise AccountError(str(exc)) from exc


# ---------------------------------------------------------------- passwords

#: passwords (and, with digits or ! @ # . after them, their stems) that guessing tries first
COMMON_PASSWORDS = frozenset("""
password passw0rd p@ssword p@ssw0rd password1 admin administrator admin123 root toor guest test user login welcome
letmein changeme iloveyou woaini woaini1314 qwerty qwertyuiop qwertyui asdfghjkl asdfghjk zxcvbnm zxcvbnm123
1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t qazwsx qazwsxedc abc abc123 abcd1234 aa123456 a123456 a12345678
12345678a 11111111 00000000 88888888 66666666 123123123 123456123456 147258369 159357 520520 521521 5201314
huawei dangjian zuzhibu lingdao changsha xingsha
""".split())
_RUNS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _is_sequence(text: str) -> bool:
    """Ascending or descending by one (12345678, abcdefgh, 9876543210) or a run of a keyboard row."""
    if len(text) < 3:
        return False
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    if steps in ({1}, {-1}):
        return True
    return any(text in run or text in run[::-1] for run in _RUNS)


def check_password(password: str, settings: AuthSettings = AuthSettings(), username: str | None = None) -> None:
    """Refuse short and trivial passwords, with a Chinese reason (before anything is written)."""
    if len(password) < settings.min_password:
        raise AccountError(f"密码至少需要 {settings.min_password} 个字符")
    lowered = password.lower()
    if len(set(lowered)) == 1:
        raise AccountError("密码不能由同一个字符重复组成")
    if _is_sequence(lowered):
        raise AccountError("密码不能是连续的数字或字母(如 12345678、abcdefgh、qwertyuiop)")
    name = (username or "").strip().lower()
    if len(name) >= 3 and name in lowered:
        raise AccountError("密码不能包含用户名")
    if lowered in COMMON_PASSWORDS or lowered.rstrip("0123456789!@#.") in COMMON_PASSWORDS:
        raise AccountError("密码过于常见,很容易被猜中:请换一个")


def new_password(username: str | None = None) -> str:
    """A random password that satisfies the rules (for demo accounts and resets)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password(password, username=username)
        except AccountError:
            continue
        return password


# ---------------------------------------------------------------- accounts

_COLUMNS = "username, display_name, role, unit, email, session_version"


def _user(row: tuple) -> User:
    return User(*row)


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    """The active account as it stands now (every run of a page re-reads it), or None."""
    cur = con.cursor()
    row = cur.execute(f"select {_COLUMNS} from users where username = ? and active", [username]).fetchone()
    cur.close()
    return _user(row) if row else None


def user_by_email(con: duckdb.DuckDBPyConnection, email: str) -> User | None:
    """The active account with this e-mail (for single sign-on), case-insensitive."""
    cur = con.cursor()
    row = cur.execute(f"select {_COLUMNS} from users where lower(email) = lower(?) and active", [email]).fetchone()
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
    check_password(password, settings, username)
    password_hash = _HASHER.hash(password)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if cur.execute("select 1 from users where username = ?", [username]).fetchone():
            raise AccountError(f"用户名“{username}”已存在")
        if role == STAFF:
            if not unit or not cur.execute("select 1 from units where unit = ?", [unit]).fetchone():
                raise AccountError("工作人员账号必须属于单位名录中的一个单位")
        cur.execute(
            "insert into users (username, display_name, role, unit, email, password_hash, created_at) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [username, display_name.strip() or username, role, unit if role == STAFF else None, email,
             password_hash, now],
        )
        audit(cur, actor, "创建账号", f"{username}({role}{'/' + unit if role == STAFF else ''})", "成功", now)

    _write(con, work)
    return User(username, display_name.strip() or username, role, unit if role == STAFF else None, email)


# ---------------------------------------------------------------- log-in and lockout


def _name_hash(username: str) -> str:
    """What the throttle keys on: the same for accounts and unknown names, never the typed text itself."""
    return hashlib.sha256(username.encode("utf-8")).hexdigest()


def audit_name(con: duckdb.DuckDBPyConnection, typed: str) -> str:
    """The account name for the audit trail, or 未知账号 and a short hash for a name that is no account."""
    if database.scalar(con, "select count(*) from users where username = ?", [typed]):
        return typed
    return f"{UNKNOWN_ACCOUNT}#{_name_hash(typed)[:6]}"


def _lock_message(until: datetime) -> str:
    return f"登录失败次数过多,请于 {until:%H:%M} 后再试"


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str, now: datetime,
                 settings: AuthSettings = AuthSettings(), source: str | None = None) -> User:
    """Check a log-in from ``source`` (the browser's address; None: unknown, one source for all).

    ``max_failures`` failures in a row of one name from one source lock that name *for that source*
    for ``lock_minutes``, each further lock twice as long (up to ``max_lock_minutes``): a stranger
    cannot keep the administrator out of another computer. Unknown names are counted and locked
    exactly like accounts, and every refusal reads the same, so no answer reveals whether an
    account exists. Raises AccountError.
    """
    key, where = _name_hash(username), source or UNKNOWN_SOURCE
    who = audit_name(con, username)
    cur = con.cursor()
    row = cur.execute("select " + _COLUMNS + ", password_hash from users where username = ? and active",
                      [username]).fetchone()
    throttle = cur.execute("select locked_until from login_throttle where name_hash = ? and source = ?",
                           [key, where]).fetchone()
    cur.close()
    locked_until = throttle[0] if throttle and throttle[0] is not None and throttle[0] > now else None
    ok = _verify(row[6] if row else _DUMMY_HASH, password) and row is not None and locked_until is None

    def record(cur: duckdb.DuckDBPyConnection) -> str | None:
        if locked_until is not None:
            audit(cur, who, "登录", f"锁定中(来源 {where})", "失败", now)
            return _lock_message(locked_until)
        state = cur.execute("select failures, locks, locked_until, last_failure from login_throttle "
                            "where name_hash = ? and source = ?", [key, where]).fetchone()
        if ok:
            if state is not None and (state[0] or state[1]):
                cur.execute("delete from login_throttle where name_hash = ? and source = ?", [key, where])
            audit(cur, who, "登录", f"来源 {where}", "成功", now)
            return None
        failures, locks = (state[0], state[1]) if state else (0, 0)
        # rows a quiet day has forgiven (below) are gone, so typed-in unknown names do not pile up
        cur.execute("delete from login_throttle where last_failure < ? and (locked_until is null or locked_until < ?)",
                    [now - timedelta(hours=24), now])
        if state and state[3] is not None and state[3] < now - timedelta(hours=24):
            failures, locks = 0, 0  # a quiet day forgives old failures and locks
        if state and state[2] is not None and state[2] > now:  # locked meanwhile by a concurrent failure
            audit(cur, who, "登录", f"锁定中(来源 {where})", "失败", now)
            return _lock_message(state[2])
        failures += 1
        lock = None
        if failures >= settings.max_failures:
            minutes = min(settings.lock_minutes * 2 ** locks, settings.max_lock_minutes)
            lock, failures, locks = now + timedelta(minutes=minutes), 0, locks + 1
        cur.execute("insert into login_throttle (name_hash, source, failures, locks, locked_until, last_failure) "
                    "values (?, ?, ?, ?, ?, ?) on conflict (name_hash, source) do update set "
                    "failures = excluded.failures, locks = excluded.locks, locked_until = excluded.locked_until, "
                    "last_failure = excluded.last_failure", [key, where, failures, locks, lock, now])
        detail = ("用户不存在或已停用" if row is None else "密码错误") + f"(来源 {where})"
        audit(cur, who, "登录", detail + (",暂停该来源登录" if lock else ""), "失败", now)
        if lock:
            return f"连续 {settings.max_failures} 次登录失败,请于 {lock:%H:%M} 后再试"
        return WRONG

    error = _write(con, record)
    if error:
        raise AccountError(error)
    return _user(row[:6])


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def change_password(con: duckdb.DuckDBPyConnection, username: str, old: str, new: str, now: datetime,
                    settings: AuthSettings = AuthSettings()) -> int:
    """Change one's own password, proving the old one; returns the new session version.

    Every other open session of the account ends at its next run (the caller keeps its own
    session by storing the returned version).
    """
    check_password(new, settings, username)
    cur = con.cursor()
    row = cur.execute("select password_hash from users where username = ? and active", [username]).fetchone()
    cur.close()
    ok = row is not None and _verify(row[0], old)
    new_hash = _HASHER.hash(new) if ok else None

    def work(cur: duckdb.DuckDBPyConnection) -> int | None:
        audit(cur, username, "修改密码", "" if ok else "原密码错误", "成功" if ok else "失败", now)
        if not ok:
            return None
        cur.execute("update users set password_hash = ?, session_version = session_version + 1 where username = ?",
                    [new_hash, username])
        cur.execute("delete from sessions where username = ?", [username])  # every open session ends
        return cur.execute("select session_version from users where username = ?", [username]).fetchone()[0]

    version = _write(con, work)
    if version is None:
        raise AccountError("原密码不正确")
    return version


def reset_password(con: duckdb.DuckDBPyConnection, username: str, new: str, actor: str, now: datetime,
                   settings: AuthSettings = AuthSettings()) -> None:
    """An administrator sets a new password: unlocks the account and ends its open sessions."""
    check_password(new, settings, username)
    new_hash = _HASHER.hash(new)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if not cur.execute("select 1 from users where username = ?", [username]).fetchone():
            raise AccountError(f"没有用户“{username}”")
        cur.execute("update users set password_hash = ?, failed_attempts = 0, locked_until = null, "
                    "session_version = session_version + 1 where username = ?", [new_hash, username])
        cur.execute("delete from sessions where username = ?", [username])  # every open session ends
        cur.execute("delete from login_throttle where name_hash = ?", [_name_hash(username)])
        audit(cur, actor, "重置密码", username, "成功", now)

    _write(con, work)


def set_active(con: duckdb.DuckDBPyConnection, username: str, active: bool, actor: str, now: datetime) -> None:
    """停用 / 启用 an account; deactivating ends its open sessions at their next run."""
    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if not cur.execute("select 1 from users where username = ?", [username]).fetchone():
            raise AccountError(f"没有用户“{username}”")
        if not active and actor == username:
            raise AccountError("不能停用自己的账号")
        cur.execute("update users set active = ?, session_version = session_version + 1 where username = ?",
                    [active, username])
        cur.execute("delete from sessions where username = ?", [username])  # every open session ends
        audit(cur, actor, "启用账号" if active else "停用账号", username, "成功", now)

    _write(con, work)


def set_role(con: duckdb.DuckDBPyConnection, username: str, role: str, unit: str | None, actor: str,
             now: datetime) -> None:
    """Change an account's role (and unit, for 工作人员); its open sessions end at their next run."""
    if role not in ROLES:
        raise AccountError("角色应为:" + "、".join(ROLES))

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if not cur.execute("select 1 from users where username = ?", [username]).fetchone():
            raise AccountError(f"没有用户“{username}”")
        if actor == username and role != ADMIN:
            raise AccountError("不能取消自己的管理员角色")
        if role == STAFF and (not unit or not cur.execute("select 1 from units where unit = ?", [unit]).fetchone()):
            raise AccountError("工作人员账号必须属于单位名录中的一个单位")
        cur.execute("update users set role = ?, unit = ?, session_version = session_version + 1 where username = ?",
                    [role, unit if role == STAFF else None, username])
        cur.execute("delete from sessions where username = ?", [username])  # every open session ends
        audit(cur, actor, "调整角色", f"{username}({role}{'/' + unit if role == STAFF else ''})", "成功", now)

    _write(con, work)


def list_users(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> pd.DataFrame:
    """Accounts without their hashes; last log-in from the audit trail, lock = the latest running lock of any source."""
    users = database.query(con, """
        select u.username, u.display_name, u.role, u.unit, u.email, u.active, u.created_at,
               greatest(u.last_login, (select max(a.happened_at) from audit a
                                       where a.username = u.username and a.action = '登录' and a.outcome = '成功'))
                 as last_login,
               (select max(t.locked_until) from login_throttle t
                where t.name_hash = sha256(u.username) and t.locked_until > ?) as locked_until
        from users u order by u.role, u.unit, u.username""", [now or datetime.now()])
    return users


def session_expired(logged_in_at: datetime, now: datetime, settings: AuthSettings = AuthSettings()) -> bool:
    return now - logged_in_at >= timedelta(hours=settings.session_hours)


# ---------------------------------------------------------------- display links (projector without a login)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_display_link(con: duckdb.DuckDBPyConnection, actor: str, note: str, now: datetime,
                        days: int | None = None, settings: AuthSettings = AuthSettings()) -> str:
    """A long random token for a read-only projector link, valid ``days`` (default 30); only its hash is stored."""
    days = settings.display_link_days if days is None else int(days)
    if not 1 <= days <= 366:
        raise AccountError("大屏链接的有效期应为 1–366 天")
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=days)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("insert into display_links (token_hash, note, created_by, created_at, expires_at) "
                    "values (?, ?, ?, ?, ?)", [_token_hash(token), note, actor, now, expires])
        audit(cur, actor, "创建大屏链接", f"{note}(有效至 {expires:%Y-%m-%d %H:%M})", "成功", now)

    _write(con, work)
    return token


def check_display_link(con: duckdb.DuckDBPyConnection, token: str | None, now: datetime | None = None) -> bool:
    """The link exists, is not revoked and has not expired."""
    if not token:
        return False
    cur = con.cursor()
    row = cur.execute("select 1 from display_links where token_hash = ? and revoked_at is null "
                      "and (expires_at is null or expires_at > ?)",
                      [_token_hash(token), now or datetime.now()]).fetchone()
    cur.close()
    return row is not None


def revoke_display_link(con: duckdb.DuckDBPyConnection, token_hash: str, actor: str, now: datetime) -> None:
    def work(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("update display_links set revoked_at = ? where token_hash = ? and revoked_at is null",
                    [now, token_hash])
        audit(cur, actor, "撤销大屏链接", token_hash[:8], "成功", now)

    _write(con, work)


def list_display_links(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return database.query(con, "select token_hash, note, created_by, created_at, expires_at, revoked_at "
                               "from display_links order by created_at desc")

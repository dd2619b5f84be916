"""Sessions that survive a reload: a random id in a cookie, pointing to a server-side row.

The browser keeps only the random id (cookie ``lhkb_session``); the database keeps only its hash
(table ``sessions``, one row per open log-in), with the account's ``session_version`` at log-in
and when the session ends (8 hours after log-in). A row stops working — and is deleted — when the
user logs out, or when the account is deactivated, its password reset or changed elsewhere, or its
role or unit changed (every one of those bumps ``users.session_version``, and the account functions
delete the account's rows in the same transaction). The id never appears in a URL or a log.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import duckdb

import database
from accounts import AuthSettings, User, _token_hash, get_user

COOKIE = "lhkb_session"


def open_session(con: duckdb.DuckDBPyConnection, user: User, now: datetime,
                 settings: AuthSettings | None = None) -> str:
    """A new session for ``user`` logged in at ``now``; returns the id to put in the cookie (only here)."""
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=(settings or AuthSettings()).session_hours)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("delete from sessions where expires_at <= ?", [now])  # tidy up the expired ones
        cur.execute("insert into sessions (token_hash, username, session_version, created_at, expires_at) "
                    "values (?, ?, ?, ?, ?)", [_token_hash(token), user.username, user.session_version, now, expires])

    database.write(con, work)
    return token


def resume(con: duckdb.DuckDBPyConnection, token: str | None, now: datetime) -> tuple[User, datetime] | None:
    """The account and log-in time of an open session, or None (unknown, expired, logged out, or the
    account changed since: deactivated, password reset, role or unit changed)."""
    if not token:
        return None
    cur = con.cursor()
    try:
        row = cur.execute("select username, session_version, created_at, expires_at from sessions "
                          "where token_hash = ?", [_token_hash(token)]).fetchone()
    finally:
        cur.close()
    if row is None:
        return None
    username, version, created, expires = row
    user = get_user(con, username)
    if expires <= now or user is None or user.session_version != version:
        close(con, token)
        return None
    return user, created


def close(con: duckdb.DuckDBPyConnection, token: str | None) -> None:
    """Log-out: the session's row goes (other sessions of the account stay)."""
    if token:
        database.write(con, lambda cur: cur.execute("delete from sessions where token_hash = ?", [_token_hash(token)]))


def close_all(cur: duckdb.DuckDBPyConnection, username: str) -> None:
    """Inside the account change's own transaction: every open session of the account ends."""
    cur.execute("delete from sessions where username = ?", [username])


def cookie_script(token: str | None, secure: bool) -> str:
    """The script that stores (or, with ``token`` None, removes) the cookie: SameSite=Strict, Secure over
    HTTPS, for the session's 8 hours at most. The browser runs it once, where the page is served."""
    if token is None:
        value = f"{COOKIE}=; Max-Age=0; Path=/; SameSite=Strict"
    else:
        value = f"{COOKIE}={token}; Max-Age={round(AuthSettings().session_hours * 3600)}; Path=/; SameSite=Strict"
    if secure:
        value += "; Secure"
    return f"<script>document.cookie = {value!r};</script>"

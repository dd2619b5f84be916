"""Who is using the app: log-in, log-out, expiry, role checks, display links.

The session keeps only who logged in and when: never the password or its
hash. Every page calls :func:`require` again, so a page reached by URL is
refused on the server even if navigation would not have offered it.

Every run re-reads the account: a session ends at its next run when the
account was deactivated, its password reset or changed elsewhere, or its
role or unit changed (``users.session_version`` and the role and unit the
session started with), and 8 hours after log-in. The projector's
auto-advance, which re-runs only its fragment, calls :func:`still_allowed`
on every slide, so a revoked or expired display link (or an ended session)
loses the tab within one slide interval.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

import accounts
from accounts import ADMIN, LEADER, STAFF, User, sessions
from ui import data

SESSION_KEY = "auth"
DISPLAY_KEY = "display_ok"
ALL_ROLES = (ADMIN, LEADER, STAFF)


def now() -> datetime:
    return datetime.now()


ENDED_NOTICE = "账号已被停用、密码已重置或修改、或角色/单位已调整:请重新登录。"


#: a cookie to write at the next run (a new session's id, or None to remove it): see :func:`flush_cookie`
COOKIE_JOB = "cookie_job"
LOGGED_OUT_NOTICE = "已在其他窗口退出登录,或登录已失效:请重新登录。"


def sign_in(user: User, at: datetime | None = None, *, persist: bool = True, token: str | None = None) -> None:
    """Start this browser session. With ``persist`` a server-side session row is opened and its random id
    goes into a cookie, so a reload or a second tab stays logged in (``token``: resume that row instead)."""
    at = at or now()
    if persist and token is None:
        token = sessions.open_session(data.con(), user, at)
        st.session_state[COOKIE_JOB] = token
    st.session_state[SESSION_KEY] = {"username": user.username, "display_name": user.display_name,
                                     "role": user.role, "unit": user.unit, "email": user.email,
                                     "session_version": user.session_version, "logged_in_at": at,
                                     "token": token}


def keep_session(version: int) -> None:
    """After changing one's own password: this session goes on (with a new session row and cookie: the
    change ended every row of the account), the account's other sessions end."""
    info = st.session_state.get(SESSION_KEY)
    if info:
        user = accounts.get_user(data.con(), info["username"])
        if user is not None:
            sign_in(user, info["logged_in_at"], persist=bool(info.get("token")))


def _https() -> bool:
    try:
        url = st.context.url or ""
        proto = st.context.headers.get("X-Forwarded-Proto", "")
    except Exception:  # noqa: BLE001 - no request context
        return False
    return str(url).startswith("https://") or proto == "https"


def flush_cookie() -> None:
    """Write (or remove) the session cookie the browser should hold; called once per run by the frame."""
    if COOKIE_JOB in st.session_state:
        token = st.session_state.pop(COOKIE_JOB)
        st.html(sessions.cookie_script(token, secure=_https()), unsafe_allow_javascript=True)


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # noqa: BLE001 - no request context (AppTest)
        return None
    return value if isinstance(value, str) and value else None


def _from_cookie() -> User | None:
    """A reload or a second tab: the cookie's session, if it is still open."""
    token = _cookie_token()
    resumed = sessions.resume(data.con(), token, now()) if token else None
    if resumed is None:
        _drop_cookie(token)  # expired, logged out or the account changed: the id opens nothing now
        return None
    user, logged_in_at = resumed
    sign_in(user, logged_in_at, token=token)
    return user


def source_address() -> str | None:
    """The browser's address (None when not known, e.g. under AppTest): log-in throttling is per address."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context
        return None
    return address if isinstance(address, str) and address else None


def sign_out() -> None:
    info = st.session_state.pop(SESSION_KEY, None) or {}
    sessions.close(data.con(), info.get("token") or _cookie_token())
    st.session_state[COOKIE_JOB] = None  # the browser forgets the id
    if _sso_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def current_user() -> User | None:
    """The logged-in user, or None (also when the session has expired)."""
    info = st.session_state.get(SESSION_KEY)
    if not info:
        return _from_cookie() or _sso_user()
    if accounts.session_expired(info["logged_in_at"], now()):
        return _ended("登录已超过 8 小时,请重新登录。", info.get("token"))
    token = info.get("token")
    resumed = sessions.resume(data.con(), token, now()) if token else None
    # with a session row its check has read the account already; without one, read it here
    user = resumed[0] if resumed else None if token else accounts.get_user(data.con(), info["username"])
    if user is None and token:  # the row is gone: say why (the account changed, or a log-out elsewhere)
        account = accounts.get_user(data.con(), info["username"])
        changed = account is None or account.session_version != info.get("session_version")
        return _ended(ENDED_NOTICE if changed else LOGGED_OUT_NOTICE, token)
    if (user is None or user.role != info["role"] or user.unit != info["unit"]
            or user.session_version != info.get("session_version")):
        return _ended(ENDED_NOTICE, token)
    return user


def _ended(notice: str, token: str | None) -> None:
    """This browser session is over: forget it, say why at the log-in, and drop the cookie that held it."""
    st.session_state.pop(SESSION_KEY, None)
    st.session_state["auth_notice"] = notice
    _drop_cookie(token)
    return None


def _drop_cookie(token: str | None) -> None:
    """Have the browser forget a session id that no longer opens anything (once per id, not every run:
    the connection's cookies are those it opened with until a reload)."""
    if token and st.session_state.get("cookie_dropped") != token:
        st.session_state[COOKIE_JOB] = None
        st.session_state["cookie_dropped"] = token


def still_allowed() -> bool:
    """For a fragment's own reruns (the projector's auto-advance): the session or display link still holds."""
    return current_user() is not None or check_display_token()


def require(*roles: str) -> User | None:
    """Stop the page unless a user with one of ``roles`` (any role when empty) is logged in.

    A valid display link counts as a read-only viewer for pages that allow it (``roles`` empty).
    """
    user = current_user()
    if user is None and not roles and st.session_state.get(DISPLAY_KEY):
        return None
    if user is None:
        st.error("请先登录。", icon=":material/lock:")
        st.stop()
    if roles and user.role not in roles:
        st.error(f"当前账号({user.role})无权使用此页面。", icon=":material/block:")
        st.stop()
    return user


FALLBACK_BASE_URL = "http://localhost:8501"


def base_url() -> str:
    """The app's address as the browser sees it (``st.context.url`` without the page), else the Host header."""
    try:
        url = st.context.url
        host = st.context.headers.get("Host")
    except Exception:  # noqa: BLE001 - no request context
        url = host = None
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return url.rstrip("/")
    return f"http://{host}" if isinstance(host, str) and host else FALLBACK_BASE_URL


def display_link_url(token: str) -> str:
    """The full projector address of a display link, to copy into the meeting room's browser."""
    # the root: with a display link the projector is the only (so the default) page, served at "/"
    return f"{base_url()}/?display={token}"


def check_display_token() -> bool:
    """A projector link ``?display=TOKEN`` made by an administrator opens read-only views without a login."""
    token = st.query_params.get("display")
    # checked again on every full run, so a revoked link stops working at the next one
    st.session_state[DISPLAY_KEY] = bool(token) and accounts.check_display_link(data.con(), token, now())
    return st.session_state[DISPLAY_KEY]


# ---------------------------------------------------------------- single sign-on (optional)


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _sso_user() -> User | None:
    """With an OpenID Connect provider in secrets.toml, map the signed-in e-mail to an account."""
    if not _sso_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    user = accounts.user_by_email(data.con(), str(st.user.get("email", "")))
    if user is None:
        st.session_state["auth_notice"] = "统一身份认证已通过,但该邮箱没有对应的看板账号,请联系管理员。"
        return None
    sign_in(user, persist=False)  # the provider's own cookie keeps this log-in
    return user


def sso_button() -> None:
    if _sso_configured():
        st.button("使用统一身份认证登录", on_click=st.login, key="login_sso", icon=":material/badge:")

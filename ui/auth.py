"""Who is using the app: log-in, log-out, expiry, role checks, display links.

The session keeps only who logged in and when: never the password or its
hash. Every page calls :func:`require` again, so a page reached by URL is
refused on the server even if navigation would not have offered it.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

import accounts
from accounts import ADMIN, LEADER, STAFF, User
from ui import data

SESSION_KEY = "auth"
DISPLAY_KEY = "display_ok"
ALL_ROLES = (ADMIN, LEADER, STAFF)


def now() -> datetime:
    return datetime.now()


def sign_in(user: User, at: datetime | None = None) -> None:
    st.session_state[SESSION_KEY] = {"username": user.username, "display_name": user.display_name,
                                     "role": user.role, "unit": user.unit, "email": user.email,
                                     "logged_in_at": at or now()}


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if _sso_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def current_user() -> User | None:
    """The logged-in user, or None (also when the session has expired)."""
    info = st.session_state.get(SESSION_KEY)
    if not info:
        return _sso_user()
    if accounts.session_expired(info["logged_in_at"], now()):
        st.session_state.pop(SESSION_KEY, None)
        st.session_state["auth_notice"] = "登录已超过 8 小时,请重新登录。"
        return None
    return User(info["username"], info["display_name"], info["role"], info["unit"], info["email"])


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


def check_display_token() -> bool:
    """A projector link ``?display=TOKEN`` made by an administrator opens read-only views without a login."""
    token = st.query_params.get("display")
    # checked again on every full run, so a revoked link stops working at the next one
    st.session_state[DISPLAY_KEY] = bool(token) and accounts.check_display_link(data.con(), token)
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
    sign_in(user)
    return user


def sso_button() -> None:
    if _sso_configured():
        st.button("使用统一身份认证登录", on_click=st.login, key="login_sso", icon=":material/badge:")

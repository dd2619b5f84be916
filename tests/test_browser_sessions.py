"""What only a browser can tell about sessions: an open projector tab ends when its display link is revoked.

The projector's auto-advance re-runs only the slide fragment; the token must be checked on every
slide, so the tab shows the log-in page within one slide interval of the revocation, with no click
and no reload in that tab.
"""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

import accounts
import database
from conftest import served_app, streamlit_command

SLIDE_SECONDS = 4
ADMIN_PASSWORD = "Board-room-admin-7"


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    """The app on a copy of the sample database with an administrator and one display link; short slides."""
    db = tmp_path_factory.mktemp("sessions") / "served.duckdb"
    shutil.copy(sample_db, db)
    con = database.connect(db)
    accounts.create_user(con, "boss", "管理员甲", accounts.ADMIN, ADMIN_PASSWORD, now=datetime.now())
    token = accounts.create_display_link(con, "boss", "三楼会议室", datetime.now())
    con.close()
    env = {"DASHBOARD_DB": str(db), "DASHBOARD_SLIDE_SECONDS": str(SLIDE_SECONDS)}
    with served_app(streamlit_command(), env=env) as (url, _):
        yield url, token


# chromium: the session-wide `browser` fixture of conftest.py (one Playwright per process)


def test_revoking_a_display_link_ends_the_open_projector_tab(served, browser):
    url, token = served
    # the meeting room: the projector by its display link, no log-in
    room = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    room.goto(f"{url}/?display={token}")
    room.locator(".st-key-kiosk_stage").wait_for(timeout=60000)
    room.get_by_text(f"每页 {SLIDE_SECONDS} 秒").first.wait_for(timeout=30000)  # the short interval is in force
    # the administrator, in another browser, revokes the link
    desk = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    desk.goto(url)
    desk.get_by_label("用户名").fill("boss")
    desk.get_by_label("密码").fill(ADMIN_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name="系统管理").click()
    desk.get_by_text("大屏链接").first.click()
    desk.get_by_text("撤销哪个链接").wait_for(timeout=30000)
    desk.get_by_role("button", name="撤销").click()
    desk.get_by_text("撤销哪个链接").wait_for(state="detached", timeout=30000)  # no live link left
    # the room's tab, untouched, shows only the log-in page within one slide interval (plus a margin to render)
    room.get_by_text("领航看板 · 登录").wait_for(timeout=(SLIDE_SECONDS + 3) * 1000)
    assert room.locator(".st-key-kiosk_stage").count() == 0  # no slide, so no figures, left on the screen

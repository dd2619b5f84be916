"""大屏 in a real browser: every slide fits the 16:9 stage at four screen sizes, the deck advances by
itself, keys turn the pages, and the controls stay off the stage until the mouse moves.

The app is served on a copy of the sample database prepared beforehand (a display link, an
administrator and two playlists), because a running app holds the DuckDB file. Screenshots of every
slide at every size go to ``tests/artifacts/`` (not committed).
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime

import pytest

import accounts
import database
import playlists
from conftest import ROOT, served_app, streamlit_command

ARTIFACTS = ROOT / "tests" / "artifacts"
SIZES = [(1920, 1080), (1366, 768), (1280, 720), (1024, 768)]
ADMIN_PASSWORD = "kiosk-admin-pass-1"
VISIT = ("LH2022-05", "LH2022-01", "LH2022-18")

#: what the check reads from the page: does stMain scroll, does the stage scroll, and which
#: element (if any) reaches outside the stage's box
MEASURE = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const stage = document.querySelector('.st-key-kiosk_stage');
  const box = stage.getBoundingClientRect();
  const outside = [];
  for (const el of stage.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1)
      outside.push(el.tagName + '.' + (el.getAttribute('class') || '') + ' ' + (el.textContent || '').slice(0, 30));
  }
  const figure = document.querySelector('.k-kpi .v, .k-big');
  return {main: [main.scrollHeight, main.clientHeight, main.scrollWidth, main.clientWidth],
          stage: [stage.scrollHeight, stage.clientHeight, stage.scrollWidth, stage.clientWidth],
          box: [box.left, box.top, box.width, box.height], outside: outside,
          figure: figure ? figure.getBoundingClientRect().height : null,
          footer: document.querySelector('[data-slide]').textContent};
}"""


@pytest.fixture(scope="module")
def kiosk_server(sample_db, tmp_path_factory):
    """The app on a prepared copy of the sample database; yields (url, display token)."""
    db = tmp_path_factory.mktemp("kiosk") / "kiosk.duckdb"
    shutil.copy(sample_db, db)
    con = database.connect(db)
    now = datetime(2022, 11, 20, 9)
    # a link made today: links expire (30 days by default), and the sample's dates are from 2022
    token = accounts.create_display_link(con, "admin", "会议室大屏", datetime.now())
    accounts.create_user(con, "kioskadmin", "大屏管理员", accounts.ADMIN, ADMIN_PASSWORD)
    ids = set(database.query(con, "select project_id from projects")["project_id"])
    every = ("overview", "status", "grid", "review", "projects")
    playlists.save_playlist(con, playlists.Playlist("逐页检查", every, VISIT, 600), "admin", now, ids)
    playlists.save_playlist(con, playlists.Playlist("自动翻页", ("overview", "grid", "review"), (), 3),
                            "admin", now, ids)
    con.close()
    with served_app(streamlit_command(), env={"DASHBOARD_DB": str(db)}) as (url, _):
        yield url, token


# chromium: the session-wide `browser` fixture of conftest.py (one Playwright per process)


def open_kiosk(browser, url: str, token: str, query: str, size=(1920, 1080)):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{url}/?display={token}&{query}")
    page.locator(".st-key-kiosk_stage").wait_for(timeout=60000)
    return page


def footer(page) -> tuple[int, int]:
    text = page.locator("[data-slide]").text_content()
    index, total = re.search(r"第 (\d+) / (\d+) 页", text).groups()
    return int(index), int(total)


def test_every_slide_fits_the_stage_at_four_sizes(kiosk_server, browser):
    url, token = kiosk_server
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_kiosk(browser, url, token, "playlist=逐页检查&slide=1")
    page.get_by_text("第 1 / ").wait_for(timeout=30000)
    _, total = footer(page)
    # overview, 2 status pages (7 behind projects: 4 + 3), grid, review, 3 visited projects
    assert total == 8
    titles = []
    for index in range(1, total + 1):
        page.locator("[data-slide]", has_text=f"第 {index} / {total} 页").wait_for(timeout=30000)
        page.wait_for_timeout(400)  # the images of the charts decode
        titles.append(page.locator(".k-title").text_content())
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(150)
            m = page.evaluate(MEASURE)
            where = f"slide {index} ({titles[-1]}) at {width}×{height}: {m}"
            assert m["main"][0] <= m["main"][1] and m["main"][2] <= m["main"][3], where  # stMain does not scroll
            assert m["stage"][0] <= m["stage"][1] and m["stage"][2] <= m["stage"][3], where
            assert m["outside"] == [], where
            # the stage is the largest 16:9 box the screen holds
            stage_w, stage_h = m["box"][2], m["box"][3]
            assert abs(stage_w / stage_h - 16 / 9) < 0.01 and (abs(stage_w - width) < 1 or abs(stage_h - height) < 1)
            if m["figure"] is not None:  # key figures readable from the back: at least 6% of the stage height
                assert m["figure"] >= 0.06 * stage_h, where
            page.screenshot(path=str(ARTIFACTS / f"kiosk-{index}-{width}x{height}.png"))
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.keyboard.press("ArrowRight")  # the key turns the page (the controls stay hidden)
    assert titles[:5] == ["全县概况", "进度落后项目(1/2)", "进度落后项目(2/2)", "网格事件处置率排名", "评审排名 · 前 10 名"]
    assert titles[5:] == ["“红色物业”联盟推动小区治理提质增效", "实施“345工程”打造党建引领智慧赋能基层网格化治理平台",
                          "实施“六慧”人才计划建强乡村人才“生力军”"]
    page.locator("[data-slide]", has_text=f"第 1 / {total} 页").wait_for(timeout=30000)  # wrapped round
    page.keyboard.press("ArrowLeft")
    page.locator("[data-slide]", has_text=f"第 {total} / {total} 页").wait_for(timeout=30000)
    page.close()


def test_dark_theme_and_controls_only_on_mouse_move(kiosk_server, browser):
    url, token = kiosk_server
    page = open_kiosk(browser, url, token, "playlist=逐页检查&slide=4&theme=dark", size=(1366, 768))
    page.get_by_text("第 4 / ").wait_for(timeout=30000)
    page.wait_for_timeout(400)
    background = page.evaluate("() => getComputedStyle(document.querySelector('.st-key-kiosk_stage')).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    controls = page.locator(".st-key-kiosk_controls")
    assert controls.evaluate("e => getComputedStyle(e).opacity") == "0"  # nothing but the slide
    for name in ("header[data-testid=stHeader]", "[data-testid=stSidebar]", "[data-testid=stToolbar]"):
        assert page.locator(name).count() == 0 or not page.locator(name).first.is_visible(), name
    page.screenshot(path=str(ARTIFACTS / "kiosk-dark-1366x768.png"))
    page.mouse.move(600, 400)
    page.mouse.move(620, 420)
    page.wait_for_function("() => getComputedStyle(document.querySelector('.st-key-kiosk_controls')).opacity === '1'",
                           timeout=5000)
    page.locator(".st-key-kiosk_next button").click()
    page.get_by_text("第 5 / ").wait_for(timeout=30000)
    page.close()


def test_the_deck_advances_by_itself(kiosk_server, browser):
    url, token = kiosk_server
    page = open_kiosk(browser, url, token, "playlist=自动翻页", size=(1280, 720))
    page.get_by_text("第 1 / 3 页 · 每页 3 秒").wait_for(timeout=30000)
    page.get_by_text("第 2 / 3 页").wait_for(timeout=30000)  # nobody touched anything
    page.get_by_text("第 3 / 3 页").wait_for(timeout=30000)
    assert "slide=3" in page.url  # a reload would resume here
    page.close()


def test_a_revoked_link_stops_the_open_tab(kiosk_server, browser):
    url, token = kiosk_server
    kiosk = open_kiosk(browser, url, token, "playlist=自动翻页", size=(1280, 720))
    kiosk.get_by_text("每页 3 秒").wait_for(timeout=30000)
    admin = browser.new_page(viewport={"width": 1600, "height": 1000})
    admin.goto(url)
    admin.get_by_label("用户名").fill("kioskadmin")
    admin.get_by_label("密码").fill(ADMIN_PASSWORD)
    admin.get_by_role("button", name="登录").click()
    admin.get_by_role("link", name="系统管理").click()
    admin.get_by_text("大屏链接", exact=True).click()
    admin.get_by_role("button", name="撤销").click()
    admin.get_by_role("button", name="撤销").wait_for(state="detached", timeout=30000)
    # within one interval the tab re-checks the link and falls back to the log-in page
    kiosk.get_by_text("领航看板 · 登录").wait_for(timeout=15000)
    assert kiosk.locator(".st-key-kiosk_stage").count() == 0
    admin.close()
    kiosk.close()

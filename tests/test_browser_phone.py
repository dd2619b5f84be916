"""Leaders on a phone (390×844, device scale 2, mobile emulation): every board they use is readable
without scrolling the page sideways, no chart has rotated (overlapping) category labels, and the first
screen of 总览 shows at least two KPI values. Screenshots are kept in tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
#: a phone as the workplace messenger's browser presents itself (its User-Agent says Mobile)
AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/156.0.0.0 Mobile Safari/537.36")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "user_agent": AGENT}
PAGES = ["总览", "网格治理", "项目总览", "项目详情", "周调度", "评审排名"]

SIDEWAYS = """() => { const m = document.querySelector('[data-testid=stMain]');
  return [m.scrollWidth, m.clientWidth]; }"""
# a tick label plotly turned (transform="… rotate(-35)") overlaps its neighbours on a narrow screen
ROTATED = """() => Array.from(document.querySelectorAll('.xtick text, .ytick text'))
  .filter(t => /rotate\\((?!0)/.test(t.getAttribute('transform') || '')).map(t => t.textContent)"""
KPIS_IN_VIEW = """() => Array.from(document.querySelectorAll('[data-testid=stMetricValue]'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })
  .map(e => e.textContent)"""


def _settle(page) -> None:
    """Wait until the script has finished and the charts are drawn."""
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60000)
    page.wait_for_timeout(1500)


@pytest.fixture(scope="module")
def phone(server, browser):
    url, passwords = server
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill(passwords["leader"])
    page.get_by_role("button", name="登录").click()
    page.get_by_text("党建聚合力·书记领航行动 总览").wait_for(timeout=30000)
    _settle(page)
    yield page
    context.close()


def test_first_screen_of_the_overview_shows_at_least_two_kpis(phone):
    ARTIFACTS.mkdir(exist_ok=True)
    phone.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    phone.screenshot(path=str(ARTIFACTS / "phone_总览.png"))
    values = phone.evaluate(KPIS_IN_VIEW)
    assert len(values) >= 2, values


@pytest.mark.parametrize("name", PAGES)
def test_every_leader_page_fits_the_phone_width(phone, name):
    if name != "总览":
        expand = phone.get_by_test_id("stExpandSidebarButton")
        if expand.count() and expand.is_visible():  # the sidebar is folded away on a phone
            expand.click()
        phone.get_by_role("link", name=name, exact=True).first.click()
        fold = phone.get_by_test_id("stSidebarCollapseButton")
        if fold.count() and fold.is_visible():  # fold the sidebar away again, as a phone user would
            fold.first.click()
        phone.get_by_test_id("stMain").get_by_text(name).first.wait_for(timeout=30000)
    _settle(phone)
    phone.screenshot(path=str(ARTIFACTS / f"phone_{name}.png"), full_page=False)
    width, client = phone.evaluate(SIDEWAYS)
    assert width <= client, f"{name}: the page scrolls sideways ({width} > {client})"
    assert phone.evaluate(ROTATED) == [], f"{name}: rotated category labels"


def test_wide_tables_fold_to_the_columns_that_matter(phone):
    """On a phone the unit table of 总览 shows 乡镇街道 and 处置率; the rest is one tap away."""
    phone.get_by_test_id("stExpandSidebarButton").click()
    phone.get_by_role("link", name="总览", exact=True).first.click()
    _settle(phone)
    phone.get_by_text("查看全部 9 列").first.wait_for(timeout=30000)

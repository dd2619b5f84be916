"""What users see, at 1366×768, for each role: no None, nan, NaT, "Choose an option" or 00:00:00 on any
page they can open (Streamlit's own English included)."""

from __future__ import annotations

import pytest

FORBIDDEN = ("None", "nan", "NaN", "NaT", "Choose an option", "00:00:00", "Traceback", "Upload", "per file", "View",
             "Page not found")
ROLES = {"admin": "管理员", "leader": "领导", "xingsha": "工作人员"}


def _settle(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60000)
    page.wait_for_timeout(800)


def _visible_words(page) -> list[str]:
    """The forbidden words in the main area's and sidebar's visible text, as whole words."""
    text = page.evaluate("() => document.querySelector('[data-testid=stMain]').innerText + '\\n' + "
                         "(document.querySelector('[data-testid=stSidebar]')?.innerText || '') + '\\n' + "
                         "Array.from(document.querySelectorAll('input[placeholder], textarea[placeholder]'))"
                         ".map(e => e.placeholder).join('\\n')")
    import re

    return [w for w in FORBIDDEN if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]


@pytest.mark.parametrize("username", list(ROLES))
def test_no_placeholder_or_english_on_any_page(server, browser, username):
    url, passwords = server
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(passwords[username])
    page.get_by_role("button", name="登录").click()
    page.get_by_text("党建聚合力·书记领航行动 总览").wait_for(timeout=30000)
    _settle(page)
    links = [t.split("\n")[-1].strip() for t in page.locator("[data-testid=stSidebarNav] a").all_inner_texts()]
    assert links, "no pages in the sidebar"
    found = {}
    for name in links:
        if name == "大屏":
            continue  # the projector has its own browser tests
        page.get_by_role("link", name=name, exact=True).first.click()
        _settle(page)
        words = _visible_words(page)
        if words:
            found[name] = words
    page.close()
    assert found == {}, f"{ROLES[username]}: {found}"

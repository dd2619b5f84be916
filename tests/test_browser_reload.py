"""Sessions survive a reload: a reload or a second tab stays logged in; logging out in one tab logs the
other out at its next interaction (Debian's chromium, one browser profile = one cookie jar)."""

from __future__ import annotations

from conftest import CHROMIUM_ARGS  # noqa: F401 - the browser fixture launches chromium with these

OVERVIEW = "党建聚合力·书记领航行动 总览"


def test_reload_and_second_tab_stay_logged_in_and_log_out_ends_both(server, browser):
    url, passwords = server
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    first = context.new_page()
    first.goto(url)
    first.get_by_label("用户名").fill("leader")
    first.get_by_label("密码", exact=True).fill(passwords["leader"])
    first.get_by_role("button", name="登录").click()
    first.get_by_text(OVERVIEW).wait_for(timeout=30000)
    first.wait_for_function("() => document.cookie.includes('lhkb_session=')", timeout=30000)
    assert "lhkb_session" not in first.url  # the id is never in the address

    first.reload()
    first.get_by_text(OVERVIEW).wait_for(timeout=30000)  # still logged in: no log-in form
    assert first.get_by_label("密码", exact=True).count() == 0

    second = context.new_page()
    second.goto(f"{url}/grid")
    second.get_by_role("heading", name="网格治理").wait_for(timeout=30000)

    first.get_by_role("link", name="我的账号").click()
    first.get_by_role("button", name="退出登录").click()
    first.get_by_label("密码", exact=True).wait_for(timeout=30000)

    # the other tab's next interaction ends its session too
    second.get_by_role("link", name="总览", exact=True).click()
    second.get_by_label("密码", exact=True).wait_for(timeout=30000)
    second.reload()
    second.get_by_label("密码", exact=True).wait_for(timeout=30000)  # and a reload does not bring it back
    context.close()

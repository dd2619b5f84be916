"""What only a browser can tell: the served app starts, renders Chinese, and takes an upload."""

from __future__ import annotations

import urllib.request

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, log_in, xlsx  # noqa: F401 - shared with other browser tests


def test_health_endpoint(server):
    url, _ = server
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
        assert r.status == 200 and r.read().decode().strip() == "ok"


def test_deep_link_on_a_fresh_server_asks_for_a_login(server, browser):
    """The first request after start is a deep link: it must not bypass app.py (and so the log-in)."""
    url, _ = server
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{url}/grid")
    page.get_by_text("领航看板 · 登录").wait_for(timeout=30000)
    assert page.get_by_text("网格治理").count() == 0


def test_overview_renders_in_chinese(server, browser):
    url, passwords = server
    page = log_in(browser, url, "leader", passwords["leader"])
    page.get_by_text("党建聚合力·书记领航行动 总览").wait_for(timeout=30000)
    page.get_by_text("全县处置率").wait_for(timeout=30000)
    # the bar chart labels its bars in the SVG: 星沙街道's seed rate is one of them
    page.locator("svg text", has_text="97.9%").first.wait_for(timeout=30000)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("数据上传").count() == 0  # a leader is not offered uploads


def test_upload_through_the_browser(server, browser, tmp_path):
    url, passwords = server
    path = tmp_path / "网格台账_补充.xlsx"
    path.write_bytes(xlsx({"网格台账": [["乡镇街道", "村社区", "网格", "网格党支部"],
                                          ["星沙街道", "浏览器测试社区", "第一网格", "浏览器测试社区第一网格党支部"]]}))
    page = log_in(browser, url, "xingsha", passwords["xingsha"])
    page.get_by_text("党建聚合力·书记领航行动 总览").wait_for(timeout=30000)
    # a reload would start a new session (and ask for the log-in again): follow the sidebar instead
    page.get_by_role("link", name="数据上传").click()
    page.get_by_text("模板下载").wait_for(timeout=30000)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("网格台账_补充.xlsx").first.wait_for(timeout=30000)
    page.get_by_role("button", name="开始导入").click()
    page.get_by_text("导入成功").first.wait_for(timeout=30000)


# the projector's fit, keys, themes and auto-advance: tests/test_browser_kiosk.py

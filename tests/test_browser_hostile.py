"""In chromium, a database whose every text is hostile: no outside request, no link, no image,
no heading from data on any page, and every download free of formulas.

The database is the sample data with a Markdown / HTML / formula prefix on every free-text
value (tests/hostile_data.py), served by `python -m ui.serve` (as `make run` serves it) from the project directory
(so .streamlit/config.toml applies) and opened as 管理员.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest
from hostile_data import build_hostile_db

import accounts
import database
from conftest import served_app, streamlit_command
from export import FORMULA_START

PASSWORD = "Zq8#mT4!vR2&kL"
LOCAL = {"127.0.0.1", "localhost"}

#: sidebar link → a text that shows the page has drawn
PAGES = {
    "总览": "党建聚合力·书记领航行动 总览",
    "网格治理": "1+1+N 网格党支部",
    "大屏": "第 1 / ",
    "项目总览": "点选一行查看项目详情",
    "项目详情": "周计划与周小结",
    "周调度": "各单位报送情况",
    "评审排名": "评委打分情况",
    "数据上传": "上传记录",
    "我的账号": "修改密码",
    "系统管理": "新建账号",
    "双周通报": "双周通报",
    "周报填报": "周报填报",
    "项目申报": "项目申报",
    "大屏播放列表": "大屏播放列表",
}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile_served") / "hostile.duckdb"
    build_hostile_db(db)
    con = database.connect(db)
    accounts.create_user(con, "boss", "管理员甲", accounts.ADMIN, PASSWORD, now=datetime.now())
    con.close()
    with served_app(streamlit_command(), env={"DASHBOARD_DB": str(db)}) as (url, _):
        yield url


@pytest.fixture(scope="module")
def page(hostile_server, browser):
    """A logged-in tab in the session-wide chromium (conftest.py: one Playwright per process)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.requested = []
    pg.on("request", lambda r: pg.requested.append(r.url))
    pg.goto(hostile_server)
    pg.get_by_label("用户名").fill("boss")
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.get_by_text(PAGES["总览"]).wait_for(timeout=30000)
    yield pg
    context.close()


def outside(urls: list[str]) -> list[str]:
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).hostname not in LOCAL]


DOM_CHECK = """() => {
  const attr = e => e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '';
  const links = [...document.querySelectorAll('a')].map(attr).filter(h => h);
  const images = [...document.querySelectorAll('img, image, source, video, audio, iframe')].map(attr).filter(h => h);
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(e => e.textContent);
  // an element made from data: its whole text is one of the hostile words (bold, colour, link, image alt)
  const made = [...document.querySelectorAll('body *')].filter(e => e.children.length === 0
      && ['粗', 'a', '图'].includes(e.textContent.trim())
      && !e.closest('[data-testid=stDataFrame], [data-testid=stSelectbox], [data-testid=stMultiSelect]'))
      .map(e => e.tagName + ':' + e.textContent);
  // plotly's <b>/<i>/<a> become styled or linked tspans: none may hold data
  const styled = [...document.querySelectorAll('svg tspan[style*=bold], svg tspan[style*=italic], svg a tspan')]
      .map(e => e.textContent).filter(t => /粗|红|example/.test(t));
  // :red[红] colours, $x^2$ typesets, :material/home: draws an icon
  const coloured = [...document.querySelectorAll('[data-testid=stMarkdownContainer] span[style], .katex')]
      .map(e => e.textContent).filter(t => /红|x/.test(t));
  const icons = [...document.querySelectorAll('[data-testid=stIconMaterial]')].map(e => e.textContent)
      .filter(t => t === 'home');
  return {links, images, headings, made, styled, coloured, icons};
}"""


def check_dom(pg, base: str) -> None:
    found = pg.evaluate(DOM_CHECK)
    leaving = [h for h in found["links"] if re.match(r"(?i)^[a-z][a-z0-9+.-]*:", h) and not h.startswith(base)]
    assert leaving == []
    assert [s for s in found["images"] if re.match(r"(?i)^(https?:)?//", s) and not s.startswith(base)] == []
    # a heading *made* from data starts with the data's own heading text; a page title that names a project
    # (escaped, e.g. "LH2022-03 =HYPERLINK(…) …" on 周报填报) is a heading the page chose, not made by data
    assert [h for h in found["headings"] if re.match(r"\s*(标题|粗|链接|http|example)", h)] == []
    assert found["made"] == []
    assert found["styled"] == []
    assert found["coloured"] == []
    assert found["icons"] == []


def check_download(path: Path, name: str) -> None:
    data = path.read_bytes()
    if name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"] == []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert not any(re.search(rb"<f[ >]", z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))
    elif name.endswith(".docx"):  # the bulletin's Word draft: the hostile text is text, never a link or a field
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            body = z.read("word/document.xml")
        # "=HYPERLINK(…)" may be there as the text it is; no link element, no field that Word would run
        assert b"<w:hyperlink" not in body and b"<w:fldSimple" not in body and b"<w:instrText" not in body
    else:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert [c for row in rows for c in row if c.startswith(FORMULA_START)] == []


def download_all(pg) -> list[str]:
    names = []
    buttons = pg.locator("[data-testid=stDownloadButton] button")
    for i in range(buttons.count()):
        with pg.expect_download(timeout=30000) as info:
            buttons.nth(i).click()
        download = info.value
        check_download(Path(download.path()), download.suggested_filename)
        names.append(download.suggested_filename)
    return names


def test_every_page_is_inert_and_every_download_formula_free(hostile_server, page):
    downloads = []
    for link, ready in PAGES.items():
        page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=link, exact=True).click()
        page.get_by_text(ready).first.wait_for(timeout=30000)
        if link == "大屏":
            page.locator(".st-key-kiosk_pause button").click()  # stop the clock; every slide in turn
            for _ in range(6):
                page.wait_for_timeout(1200)
                check_dom(page, hostile_server)
                page.locator(".st-key-kiosk_next button").click()
            page.goto(hostile_server)  # the kiosk hides the sidebar: back to 总览 (the session cookie holds)
            page.get_by_text(PAGES["总览"]).first.wait_for(timeout=30000)
            continue
        page.wait_for_timeout(1500)  # charts draw after the page's text
        expanders = page.locator("[data-testid=stExpander] summary")
        for i in range(expanders.count()):  # open every expander: its contents are checked and downloaded too
            expanders.nth(i).click()
            page.wait_for_timeout(500)
        assert page.locator("[data-testid=stException]").count() == 0, link
        check_dom(page, hostile_server)
        # st.dataframe's own CSV download is switched off (.streamlit/config.toml)
        tables = page.locator("[data-testid=stDataFrame]")
        if tables.count():
            tables.first.hover()
            page.wait_for_timeout(300)
            assert page.locator("[data-testid=stElementToolbar] button[aria-label='Download as CSV']").count() == 0
        downloads += download_all(page)
    assert outside(page.requested) == []
    # the hostile names were on screen (as text) and the downloads were many
    assert len(downloads) >= 15, downloads
    assert any(name.startswith("模板_") for name in downloads)


def test_the_hostile_text_is_shown_literally(hostile_server, page):
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="项目详情", exact=True).click()
    page.get_by_text("周计划与周小结").wait_for(timeout=30000)
    text = page.inner_text("[data-testid=stMain]")
    shown = [h for h in ("# 标题", "**粗**", ":red[红]", "[链接](http://example.invalid/x)",
                         "<a href=\"http://example.invalid\">a</a>", "=HYPERLINK(") if h in text.replace("\u2060", "")]
    assert shown, text[:2000]

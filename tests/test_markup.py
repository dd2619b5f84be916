"""Data never renders as markup: not as Markdown in page text and labels, not as HTML in charts.

Every page runs under AppTest on a database whose every free-text value is hostile
(tests/hostile_data.py); every string Streamlit renders as Markdown (text, captions,
alerts, headings, metric labels and help, expander and button labels, progress text)
is checked for live markup. Chart builders are checked on their figure JSON. What the
browser makes of it is tests/test_browser_hostile.py.
"""

from __future__ import annotations

import re
import shutil
import string

import pandas as pd
import pytest
from hostile_data import HOSTILE, build_hostile_db

import charts
import charts_review
from conftest import open_page
from ui.text import md_escape, md_unescape

#: the hostile texts as they would be live Markdown (unescaped)
LIVE = [
    re.compile(r"(?m)^\s*#+ 标题"),  # a heading
    re.compile(r"(?<!\\)\*\*粗"),
    re.compile(r"(?<!\\):red\["),
    re.compile(r"(?<!\\)\[链接(?<!\\)\]\("),
    re.compile(r"(?<!\\)!\[图"),
    re.compile(r"(?<!\\)<a href"),
    re.compile(r"(?<!\\)<img"),
    re.compile(r"(?<!\\)<b>"),
    re.compile(r"(?<!\\):material/home"),
    re.compile(r"(?<!\\)\$x"),
    re.compile(r"www\."),  # an autolink
    re.compile(r"http://"),  # an autolink
]


def live_markup(text: str) -> list[str]:
    return [p.pattern for p in LIVE if p.search(text)]


# ---------------------------------------------------------------- md_escape


@pytest.mark.parametrize("value", [*HOSTILE, "第一行\n第二行", "a_b_c ~~删~~ `code` | 表 |", "1. 列表", "- 列表", "> 引用",
                                   "x\n===", "a@example.invalid", "\\*", "正常的中文,没有符号"])
def test_md_escape_leaves_no_markup_and_reads_the_same(value):
    out = md_escape(value)
    assert md_unescape(out) == value
    assert live_markup(out) == []
    # every ASCII punctuation character is escaped (so no Markdown or directive can start)
    for i, ch in enumerate(out):
        if ch in string.punctuation and ch != "\\":
            assert out[i - 1] == "\\", (out, i)
    assert "\n\n" not in out and not re.search(r"(?m)^[ \t]", out)  # no paragraph or code block from data


def test_md_escape_of_missing_values():
    assert md_escape(None) == "—"
    assert md_escape(float("nan")) == "—"
    assert md_escape(12) == "12"


# ---------------------------------------------------------------- charts


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in _strings(v)]
    if hasattr(obj, "tolist"):
        return _strings(obj.tolist())
    return []


RAW_HTML = ("<a", "<img", "<b>粗")


def assert_no_html_from_data(fig) -> None:
    texts = _strings(fig.to_plotly_json())
    raw = [t for t in texts if any(h in t for h in RAW_HTML)]
    assert raw == []
    assert any("&lt;a href" in t for t in texts)  # the data did reach the chart, escaped


UNITS = ['<a href="http://example.invalid">a</a> 星沙街道', "<img src=http://example.invalid/i.png> 湘龙街道",
         "<b>粗</b> 泉塘街道"]


@pytest.mark.parametrize("builder", [
    lambda: charts.disposal_by_unit(pd.DataFrame({"unit": UNITS, "reported": [10, 20, 30], "handled": [9, 19, 29],
                                                  "rate": [0.9, 0.95, 29 / 30]}), 0.93, title=UNITS[0] + "处置率"),
    lambda: charts.horizontal_bars(pd.DataFrame({"category": UNITS, "events": [3, 2, 1]}), "category", "events",
                                   UNITS[0]),
    lambda: charts.status_by_unit(pd.DataFrame({"unit": UNITS, "红": [1, 0, 0], "黄": [0, 1, 0], "绿": [0, 0, 1]}),
                                  title=UNITS[0]),
    lambda: charts.roadmap(pd.DataFrame({"seq": [1, 2], "milestone": UNITS[:2],
                                         "planned_on": pd.to_datetime(["2022-07-01", "2022-08-01"]),
                                         "done_on": pd.to_datetime(["2022-07-03", None])}), "2022-07-15",
                           title=UNITS[0]),
    lambda: charts.for_projector(charts.disposal_by_unit(pd.DataFrame({"unit": UNITS, "reported": [1, 2, 3],
                                                                       "handled": [1, 2, 3], "rate": [1.0, 1.0, 1.0]}),
                                                         1.0)),
    lambda: charts_review.judge_heatmap(pd.DataFrame([[80.0, 90.0]], index=[UNITS[0]], columns=["P01", UNITS[2]]),
                                        {"P01": "P01 " + UNITS[1]}, title=UNITS[0]),
    lambda: charts_review.score_distribution(pd.DataFrame({"round": [1, 1], "project": UNITS[:2], "score": [80, 90]}),
                                             title=UNITS[0]),
], ids=["disposal_by_unit", "horizontal_bars", "status_by_unit", "roadmap", "for_projector", "judge_heatmap",
        "score_distribution"])
def test_chart_text_from_data_is_escaped(builder):
    assert_no_html_from_data(builder())


def test_chart_escaping_keeps_the_categories_distinct_and_ordered():
    fig = charts.horizontal_bars(pd.DataFrame({"category": ["a<b", "a&lt;b"], "events": [1, 2]}), "category",
                                 "events", "t")
    # "a&lt;b" in the data must still read "a&lt;b", not "a<b": the & is escaped too
    assert list(fig.data[0].y) == ["a&lt;b", "a&amp;lt;b"]


# ---------------------------------------------------------------- every page


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    build_hostile_db(path)
    return path


@pytest.fixture
def hostile_app(hostile_db, tmp_path, monkeypatch):
    db = tmp_path / "app.duckdb"
    shutil.copy(hostile_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    return db


MARKDOWN_FIELDS = ("body", "label", "help", "text", "title")


def rendered_markdown(at, html: list[str]) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown (HTML bodies go to ``html``)."""
    out = []
    for root in (at.main, at.sidebar):
        for node in root:
            proto = getattr(node, "proto", None)
            if proto is None:
                continue
            if node.type == "expandable":
                out.append(proto.expandable.label)
                continue
            if node.type == "tab":
                out.append(proto.tab.label)
                continue
            if not hasattr(proto, "DESCRIPTOR"):
                continue
            fields = proto.DESCRIPTOR.fields_by_name
            if node.type == "html" or (node.type == "markdown" and getattr(proto, "allow_html", False)):
                html.append(proto.body)  # HTML, not Markdown: data in it must be HTML-escaped
                continue
            out += [getattr(proto, f) for f in MARKDOWN_FIELDS
                    if f in fields and isinstance(getattr(proto, f), str)]
    return [s for s in out if s]


def check_page(at) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    html: list[str] = []
    texts = rendered_markdown(at, html)
    bad = [(t, live_markup(t)) for t in texts if live_markup(t)]
    assert bad == []
    # the projector's own charts are <img> of an SVG data URI built by charts.py (their texts escaped
    # inside the SVG): those are ours; any other <img>, <a> or <b> would have come from data
    ours = re.compile(r'<img class="k-chart" alt="[^"<>]*" width="\d+" height="\d+" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"')
    assert [h for h in html if any(tag in ours.sub("", h) for tag in RAW_HTML)] == []
    return texts


def page_runs():
    """(page, how to set it up) for every page and every view that shows other data."""
    return [
        ("views/overview.py", None),
        ("views/grid.py", None),
        ("views/grid.py", "unit"),
        ("views/grid.py", "community"),
        *[("views/grid.py", ("events", v)) for v in ("事件类别", "处置状态", "处置时长", "超期未处置", "与月报核对")],
        *[("views/projector.py", ("slide", i)) for i in range(6)],
        ("views/projects.py", None),
        ("views/project.py", None),
        ("views/project.py", "difficult"),
        ("views/dispatch.py", None),
        *[("views/review.py", ("review", v)) for v in ("评委一致性", "评委×项目热力图", "各轮得分分布")],
        ("views/upload.py", None),
        *[("views/admin.py", ("admin", v)) for v in ("账号", "审计日志", "上传回退", "大屏链接")],
        ("views/account.py", None),
    ]


def _setup(at, how):
    if how in ("unit", "community"):
        at.selectbox(key="drill_unit").select_index(1).run()
        if how == "community":
            at.selectbox(key="drill_community").select_index(1).run()
    elif isinstance(how, tuple) and how[0] == "events":
        at.segmented_control(key="events_view").set_value(how[1]).run()
    elif isinstance(how, tuple) and how[0] == "slide":
        at.button(key="kiosk_pause").click().run()  # stop the clock: the test turns the pages
        for _ in range(how[1]):
            at.button(key="kiosk_next").click().run()
    elif isinstance(how, tuple) and how[0] == "review":
        at.segmented_control(key="review_view").set_value(how[1]).run()
    elif isinstance(how, tuple) and how[0] == "admin":
        at.segmented_control(key="admin_view").set_value(how[1]).run()
    elif how == "difficult":  # the project with the most weekly reports raising difficulties
        options = at.selectbox(key="detail_project").options
        at.selectbox(key="detail_project").select_index(len(options) - 1).run()


@pytest.mark.parametrize(("page", "how"), page_runs(), ids=lambda v: str(v))
def test_no_data_renders_as_markup(hostile_app, page, how):
    at = open_page(page)
    _setup(at, how)
    check_page(at)


def test_hostile_data_reaches_the_pages_escaped(hostile_app):
    """The check above is not vacuous: the hostile names are on screen, escaped."""
    at = open_page("views/project.py")
    texts = check_page(at)
    assert any(md_escape("**粗**") in t or md_escape("# 标题") in t or md_escape(":red[红]") in t for t in texts)
    at = open_page("views/grid.py")
    _setup(at, "unit")
    assert any("处置率" in t and "\\" in t for t in check_page(at))  # the street's name in a metric label, escaped


def test_upload_results_show_the_file_name_as_text(hostile_app):
    from conftest import xlsx

    at = open_page("views/upload.py")
    good = xlsx({"网格台账": [["乡镇街道", "村社区", "网格"], ["黄兴镇", "测试村", "第九网格"]]})
    bad = xlsx({"网格台账": [["乡镇街道", "村社区", "网格"], ["没有这个镇", "测试村", "第九网格"]]})
    for n, (name, data) in enumerate((("**粗** [链接](http://example.invalid/x).xlsx", good),
                                      ("# 标题 ![图](http://example.invalid/i.png).xlsx", bad))):
        # the uploader gets a new key after every import (it is emptied)
        at.file_uploader(key="upload_files" if n == 0 else f"upload_files_{n}").upload(name, data).run()
        at.button(key="upload_go").click().run()
        texts = check_page(at)
        assert any(md_escape(name) in t for t in texts)


def test_sidebar_and_account_page_show_the_display_name_as_text(hostile_app):
    from datetime import datetime

    import accounts
    import database
    from conftest import app_test

    name = "**粗** [链接](http://example.invalid/x) :red[红]"
    con = database.connect(hostile_app)
    accounts.create_user(con, "hostile", name, accounts.ADMIN, "Zq8#mT4!vR2&kL", now=datetime.now())
    con.close()
    at = app_test()
    at.session_state["auth"] = {"username": "hostile", "display_name": name, "role": accounts.ADMIN, "unit": None,
                                "email": None, "session_version": 0, "logged_in_at": datetime.now()}
    at.run()
    at.switch_page("views/account.py")
    at.run()
    texts = check_page(at)
    assert sum(md_escape(name) in t for t in texts) == 2  # the sidebar and the page

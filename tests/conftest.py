"""Shared fixtures: real DuckDB files in tmp_path, real workbook bytes written here."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
# pages answer errors in Chinese (ui.frame.run_page); under test every error must surface as an exception
os.environ.setdefault("LHKB_PAGE_ERRORS", "raise")
sys.path.insert(0, str(ROOT))

import database  # noqa: E402
from contract import SHEETS  # noqa: E402


def xlsx(sheets: dict[str, Sequence[Sequence[Any]]], hidden: Iterable[str] = ()) -> bytes:
    """An .xlsx with the given sheets, rows as literals (None = empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        if name in hidden:
            ws.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def snapshot(con) -> dict[str, list[tuple]]:
    """Every data table's rows, in key order: compared before and after an import."""
    out = {}
    for sheet in SHEETS:
        cur = con.cursor()
        out[sheet.table] = cur.execute(f"select * from {sheet.table} order by all").fetchall()
        cur.close()
    return out


UNITS_ROWS = [
    ["单位名称", "单位类型", "排序"],
    ["星沙街道", "街道", 1],
    ["㮾梨街道", "街道", 2],
    ["黄兴镇", "乡镇", 3],
]

PROJECT_ROWS = [
    ["项目编号", "项目名称", "牵头单位", "第一责任人", "职务", "项目类别", "立项日期", "计划完成日期", "项目简介", "状态"],
    ["P01", "345工程", "星沙街道", "石争", "党工委书记", "基层治理", "2022-06-01", "2022-12-31", None, None],
    ["P02", "三务积分", "黄兴镇", "张韧", "党委书记", "党员管理", "2022/06/15", "2022.12.20", "积分管理", "实施中"],
]


@pytest.fixture
def con(tmp_path):
    """A fresh database file per test, with the three units and two projects above."""
    connection = database.connect(tmp_path / "test.duckdb")
    from ingest import import_file

    result = import_file(connection, xlsx({"单位名录": UNITS_ROWS, "项目台账": PROJECT_ROWS}), "base.xlsx")
    assert result.ok, result.report_frame()
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The sample database built from data/ once per test session, by the real CLI code path."""
    from ingest.__main__ import build_sample

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    assert build_sample(path) == 0
    return path


@pytest.fixture
def app_db(sample_db, tmp_path, monkeypatch):
    """A copy of the sample database for one test, and the app pointed at it."""

    db = tmp_path / "app.duckdb"
    shutil.copy(sample_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    return db


def frame(con, sql: str, params: list | None = None) -> pd.DataFrame:
    return database.query(con, sql, params)


def app_test(role: str = "管理员", unit: str | None = None):
    """AppTest of app.py with a logged-in session of the given role (the log-in form has its own tests).

    Every run re-reads the account, so the account exists in ``$DASHBOARD_DB`` (created here if not).
    """
    from datetime import datetime

    from streamlit.testing.v1 import AppTest

    import accounts

    username = f"test-{role}" + (f"-{unit}" if unit else "")
    con = database.connect(database.db_path())
    try:
        user = accounts.get_user(con, username) or accounts.create_user(
            con, username, f"测试{role}", role, accounts.new_password(), unit=unit, now=datetime.now())
    finally:
        con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["auth"] = {"username": username, "display_name": user.display_name, "role": role,
                                "unit": unit, "email": None, "session_version": user.session_version,
                                "logged_in_at": datetime.now()}
    return at


def open_page(page: str | None = None, role: str = "管理员", unit: str | None = None):
    """Run app.py logged in, switch to ``page`` (None: the default page), and check it ran cleanly."""
    at = app_test(role, unit)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---------------------------------------------------------------- the served app, for the browser tests
# One `make run` server and one chromium for the whole test session (session-scoped: every browser test
# module shares them; the projector and hostile-data tests start servers of their own).

# one way to serve the app and one chromium set-up, shared with the benchmark (bench/browser.py)
from bench.browser import CHROMIUM, CHROMIUM_ARGS, SERVE_COMMAND, free_port, served_app  # noqa: E402, F401


def streamlit_command() -> list[str]:
    """The app as the browser tests with a database of their own serve it (``DASHBOARD_DB`` in the env):
    the same server as ``make run`` (``python -m ui.serve``: modules loaded before the first session)."""
    return list(SERVE_COMMAND)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`make run` exactly as a newcomer types it, on a fresh database path and a free port:
    it builds the sample database from data/, prints the demo accounts' passwords once,
    and starts the app. Yields (url, {username: password})."""
    db = tmp_path_factory.mktemp("served") / "served.duckdb"
    with served_app(["make", "-s", "run", f"DB={db}", "PORT={port}"], wait_s=120) as (url, lines):
        assert db.exists()  # the sample database was built where asked
        passwords = dict(re.findall(r"用户名 (\w+)\s+密码 (\S+)", "".join(lines)))
        assert set(passwords) == {"admin", "leader", "xingsha"}, "".join(lines)
        yield url, passwords


def log_in(browser, url: str, username: str, password: str, path: str = "", viewport: dict | None = None):
    page = browser.new_page(viewport=viewport or {"width": 1600, "height": 1000})
    page.goto(f"{url}/{path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    return page


@pytest.fixture(scope="session")
def browser():
    from playwright import sync_api

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: `make test` installs it"
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()



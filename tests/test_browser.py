"""What only a browser can tell: the served app starts, renders Chinese, and takes an upload."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, xlsx

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`make run` exactly as a newcomer types it, on a fresh database path and a free port:
    it builds the sample database from data/ and starts the app."""
    db = tmp_path_factory.mktemp("served") / "served.duckdb"
    port = free_port()
    proc = subprocess.Popen(
        ["make", "-s", "run", f"DB={db}", f"PORT={port}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError("make run exited: " + proc.stdout.read().decode(errors="replace"))
                time.sleep(0.5)
        else:
            raise AssertionError("make run did not become healthy within 120 s")
        assert db.exists()  # the sample database was built where asked
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_health_endpoint(server):
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=5) as r:
        assert r.status == 200 and r.read().decode().strip() == "ok"


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: `make test` installs it"
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def test_overview_renders_in_chinese(server, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(server)
    page.get_by_text("党建聚合力·书记领航行动 总览").wait_for(timeout=30000)
    page.get_by_text("全县网格事件处置率").wait_for(timeout=30000)
    # the bar chart labels its bars in the SVG: 星沙街道's seed rate is one of them
    page.locator("svg text", has_text="97.9%").first.wait_for(timeout=30000)
    assert page.locator("[data-testid=stException]").count() == 0


def test_upload_through_the_browser(server, browser, tmp_path):
    path = tmp_path / "网格台账_补充.xlsx"
    path.write_bytes(xlsx({"网格台账": [["乡镇街道", "村社区", "网格", "网格党支部"],
                                          ["黄兴镇", "浏览器测试村", "第一网格", "浏览器测试村第一网格党支部"]]}))
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{server}/upload")
    page.get_by_text("模板下载").wait_for(timeout=30000)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("网格台账_补充.xlsx").first.wait_for(timeout=30000)
    page.get_by_role("button", name="开始导入").click()
    page.get_by_text("导入成功").first.wait_for(timeout=30000)

"""``python -m bench.browser``: the time a person waits for a drawn page, in chromium, on the served app.

The browser section of ``make bench`` (:func:`bench_browser`), also runnable alone:
``python -m bench.browser --db PATH`` (the database is copied first, never changed).

1. A copy of the county database gets one 领导 account per browser session
   (``bench-leader-01`` …, known passwords, made with :func:`accounts.create_user`).
2. The real server: ``python -m streamlit run app.py --server.headless true`` on a free
   port, ``DASHBOARD_DB`` on that copy, as ``make run`` starts it. It keeps running for
   the whole section, so its first log-in meets a cold server (nothing imported by a
   session, caches empty) and the later ones a warm server.
3. Debian's chromium (``/usr/bin/chromium``) under Playwright's async API, one browser,
   one fresh context (own cookies: its own session) per user.

*Alone* (``--repeat`` times, each in a fresh context): the log-in (load the root until the
log-in form is drawn, plus from the click on 登录 until 总览 is drawn; the typing between is
not counted; the first repeat meets a cold server, the median of the others is warm); then a
switch to each page of :data:`PAGES` by its sidebar link (as a user does; a switch keeps the
browser session), then an open of each by its address (a full load: a new browser session
that the log-in cookie resumes).

*At once* (``--sessions`` contexts, default 10): all load the log-in form at the same
moment, then all click 登录 at the same moment; then, ``--rounds`` times, all switch to each
page at the same moment (sidebar link), then all open each page at the same moment (full
load). Every action is run by the page itself at an agreed epoch millisecond and timed on
the browser's clock (:class:`Session`), so the sessions start within ms of each other; the
spread is reported. Median and p95 per page and action.

**Drawn** (:data:`DRAWN_JS`, checked every 20 ms in the page): the app's root element
says its script run is over (``data-test-script-state="notRunning"``) on a live
connection (``data-test-connection-state="CONNECTED"``); the main area holds the page's
own title as an ``h1``; no "Running…" status icon (``stStatusWidgetRunningIcon``), no
element still marked stale from an earlier run (``data-stale="true"``), no skeleton
(``stSkeleton``) and no spinner (``stSpinner``); and every plotly chart element
(``stPlotlyChart``) has plotly's drawn SVG (``.js-plotly-plot .main-svg``). The clock
stops at the first moment all of that holds, provided it then holds for a further
:data:`SETTLE_MS` (a rerun that follows at once would reset it), so the figure is not
the settle time.
*Served* is the first moment the script run is over with the page's title in and nothing
stale (the server's part); drawn minus served is the browser's part (mostly plotly).

A fresh context has an empty HTTP cache: each log-in is a first visit (Streamlit's and
plotly's scripts downloaded and compiled); switching and opening pages afterwards reuse
that context's cache.

All sessions share one machine with the server and each other: chromium draws ten pages
on the same cores the server computes them on, so the *at once* figures include the
browsers' own work (ten people on ten computers would not share it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1600, "height": 1000}

#: the pages measured: their sidebar title, address (views/<path>.py; "" = the default page) and h1
PAGES = [
    {"title": "总览", "path": "", "heading": "党建聚合力·书记领航行动 总览"},
    {"title": "网格治理", "path": "grid", "heading": "网格治理"},
    {"title": "周调度", "path": "dispatch", "heading": "周调度"},
]
OVERVIEW = PAGES[0]
LOGIN_HEADING = "领航看板 · 登录"
ROLE_NOTE = "领导"

#: the drawn state must hold this long after its first moment (the figure is that first moment)
SETTLE_MS = 300
POLL_MS = 20

DRAWN_JS = """
({heading, settle}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMain"]');
  const charts = main ? [...main.querySelectorAll('[data-testid="stPlotlyChart"]')] : [];
  const served = !!app && !!main
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && [...main.querySelectorAll('h1')].some(h => h.textContent.trim() === heading)
    && !document.querySelector('[data-stale="true"]');
  const ok = served
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stSpinner"]')
    && charts.every(c => c.querySelector('.js-plotly-plot .main-svg'));
  const now = Date.now();
  if (!served) window.__benchServedAt = null;
  else if (window.__benchServedAt == null) window.__benchServedAt = now;
  if (!ok) { window.__benchDrawnAt = null; return false; }
  if (window.__benchDrawnAt == null) window.__benchDrawnAt = now;
  if (now - window.__benchDrawnAt < settle) return false;
  const result = {drawn_at: window.__benchDrawnAt, served_at: window.__benchServedAt ?? window.__benchDrawnAt,
                  fired_at: window.__benchFiredAt ?? performance.timeOrigin, charts: charts.length,
                  errors: document.querySelectorAll('[data-testid="stException"]').length};
  window.__benchDrawnAt = window.__benchServedAt = window.__benchFiredAt = null;
  return result;
}
"""

#: an action run in the page at the epoch millisecond ``at`` (so N sessions start together, whatever the driver)
SCHEDULE_JS = """
([at, kind, target]) => {
  let act;
  if (kind === 'go') act = () => { location.href = target; };
  else {
    const scope = kind === 'nav' ? '[data-testid="stSidebarNav"] a' : '[data-testid="stForm"] button';
    const named = e => e.textContent.trim() === target
      || [...e.querySelectorAll('*')].some(c => !c.children.length && c.textContent.trim() === target);
    const el = [...document.querySelectorAll(scope)].find(named);
    if (!el) return false;
    act = () => el.click();
  }
  setTimeout(() => { window.__benchFiredAt = Date.now(); act(); }, Math.max(0, at - Date.now()));
  return true;
}
"""


def chromium_missing() -> str | None:
    """Why the browser section cannot run here (None: it can)."""
    if not Path(CHROMIUM).exists():
        return f"未找到 chromium({CHROMIUM}):`make browser` 安装 Debian 的 chromium 后再测浏览器部分"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "未安装 Playwright(requirements.txt):浏览器部分跳过"
    return None


# --------------------------------------------------------------------------- accounts and server


def add_accounts(db: Path, n: int) -> list[tuple[str, str]]:
    """``n`` 领导 accounts (username, password) in ``db``: every page, everything on 总览, no uploads."""
    import accounts
    import database

    con = database.connect(db)
    out = []
    try:
        for i in range(1, n + 1):
            username = f"bench-leader-{i:02d}"
            password = accounts.new_password(username)
            if accounts.get_user(con, username) is None:
                accounts.create_user(con, username, f"基准测试领导{i}", accounts.LEADER, password,
                                     actor="基准测试", now=datetime.now())
            else:
                accounts.reset_password(con, username, password, actor="基准测试", now=datetime.now())
            out.append((username, password))
    finally:
        con.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: the app as ``make run`` serves it (``python -m ui.serve``: warmed before the first session); ``{port}`` is filled in
SERVE_COMMAND = [sys.executable, "-m", "ui.serve", "--server.port", "{port}", "--server.headless", "true",
                 "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]


@contextlib.contextmanager
def served_app(command: Sequence[str], env: dict[str, str] | None = None,
               wait_s: float = 120) -> Iterator[tuple[str, list[str]]]:
    """Start the app (``command``, from the project folder; it may use ``{port}``) on a free port; yield (its
    address, its output so far) once ``/_stcore/health`` answers; stop its process group afterwards. The
    benchmark and the browser tests (tests/conftest.py) both serve through here."""
    port = free_port()
    proc = subprocess.Popen([part.format(port=port) for part in command], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    time.sleep(0.5)
                    raise RuntimeError("the app exited: " + "".join(lines)[-3000:]) from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not answer within {wait_s:.0f} s: " + "".join(lines)[-3000:]) from None
                time.sleep(0.25)
        yield url, lines
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


@contextlib.contextmanager
def served(db: Path, wait_s: float = 120) -> Iterator[str]:
    """The app served as ``make run`` serves it, with ``DASHBOARD_DB=db``; yields its address."""
    with served_app(SERVE_COMMAND, {"DASHBOARD_DB": str(db)}, wait_s) as (url, _):
        yield url


# --------------------------------------------------------------------------- one browser session


class Session:
    """One user in one fresh browser context.

    Every action is run by the page itself at an agreed epoch millisecond (:data:`SCHEDULE_JS`), and
    every figure is read off the browser's clock: from the moment the action fired (the click; a load's
    ``performance.timeOrigin``) to the first drawn moment. So neither the driver's latency nor its share
    of the CPU is counted, and N sessions start together however busy Python is.
    """

    def __init__(self, browser: Any, url: str, username: str, password: str, timeout_s: float) -> None:
        self.browser, self.url, self.username, self.password = browser, url, username, password
        self.timeout_ms = timeout_s * 1000
        self.context: Any = None
        self.page: Any = None

    async def open(self) -> None:
        self.context = await self.browser.new_context(viewport=VIEWPORT)
        self.page = await self.context.new_page()
        self.page.set_default_timeout(self.timeout_ms)

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()

    async def act(self, kind: str, target: str, heading: str, at: float) -> dict[str, Any]:
        """Run ``kind`` (go: load the address ``target``; nav: click the sidebar link titled ``target``;
        submit: click the form's button ``target``) at epoch ms ``at``; wait until ``heading``'s page is drawn."""
        if kind == "go":  # the page is replaced: wait for the new document before looking into it
            async with self.page.expect_navigation(wait_until="commit", timeout=self.timeout_ms):
                await self.page.evaluate(SCHEDULE_JS, [at, kind, target])
        elif not await self.page.evaluate(SCHEDULE_JS, [at, kind, target]):
            raise RuntimeError(f"no {kind} element “{target}” on {self.page.url}")
        handle = await self.page.wait_for_function(DRAWN_JS, arg={"heading": heading, "settle": SETTLE_MS},
                                                   polling=POLL_MS, timeout=self.timeout_ms)
        state = await handle.json_value()
        fired = state["fired_at"]
        return {"seconds": (state["drawn_at"] - fired) / 1000, "served_s": (state["served_at"] - fired) / 1000,
                "late_ms": fired - at, "fired_at": fired, "charts": state["charts"], "errors": state["errors"]}

    async def form(self, at: float) -> dict[str, Any]:
        """Load the root (no session yet) until the log-in form is drawn, then type the account in."""
        out = await self.act("go", self.url + "/", LOGIN_HEADING, at)
        await self.page.get_by_label("用户名", exact=True).fill(self.username)
        await self.page.get_by_label("密码", exact=True).fill(self.password)
        return out

    async def submit(self, at: float) -> dict[str, Any]:
        """Click 登录 until 总览 is drawn."""
        return await self.act("submit", "登录", OVERVIEW["heading"], at)

    async def switch(self, page: dict[str, str], at: float) -> dict[str, Any]:
        """Click the page's link in the sidebar: the same browser session, one rerun."""
        return await self.act("nav", page["title"], page["heading"], at)

    async def load(self, page: dict[str, str], at: float) -> dict[str, Any]:
        """Open the page by its address: a full load, a new browser session resumed by the log-in cookie."""
        return await self.act("go", f"{self.url}/{page['path']}", page["heading"], at)


def soon(lead_s: float = 0.3) -> float:
    """An epoch millisecond a little ahead: time for the driver to hand every session its action."""
    return (time.time() + lead_s) * 1000


# --------------------------------------------------------------------------- statistics


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, linear between the two nearest ranks (statistics' inclusive method)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary(values: Sequence[float]) -> dict[str, Any]:
    return {"n": len(values), "median_s": statistics.median(values), "p95_s": p95(values),
            "min_s": min(values), "max_s": max(values), "runs_s": list(values)}


# --------------------------------------------------------------------------- the two measurements


def _log_in(form: dict[str, Any], submit: dict[str, Any]) -> dict[str, Any]:
    """A log-in: the form drawn, then from the click on 登录 to a drawn 总览 (the typing between not counted)."""
    return {"seconds": form["seconds"] + submit["seconds"], "served_s": form["seconds"] + submit["served_s"],
            "form_s": form["seconds"], "after_click_s": submit["seconds"], "charts": submit["charts"],
            "errors": form["errors"] + submit["errors"], "late_ms": max(form["late_ms"], submit["late_ms"]),
            "fired_at": form["fired_at"]}


async def _alone(browser: Any, url: str, account: tuple[str, str], repeat: int, timeout_s: float,
                 log: Callable[[str], None]) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for i in range(repeat):
        session = Session(browser, url, *account, timeout_s)
        await session.open()
        try:
            form = await session.form(soon(0.05))
            run: dict[str, Any] = {"log_in": _log_in(form, await session.submit(soon(0.05))), "switch": {}, "load": {}}
            for page in [*PAGES[1:], OVERVIEW]:
                run["switch"][page["title"]] = await session.switch(page, soon(0.05))
            for page in PAGES:
                run["load"][page["title"]] = await session.load(page, soon(0.05))
        finally:
            await session.close()
        log(f"  alone #{i + 1}: log-in to drawn 总览 {run['log_in']['seconds']:.2f} s; switch "
            + ", ".join(f"{k} {v['seconds']:.2f}" for k, v in run["switch"].items()) + " s; open "
            + ", ".join(f"{k} {v['seconds']:.2f}" for k, v in run["load"].items()) + " s")
        runs.append(run)
    warm = runs[1:] or runs

    def per_page(action: str) -> dict[str, Any]:
        return {p["title"]: {"first_s": runs[0][action][p["title"]]["seconds"],
                             "warm": summary([r[action][p["title"]]["seconds"] for r in warm]),
                             "served_warm_median_s": statistics.median(r[action][p["title"]]["served_s"]
                                                                       for r in warm),
                             "charts": runs[-1][action][p["title"]]["charts"]} for p in PAGES}

    return {
        "repeat": repeat,
        "log_in_cold_s": runs[0]["log_in"]["seconds"],
        "log_in_warm": summary([r["log_in"]["seconds"] for r in warm]),
        "log_in_form_cold_s": runs[0]["log_in"]["form_s"],
        "log_in_after_click_warm_median_s": statistics.median(r["log_in"]["after_click_s"] for r in warm),
        "log_in_served_warm_median_s": statistics.median(r["log_in"]["served_s"] for r in warm),
        "overview_charts": runs[-1]["log_in"]["charts"],
        "switch": per_page("switch"),
        "load": per_page("load"),
        "errors": sum(r["log_in"]["errors"] + sum(v["errors"] for a in ("switch", "load") for v in r[a].values())
                      for r in runs),
        "runs": runs,
    }


def _together(results: list[dict[str, Any]]) -> dict[str, Any]:
    """N sessions' results of one action: median, p95, and how far apart they really started."""
    fired = [r["fired_at"] for r in results]
    return {**summary([r["seconds"] for r in results]), "served_runs_s": [r["served_s"] for r in results],
            "served_median_s": statistics.median(r["served_s"] for r in results),
            "start_spread_ms": max(fired) - min(fired), "late_ms": max(r["late_ms"] for r in results),
            "errors": sum(r["errors"] for r in results)}


async def _at_once(sessions: list[Session], action: Callable[[Session, float], Any]) -> list[dict[str, Any]]:
    """Every session runs ``action`` at the same epoch millisecond (in its own page); their results."""
    at = soon(0.3 + 0.05 * len(sessions))
    return list(await asyncio.gather(*(action(s, at) for s in sessions)))


async def _concurrent(browser: Any, url: str, accounts_: list[tuple[str, str]], rounds: int, timeout_s: float,
                      log: Callable[[str], None]) -> dict[str, Any]:
    sessions = [Session(browser, url, u, p, timeout_s) for u, p in accounts_]
    await asyncio.gather(*(s.open() for s in sessions))
    try:
        forms = await _at_once(sessions, lambda s, at: s.form(at))
        submits = await _at_once(sessions, lambda s, at: s.submit(at))
        out: dict[str, Any] = {"sessions": len(sessions), "rounds": rounds,
                               "log_in": {**_together([_log_in(f, c) for f, c in zip(forms, submits, strict=True)]),
                                          "form": _together(forms), "after_click": _together(submits)},
                               "switch": {p["title"]: [] for p in PAGES}, "load": {p["title"]: [] for p in PAGES}}
        out["log_in"]["start_spread_ms"] = max(out["log_in"]["form"]["start_spread_ms"],
                                               out["log_in"]["after_click"]["start_spread_ms"])
        log(f"  {len(sessions)} at once: log-in to drawn 总览 median {out['log_in']['median_s']:.2f} s, "
            f"p95 {out['log_in']['p95_s']:.2f} s")
        for _ in range(rounds):
            for page in [*PAGES[1:], OVERVIEW]:
                r = await _at_once(sessions, lambda s, at, page=page: s.switch(page, at))
                out["switch"][page["title"]].extend(r)
                log(f"  {len(sessions)} at once: switch to {page['title']} "
                    f"median {statistics.median(x['seconds'] for x in r):.2f} s")
            for page in PAGES:
                r = await _at_once(sessions, lambda s, at, page=page: s.load(page, at))
                out["load"][page["title"]].extend(r)
                log(f"  {len(sessions)} at once: open {page['title']} "
                    f"median {statistics.median(x['seconds'] for x in r):.2f} s")
    finally:
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    for action in ("switch", "load"):  # every round's sessions together
        for title, rs in out[action].items():
            rounds_ = [rs[i:i + len(sessions)] for i in range(0, len(rs), len(sessions))]
            out[action][title] = {**_together(rs), "start_spread_ms": max(_together(r)["start_spread_ms"]
                                                                          for r in rounds_)}
    out["errors"] = out["log_in"]["errors"] + sum(v["errors"] for a in ("switch", "load")
                                                  for v in out[a].values())
    return out


async def _measure(url: str, accounts_: list[tuple[str, str]], repeat: int, rounds: int, timeout_s: float,
                   log: Callable[[str], None]) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            alone = await _alone(browser, url, accounts_[0], repeat, timeout_s, log)
            together = await _concurrent(browser, url, accounts_, rounds, timeout_s, log)
            version = browser.version
        finally:
            await browser.close()
    return {"alone": alone, "concurrent": together, "chromium": version}


def bench_browser(db: Path, work: Path, sessions: int = 10, repeat: int = 4, rounds: int = 1,
                  timeout_s: float = 120, log: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """The browser section on a copy of ``db`` (made in ``work``); ``{"skipped": why}`` without chromium."""
    why = chromium_missing()
    if why:
        return {"skipped": why}
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "browser.duckdb"
    shutil.copyfile(db, copy)
    started = time.perf_counter()
    try:
        accounts_ = add_accounts(copy, sessions)
        with served(copy) as url:
            log(f"browser: the app served at {url}; chromium, {sessions} sessions …")
            result = asyncio.run(_measure(url, accounts_, repeat, rounds, timeout_s, log))
    except Exception as exc:  # a page that never draws is a result, not the end of the benchmark
        return {"error": f"{type(exc).__name__}: {exc}"[-3000:], "ok": False, "sessions": sessions,
                "pages": [p["title"] for p in PAGES]}
    finally:
        copy.unlink(missing_ok=True)
        Path(f"{copy}.wal").unlink(missing_ok=True)
    result.update({"sessions": sessions, "repeat": repeat, "rounds": rounds, "role": ROLE_NOTE,
                   "pages": [p["title"] for p in PAGES], "settle_ms": SETTLE_MS, "poll_ms": POLL_MS,
                   "seconds": time.perf_counter() - started})
    result["ok"] = result["alone"]["errors"] == 0 and result["concurrent"]["errors"] == 0
    return result


# --------------------------------------------------------------------------- output


def format_browser(b: dict[str, Any], pad: Callable[[str, int], str] | None = None) -> list[str]:
    """The BROWSER section of the table."""
    if "skipped" in b:
        return [f"BROWSER skipped: {b['skipped']}"]
    if "error" in b:
        return [f"BROWSER failed: {b['error'][:300]}"]
    pad = pad or (lambda text, width: text + " " * max(width - 2 * len(text), 0))
    a, c = b["alone"], b["concurrent"]
    n = c["sessions"]
    lines = [
        f"BROWSER chromium {b['chromium']}, the served app, {b['role']} accounts — seconds to a drawn page "
        f"(README, Performance); (served) = the script's output in the page, before the browser draws it",
        f"  1 user, log-in to a drawn 总览:  cold server {a['log_in_cold_s']:.2f}   warm median "
        f"{a['log_in_warm']['median_s']:.2f} of {a['log_in_warm']['n']} (served {a['log_in_served_warm_median_s']:.2f}; "
        f"from the click {a['log_in_after_click_warm_median_s']:.2f}; the log-in form, cold {a['log_in_form_cold_s']:.2f})",
        f"  {n} users at once, log-in to a drawn 总览:  median {c['log_in']['median_s']:.2f}   "
        f"p95 {c['log_in']['p95_s']:.2f}   max {c['log_in']['max_s']:.2f}   (served median "
        f"{c['log_in']['served_median_s']:.2f}; the form {c['log_in']['form']['median_s']:.2f}, from the click "
        f"{c['log_in']['after_click']['median_s']:.2f} / p95 {c['log_in']['after_click']['p95_s']:.2f}; "
        f"starts within {c['log_in']['start_spread_ms']:.0f} ms)",
        f"  {'page':10s} {'action':21s} {'1 user':>7s} {'median':>7s} {'(served)':>9s}   "
        f"{f'{n} at once':>9s} {'p95':>6s} {'max':>6s} {'(served)':>9s}",
        f"  {'':10s} {'':21s} {'first':>7s}",
    ]
    for action, label in (("switch", "switch (sidebar link)"), ("load", "open (full load)")):
        for page in b["pages"]:
            one, many = a[action][page], c[action][page]
            lines.append(f"  {pad(page, 10)} {label:21s} {one['first_s']:7.2f} {one['warm']['median_s']:7.2f} "
                         f"{one['served_warm_median_s']:9.2f}   {many['median_s']:9.2f} {many['p95_s']:6.2f} "
                         f"{many['max_s']:6.2f} {many['served_median_s']:9.2f}")
    lines.append(f"  (1 user: {a['repeat']} log-ins, median of all but the first; {n} at once: {c['rounds']} rounds "
                 f"per page and action, median and p95 of {c['rounds'] * n}; starts within "
                 f"{max(v['start_spread_ms'] for act in ('switch', 'load') for v in c[act].values()):.0f} ms; "
                 f"exceptions shown: {a['errors'] + c['errors']})")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a county database (bench.generate); copied first")
    parser.add_argument("--sessions", type=int, default=10, help="browser sessions at once")
    parser.add_argument("--repeat", type=int, default=4, help="log-ins of one user alone (the first: cold server)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of the sessions opening each page at once")
    parser.add_argument("--timeout", type=float, default=120, help="seconds allowed for one page to be drawn")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="where the JSON goes")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"找不到数据库文件:{args.db}", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    try:
        result = bench_browser(args.db, work, args.sessions, args.repeat, args.rounds, args.timeout, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    from bench.run import _pad

    print("\n".join(format_browser(result, _pad)))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "browser-latest.json"
    path.write_text(json.dumps({"started": datetime.now().isoformat(timespec="seconds"), "db": str(args.db),
                                "browser": result}, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"written: {path}")
    return 0 if result.get("ok", "skipped" in result) else 1


if __name__ == "__main__":
    sys.exit(main())

"""``python -m bench``: import and page speed at county scale, measured against the naive way.

One run, ratios not absolute seconds:

1. Generate (seeded) the event-detail workbook and the county database
   (:mod:`bench.generate`).
2. Import: the project's full import (read, recognise, clean, validate, load,
   commit: ``ingest.import_file``) of the workbook into a fresh database holding
   the units, against, on the same file, ``pandas.read_excel(engine="openpyxl")``
   alone and the raw calamine read alone. Each measurement runs in its own fresh
   process, ``--repeat`` times, interleaved; the median counts. Peak memory is the
   process's peak resident set (``VmHWM``, reset just before the import through
   ``/proc/self/clear_refs``; ``ru_maxrss`` where that is not possible) minus
   its resident set just before, so the interpreter and libraries do not count.
3. Pages: every page listed in ``app.py`` (read from its ``st.Page("...")``
   calls at run time), each in a fresh process under ``AppTest`` with
   ``DASHBOARD_DB`` pointing at the county database: *cold* is the first run
   after what the server does at start (:func:`ui.preload.warm`: modules imported,
   caches empty), *cache-cold* a run after
   ``st.cache_data.clear()`` (modules loaded), *warm* the median of ``--runs``
   runs after those. Every option of each segmented control is run too (the
   views a user picks). For each ``plotly_chart`` sent: the size of its JSON
   spec and its points (per trace the longest of x / y / z / values …, summed).
4. Browser (:mod:`bench.browser`; ``--no-browser`` skips it, and it is skipped with a
   note where chromium is missing): the served app on a copy of the county database,
   Debian's chromium under Playwright: one user's log-in to a drawn 总览 (cold server,
   then warm), and ``--sessions`` users logging in, switching pages and opening pages at
   the same moment; median and p95 seconds to a drawn page.

The table is printed and the whole result written as JSON under ``--out``
(``bench/results/`` by default, not committed). Tests run this at a tiny size
and never assert on time.
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

APP = ROOT / "app.py"
RESULTS = ROOT / "bench" / "results"
#: a child process prints its result on one line starting with this
MARK = "BENCH-RESULT "

#: the issue's targets
TARGETS = {
    "import_vs_openpyxl": 0.35,
    "import_vs_calamine": 1.2,
    "import_memory_vs_file": 25.0,
    "page_warm_s": 0.25,   # issue 14: every page and every variant, warm median
    "page_cold_s": 1.5,    # issue 14: the first run after the server started (and a variant's first run)
    "chart_points": 5000,
    "bench_s": 600.0,
}

PAGE_CALL = re.compile(r"st\.Page\(\s*(?:page\s*=\s*)?[rRuU]?(['\"])(?P<path>[^'\"]+\.py)\1(?P<rest>[^)]*)\)")
TITLE_ARG = re.compile(r"title\s*=\s*(['\"])(?P<title>[^'\"]*)\1")


def app_pages(app: Path = APP) -> list[dict[str, str]]:
    """Every page script ``app.py`` lists, in its order: ``{"path": "views/x.py", "title": "…"}``.

    Read from the ``st.Page("…")`` calls each time, so a renamed folder needs no change here.
    """
    pages = []
    for match in PAGE_CALL.finditer(app.read_text(encoding="utf-8")):
        if match["path"].endswith("/login.py"):
            continue  # shown only to a visitor; the benchmark runs logged in as an administrator
        title = TITLE_ARG.search(match["rest"])
        pages.append({"path": match["path"], "title": title["title"] if title else Path(match["path"]).stem})
    if not pages:
        raise RuntimeError(f"no st.Page(\"….py\") found in {app}")
    return pages


# =========================================================================== child processes


def _proc_status() -> dict[str, int]:
    """VmRSS and VmHWM of this process in bytes (empty where /proc is missing)."""
    out: dict[str, int] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def _reset_peak() -> bool:
    """Reset this process's peak RSS (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return "VmHWM" in _proc_status()


def _measured(fn: Callable[[], int]) -> dict[str, Any]:
    """Time ``fn`` once and measure the peak RSS it adds; fn returns the rows it handled."""
    gc.collect()
    before = _proc_status().get("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    reset = _reset_peak()
    start = time.perf_counter()
    rows = fn()
    seconds = time.perf_counter() - start
    peak = _proc_status()["VmHWM"] if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"seconds": seconds, "rows": rows, "rss_before": before, "peak_rss": peak,
            "peak_delta": max(peak - before, 0), "memory_method": "VmHWM reset" if reset else "ru_maxrss"}


def _child_calamine(spec: dict[str, Any]) -> dict[str, Any]:
    import python_calamine

    def read() -> int:
        rows = python_calamine.CalamineWorkbook.from_path(spec["file"]).get_sheet_by_index(0).to_python()
        return len(rows) - 1  # the header

    return _measured(read)


def _child_fastexcel(spec: dict[str, Any]) -> dict[str, Any]:
    """fastexcel alone (calamine → Arrow), every column as text: the floor of an Arrow-native import."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    import fastexcel

    def read() -> int:
        sheet = fastexcel.read_excel(spec["file"]).load_sheet(0, header_row=None, dtypes="string", eager=True)
        return sheet.num_rows - 1  # the header

    return _measured(read)


def _child_openpyxl(spec: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    return _measured(lambda: len(pd.read_excel(spec["file"], engine="openpyxl")))


def _import_once(spec: dict[str, Any]) -> tuple[Any, Callable[[], int]]:
    """An open connection, and the import over it: read the bytes, import_file (validate, load, commit)."""
    import database
    from ingest import import_file

    con = database.connect(spec["db"])
    path = Path(spec["file"])

    def run() -> int:
        result = import_file(con, path.read_bytes(), path.name, uploader="bench")
        if not result.ok:
            raise RuntimeError(result.summary() + "\n" + result.report_frame().head(20).to_string())
        return sum(s.rows_loaded for s in result.sheets)

    return con, run


def _child_import(spec: dict[str, Any]) -> dict[str, Any]:
    con, run = _import_once(spec)
    try:
        return _measured(run)
    finally:
        con.close()


def _child_profile(spec: dict[str, Any]) -> dict[str, Any]:
    """The import once under pyinstrument (if installed) or cProfile; the top functions by own time."""
    con, run = _import_once(spec)
    try:
        try:
            from pyinstrument import Profiler
        except ImportError:
            Profiler = None
        if Profiler is not None:
            profiler = Profiler(interval=0.001)
            profiler.start()
            start = time.perf_counter()
            run()
            seconds = time.perf_counter() - start
            profiler.stop()
            text = profiler.output_text(unicode=True, color=False)
            own: dict[str, float] = {}

            def walk(frame: Any) -> None:
                if frame is None:
                    return
                if not frame.is_synthetic:  # "[self]" frames: their time is already in the parent's self time
                    name = f"{frame.function} ({Path(frame.file_path_short or '').name}:{frame.line_no})"
                    own[name] = own.get(name, 0.0) + frame.total_self_time
                for child in frame.children:
                    walk(child)

            walk(profiler.last_session.root_frame())
            tool = "pyinstrument"
        else:
            import cProfile
            import io
            import pstats

            profile = cProfile.Profile()
            start = time.perf_counter()
            profile.runcall(run)
            seconds = time.perf_counter() - start
            buffer = io.StringIO()
            stats = pstats.Stats(profile, stream=buffer).sort_stats("cumulative")
            stats.print_stats(40)
            text = buffer.getvalue()
            own = {f"{fn} ({Path(file).name}:{line})": tt
                   for (file, line, fn), (_cc, _nc, tt, _ct, _callers) in stats.stats.items()}  # type: ignore[attr-defined]
            tool = "cProfile"
    finally:
        con.close()
    Path(spec["report"]).write_text(text, encoding="utf-8")
    top = sorted(own.items(), key=lambda kv: kv[1], reverse=True)[:15]
    return {"tool": tool, "seconds": seconds, "report": spec["report"],
            "top_self": [{"function": f, "seconds": round(s, 4), "share": round(s / seconds, 4)} for f, s in top]}


# --------------------------------------------------------------------------- pages


def _array_len(value: Any) -> int:
    """Points in a plotly data array: a list, nested lists (z), or plotly's base64 typed array."""
    if isinstance(value, dict) and "bdata" in value:
        shape = value.get("shape")
        if shape:
            dims = [int(d) for d in (shape.split(",") if isinstance(shape, str) else shape)]
            return math.prod(dims)
        size = int(re.sub(r"\D", "", value.get("dtype", "f8")) or 8)
        return len(base64.b64decode(value["bdata"])) // size
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, (list, tuple)) for v in value):
            return sum(_array_len(v) for v in value)
        return len(value)
    return 0


POINT_KEYS = ("x", "y", "z", "values", "lat", "lon", "r", "theta", "a", "b", "c")


def chart_payloads(at: Any) -> list[dict[str, Any]]:
    """Every plotly chart of the last run: key, JSON spec size in bytes, traces and points."""
    out = []
    for element in at.get("plotly_chart"):
        spec = element.proto.spec
        figure = json.loads(spec) if spec else {}
        traces = figure.get("data", [])
        points = sum(max((_array_len(t.get(k)) for k in POINT_KEYS), default=0) for t in traces)
        out.append({"key": getattr(element, "key", None) or element.proto.id[-40:], "bytes": len(spec.encode()),
                    "traces": len(traces), "points": points})
    return out


def _table_rows(at: Any) -> int:
    rows = 0
    for df in at.dataframe:
        try:
            rows = max(rows, len(df.value))
        except Exception:  # a styled or odd frame: its size is not what we measure
            continue
    return rows


def _timed_run(at: Any) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def _errors(at: Any) -> list[str]:
    return [(str(e.value) + "\n" + "\n".join(e.stack_trace[-3:]))[:1500] for e in at.exception]


def _child_page(spec: dict[str, Any]) -> dict[str, Any]:
    os.environ["DASHBOARD_DB"] = spec["db"]
    import streamlit as st
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    # errors in full: the app's config hides them from users, the benchmark must say what broke
    config.set_option("client.showErrorDetails", "full")
    runs = spec["runs"]
    at = AppTest.from_file(spec["app"], default_timeout=spec["timeout"])
    # pages need a logged-in user: an administrator sees every page (every run re-reads the account)
    import accounts
    import database

    con = database.connect(spec["db"])
    try:
        user = accounts.get_user(con, "bench") or accounts.create_user(
            con, "bench", "基准测试", accounts.ADMIN, accounts.new_password(), actor="基准测试", now=datetime.now())
    finally:
        con.close()
    at.session_state["auth"] = {"username": "bench", "display_name": "基准测试", "role": "管理员", "unit": None,
                                "email": None, "session_version": user.session_version, "logged_in_at": datetime.now()}
    at.switch_page(spec["page"])  # before the first run: the first run *is* this page
    # what the server does when it starts (python -m ui.serve, i.e. make run): the first session's run is cold
    # on data (empty caches), not on imports
    from ui.preload import warm

    warm()
    cold = _timed_run(at)
    errors = _errors(at)
    st.cache_data.clear()
    cache_cold = _timed_run(at)
    warm = [_timed_run(at) for _ in range(runs)]
    errors += _errors(at)
    result: dict[str, Any] = {
        "cold_s": cold, "cache_cold_s": cache_cold, "warm_runs_s": warm, "warm_median_s": statistics.median(warm),
        "charts": chart_payloads(at), "largest_table_rows": _table_rows(at), "variants": [], "skipped_controls": [],
    }
    for control in list(at.segmented_control):
        key, default = control.key, control.value
        if not key:
            continue
        if any(str(control.format_func(o)) != o for o in control.options):
            result["skipped_controls"].append(key)  # labels are not values: cannot set them by label
            continue
        for option in control.options:
            if option == default:
                continue
            at.segmented_control(key=key).set_value(option)
            first = _timed_run(at)
            again = [_timed_run(at) for _ in range(max(1, runs // 2))]
            result["variants"].append({
                "control": key, "option": option, "first_s": first, "warm_median_s": statistics.median(again),
                "charts": chart_payloads(at), "largest_table_rows": _table_rows(at), "errors": _errors(at),
            })
        at.segmented_control(key=key).set_value(default)
        at.run()
    result["errors"] = errors
    return result


CHILDREN: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "calamine": _child_calamine,
    "fastexcel": _child_fastexcel,
    "openpyxl": _child_openpyxl,
    "import": _child_import,
    "profile": _child_profile,
    "page": _child_page,
}


def run_child(kind: str, spec: dict[str, Any], env: dict[str, str] | None = None,
              timeout: float = 900) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its result dict back."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--child", kind, "--spec", json.dumps(spec)],
        cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout, check=False,
    )
    line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith(MARK)), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"bench child {kind} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(line[len(MARK):])


# =========================================================================== the parent


def _median(runs: list[dict[str, Any]], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def bench_import(workbook: Path, units_db: Path, county_db: Path | None, work: Path, repeat: int,
                 log: Callable[[str], None], openpyxl: bool = True) -> dict[str, Any]:
    """The four reads of the same file, interleaved, each in a fresh process, ``repeat`` times;
    then the same import into the county database (skipped when ``county_db`` is None)."""
    runs: dict[str, list[dict[str, Any]]] = {"calamine": [], "fastexcel": [], "import": [], "openpyxl": []}
    if not openpyxl:  # python -m bench.imports --no-openpyxl: the slow reference left out
        del runs["openpyxl"]
    for rep in range(repeat):
        for kind in runs:
            spec: dict[str, Any] = {"file": str(workbook)}
            target = work / f"import-{rep}.duckdb"
            if kind == "import":
                shutil.copyfile(units_db, target)
                spec["db"] = str(target)
            runs[kind].append(run_child(kind, spec))
            log(f"  {kind:9s} run {rep + 1}/{repeat}: {runs[kind][-1]['seconds']:.2f} s")
            target.unlink(missing_ok=True)
    rows = {kind: {r["rows"] for r in rs} for kind, rs in runs.items()}
    if len(set.union(*rows.values())) != 1:
        raise RuntimeError(f"the four reads disagree on the number of rows: {rows}")

    big = {"seconds": math.nan, "peak_delta": math.nan}
    if county_db is not None:  # the same file into the county database (its events table already large)
        into = work / "county-import.duckdb"
        shutil.copyfile(county_db, into)
        big = run_child("import", {"file": str(workbook), "db": str(into)})
        into.unlink(missing_ok=True)
        log(f"  import into the county database: {big['seconds']:.2f} s")

    size = workbook.stat().st_size
    seconds = {kind: _median(rs) for kind, rs in runs.items()}
    seconds.setdefault("openpyxl", math.nan)
    peak = max(r["peak_delta"] for r in runs["import"])
    return {
        "file": workbook.name, "file_bytes": size, "rows": runs["import"][0]["rows"], "repeat": repeat,
        "import_s": seconds["import"], "openpyxl_s": seconds["openpyxl"], "calamine_s": seconds["calamine"],
        "fastexcel_s": seconds["fastexcel"],
        "import_vs_openpyxl": seconds["import"] / seconds["openpyxl"],
        "import_vs_calamine": seconds["import"] / seconds["calamine"],
        "import_vs_fastexcel": seconds["import"] / seconds["fastexcel"],
        "fastexcel_vs_calamine": seconds["fastexcel"] / seconds["calamine"],
        "rows_per_s": runs["import"][0]["rows"] / seconds["import"],
        "import_peak_bytes": peak, "import_peak_vs_file": peak / size,
        "openpyxl_peak_bytes": max((r["peak_delta"] for r in runs.get("openpyxl", [])), default=math.nan),
        "calamine_peak_bytes": max(r["peak_delta"] for r in runs["calamine"]),
        "fastexcel_peak_bytes": max(r["peak_delta"] for r in runs["fastexcel"]),
        "memory_method": runs["import"][0]["memory_method"]
        + ": peak RSS of a fresh child process during the measured call minus its RSS just before",
        "into_county_db_s": big["seconds"], "into_county_db_peak_bytes": big["peak_delta"],
        "runs": runs,
    }


def bench_pages(db: Path, runs: int, jobs: int, timeout: float, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Every page of app.py, each in its own fresh process."""
    pages = app_pages()

    def one(page: dict[str, str]) -> dict[str, Any]:
        target = db
        if jobs > 1:  # DuckDB lets one process at a time open a file for writing: each gets its own copy
            target = db.with_name(f"{db.stem}-{Path(page['path']).stem}.duckdb")
            shutil.copyfile(db, target)
        spec = {"app": str(APP), "page": page["path"], "db": str(target), "runs": runs, "timeout": timeout}
        try:
            result = run_child("page", spec, timeout=timeout * (runs + 20))
        except Exception as exc:  # a broken page is a result, not the end of the benchmark
            result = {"errors": [f"{type(exc).__name__}: {exc}"[-2000:]], "charts": [], "variants": []}
        finally:
            if target != db:
                target.unlink(missing_ok=True)
        result = {**page, **result}
        result["ok"] = not result["errors"] and not any(v["errors"] for v in result["variants"])
        log(f"  {page['path']:24s} cold {result.get('cold_s', float('nan')):.2f} s, "
            f"warm {result.get('warm_median_s', float('nan')):.3f} s{'' if result['ok'] else '  ERROR'}")
        return result

    if jobs > 1:
        with ThreadPoolExecutor(jobs) as pool:
            return list(pool.map(one, pages))
    return [one(p) for p in pages]


def _charts_summary(pages: list[dict[str, Any]]) -> dict[str, Any]:
    charts = [(p["path"], None, c) for p in pages for c in p["charts"]]
    charts += [(p["path"], f"{v['control']}={v['option']}", c) for p in pages for v in p["variants"]
               for c in v["charts"]]
    if not charts:
        return {"count": 0, "largest_bytes": 0, "largest": None, "max_points": 0, "max_points_chart": None}
    big = max(charts, key=lambda c: c[2]["bytes"])
    many = max(charts, key=lambda c: c[2]["points"])

    def name(c: tuple[str, str | None, dict[str, Any]]) -> str:
        return f"{c[0]}{' [' + c[1] + ']' if c[1] else ''} {c[2]['key']}"

    return {"count": len(charts), "largest_bytes": big[2]["bytes"], "largest": name(big),
            "max_points": many[2]["points"], "max_points_chart": name(many)}


def _target(name: str, value: float, limit: float, where: str = "") -> dict[str, Any]:
    ok = value <= limit
    return {"target": name, "value": value, "limit": limit, "pass": ok, "where": where,
            "over_by": None if ok else value / limit}


def targets(imp: dict[str, Any], pages: list[dict[str, Any]], charts: dict[str, Any],
            total_s: float) -> list[dict[str, Any]]:
    measured = [p for p in pages if "warm_median_s" in p]
    # every page and every variant (a segmented control's option): its warm median, and its first run
    runs = [(p["path"], p["warm_median_s"], p["cold_s"]) for p in measured]
    runs += [(f"{p['path']} · {v['control']}={v['option']}", v["warm_median_s"], v["first_s"])
             for p in measured for v in p.get("variants", []) if "warm_median_s" in v]
    slowest = max(runs, key=lambda r: r[1], default=None)
    coldest = max(runs, key=lambda r: r[2], default=None)
    warm = {"path": slowest[0], "warm_median_s": slowest[1]} if slowest else None
    cold = {"path": coldest[0], "cold_s": coldest[2]} if coldest else None
    return [
        _target("import ≤ 0.35 × openpyxl read", imp["import_vs_openpyxl"], TARGETS["import_vs_openpyxl"]),
        _target("import ≤ 1.2 × calamine read", imp["import_vs_calamine"], TARGETS["import_vs_calamine"]),
        _target("import peak memory ≤ 25 × file size", imp["import_peak_vs_file"], TARGETS["import_memory_vs_file"]),
        _target("every page and variant warm median ≤ 0.25 s", warm["warm_median_s"] if warm else math.inf,
                TARGETS["page_warm_s"], warm["path"] if warm else "no page ran"),
        _target("every page and variant cold ≤ 1.5 s", cold["cold_s"] if cold else math.inf, TARGETS["page_cold_s"],
                cold["path"] if cold else "no page ran"),
        _target("no chart over 5,000 points", charts["max_points"], TARGETS["chart_points"],
                charts["max_points_chart"] or ""),
        _target("make bench < 10 min", total_s, TARGETS["bench_s"]),
    ]


# --------------------------------------------------------------------------- output


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width: CJK characters take two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 0)


OPENPYXL_LABEL = 'pandas.read_excel(engine="openpyxl") alone'


def format_import(imp: dict[str, Any]) -> list[str]:
    """The import section of the table."""
    return [
        f"IMPORT of {imp['file']} — median of {imp['repeat']} fresh processes each",
        f"  {'project import (read, validate, load, commit)':48s} {imp['import_s']:8.2f} s   "
        f"{imp['rows_per_s']:,.0f} rows/s",
        f"  {OPENPYXL_LABEL:48s} {imp['openpyxl_s']:8.2f} s   "
        f"import = {imp['import_vs_openpyxl']:.3f} × (target ≤ {TARGETS['import_vs_openpyxl']})",
        f"  {'raw calamine read alone':48s} {imp['calamine_s']:8.2f} s   "
        f"import = {imp['import_vs_calamine']:.2f} × (target ≤ {TARGETS['import_vs_calamine']})",
        f"  {'raw fastexcel read alone (all text, Arrow)':48s} {imp['fastexcel_s']:8.2f} s   "
        f"import = {imp['import_vs_fastexcel']:.2f} × (fastexcel = {imp['fastexcel_vs_calamine']:.2f} × calamine)",
        f"  {'import peak memory (RSS added)':48s} {_mb(imp['import_peak_bytes']):>10s}   "
        f"= {imp['import_peak_vs_file']:.1f} × file (target ≤ {TARGETS['import_memory_vs_file']:g} ×); "
        f"openpyxl {_mb(imp['openpyxl_peak_bytes'])}, calamine {_mb(imp['calamine_peak_bytes'])}, "
        f"fastexcel {_mb(imp['fastexcel_peak_bytes'])}",
        f"  {'same import into the county database':48s} {imp['into_county_db_s']:8.2f} s",
    ]


def format_table(result: dict[str, Any]) -> str:
    imp, gen, size = result["import"], result["generate"], result["sizes"]
    lines = [
        f"领航看板 bench — {result['meta']['started']} — {result['meta']['machine']}",
        f"sizes: workbook {size['events']:,} rows ({_mb(gen['workbook']['bytes'])}, written in "
        f"{gen['workbook']['seconds']:.1f} s); database {size['db_events']:,} events, {size['grids']:,} grids × "
        f"{size['months']} months ({_mb(gen['database']['bytes'])}, built in {gen['database']['seconds']:.1f} s)",
        "",
        *format_import(imp),
        "",
        f"PAGES under AppTest, {size['db_events']:,} events — seconds; warm = median of {result['meta']['runs']} runs",
        f"  {'page':34s} {'cold':>6s} {'cache-cold':>10s} {'warm':>7s}  {'charts':>6s} {'max pts':>8s} "
        f"{'max spec':>10s} {'max rows':>8s}  ok",
    ]
    for p in result["pages"]:
        charts = p.get("charts", [])
        label = f"{p['title']} {p['path']}"
        if "warm_median_s" not in p:
            lines.append(f"  {_pad(label, 34)} failed: {p['errors'][0][:80]}")
            continue
        lines.append(
            f"  {_pad(label, 34)} {p['cold_s']:6.2f} {p['cache_cold_s']:10.2f} {p['warm_median_s']:7.3f}  "
            f"{len(charts):6d} {max((c['points'] for c in charts), default=0):8,d} "
            f"{max((c['bytes'] for c in charts), default=0):10,d} "
            f"{p.get('largest_table_rows', 0):8,d}  {'yes' if p['ok'] else 'NO'}")
        for v in p["variants"]:
            vc = v["charts"]
            lines.append(
                f"    {_pad(v['control'] + '=' + v['option'], 32)} {v['first_s']:6.2f} {'':10s} "
                f"{v['warm_median_s']:7.3f}  "
                f"{len(vc):6d} {max((c['points'] for c in vc), default=0):8,d} "
                f"{max((c['bytes'] for c in vc), default=0):10,d} {v['largest_table_rows']:8,d}  "
                f"{'no' if v['errors'] else 'yes'}")
    ch = result["charts"]
    lines += [
        f"  largest chart payload: {ch['largest_bytes']:,} bytes ({ch['largest']}); "
        f"most points: {ch['max_points']:,} ({ch['max_points_chart']})",
        "",
    ]
    if "browser" in result:
        from bench.browser import format_browser

        lines += [*format_browser(result["browser"], _pad), ""]
    lines.append("TARGETS")
    for t in result["targets"]:
        verdict = "pass" if t["pass"] else f"MISSED ({t['over_by']:.2f} × the limit)"
        where = f" — {t['where']}" if t["where"] else ""
        lines.append(f"  {t['target']:40s} {t['value']:10.3f} (limit {t['limit']:g}) {verdict}{where}")
    lines.append(f"\nbench took {result['seconds_total']:.0f} s")
    return "\n".join(lines)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("streamlit", "pandas", "duckdb", "openpyxl", "python-calamine", "fastexcel", "pyarrow", "plotly",
                 "pyinstrument"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--child" in argv:  # a measurement: import nothing more than it needs, so a cold run stays cold
        child = argparse.ArgumentParser(prog="python -m bench.run")
        child.add_argument("--child", choices=sorted(CHILDREN), required=True)
        child.add_argument("--spec", required=True)
        return child.parse_args(argv)

    from bench import generate as g

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=g.DEFAULT_WORKBOOK_EVENTS, help="rows of the workbook")
    parser.add_argument("--db-events", type=int, default=g.DEFAULT_DB_EVENTS, help="events in the database")
    parser.add_argument("--grids", type=int, default=g.DEFAULT_GRIDS, help="grids in the database")
    parser.add_argument("--months", type=int, default=g.DEFAULT_MONTHS, help="months of grid statistics and events")
    parser.add_argument("--seed", type=int, default=g.SEED)
    parser.add_argument("--repeat", type=int, default=3, help="fresh-process runs of each import measurement")
    parser.add_argument("--runs", type=int, default=7, help="warm runs of each page (median)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="pages measured in parallel (only for smoke tests: timings then compete for the CPU)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds allowed for one page run")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--work", type=Path, default=None, help="where the generated files go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated workbook and databases")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one import (pyinstrument if installed, else cProfile) into --out")
    parser.add_argument("--quiet", action="store_true", help="print only the table")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser section (chromium)")
    parser.add_argument("--sessions", type=int, default=10, help="browser sessions opening pages at once")
    parser.add_argument("--browser-repeat", type=int, default=4,
                        help="log-ins of one user alone in chromium (the first meets a cold server)")
    parser.add_argument("--browser-rounds", type=int, default=1,
                        help="rounds of the sessions opening each page at once")
    args = parser.parse_args(argv)
    args.child = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(MARK + json.dumps(CHILDREN[args.child](json.loads(args.spec)), default=str), flush=True)
        return 0

    from bench import generate as g

    started = time.perf_counter()

    def log(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        log(f"writing the {args.events:,}-row event workbook …")
        workbook = work / "事件明细_bench.xlsx"
        gen_wb = g.write_event_workbook(workbook, args.events, args.seed)
        log(f"building the {args.db_events:,}-event database …")
        county = work / "county.duckdb"
        gen_db = g.build_database(county, args.db_events, args.grids, args.months, args.seed)
        units_db = work / "units.duckdb"
        g.build_units_database(units_db)

        log("import: project import vs openpyxl vs calamine …")
        imp = bench_import(workbook, units_db, county, work, args.repeat, log)
        profile = None
        if args.profile:
            log("profiling one import …")
            target = work / "profile.duckdb"
            shutil.copyfile(units_db, target)
            args.out.mkdir(parents=True, exist_ok=True)
            profile = run_child("profile", {"file": str(workbook), "db": str(target),
                                            "report": str(args.out / "import-profile.txt")})
        log("pages …")
        pages = bench_pages(county, args.runs, args.jobs, args.timeout, log)
        if args.no_browser:
            browser_result: dict[str, Any] = {"skipped": "--no-browser"}
        else:
            from bench.browser import bench_browser

            log("browser …")
            browser_result = bench_browser(county, work / "browser", args.sessions, args.browser_repeat,
                                           args.browser_rounds, args.timeout, log)
            if "skipped" in browser_result:
                log(f"browser section skipped: {browser_result['skipped']}")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    total = time.perf_counter() - started
    charts = _charts_summary(pages)
    result = {
        "meta": {"started": datetime.now().isoformat(timespec="seconds"), "machine":
                 f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
                 "versions": _versions(), "command": "python -m bench " + " ".join(argv or sys.argv[1:]),
                 "runs": args.runs, "repeat": args.repeat, "jobs": args.jobs, "seed": args.seed},
        "sizes": {"events": args.events, "db_events": args.db_events, "grids": args.grids, "months": args.months},
        "generate": {"workbook": gen_wb, "database": gen_db},
        "import": imp,
        "profile": profile,
        "pages": pages,
        "browser": browser_result,
        "charts": charts,
        "seconds_total": total,
    }
    result["targets"] = targets(imp, pages, charts, total)
    print(format_table(result))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    text = json.dumps(result, ensure_ascii=False, indent=1, default=str)
    path.write_text(text, encoding="utf-8")
    (args.out / "latest.json").write_text(text, encoding="utf-8")
    print(f"written: {path}")
    return 0 if all(p["ok"] for p in pages) and browser_result.get("ok", "skipped" in browser_result) else 1


if __name__ == "__main__":
    sys.exit(main())

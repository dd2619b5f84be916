"""The benchmark (``python -m bench``) end to end at a tiny size, so it cannot rot.

Never asserts on time: only that every measurement is there, every page of
app.py ran without an exception, and the generators are deterministic.
"""

from __future__ import annotations

import base64
import json
import struct
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench import generate
from bench.browser import PAGES, format_browser, p95
from bench.run import _array_len, app_pages, format_table, main, parse_args
from conftest import ROOT

TINY = ["--events", "500", "--db-events", "2000", "--grids", "60", "--repeat", "1", "--runs", "2", "--jobs", "2",
        "--quiet", "--sessions", "2", "--browser-repeat", "2", "--browser-rounds", "1"]


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    assert main([*TINY, "--out", str(out), "--work", str(out / "work")]) == 0
    data = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    data["_out"] = out
    return data


def test_result_has_every_section(result):
    expected = {"meta", "sizes", "generate", "import", "profile", "pages", "charts", "browser", "targets",
                "seconds_total"}
    assert expected <= set(result)
    assert result["sizes"] == {"events": 500, "db_events": 2000, "grids": 60, "months": 36}
    assert result["generate"]["workbook"]["rows"] == 500
    assert result["generate"]["database"]["rows"]["events"] == 2000
    assert result["generate"]["database"]["rows"]["grid_stats"] == 60 * 36


def test_import_measures_all_three_reads(result):
    imp = result["import"]
    for key in ("import_s", "openpyxl_s", "calamine_s", "import_vs_openpyxl", "import_vs_calamine", "rows_per_s",
                "import_peak_bytes", "import_peak_vs_file", "openpyxl_peak_bytes", "calamine_peak_bytes",
                "memory_method", "into_county_db_s", "file_bytes"):
        assert key in imp, key
    assert imp["rows"] == 500
    assert {r["rows"] for runs in imp["runs"].values() for r in runs} == {500}  # all three read every row
    assert imp["import_s"] > 0 and imp["calamine_s"] > 0 and imp["openpyxl_s"] > 0


def test_every_page_of_the_app_ran_without_exception(result):
    pages = result["pages"]
    assert [p["path"] for p in pages] == [p["path"] for p in app_pages()]
    for page in pages:
        assert page["ok"] and page["errors"] == [], (page["path"], page["errors"])
        for key in ("cold_s", "cache_cold_s", "warm_median_s", "warm_runs_s", "charts", "largest_table_rows"):
            assert key in page, (page["path"], key)
        assert len(page["warm_runs_s"]) == 2
        for chart in page["charts"]:
            assert {"key", "bytes", "traces", "points"} <= set(chart)
        for variant in page["variants"]:
            assert variant["errors"] == [], (page["path"], variant["option"])
    assert any(p["charts"] for p in pages)
    assert result["charts"]["count"] >= 1 and result["charts"]["max_points"] >= 1


def test_browser_figures_are_there(result):
    """Chromium on the served app: one user's log-ins (cold, then warm) and 2 sessions at once, every page drawn."""
    b = result["browser"]
    assert "skipped" not in b and "error" not in b, b
    assert b["ok"] and b["sessions"] == 2 and b["pages"] == ["总览", "网格治理", "周调度"]
    alone, together = b["alone"], b["concurrent"]
    assert alone["errors"] == 0 and together["errors"] == 0
    assert alone["log_in_cold_s"] > 0 and alone["log_in_form_cold_s"] > 0
    assert alone["log_in_warm"]["n"] == 1 and alone["log_in_warm"]["median_s"] > 0  # 2 log-ins: the first is cold
    assert 0 < alone["log_in_served_warm_median_s"] <= alone["log_in_warm"]["median_s"]
    assert alone["overview_charts"] >= 1  # 总览's chart was there, and drawn, when the clock stopped
    figures = [together["log_in"]]
    for action in ("switch", "load"):
        assert set(alone[action]) == set(together[action]) == set(b["pages"]), action
        for page in b["pages"]:
            one, many = alone[action][page], together[action][page]
            assert one["first_s"] > 0 and one["warm"]["median_s"] > 0 and one["charts"] >= 1, (action, page)
            assert 0 < one["served_warm_median_s"] <= one["warm"]["median_s"], (action, page)
            figures.append(many)
    assert alone["switch"]["网格治理"]["charts"] >= 2  # its bars and its trend
    for many in figures:
        assert many["n"] == 2 and len(many["runs_s"]) == 2  # one round of 2 sessions
        assert 0 < many["median_s"] <= many["p95_s"] <= many["max_s"]
        assert all(0 < s <= d for s, d in zip(many["served_runs_s"], many["runs_s"], strict=True))
        assert many["start_spread_ms"] >= 0
    assert "BROWSER" in format_table(result) and "2 users at once" in format_table(result)


def test_browser_pages_are_pages_of_the_app():
    paths = {p["path"] for p in app_pages()}
    for page in PAGES:
        assert f"views/{page['path'] or 'overview'}.py" in paths
        assert page["heading"] in (ROOT / f"views/{page['path'] or 'overview'}.py").read_text(encoding="utf-8")


def test_p95_between_the_nearest_ranks():
    assert p95([float(v) for v in range(1, 11)]) == pytest.approx(9.55)  # rank 1 + 0.95 × 9 = 9.55
    assert p95([1.0, 2.0]) == pytest.approx(1.95)
    assert p95([3.0]) == 3.0


def test_browser_options():
    defaults = parse_args([])
    assert (defaults.no_browser, defaults.sessions, defaults.browser_repeat, defaults.browser_rounds) == (False, 10, 4, 1)
    assert parse_args(["--no-browser", "--sessions", "3"]).no_browser is True
    assert parse_args(["--sessions", "3"]).sessions == 3


def test_browser_section_says_why_it_was_skipped():
    assert format_browser({"skipped": "未找到 chromium"}) == ["BROWSER skipped: 未找到 chromium"]


def test_targets_are_all_judged(result):
    names = [t["target"] for t in result["targets"]]
    assert len(names) == 7
    for t in result["targets"]:
        assert {"value", "limit", "pass", "over_by"} <= set(t)
        assert t["pass"] == (t["value"] <= t["limit"])


def test_app_pages_are_read_from_app_py():
    pages = app_pages()
    assert pages and all((ROOT / p["path"]).is_file() for p in pages)
    assert len({p["path"] for p in pages}) == len(pages)


def test_app_pages_regex(tmp_path):
    app = tmp_path / "app.py"
    app.write_text('x = [st.Page("views/a.py", title="甲", default=True),\n'
                   "     st.Page('views/b.py', icon=':material/x:')]\n", encoding="utf-8")
    assert app_pages(app) == [{"path": "views/a.py", "title": "甲"}, {"path": "views/b.py", "title": "b"}]


@pytest.mark.parametrize("value, expected", [
    ([1, 2, 3], 3),
    ([], 0),
    ([[1, 2], [3, 4], [5, 6]], 6),  # a heatmap's z: every cell
    ({"dtype": "f8", "bdata": base64.b64encode(struct.pack("<3d", 1, 2, 3)).decode()}, 3),
    ({"dtype": "i1", "bdata": base64.b64encode(bytes(6)).decode(), "shape": "2, 3"}, 6),
    (None, 0),
])
def test_array_len_counts_points(value, expected):
    assert _array_len(value) == expected


def test_generators_are_deterministic(tmp_path):
    assert generate.event_rows(40, seed=7) == generate.event_rows(40, seed=7)
    assert generate.event_rows(40, seed=7) != generate.event_rows(40, seed=8)
    rows = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.duckdb"
        generate.build_database(path, n_events=300, n_grids=12, n_months=3, seed=7)
        con = duckdb.connect(str(path), read_only=True)
        rows.append(con.execute("select * exclude (upload_id) from events order by event_id").fetchall())
        stats = con.execute("select sum(reported), sum(handled), count(*) from grid_stats").fetchone()
        con.close()
        assert stats[0] == 300 and stats[2] == 12 * 3  # every event counted once in the monthly statistics
    assert rows[0] == rows[1]


def test_month_starts():
    assert generate.month_starts(3) == [date(2022, 8, 1), date(2022, 9, 1),
                                        date(2022, 10, 1)]
    assert generate.month_starts(12)[0] == date(2021, 11, 1)


def test_results_stay_out_of_git():
    assert "bench/results/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert Path(generate.__file__).parent == ROOT / "bench"

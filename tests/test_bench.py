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
from bench.run import _array_len, app_pages, main
from conftest import ROOT

TINY = ["--events", "500", "--db-events", "2000", "--grids", "60", "--repeat", "1", "--runs", "2", "--jobs", "2",
        "--quiet"]


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    assert main([*TINY, "--out", str(out), "--work", str(out / "work")]) == 0
    data = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    data["_out"] = out
    return data


def test_result_has_every_section(result):
    expected = {"meta", "sizes", "generate", "import", "profile", "pages", "charts", "targets", "seconds_total"}
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

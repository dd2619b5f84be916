"""The server imports the project before the first session (``python -m ui.serve``, what ``make run`` starts)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_every_module_of_the_project_is_preloaded():
    from ui.preload import PACKAGES, project_modules

    names = set(project_modules())
    on_disk = {f"{p}.{f.stem}" for p in PACKAGES for f in (ROOT / p).glob("*.py")
               if f.stem not in ("__init__", "__main__")}
    assert on_disk <= names  # a new module is picked up without anyone listing it
    assert {"database", "charts", "charts_review", "export", "playlists", "contract"} <= names
    assert not any(n.endswith("__main__") for n in names)  # command lines are not run at start


def test_warm_loads_the_heavy_libraries_in_a_fresh_process():
    code = ("import json, sys; from ui.preload import warm; took = warm(); "
            "print(json.dumps({'took': sorted(took), 'loaded': [m for m in ('pandas', 'duckdb', 'plotly.graph_objects', "
            "'openpyxl', 'fastexcel', 'docx', 'analytics.disposal', 'ui.grid_view', 'bulletin.word') if m in sys.modules]}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["took"] == ["matplotlib", "modules", "plotly"]
    assert out["loaded"] == ["pandas", "duckdb", "plotly.graph_objects", "openpyxl", "fastexcel", "docx",
                             "analytics.disposal", "ui.grid_view", "bulletin.word"]
    assert "No runtime found" not in done.stderr  # Streamlit's stand-in-cache warning is kept out of the log

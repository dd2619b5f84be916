"""What the first session would otherwise pay for, done once when the server starts.

``python -m ui.serve`` (what ``make run`` starts) calls :func:`warm` before Streamlit
serves anything: every module of the project (and so pandas, pyarrow, DuckDB,
plotly, openpyxl, fastexcel, python-docx) is imported, plotly builds the validators of
each kind of trace the pages draw, and matplotlib finds the bulletin's CJK font. A
session then runs only its page and the queries it needs. Nothing here touches the
database: data caches fill on first use, per data version.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the project's packages and top-level modules (``__main__`` modules are command lines: never imported)
PACKAGES = ("accounts", "analytics", "bulletin", "ingest", "ui", "workflows")
MODULES = ("database", "contract", "charts", "charts_review", "export", "playlists")


def project_modules() -> list[str]:
    names = list(MODULES)
    for package in PACKAGES:
        names.append(package)
        for info in pkgutil.iter_modules([str(ROOT / package)]):
            if info.name != "__main__":
                names.append(f"{package}.{info.name}")
    return names


def _warm_plotly() -> None:
    """One figure of each trace kind the pages use, through the same path ``st.plotly_chart`` takes."""
    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools

    fig = go.Figure([go.Scatter(x=[1, 2], y=[1, 2]), go.Bar(x=[1], y=[1], orientation="h"),
                     go.Heatmap(z=[[1, 2]]), go.Box(y=[1, 2])])
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right"}, shapes=[{"type": "line", "x0": 0, "x1": 1}],
                      annotations=[{"text": "预热"}])
    plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)


def _warm_matplotlib() -> None:
    try:
        from bulletin.charts import ChartUnavailable, cjk_font
        try:
            cjk_font()
        except ChartUnavailable:
            pass  # the bulletin says so when it is drafted
    except ImportError:  # pragma: no cover - matplotlib is in requirements.txt
        pass


def warm() -> dict[str, float]:
    """Import and warm everything; seconds per step (printed by ``ui.serve``)."""
    took: dict[str, float] = {}
    start = time.perf_counter()
    # decorating st.cache_data checks its options against a storage; before the server runs that is a
    # stand-in, and Streamlit warns so for every cached function: not news here
    import streamlit.runtime.caching.cache_data_api  # noqa: F401  (creates the logger, with its level)

    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for name in project_modules():
            importlib.import_module(name)
    finally:
        quiet.setLevel(level)
    took["modules"] = time.perf_counter() - start
    for step, fn in (("plotly", _warm_plotly), ("matplotlib", _warm_matplotlib)):
        start = time.perf_counter()
        fn()
        took[step] = time.perf_counter() - start
    return took

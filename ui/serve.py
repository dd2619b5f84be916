"""``python -m ui.serve [streamlit options]``: the dashboard, warmed before the first session.

The same as ``streamlit run app.py [options]`` (what ``make run`` used to start), except that
:func:`ui.preload.warm` runs first, in the server's own process, so the first person to log in
after a restart does not wait for pandas, plotly and the project's modules to load.
"""

from __future__ import annotations

import sys

from ui.preload import ROOT, warm


def main(argv: list[str] | None = None) -> int:
    took = warm()
    print("领航看板:预加载完成(" + ",".join(f"{k} {v:.1f} 秒" for k, v in took.items()) + ")", flush=True)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())

"""``python -m bench.imports``: only the import section of ``make bench``, the same measurement.

The same seeded 事件明细 workbook and units database as ``python -m bench``, the same
interleaved fresh-process runs (:func:`bench.run.bench_import`: raw calamine, raw fastexcel,
the project import, openpyxl), without the county database and the pages. Prints the import
lines of the table and writes the JSON to ``--out``/imports-latest.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bench import generate as g
from bench.run import RESULTS, _versions, bench_import, format_import


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=g.DEFAULT_WORKBOOK_EVENTS, help="rows of the workbook")
    parser.add_argument("--seed", type=int, default=g.SEED)
    parser.add_argument("--repeat", type=int, default=3, help="fresh-process runs of each measurement")
    parser.add_argument("--work", type=Path, default=None, help="where the workbook goes (reused if it is there)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--no-openpyxl", action="store_true", help="leave out the (slow) openpyxl read")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-imports-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        workbook = work / f"事件明细_bench_{args.events}_{args.seed}.xlsx"
        if not workbook.exists():
            log(f"writing the {args.events:,}-row event workbook …")
            g.write_event_workbook(workbook, args.events, args.seed)
        units_db = work / "units.duckdb"
        units_db.unlink(missing_ok=True)
        g.build_units_database(units_db)
        log("import: raw calamine, raw fastexcel, project import, openpyxl, interleaved …")
        imp = bench_import(workbook, units_db, None, work, args.repeat, log, openpyxl=not args.no_openpyxl)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(format_import(imp)))
    args.out.mkdir(parents=True, exist_ok=True)
    result = {"started": datetime.now().isoformat(timespec="seconds"), "versions": _versions(), "import": imp}
    (args.out / "imports-latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str),
                                                  encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

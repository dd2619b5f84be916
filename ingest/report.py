"""An import report as people read it: identical problems grouped into one line with the rows they
concern, errors before warnings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

#: columns of the grouped report
GROUPED_COLUMNS = ["级别", "工作表", "行号", "行数", "列", "原值", "问题"]
#: at most this many row ranges are listed in one line; the rest is summed up as “等”
MAX_RANGES = 6
#: at most this many distinct values are quoted in one line
MAX_VALUES = 3


def row_ranges(rows: Iterable[int]) -> str:
    """Excel row numbers as people write them: ``[3, 4, 5, 9]`` → ``第 3–5、9 行``."""
    ordered = sorted(set(int(r) for r in rows))
    if not ordered:
        return ""
    spans: list[tuple[int, int]] = []
    for r in ordered:
        if spans and r == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in spans[:MAX_RANGES]]
    more = "等" if len(spans) > MAX_RANGES else ""
    return f"第 {'、'.join(shown)}{more} 行"


def _values(values: Sequence[str]) -> str:
    distinct = list(dict.fromkeys(v for v in values if v not in ("", None)))
    if not distinct:
        return ""
    shown = "、".join(str(v) for v in distinct[:MAX_VALUES])
    return shown + (f" 等 {len(distinct):,} 个不同值" if len(distinct) > MAX_VALUES else "")


def group_problems(problems: Sequence) -> pd.DataFrame:
    """One line per (level, sheet, column, message): the rows as ranges, how many, the values written.

    ``problems`` are ``ingest.pipeline.Problem``; errors come first, then warnings, each in the order
    their first occurrence was found.
    """
    groups: dict[tuple, dict] = {}
    for p in problems:
        key = (p.level, p.sheet, p.column or "", p.message)
        group = groups.setdefault(key, {"rows": [], "values": []})
        if p.row is not None and not pd.isna(p.row):
            group["rows"].append(int(p.row))
        group["values"].append("" if p.value is None else str(p.value))
    lines = [
        (level, sheet, row_ranges(g["rows"]), len(g["rows"]) or len(g["values"]), column, _values(g["values"]), message)
        for (level, sheet, column, message), g in groups.items()
    ]
    frame = pd.DataFrame(lines, columns=GROUPED_COLUMNS)
    order = frame["级别"].map({"错误": 0}).fillna(1)
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)

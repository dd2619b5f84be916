"""Recognise a sheet: which contract sheet it is, which row is its header, which column is which."""

from __future__ import annotations

from typing import Any

from contract import SHEETS, Column, Sheet
from ingest.clean import display, is_blank, normalise_header, strip_unit
from ingest.model import ERROR, WARNING, Problem
from ingest.read import RawSheet

#: the header row may sit below up to 5 title rows
HEADER_SCAN_ROWS = 6


def _header_lookup(spec: Sheet) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for col in spec.columns:
        for name in col.names:
            lookup[normalise_header(name)] = col
    return lookup


LOOKUPS: dict[str, dict[str, Column]] = {s.name: _header_lookup(s) for s in SHEETS}


def match_header(cell: Any, spec: Sheet) -> Column | None:
    """The column a header cell names, after trimming, half-width folding and unit dropping."""
    text = normalise_header(cell)
    if not text:
        return None
    lookup = LOOKUPS[spec.name]
    return lookup.get(text) or lookup.get(strip_unit(text))


def _score(row: list[Any], spec: Sheet) -> tuple[int, int, int]:
    """(required headers present, headers matched, −unknown headers) for a candidate header row."""
    matched = {c.id for cell in row if (c := match_header(cell, spec))}
    unknown = sum(1 for cell in row if not is_blank(cell) and match_header(cell, spec) is None)
    required = sum(1 for c in spec.columns if c.required and c.id in matched)
    return required, len(matched), -unknown


def find_header(raw: RawSheet, spec: Sheet) -> int | None:
    """Index (in the sheet's rows) of the best header row for spec, or None if no row names any column."""
    best, best_score = None, (0, 0, 0)
    for i, row in enumerate(raw.head(HEADER_SCAN_ROWS)):
        score = _score(row, spec)
        if score[1] and score > best_score:
            best, best_score = i, score
    return best


def recognise(raw: RawSheet) -> tuple[Sheet, int | None] | None:
    """Which contract sheet this is: by its name, failing that by a complete header row."""
    name = normalise_header(raw.name)
    for spec in SHEETS:
        if normalise_header(spec.name) == name:
            return spec, find_header(raw, spec)
    candidates = []
    for spec in SHEETS:
        idx = find_header(raw, spec)
        if idx is None:
            continue
        required, matched, unknown = _score(raw.head(1, idx)[0], spec)
        if required == sum(1 for c in spec.columns if c.required):
            candidates.append(((matched, unknown), spec, idx))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0], reverse=True)
    return candidates[0][1], candidates[0][2]


# ---------------------------------------------------------------- parsing one sheet


def map_headers(raw: RawSheet, spec: Sheet, header_idx: int,
                problems: list[Problem]) -> dict[str, tuple[int, str]]:
    """Column id → (position in the row, header as written); unknown, repeated and missing headers reported."""
    header = raw.shown_row(header_idx)
    mapping: dict[str, tuple[int, str]] = {}
    for pos, cell in enumerate(header):
        if is_blank(cell):
            continue
        col = match_header(cell, spec)
        if col is None:
            problems.append(Problem(raw.name, raw.first_row + header_idx, display(cell), display(cell),
                                    "未知的列,已忽略(请核对表头是否与模板一致)", WARNING))
        elif col.id in mapping:
            problems.append(Problem(raw.name, raw.first_row + header_idx, display(cell), display(cell),
                                    f"与“{mapping[col.id][1]}”是同一列,表头重复"))
        else:
            mapping[col.id] = (pos, display(cell))
    for col in spec.columns:
        if col.required and col.id not in mapping:
            problems.append(Problem(raw.name, raw.first_row + header_idx, col.header, "",
                                    f"缺少必填列“{col.header}”", ERROR))
    return mapping

"""Form values checked exactly as an import checks a sheet.

A form (or one table of a form) becomes a :class:`ingest.read.RawSheet` whose header row is the
contract's headers; the import's own stages then clean every cell and apply the contract's rules, so a
user sees the same Chinese messages whether the value came from a workbook or from a page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from contract import SHEETS_BY_TABLE, Sheet

# the import's own stages: one set of rules and messages
from ingest.clean import parse_sheet
from ingest.load import load_sheet
from ingest.model import ERROR, ParsedSheet, Problem
from ingest.read import RawSheet, cell_text, text_table
from ingest.recognise import map_headers
from ingest.validate import RULES, _check_refs, check_keys

#: upload file names that mark rows written by a page instead of a file
ONLINE_WEEKLY = "在线填报"
ONLINE_APPLICATION = "在线申报"


class WorkflowError(ValueError):
    """A refused step; the message is Chinese and safe to show, ``problems`` name each bad value."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def blank_to_none(value: Any) -> Any:
    """None, NaN, NaT and pandas' NA as None; a Timestamp as a datetime (what widgets hand back)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def check_sheet(spec: Sheet, part: str, rows: Sequence[Mapping[str, Any]], problems: list[Problem],
                *, numbered: bool = True) -> ParsedSheet:
    """Clean and check ``rows`` (column id → value as the form gave it) as rows of ``spec``.

    ``part`` names the part of the form in every problem (like a sheet name); rows are numbered from 1
    as the form shows them, or not at all (``numbered=False``, a single-record form).
    """
    header = [c.header for c in spec.columns]
    cells = [["" if (v := blank_to_none(row.get(c.id))) is None else v for c in spec.columns] for row in rows]
    found: list[Problem] = []
    rows = [header, *cells]
    raw = RawSheet(part, text_table(rows, cell_text), first_row=0, _rows=rows)  # typed values, as calamine gives
    sheet = parse_sheet(raw, spec, 0, map_headers(raw, spec, 0, found), found)
    for rule in spec.rules:
        RULES[rule](sheet, found)
    if not numbered:
        for p in found:
            p.row = None
    problems.extend(found)
    return sheet


def check_refs(cur: duckdb.DuckDBPyConnection, sheets: list[ParsedSheet], project_units: Mapping[str, str | None],
               problems: list[Problem]) -> None:
    """Units and projects named must be known, and keys unique across the parts: the import's checks."""
    _check_refs(cur, sheets, dict(project_units), problems)
    check_keys(sheets, problems)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems as a table, with the import report's headers (部分 instead of 工作表); a problem of
    the whole part or of a single-record form has no row number ("—")."""
    return pd.DataFrame(
        [(p.sheet, "—" if p.row is None else str(p.row), p.column or "", p.value, p.message) for p in problems],
        columns=["部分", "行号", "列", "原值", "问题"],
    )


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def log_upload(cur: duckdb.DuckDBPyConnection, file_name: str, sheets: Sequence[ParsedSheet], uploader: str,
               content: Any, now: datetime) -> int:
    """An ``uploads`` row for rows a page writes (status imported: it bumps the data version, and an
    administrator can roll it back like a file). The checksum is of the content and the moment, so it
    never matches a file."""
    digest = hashlib.sha256(json.dumps([file_name, uploader, now, content], ensure_ascii=False,
                                       default=_json_default).encode()).hexdigest()
    rows = sum(s.rows_read for s in sheets)
    return int(cur.execute(
        """insert into uploads (uploaded_at, file_name, sha256, sheets, uploader, rows_read, rows_loaded,
                                rows_replaced, status)
           values (?, ?, ?, ?, ?, ?, 0, 0, 'imported') returning id""",
        [now, file_name, digest, "、".join(f"{file_name}→{s.spec.name}" for s in sheets), uploader, rows],
    ).fetchone()[0])


def load(cur: duckdb.DuckDBPyConnection, sheets: Sequence[ParsedSheet], upload_id: int) -> int:
    """Write the sheets as an import does (replacing rows of the same key, archiving what they replace);
    returns the number of rows replaced."""
    for sheet in sorted(sheets, key=lambda s: s.spec.order):
        load_sheet(cur, sheet, upload_id)
    loaded, replaced = sum(s.rows_loaded for s in sheets), sum(s.rows_replaced for s in sheets)
    cur.execute("update uploads set rows_loaded = ?, rows_replaced = ? where id = ?", [loaded, replaced, upload_id])
    return replaced


def uploader_name(user: Any) -> str:
    """How the upload log names a user: the account (log-in) name, as the upload page and the audit write it."""
    return user.username


def spec(table: str) -> Sheet:
    return SHEETS_BY_TABLE[table]

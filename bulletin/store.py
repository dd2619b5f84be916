"""Bulletins and the database: reading the data, drafting, issuing (freezing) and withdrawing.

An issued bulletin is frozen: its figures (JSON) and both files are stored
in ``bulletins`` when it is issued and served from there ever after, so
later imports never change it. A draft is computed afresh every time.
Numbers (期数) are never reused: the next is one more than the highest ever
issued, withdrawn ones included. Issuing and withdrawing are audited.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

import database
from accounts import audit
from analytics.formatting import fmt_date
from bulletin.content import Bulletin, BulletinSettings, Data, build, check_period, period_text
from bulletin.word import Renderer, to_docx
from bulletin.workbook import to_xlsx

DATA_TABLES = {"projects": "projects", "milestones": "milestones", "reports": "weekly_reports",
               "grid_stats": "grid_stats", "scores": "review_scores", "flags": "project_flags"}


class BulletinError(ValueError):
    """A refused bulletin operation; the message is Chinese and safe to show."""


@dataclass(frozen=True)
class Draft:
    """A bulletin with its two files and the notes on anything left out."""

    bulletin: Bulletin
    docx: bytes
    xlsx: bytes
    notes: tuple[str, ...]

    @property
    def file_stem(self) -> str:
        return file_stem(self.bulletin.number, self.bulletin.period_start, self.bulletin.period_end, self.bulletin.draft)


def file_stem(number: int, start: date, end: date, draft: bool = False) -> str:
    """双周通报第3期(2022年11月7日至11月20日)[草稿]."""
    return f"双周通报第{number}期({period_text(start, end)})" + ("草稿" if draft else "")


def load_data(con: duckdb.DuckDBPyConnection) -> Data:
    """The tables a bulletin reads, as they are now."""
    return Data(**{field: database.read_table(con, table) for field, table in DATA_TABLES.items()})


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(database.scalar(con, "select count(*) from information_schema.tables where table_name = 'bulletins'"))


def next_number(con: duckdb.DuckDBPyConnection) -> int:
    """The 期数 the next issued bulletin gets (1 on a database that has issued none)."""
    if not _has_table(con):  # a read-only file not yet migrated
        return 1
    return int(database.scalar(con, "select coalesce(max(number), 0) + 1 from bulletins"))


def preview(con: duckdb.DuckDBPyConnection, start: date, end: date, today: date,
            settings: BulletinSettings | None = None, number: int | None = None, is_draft: bool = True) -> Bulletin:
    """The bulletin's content for a period from the data as it is now, without its files (what a page shows
    before anyone downloads).

    Raises :class:`bulletin.content.PeriodError` for a bad period and
    :class:`BulletinError` when the database holds neither projects nor grid statistics.
    """
    check_period(start, end)
    data = load_data(con)
    if data.empty:
        raise BulletinError("数据库中还没有项目台账和网格统计数据,无法生成双周通报:请先导入数据。")
    return build(data, start, end, number or next_number(con), today, is_draft, settings)


def draft(con: duckdb.DuckDBPyConnection, start: date, end: date, today: date,
          settings: BulletinSettings | None = None, renderer: Renderer | None = None,
          number: int | None = None, is_draft: bool = True) -> Draft:
    """:func:`preview`'s bulletin with its .docx and .xlsx; raises as :func:`preview` does."""
    return with_files(preview(con, start, end, today, settings, number, is_draft), renderer)


def with_files(bulletin: Bulletin, renderer: Renderer | None = None) -> Draft:
    """A bulletin with its .docx and .xlsx (and the notes on any chart left out of the .docx)."""
    docx, notes = to_docx(bulletin, renderer)
    return Draft(bulletin, docx, to_xlsx(bulletin), tuple(notes))


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _json_value(value.item())
    return value


def figures_json(bulletin: Bulletin) -> str:
    """The headline figures and the opening, as stored with an issued bulletin."""
    return json.dumps({"title": bulletin.title, "opening": bulletin.opening,
                       **{k: _json_value(v) for k, v in bulletin.headline.items()}}, ensure_ascii=False,
                      sort_keys=True)


def issue(con: duckdb.DuckDBPyConnection, start: date, end: date, actor: str, now: datetime,
          settings: BulletinSettings | None = None, renderer: Renderer | None = None) -> Draft:
    """Issue the bulletin for a period: the next 期数, its files frozen in ``bulletins``; audited.

    Refused (:class:`BulletinError`) when a bulletin of the same period is
    issued and not withdrawn.
    """
    check_period(start, end)
    with database.IMPORT_LOCK:  # no import between reading the data and storing the files
        existing = database.scalar(
            con, "select min(number) from bulletins where period_start = ? and withdrawn_at is null", [start])
        if existing is not None:
            raise BulletinError(f"{period_text(start, end)}的双周通报已印发(第{existing}期);"
                                f"如需重新印发,请先撤回第{existing}期。")
        number = next_number(con)
        made = draft(con, start, end, now.date(), settings, renderer, number=number, is_draft=False)
        with database.transaction(con) as cur:
            cur.execute("insert into bulletins (number, period_start, period_end, issued_at, issued_by, figures, "
                        "docx, xlsx) values (?, ?, ?, ?, ?, ?, ?, ?)",
                        [number, start, end, now, actor, figures_json(made.bulletin), made.docx, made.xlsx])
            audit(cur, actor, "印发双周通报", f"第{number}期({period_text(start, end)})", "成功", now)
    return made


def withdraw(con: duckdb.DuckDBPyConnection, number: int, actor: str, now: datetime) -> None:
    """Withdraw an issued bulletin (it stays listed as 已撤回; its number is not reused); audited."""
    with database.transaction(con) as cur:
        row = cur.execute("select withdrawn_at from bulletins where number = ?", [number]).fetchone()
        if row is None:
            raise BulletinError(f"没有第{number}期双周通报。")
        if row[0] is not None:
            raise BulletinError(f"第{number}期双周通报已于{fmt_date(row[0])}撤回。")
        cur.execute("update bulletins set withdrawn_at = ?, withdrawn_by = ? where number = ?", [now, actor, number])
        audit(cur, actor, "撤回双周通报", f"第{number}期", "成功", now)


def list_bulletins(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Issued bulletins, newest first: number, period_start, period_end, issued_at, issued_by,
    withdrawn_at, withdrawn_by, figures (dict)."""
    if not _has_table(con):
        return pd.DataFrame(columns=["number", "period_start", "period_end", "issued_at", "issued_by",
                                     "withdrawn_at", "withdrawn_by", "figures"])
    out = database.query(con, "select number, period_start, period_end, issued_at, issued_by, withdrawn_at, "
                              "withdrawn_by, figures from bulletins order by number desc")
    out["figures"] = [json.loads(f) for f in out["figures"]]
    return out


def stored_files(con: duckdb.DuckDBPyConnection, number: int) -> tuple[bytes, bytes]:
    """The frozen .docx and .xlsx of an issued bulletin."""
    cur = con.cursor()
    try:
        row = cur.execute("select docx, xlsx from bulletins where number = ?", [number]).fetchone()
    finally:
        cur.close()
    if row is None:
        raise BulletinError(f"没有第{number}期双周通报。")
    return bytes(row[0]), bytes(row[1])

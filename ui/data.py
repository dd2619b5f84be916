"""Cached access to the database for the pages.

One connection per process (``st.cache_resource``); each query takes its
own cursor inside :mod:`database`. Query results are cached on small keys
— the table name or filters plus the data version that every import
bumps — never on DataFrames.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

import database


@st.cache_resource(show_spinner=False)
def connection(path: str) -> duckdb.DuckDBPyConnection:
    return database.connect(path)


def con() -> duckdb.DuckDBPyConnection:
    """The shared connection to ``$DASHBOARD_DB`` (read at call time, so tests can point it elsewhere)."""
    return connection(str(database.db_path()))


def version() -> int:
    return database.data_version(con())


@st.cache_data(max_entries=32, show_spinner=False)
def _table(path: str, name: str, data_version: int) -> pd.DataFrame:
    return database.read_table(connection(path), name)


def table(name: str) -> pd.DataFrame:
    """A whole (small) data table, cached until the next import."""
    return _table(str(database.db_path()), name, version())


def recent_uploads(limit: int = 200) -> pd.DataFrame:
    """The upload log, newest first (not cached: it changes with every attempt)."""
    return database.query(
        con(),
        """select id, uploaded_at, file_name, sheets, uploader, rows_read, rows_loaded, rows_replaced, status
           from uploads order by id desc limit ?""",
        [limit],
    )


STATUS_LABELS = {"imported": "已导入", "rejected": "未导入(有错误)", "duplicate": "重复文件,未导入"}


def uploads_for_display(uploads: pd.DataFrame) -> pd.DataFrame:
    """The upload log with Chinese headers and status words (formatted by :func:`ui.components.show_table`)."""
    return pd.DataFrame({
        "编号": uploads["id"],
        "时间": pd.to_datetime(uploads["uploaded_at"]).dt.floor("min"),  # shown and exported as 2022-11-18 09:30
        "文件": uploads["file_name"],
        "工作表": uploads["sheets"],
        "上传人": uploads["uploader"],
        "读取行数": uploads["rows_read"],
        "导入行数": uploads["rows_loaded"],
        "替换行数": uploads["rows_replaced"],
        "结果": uploads["status"].map(STATUS_LABELS).fillna(uploads["status"]),
    })


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def _run(path: str, sql: str, params: tuple, data_version: int) -> pd.DataFrame:
    return database.query(connection(path), sql, list(params))


def run(query: tuple[str, list]) -> pd.DataFrame:
    """Run an analytics (sql, params) query; cached on the parameters and the data version."""
    sql, params = query
    return _run(str(database.db_path()), sql, tuple(params), version())


def has_events() -> bool:
    return bool(run(("select exists (select 1 from events) as x", []))["x"].iloc[0])


def month_end(month_start: date) -> date:
    """The last day of the month that starts on ``month_start``."""
    return (pd.Timestamp(month_start) + pd.offsets.MonthEnd(0)).date()

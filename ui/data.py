"""Cached access to the database for the pages.

One connection per process (``st.cache_resource``); each query takes its
own cursor inside :mod:`database`. Query results are cached on small keys
— the table name or filters plus the data version that every import
bumps — never on DataFrames.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import ParamSpec, TypeVar

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


P = ParamSpec("P")
R = TypeVar("R")
#: the functions :func:`memo` caches, by qualified name (the cache key holds the name, not the function)
_MEMO: dict[str, Callable] = {}


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _memo(name: str, path: str, data_version: int, args: tuple, kwargs: tuple) -> object:
    return _MEMO[name](*args, **dict(kwargs))


@st.cache_resource(max_entries=128, ttl=3600, show_spinner=False)
def _memo_shared(name: str, path: str, data_version: int, args: tuple, kwargs: tuple) -> object:
    return _MEMO[name](*args, **dict(kwargs))


def memo(fn: Callable[P, R] | None = None, *, shared: bool = False) -> Callable[P, R]:
    """Cache a page's analytics on (its arguments, the database, the data version).

    The function reads its tables itself through :func:`table`; its arguments are the
    filters, small values hashed by value (dates, names, numbers; never a DataFrame).
    Every import and rollback changes the data version, so nothing stale is shown.

    By default the result is unpickled afresh on every call, so callers may change it.
    ``shared=True`` hands every session the same object instead (``st.cache_resource``):
    for plotly figures, whose unpickling re-validates every trace (15 ms a chart);
    such a result must never be modified.
    """
    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        name = f"{fn.__module__}.{fn.__qualname__}"
        _MEMO[name] = fn
        store = _memo_shared if shared else _memo

        @functools.wraps(fn)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            return store(name, str(database.db_path()), version(), args, tuple(sorted(kwargs.items())))  # type: ignore[return-value]

        return cached

    return wrap(fn) if fn is not None else wrap  # type: ignore[return-value]


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

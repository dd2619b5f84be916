"""Small Streamlit components every page uses: the date picker, downloads, empty states."""

from __future__ import annotations

import functools
import re
from datetime import date

import pandas as pd
import streamlit as st

import export
from analytics import formatting
from analytics.formatting import DASH, fmt_date
from analytics.overview import default_as_of
from ui import data
from ui.text import md_escape

AS_OF_KEY = "as_of"


def _default_as_of() -> date:
    return _latest_data_date(date.today())


@data.memo
def _latest_data_date(today: date) -> date:
    return default_as_of(data.table("weekly_reports"), today, data.table("milestones"))


def as_of_picker() -> None:
    """The shared 数据日期 in the sidebar: defaults to the latest date the project data describe, shown below it."""
    default = _default_as_of()
    st.date_input("数据日期", value=default, key=AS_OF_KEY, format="YYYY-MM-DD",
                  help="项目进度、周报报送按这一天计算;默认为数据中最新的日期(最近一次周报的周次或最近完成的节点)")
    st.caption(f"数据最新到 {fmt_date(default)}" + ("" if as_of_date() == default
                                                  else f",现按 {fmt_date(as_of_date())} 回看"))


def as_of_date() -> date:
    value = st.session_state.get(AS_OF_KEY)
    return value if isinstance(value, date) else _default_as_of()


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def download_table(frame: pd.DataFrame, name: str, key: str, kinds: dict[str, str] | None = None) -> None:
    """A download button for a table as .xlsx (safe against formula injection), formatted by the one
    formatting layer (real numbers with Excel formats; ``kinds`` as for :func:`show_table`)."""
    st.download_button(
        f"下载“{md_escape(name)}”(Excel)",
        # built only when clicked (not on every rerun); export cleans the sheet title
        data=functools.partial(export.to_xlsx, frame.copy(), sheet_name=name, kinds=kinds),
        file_name=export.file_name(name, ".xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


#: words in a browser's User-Agent that mean a phone (portrait, a narrow screen)
PHONE_AGENTS = ("iPhone", "Android", "Mobile", "HarmonyOS")


def is_phone() -> bool:
    """Whether this session's browser is a phone (by its User-Agent; False when unknown, e.g. under AppTest)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001 - no request context
        return False
    return any(word in agent for word in PHONE_AGENTS) and "iPad" not in agent


def for_phone(frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """On a phone, only the columns that matter (``keep``: the name and one or two figures), so the table
    fits the width; elsewhere the whole table. The rest is one tap away in :func:`more_columns`."""
    if not is_phone():
        return frame
    return frame[[c for c in keep if c in frame.columns]]


def more_columns(frame: pd.DataFrame, keep: list[str], key: str, kinds: dict[str, str] | None = None) -> None:
    """On a phone, the whole table folded behind one tap (under the compact one)."""
    hidden = [c for c in frame.columns if c not in keep]
    if is_phone() and hidden:
        with st.expander(f"查看全部 {len(frame.columns)} 列(另有 {'、'.join(hidden)})"):
            show_table(frame, key=f"{key}_all", kinds=kinds)


def neutral_delta(delta: str | None) -> dict:
    """``st.metric`` keyword arguments for a change: grey (red, yellow and green mean project status only),
    and no arrow for a change of zero (never "↑ +0")."""
    zero = delta is not None and re.match(r"^[+-]?0(\.0+)?(?![\d,.])", delta.strip()) is not None
    return {"delta": delta, "delta_color": "off", **({"delta_arrow": "off"} if zero else {})}


#: a row tall enough for four lines: Streamlit's grid wraps text only in rows taller than 4rem
WRAP_ROW_HEIGHT = 84
#: width of a pinned name column (px): about 12 Chinese characters a line
NAME_WIDTH = 180


#: a text longer than this (characters) gets a wrapping column of :data:`LONG_TEXT_WIDTH` px
LONG_TEXT = 14
LONG_TEXT_WIDTH = 200


def grid_config(kinds: dict[str, str], name_column: str | None = None,
                widths: dict[str, object] | None = None, screen: pd.DataFrame | None = None,
                wrap: bool = False) -> dict[str, object]:
    """The grid's column settings for each kind: numbers stay numbers (a header click sorts them as numbers)
    with thousands separators and fixed decimals; dates without a time; the name column pinned; with
    ``wrap``, long texts in a column of fixed width (they wrap instead of widening the table)."""
    widths = widths or {}
    config: dict[str, object] = {}
    for column, kind in kinds.items():
        options: dict[str, object] = {"width": widths.get(column)}
        if (wrap and options["width"] is None and kind == "text" and screen is not None
                and screen[column].map(lambda v: len(v) if isinstance(v, str) else 0).max() > LONG_TEXT):
            options["width"] = LONG_TEXT_WIDTH
        if column == name_column:
            options.update(pinned=True, width=widths.get(column, NAME_WIDTH))
        if kind == "plain" and (screen is None or not pd.api.types.is_numeric_dtype(screen[column])):
            config[column] = st.column_config.TextColumn(**options)
        elif kind in formatting.SCREEN_FORMATS:
            config[column] = st.column_config.NumberColumn(format=formatting.SCREEN_FORMATS[kind], **options)
        elif kind == "datetime":
            config[column] = st.column_config.DatetimeColumn(format=formatting.SCREEN_DATE_FORMATS[kind], **options)
        elif kind in formatting.SCREEN_DATE_FORMATS:
            config[column] = st.column_config.DateColumn(format=formatting.SCREEN_DATE_FORMATS[kind], **options)
        else:
            config[column] = st.column_config.TextColumn(**options)
    return config


def show_table(frame: pd.DataFrame, *, key: str | None = None, kinds: dict[str, str] | None = None,
               name_column: str | None = None, drop_empty: bool = True, keep: tuple[str, ...] | list[str] = (),
               wrap: bool = False, widths: dict[str, object] | None = None, phone: list[str] | None = None,
               style=None, column_config: dict | None = None, **dataframe_kwargs):
    """Every page table goes through here: formatted by the one formatting layer (:mod:`analytics.formatting`).

    ``kinds`` overrides the kind of a column (otherwise inferred from its header); ``name_column`` is pinned
    on the left; ``wrap`` lets long text (names, reasons) wrap in taller rows; columns empty for this view
    are dropped unless ``drop_empty`` is False or they are in ``keep``; ``phone`` the columns a phone shows
    (the rest folded behind one tap); ``style`` a function from the shown frame to a pandas Styler;
    ``column_config`` entries win over the generated ones. Missing values show as "—".
    Returns what ``st.dataframe`` returns (the selection when ``on_select`` is set).
    """
    if drop_empty:
        frame = formatting.drop_empty_columns(frame, keep=[*keep, *([name_column] if name_column else [])])
    kinds_of = formatting.column_kinds(frame, {c: k for c, k in (kinds or {}).items() if c in frame.columns})
    screen = formatting.screen_frame(frame, kinds_of)
    config = grid_config(kinds_of, name_column, widths, screen, wrap)
    config.update({c: v for c, v in (column_config or {}).items() if c in screen.columns})
    shown = for_phone(screen, phone) if phone else screen
    dataframe_kwargs.setdefault("hide_index", True)
    if dataframe_kwargs.get("column_order") is not None:  # a dropped empty column is not ordered
        dataframe_kwargs["column_order"] = [c for c in dataframe_kwargs["column_order"] if c in shown.columns]
    if wrap:
        dataframe_kwargs.setdefault("row_height", WRAP_ROW_HEIGHT)
    result = st.dataframe(style(shown) if style else shown, key=key, column_config=config, placeholder=DASH,
                          **dataframe_kwargs)
    if phone and key:
        more_columns(frame, phone, key=key, kinds=kinds_of)
    return result

"""Small Streamlit components every page uses: the date picker, downloads, empty states."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import export
from analytics.overview import default_as_of
from ui import data
from ui.text import md_escape

AS_OF_KEY = "as_of"


def as_of_picker() -> None:
    """The shared 数据日期 in the sidebar: defaults to the end of the latest reported week."""
    default = default_as_of(data.table("weekly_reports"), date.today())
    st.date_input("数据日期", value=default, key=AS_OF_KEY, format="YYYY-MM-DD",
                  help="项目进度、周报报送按这一天所在的周计算;默认为最近一次周报所在周的周日")


def as_of_date() -> date:
    value = st.session_state.get(AS_OF_KEY)
    return value if isinstance(value, date) else default_as_of(data.table("weekly_reports"), date.today())


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def download_table(frame: pd.DataFrame, name: str, key: str) -> None:
    """A download button for a table as .xlsx (safe against formula injection)."""
    st.download_button(
        f"下载“{md_escape(name)}”(Excel)",
        data=export.to_xlsx(frame, sheet_name=name),  # export cleans the sheet title
        file_name=export.file_name(name, ".xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )

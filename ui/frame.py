"""What every page shares, decided once: the house CSS (Chinese in place of Streamlit's English, the
product name at the top of the sidebar, less empty space) and a Chinese answer to any page error."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import duckdb
import streamlit as st

import database

LOG = logging.getLogger("lhkb")

#: Streamlit's own English words, replaced where users see them
FRAME_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; visibility: hidden; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem; visibility: visible; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; visibility: hidden; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "把文件拖到这里,或点“选择文件”"; font-size: 0.875rem; visibility: visible; }
[data-testid="stSidebarNav"]::before {
  content: "领航看板"; display: block; font-size: 1.35rem; font-weight: 700; color: #C00000;
  padding: 0 0 0.6rem 1rem; letter-spacing: 0.1em; }
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding-top: 0; }
/* phones (a leader's messenger browser, portrait): KPI cards two per row and compact, titles on one line,
   no chart toolbar, nothing wider than the screen */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3.4rem 0.75rem 3rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.25rem; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis; }
  [data-testid="stMainBlockContainer"] h2, [data-testid="stMainBlockContainer"] h3 { font-size: 1.05rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-direction: row; flex-wrap: wrap; gap: 0.5rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem); min-width: calc(50% - 0.5rem); width: calc(50% - 0.5rem); }
  [data-testid="stMetric"] { padding: 0.4rem 0.5rem; }
  [data-testid="stMetricValue"] { font-size: 1.45rem; }
  [data-testid="stMetricLabel"] p { font-size: 0.78rem; }
  [data-testid="stMetricDelta"] { font-size: 0.72rem; }
  .modebar-container, [data-testid="stElementToolbar"] { display: none !important; }
  [data-testid="stMain"] { overflow-x: hidden; }
}
</style>"""

ERROR_MESSAGE = ("这个页面出错了,错误已记录。请刷新页面重试;如果反复出现,请把出错的时间和操作告诉管理员。"
                 "数据库没有因此发生任何改动。")


def apply_frame_style() -> None:
    st.html(FRAME_CSS)


def run_page(run: Callable[[], None]) -> None:
    """Run the page; any error is logged with its traceback on the server and answered in Chinese
    (Streamlit's own error page is English). Reruns and stops pass through (they are not ``Exception``)."""
    try:
        run()
    except (duckdb.Error, database.DatabaseError) as exc:
        message = database.explain_error(exc)
        if not message.startswith(database.UNKNOWN_ERROR_PREFIX):
            # a condition users can act on (a write conflict that outlasted its retries, a read-only or
            # full disk, a database held by another program): said as it is
            LOG.warning("数据库错误:%s", exc)
            st.error(message, icon=":material/error:")
            return
        _unexpected()
    except Exception:  # noqa: BLE001 - the last line of defence: never an English error page
        _unexpected()


def _unexpected() -> None:
    """An error nobody foresaw: logged with its traceback on the server, a Chinese sentence on the page
    (no technical English). Under test (``LHKB_PAGE_ERRORS=raise``) it surfaces as the exception."""
    if os.environ.get("LHKB_PAGE_ERRORS") == "raise":
        raise  # noqa: PLE0704 - re-raises the exception being handled by the caller
    LOG.exception("页面出错")
    st.error(ERROR_MESSAGE, icon=":material/error:")

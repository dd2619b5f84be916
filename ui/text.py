"""Data as literal text wherever Streamlit renders Markdown.

Streamlit renders Markdown (and its own directives: ``:red[...]``,
``:material/icon:``, emoji shortcodes, ``$math$``, GitHub autolinks) in
``st.markdown``/``st.write``/``st.caption``, alerts, headings, metric labels and
help, expander, tab and button labels. Text that comes from an upload must
never become a link, an image, a heading or styling there: every such value
passes through :func:`md_escape` (or is shown with ``st.text``/``st.dataframe``,
which render no markup). Option labels of selectbox/multiselect are plain text
and must *not* be escaped (the backslashes would show).
"""

from __future__ import annotations

import re

import pandas as pd

DASH = "—"
#: U+2060 WORD JOINER: invisible, breaks the patterns that are matched after escapes are resolved
#: (autolinks such as http:// www. a@b.c, and emoji shortcodes :name:)
JOINER = "\u2060"
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character: CommonMark escapes them all
_WWW = re.compile(r"(?i)(www)(?=\.)")


def md_escape(value: object) -> str:
    """``value`` as text that Streamlit's Markdown shows literally, character for character.

    Every ASCII punctuation character gets a backslash (no emphasis, link, image,
    HTML, heading, list, table, math or directive can start); ``:`` and ``@`` and
    ``www.`` get an invisible word joiner (no autolink, no emoji); line breaks stay
    line breaks (hard breaks), leading blanks of a line go (no code block, no new paragraph).
    Missing values read "—".
    """
    if value is None or (not isinstance(value, str) and _missing(value)):
        return DASH
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace(":", ":" + JOINER).replace("@", JOINER + "@")
    text = _WWW.sub(r"\1" + JOINER, text)
    text = _PUNCTUATION.sub(r"\\\1", text)
    lines = [line.strip() for line in text.split("\n")]
    return "  \n".join(line for line in lines if line)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def md_unescape(text: str) -> str:
    """What a reader sees of :func:`md_escape`'s output (for tests and logs): escapes and joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text.replace(JOINER, "")).replace("  \n", "\n")


#: the name the workflow pages use for :func:`md_escape`
as_text = md_escape

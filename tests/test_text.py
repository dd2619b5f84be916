"""Text from data shown through Markdown exactly as written (the workflow pages' ``as_text``)."""

from __future__ import annotations

import pytest

from ui.text import as_text, md_unescape


@pytest.mark.parametrize("raw, must_not_contain", [
    ("“红色管家”进小区", None),
    ("**加粗** [链接](http://x)", "**"),
    ("LH2022-01 <b>", "<b>"),
    ("50% $x$ :smile:", "$x$"),
])
def test_as_text_escapes_markdown_and_reads_as_written(raw, must_not_contain):
    escaped = as_text(raw)
    assert md_unescape(escaped) == raw
    if must_not_contain:
        assert must_not_contain not in escaped

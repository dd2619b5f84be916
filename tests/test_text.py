"""Text from data shown through Markdown exactly as written."""

from __future__ import annotations

import pytest

from ui.text import as_text


@pytest.mark.parametrize("raw, escaped", [
    ("“红色管家”进小区", "“红色管家”进小区"),
    ("**加粗** [链接](http://x)", r"\*\*加粗\*\* \[链接\]\(http\://x\)"),
    ("LH2022-01 <b>", r"LH2022\-01 \<b\>"),
    ("50% $x$ :smile:", r"50% \$x\$ \:smile\:"),
    ("", ""),
])
def test_as_text_escapes_markdown(raw, escaped):
    assert as_text(raw) == escaped

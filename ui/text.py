"""Text from data or a form, made safe for Markdown (headers, captions, link labels)."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def as_text(value: object) -> str:
    """``value`` escaped so Markdown shows it exactly as written, never as formatting."""
    return _MARKDOWN.sub(r"\\\1", str(value))

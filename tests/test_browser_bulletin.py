"""双周通报 in chromium: the draft's Word and Excel are built when clicked, and are the draft shown."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl

from conftest import log_in


def test_the_draft_files_are_built_on_click(server, browser):
    url, passwords = server
    page = log_in(browser, url, "admin", passwords["admin"])
    try:
        page.get_by_text("党建聚合力·书记领航行动 总览").first.wait_for(timeout=60000)
        page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="双周通报", exact=True).click()
        page.get_by_text("草稿:").first.wait_for(timeout=60000)
        title = page.locator("h3", has_text="草稿:").first.inner_text().removeprefix("草稿:").strip()

        with page.expect_download(timeout=60000) as info:
            page.get_by_role("button", name="下载草稿(Word)").click()
        word = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
        text = "\n".join(p.text for p in word.paragraphs)
        assert info.value.suggested_filename.endswith(".docx")
        assert title in text and "(草稿,未印发)" in text, text[:300]

        with page.expect_download(timeout=60000) as info:
            page.get_by_role("button", name="下载草稿(Excel)").click()
        book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
        assert info.value.suggested_filename.endswith(".xlsx") and len(book.sheetnames) >= 2
    finally:
        page.close()

"""A bulletin as a Word document in the form of an official notice (python-docx).

Layout after GB/T 9704 (党政机关公文格式) as county departments use it for 简报/通报:
A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in
方正小标宋简体 二号 (22 pt), headings in 黑体 三号, body in 仿宋_GB2312 三号
(16 pt) at a fixed 28 pt line; page numbers "— N —" in the footer (a PAGE field).

Every run gets its East Asian font explicitly (``w:rFonts w:eastAsia``): Word
picks the font of Chinese text from ``w:eastAsia`` only, whatever
``w:ascii`` says. The font table names a fallback for the two fonts many
computers lack (``w:altName``: 仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from analytics.formatting import fmt_date
from bulletin.content import Bulletin, Chart, cell_text, heading

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
#: the fallback Word uses when a font is not installed (font table ``w:altName``)
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体"}
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, NUMBER_SIZE = Pt(16), Pt(22), Pt(10.5), Pt(14)
LINE = Pt(28)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
TEXT_WIDTH = Mm(210 - 28 - 26)
RED = RGBColor(0xC0, 0x00, 0x00)

#: draws one chart as PNG bytes, or raises (see :func:`bulletin.charts.render`)
Renderer = Callable[[Chart], bytes]


def set_fonts(run: Run, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Set a run's fonts: ``w:eastAsia`` for Chinese, ``w:ascii``/``w:hAnsi`` for Latin text and digits."""
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _run(paragraph: Paragraph, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE,
         bold: bool = False, color: RGBColor | None = None) -> Run:
    run = paragraph.add_run(text)
    set_fonts(run, font)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(doc_or_cell, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False,
          line: Pt | None = LINE) -> Paragraph:
    paragraph = doc_or_cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    return paragraph


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.footer_distance = Mm(25)
    # the document's default run font too, so text Word adds later is not in Calibri/等线
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT)):
        fonts.set(qn(attr), value)


def _footer(doc) -> None:
    """ "— N —" centred: the number is a PAGE field, so Word and LibreOffice fill in each page's."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", NUMBER_FONT, NUMBER_SIZE)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = _run(paragraph, "", NUMBER_FONT, NUMBER_SIZE)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
    _run(paragraph, " —", NUMBER_FONT, NUMBER_SIZE)


def _font_table(doc) -> None:
    """Declare the official fonts in the font table, each with the fallback Word should use."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name in (BODY_FONT, HEADING_FONT, TITLE_FONT, NUMBER_FONT):
        font = etree.SubElement(root, f"{w}font")
        font.set(f"{w}name", name)
        if name in FALLBACKS:
            etree.SubElement(font, f"{w}altName").set(f"{w}val", FALLBACKS[name])
        etree.SubElement(font, f"{w}charset").set(f"{w}val", "86")  # GB2312
        etree.SubElement(font, f"{w}family").set(f"{w}val", "modern" if name == BODY_FONT else "auto")
        etree.SubElement(font, f"{w}pitch").set(f"{w}val", "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _red_rule(paragraph: Paragraph) -> None:
    """A red line under the paragraph (the 版头 separator of a notice)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _borders(table) -> None:
    """Single black borders on every edge and between every cell."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    tbl_pr.append(borders)


def _width(text: str) -> float:
    """Printed width in characters of 五号: a CJK character 1, a Latin letter or digit about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def column_widths(header: list[str], body: list[list[str]], total: int = int(TEXT_WIDTH)) -> list[int]:
    """Column widths (EMU) that sum to ``total``.

    Each column's natural width is its longest cell (a header of more than 2
    characters may take two lines). Short columns (≤ 6 characters) keep their
    natural width; the long ones (names, reasons) share the rest in proportion,
    capped so that no single text column takes the whole page.
    """
    char, pad = int(TABLE_SIZE), int(Mm(4))
    natural = []
    for i, name in enumerate(header):
        head = _width(name)
        longest = max([_width(r[i]) for r in body] + [0.0])
        natural.append(max(longest, head if head <= 2 else -(-head // 2), 2.0))
    emu = [n * char + pad for n in natural]
    if sum(emu) <= total:
        scale = total / sum(emu)
        return [int(w * scale) for w in emu]
    short = [n <= 6 for n in natural]
    fixed = sum(w for w, s in zip(emu, short, strict=True) if s)
    rest = total - fixed
    long_weights = [min(n, 20.0) for n, s in zip(natural, short, strict=True) if not s]
    if not long_weights or rest < len(long_weights) * 4 * char:  # too many short columns: plain proportion
        scale = total / sum(emu)
        return [int(w * scale) for w in emu]
    out, k = [], 0
    for w, s in zip(emu, short, strict=True):
        if s:
            out.append(int(w))
        else:
            out.append(int(rest * long_weights[k] / sum(long_weights)))
            k += 1
    return out


def _cell_paragraph(cell, text: str, font: str, center: bool) -> None:
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font, TABLE_SIZE)


def _table(doc, frame: pd.DataFrame, shares: tuple[str, ...], decimals: dict[str, int]) -> None:
    header = [str(c) for c in frame.columns]
    body = [[cell_text(value, share=name in shares, decimals=decimals.get(name))
             for name, value in zip(frame.columns, values, strict=True)] for values in frame.itertuples(index=False)]
    widths = column_widths(header, body)
    table = doc.add_table(rows=1, cols=len(header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, name, width in zip(table.rows[0].cells, header, widths, strict=True):
        cell.width = width
        _cell_paragraph(cell, name, HEADING_FONT, True)
    _repeat_header(table.rows[0])
    for texts in body:
        for cell, text, width in zip(table.add_row().cells, texts, widths, strict=True):
            cell.width = width
            _cell_paragraph(cell, text, BODY_FONT, _width(text) <= 8)


def _repeat_header(row) -> None:
    """The header row repeats on every page a long table runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def to_docx(bulletin: Bulletin, renderer: Renderer | None = None) -> tuple[bytes, list[str]]:
    """The .docx bytes and the notes on what was left out (e.g. a chart that could not be drawn).

    ``renderer`` draws a chart (default :func:`bulletin.charts.render`); when it
    raises, the chart is left out, the note says why, and the tables stay.
    """
    if renderer is None:
        from bulletin.charts import render as renderer
    notes: list[str] = []
    doc = Document()
    _page(doc)
    _font_table(doc)
    _footer(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = bulletin.title, bulletin.issuer, bulletin.issuer
    stamp = datetime(bulletin.issued_on.year, bulletin.issued_on.month, bulletin.issued_on.day)
    props.created = props.modified = stamp
    props.revision = 1

    body = doc.paragraphs[0] if doc.paragraphs else _para(doc)
    body.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.paragraph_format.line_spacing = Pt(36)
    body.paragraph_format.space_after = Pt(12)
    _run(body, bulletin.title, TITLE_FONT, TITLE_SIZE, color=RED)
    if bulletin.draft:
        _run(_para(doc, WD_ALIGN_PARAGRAPH.CENTER), "(草稿,未印发)", BODY_FONT, BODY_SIZE)

    masthead = _para(doc)
    masthead.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _run(masthead, bulletin.issuer, BODY_FONT, BODY_SIZE)
    _run(masthead, "\t" + fmt_date(bulletin.issued_on), BODY_FONT, BODY_SIZE)
    _red_rule(masthead)
    _run(_para(doc, WD_ALIGN_PARAGRAPH.CENTER), f"(通报期:{bulletin.period_text})", BODY_FONT, BODY_SIZE)

    _run(_para(doc, indent=True), bulletin.opening)
    for i, section in enumerate(bulletin.sections):
        _run(_para(doc, indent=True), heading(i, section.title), HEADING_FONT)
        for text in section.paragraphs:
            _run(_para(doc, indent=True), text)
        if section.table is not None and not section.table.empty:
            _table(doc, section.table, section.share_columns, dict(section.decimals))
            _para(doc)  # a blank line after a table
        if section.chart is not None:
            try:
                png = renderer(section.chart)
            except Exception as exc:  # noqa: BLE001 - any drawing failure leaves the chart out, never the bulletin
                notes.append(f"图表“{section.chart.title}”未能绘制,已从略:{exc}")
            else:
                picture = _para(doc, WD_ALIGN_PARAGRAPH.CENTER, line=None)
                picture.add_run().add_picture(io.BytesIO(png), width=TEXT_WIDTH)
                set_fonts(picture.runs[-1], BODY_FONT)
    signature = _para(doc, WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.space_before = Pt(28)
    _run(signature, bulletin.issuer)
    _run(_para(doc, WD_ALIGN_PARAGRAPH.RIGHT), fmt_date(bulletin.issued_on))
    for paragraph in doc.paragraphs:  # empty spacer paragraphs carry the body font too
        if not paragraph.runs:
            _run(paragraph, "")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), notes

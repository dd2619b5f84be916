"""Checks on an upload's raw bytes, before any parser sees them.

A dashboard shown to the county's leaders must survive whatever staff
upload. Everything here works on the bytes as they arrived and costs at
most one streaming pass over the archive, never holding more than a
chunk of it uncompressed:

- size: the limit of ``server.maxUploadSize`` in ``.streamlit/config.toml``,
  so the browser uploader and the importer agree;
- what the file is, by content (a Word document or a picture renamed .xlsx);
- .xlsx / .xlsm (zip): number of parts, declared sizes and compression ratio
  (zip bombs), then every part is inflated in chunks and stopped the moment
  it outgrows what it declared; XML parts must carry no DOCTYPE / ENTITY
  declaration (entity expansion, "billion laughs"); each visible sheet's
  used area (its ``<dimension>`` and the rows and cells actually present)
  must fit the row, column and cell limits, because calamine allocates
  the whole rectangle; formulas saved without their results, merged cells
  and where the used range starts are noted for the reader (fastexcel
  reports none of them), all in the same pass;
- .xls (OLE2): an encrypted .xlsx is an OLE file holding ``EncryptedPackage``
  (password message); Word / PowerPoint files are named; the BIFF cell
  records of each visible sheet are measured against the same limits.

Every check raises :class:`ReadError` (the same class as ``ingest.read.ReadError``) with a Chinese message
that names what is wrong and the limit.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import struct
import tomllib
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import ElementTree as SafeET

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(ValueError):
    """The file cannot be read at all; the message is Chinese. (Also ``ingest.read.ReadError``.)"""


ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
#: Streamlit's own default when the config does not say
STREAMLIT_DEFAULT_UPLOAD_MB = 200
MB = 1024 * 1024


@functools.cache
def configured_upload_mb() -> int:
    """``server.maxUploadSize`` (MB) from ``.streamlit/config.toml``, read once."""
    try:
        with CONFIG.open("rb") as f:
            value = tomllib.load(f).get("server", {}).get("maxUploadSize", STREAMLIT_DEFAULT_UPLOAD_MB)
        return max(1, int(value))
    except (OSError, ValueError, TypeError, tomllib.TOMLDecodeError):
        return STREAMLIT_DEFAULT_UPLOAD_MB


@dataclass(frozen=True)
class Limits:
    """The bounds every upload must fit. The defaults suit the contract's largest sheet,
    a year of one street's grid events (~150,000 rows × 8 columns, ~6 MB as .xlsx,
    ~75 MB of sheet XML once inflated)."""

    #: the upload itself, in MB (MiB); from the Streamlit config so both layers agree
    max_upload_mb: int = field(default_factory=configured_upload_mb)
    #: parts inside an .xlsx; Excel writes ~10 plus about two per sheet
    max_entries: int = 2_000
    #: all parts together once inflated, in MB: ~5× the largest expected workbook
    max_uncompressed_mb: int = 400
    #: a part inflating more than this many times its compressed size is a bomb;
    #: real sheet XML compresses 5–20:1 and deflate tops out near 1,032:1
    max_ratio: int = 200
    #: the ratio check applies to parts larger than this (MB): tiny parts may compress well
    ratio_floor_mb: int = 5
    #: last used row of a sheet: two years of one street's events, far below Excel's 1,048,576
    max_rows: int = 300_000
    #: last used column; the widest contract sheet has 10 columns
    max_columns: int = 200
    #: used rectangle (rows × columns): calamine allocates every cell of it (~32 bytes
    #: each, then a Python object each), so this is what bounds memory (~300 MB at the limit)
    max_cells: int = 5_000_000


LIMITS = Limits()


@dataclass
class Inspection:
    """What the checks learned that the reader needs."""

    kind: str  # "xlsx", "xls" or "csv"
    #: sheet name → cells (0-based row, column) holding a formula saved without its result
    uncached_formulas: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: .xlsx: the visible worksheets in the workbook's order, as measured in the same pass
    sheets: list[SheetLayout] = field(default_factory=list)


@dataclass
class SheetLayout:
    """What the one pass over a visible worksheet's XML learned besides its extent: where its
    used range starts (the first row and column holding a value, 0-based, as calamine counts)
    and its merged ranges, ((first row, first column), (last row, last column)), 0-based."""

    name: str
    start: tuple[int, int] | None = None
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    #: cells or rows without references: positions were walked, ``start`` is unknown
    walked: bool = False


PASSWORD_MESSAGE = "工作簿设置了打开密码,请取消密码后再上传"
CORRUPT_MESSAGE = "文件已损坏或不是有效的 Excel 工作簿"
RESAVE = "请在 Excel 中打开后另存为 .xlsx 再上传"


def check(data: bytes, limits: Limits = LIMITS) -> Inspection:
    """Every pre-parse check on an upload's bytes; raises ReadError (Chinese) on the first failure."""
    check_size(len(data), limits)
    if data.startswith(ZIP_MAGIC):
        return inspect_zip(data, limits)
    if data.startswith(OLE_MAGIC):
        return inspect_ole(data, limits)
    for magic, what in FOREIGN_MAGIC:
        if data.startswith(magic):
            raise ReadError(f"无法识别的文件内容:这是{what},不是 Excel 工作簿或 CSV 文本")
    return Inspection("csv")


def check_size(size: int, limits: Limits = LIMITS) -> None:
    if size > limits.max_upload_mb * MB:
        raise ReadError(f"文件大小为 {size / MB:.1f} MB,超过上传上限 {limits.max_upload_mb} MB:"
                        "请删去无关的工作表,或按月份拆分成几个文件再上传")


def check_extent(sheet: str, rows: int, columns: int, limits: Limits = LIMITS, area: str | None = None) -> None:
    """A sheet's used area (last row, last column, 1-based) against the limits."""
    where = f"工作表“{sheet}”的使用区域" + (f"为 {area}," if area else "")
    if rows > limits.max_rows:
        raise ReadError(f"{where}共 {rows:,} 行,超过上限 {limits.max_rows:,} 行:若数据下方有大量带格式的空行,"
                        "请删除这些行;若数据确实这么多,请按月份拆分成几个文件再上传")
    if columns > limits.max_columns:
        raise ReadError(f"{where}共 {columns:,} 列,超过上限 {limits.max_columns:,} 列:"
                        "请删除数据右侧多余的列(包括只设置了格式的空列)后再上传")
    if rows * columns > limits.max_cells:
        raise ReadError(f"{where}共 {rows:,} 行 × {columns:,} 列 = {rows * columns:,} 个单元格,"
                        f"超过上限 {limits.max_cells:,} 个单元格:请删除多余的行列,或拆分成几个文件再上传")


def check_total(cells: int, limits: Limits = LIMITS) -> None:
    """All visible sheets together: the reader keeps every one of them in memory at once."""
    if cells > limits.max_cells:
        raise ReadError(f"工作簿中各工作表的使用区域合计 {cells:,} 个单元格,超过上限 {limits.max_cells:,} 个:"
                        "请删去无关的工作表,或拆分成几个文件再上传")


# ---------------------------------------------------------------- what the file is

FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "一张 PNG 图片"),
    (b"\xff\xd8\xff", "一张 JPEG 图片"),
    (b"GIF87a", "一张 GIF 图片"),
    (b"GIF89a", "一张 GIF 图片"),
    (b"%PDF-", "一个 PDF 文档"),
    (b"Rar!\x1a\x07", "一个 RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "一个 7z 压缩包"),
    (b"\x1f\x8b", "一个 gzip 压缩包"),
    (b"{\\rtf", "一个 RTF 文档"),
)

#: a part that only another kind of zip-based file has → what to tell the user
FOREIGN_PARTS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", "文件是 Word 文档(.docx),不是 Excel 工作簿:请把表格复制到 Excel 中另存为 .xlsx 后再上传"),
    ("ppt/presentation.xml", "文件是 PowerPoint 演示文稿(.pptx),不是 Excel 工作簿"),
    ("xl/workbook.bin", "文件是 Excel 二进制工作簿(.xlsb),暂不支持:请在 Excel 中另存为 .xlsx 后再上传"),
    ("content.xml", "文件是 OpenDocument 文档(如 .ods),暂不支持:请用 WPS 或 Excel 另存为 .xlsx 后再上传"),
)


# ---------------------------------------------------------------- .xlsx / .xlsm

#: DOCTYPE and ENTITY declarations, as UTF-8 and as UTF-16 (either byte order)
XML_DECLARATIONS = tuple(word.encode(enc) for word in ("<!DOCTYPE", "<!ENTITY")
                         for enc in ("ascii", "utf-16-le", "utf-16-be"))
XML_SUFFIXES = (".xml", ".rels", ".vml")
WORKBOOK, WORKBOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
IN_CHUNK = 64 * 1024
OUT_CHUNK = 1024 * 1024
#: a tag still open at the end of a chunk is carried into the next, up to this long
MAX_CARRY = 256 * 1024
#: formula cells without results remembered per sheet (enough to report the first ones)
MAX_FORMULA_REFS = 10_000
#: workbook.xml and its relationships are read whole; Excel's are a few KB
MAX_BOOK_PART = 10 * MB

DIMENSION = re.compile(rb'<dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"')
ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
UNCACHED_FORMULA = re.compile(
    rb'<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>')
CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
TOKEN = re.compile(rb'<(row|c)\b([^>]*)>')
ROW_ATTR = re.compile(rb'\sr="(\d+)"')
#: a cell or row tag that does not start with its reference (r="…")
UNNUMBERED_CELL = re.compile(rb'<c(?:>|/>|\s+(?!r=")[A-Za-z:]+\s*=)')
UNNUMBERED_ROW = re.compile(rb'<row(?:>|/>|\s+(?!r=")[A-Za-z:]+\s*=)')
#: a cell holding a value (<v> or an inline string): what calamine counts in a sheet's used range
VALUED_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?(?<!/)>(?:(?!</c>).){0,65536}?<(?:v|is)\b', re.S)
MERGE_CELL = re.compile(rb'<mergeCell\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"')


def column_number(letters: bytes | str) -> int:
    """'A' → 1, 'XFD' → 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """1 → 'A', 16384 → 'XFD'."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


@functools.cache
def _taller_than(max_rows: int) -> re.Pattern[bytes]:
    """Cells whose row number may pass ``max_rows`` (more digits, or as many and a first digit
    at least as high; compared exactly after). Rows of a legitimate sheet fail on their first
    digit. Calamine places cells by their own reference, whatever the row tag around them says."""
    digits = str(max_rows)
    return re.compile(rb'<c r="[A-Z]{1,3}([1-9]\d{%d,}|[%c-9]\d{%d})"' % (len(digits), ord(digits[0]), len(digits) - 1))


@functools.cache
def _wider_than(column: int) -> re.Pattern[bytes]:
    """Cells whose column lies right of ``column``: once the widest column is known, the
    pattern fails on the letter after ``r="`` for almost every cell, which keeps it fast."""
    if column >= 26:
        return re.compile(rb'<c r="([A-Z]{2,3})\d')
    return re.compile(rb'<c r="([%c-Z]|[A-Z]{2,3})\d' % (65 + column))


@functools.cache
def _left_of(column: int) -> re.Pattern[bytes]:
    """Cells whose column lies left of ``column`` (0-based)."""
    if column >= 26:
        return re.compile(rb'<c r="[A-Z]{1,3}\d')  # rare: every cell is looked at
    return re.compile(rb'<c r="[A-%c]\d' % (64 + column))


@functools.cache
def _tag_scan(max_rows: int, column: int, unnumbered: bool) -> re.Pattern[bytes]:
    """Cells whose row may pass ``max_rows`` (group ``tall``, and its column ``letters``), cells right of
    ``column`` (``wide``)
    and, while ``unnumbered``, cell or row tags whose first attribute is not their reference:
    :func:`_wider_than`, :func:`_taller_than`, :data:`UNNUMBERED_CELL` and :data:`UNNUMBERED_ROW`
    as one pattern with its prefixes shared, so the sheet's XML is scanned once and every other
    tag fails on its first letter."""
    wide = rb"[A-Z]{2,3}" if column >= 26 else rb"[%c-Z]|[A-Z]{2,3}" % (65 + column)
    digits = str(max_rows)
    tall = rb"[1-9]\d{%d,}|[%c-9]\d{%d}" % (len(digits), ord(digits[0]), len(digits) - 1)
    cell = rb' r="(?:(?P<letters>[A-Z]{1,3})(?P<tall>%s)"|(?P<wide>%s)\d)' % (tall, wide)
    if not unnumbered:
        return re.compile(rb"<c" + cell)
    loose = rb'(?:>|/>|\s+(?!r=")[A-Za-z:]+\s*=)'
    return re.compile(rb"<(?:c(?:%s|%s)|row%s)" % (cell, loose, loose))


@functools.cache
def _re2_of(pattern: bytes) -> str:
    """:func:`_tag_scan`'s pattern for RE2 (pyarrow), and formula and merged-cell tags: no named groups,
    no lookahead (the negative lookahead becomes the attribute names it allows: a superset, so nothing
    is ever missed)."""
    text = re.sub(r"\(\?P<\w+>", "(", pattern.decode("ascii"))
    loose = r'\s+(?!r=")[A-Za-z:]+\s*='
    allowed = r'[\t\n\v\f\r ]+(?:[A-Za-qs-z:][A-Za-z:]*[\t\n\v\f\r ]*=|r[A-Za-z:]+[\t\n\v\f\r ]*=|r[\t\n\v\f\r ]+=|r=(?:[^"]|$))'
    return text.replace(loose, allowed) + "|<f|<mergeCell "


def _any_match(scan: re.Pattern[bytes], window: bytes) -> bool:
    """Whether ``scan``, a formula or a merged cell occurs in ``window``, told by RE2 through pyarrow
    (reading the window in place)."""
    offsets = pa.py_buffer(struct.pack("<ii", 0, len(window)))
    one = pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(window)])
    return bool(pc.count_substring_regex(one, _re2_of(scan.pattern))[0].as_py())


def _bomb(message: str) -> ReadError:
    return ReadError(f"文件疑似“压缩炸弹”:{message},已拒绝。Excel 正常保存的文件不会这样")


def inspect_zip(data: bytes, limits: Limits = LIMITS) -> Inspection:
    """The archive's directory first (count, declared sizes, ratios), then every part inflated in chunks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error):
        raise ReadError(f"{CORRUPT_MESSAGE}(zip 结构损坏):{RESAVE}") from None
    if len(infos) > limits.max_entries:
        raise ReadError(f"{CORRUPT_MESSAGE}:压缩包内有 {len(infos):,} 个部件,超过上限 {limits.max_entries:,} 个")
    names = {i.filename for i in infos}
    if WORKBOOK not in names:
        for part, message in FOREIGN_PARTS:
            if part in names:
                raise ReadError(message)
        raise ReadError("文件是 zip 压缩包,不是 Excel 工作簿:请解压后上传其中的 .xlsx / .xls / .csv 文件")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError(f"文件中的部件“{info.filename}”经过 zip 加密,无法读取:请取消加密后再上传")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReadError(f"文件使用了 Excel 不会使用的压缩方式(编号 {info.compress_type}),无法读取:{RESAVE}")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_mb * MB and ratio > limits.max_ratio:
            raise _bomb(f"部件“{info.filename}”压缩比为 {ratio:,.0f}:1(解压后 {info.file_size / MB:,.0f} MB),"
                        f"超过上限 {limits.max_ratio}:1")
    if total > limits.max_uncompressed_mb * MB:
        raise _bomb(f"解压后共 {total / MB:,.0f} MB,超过上限 {limits.max_uncompressed_mb} MB")

    view = memoryview(data)
    workbook = _read_part(view, archive.getinfo(WORKBOOK))
    rels = _read_part(view, archive.getinfo(WORKBOOK_RELS)) if WORKBOOK_RELS in names else b""
    sheets = _sheet_parts(workbook, rels)  # part name → (sheet name, visible, worksheet)
    result = Inspection("xlsx")
    layouts: dict[str, SheetLayout] = {}
    cells = 0
    for info in infos:
        if info.filename in (WORKBOOK, WORKBOOK_RELS):
            continue
        name, visible, worksheet = sheets.get(info.filename, (None, False, False))
        if name is not None and visible:
            scan = _SheetScan(name, limits)
            for chunk in _inflate(view, info):
                scan.feed(chunk)
            cells += scan.finish(lambda i=info: _inflate(view, i))
            check_total(cells, limits)
            if scan.formulas:
                result.uncached_formulas[name] = scan.formulas
            if worksheet:
                layouts[info.filename] = SheetLayout(name, scan.start(), scan.merged, scan.unnumbered)
        elif info.filename.lower().endswith(XML_SUFFIXES):
            scan_xml = _DeclarationScan(info.filename)
            for chunk in _inflate(view, info):
                scan_xml.feed(chunk)
        else:
            for _chunk in _inflate(view, info):  # media, vbaProject.bin: only their sizes matter
                pass
    result.sheets = [layouts[part] for part in sheets if part in layouts]
    return result


def _read_part(view: memoryview, info: zipfile.ZipInfo) -> bytes:
    """A small part whole (workbook.xml and its rels), after the same checks as every part."""
    if info.file_size > MAX_BOOK_PART:
        raise _bomb(f"部件“{info.filename}”解压后 {info.file_size / MB:,.1f} MB,超过上限 {MAX_BOOK_PART // MB} MB")
    scan = _DeclarationScan(info.filename)
    chunks = []
    for chunk in _inflate(view, info):
        scan.feed(chunk)
        chunks.append(chunk)
    return b"".join(chunks)


def _inflate(view: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes, a chunk at a time, stopped as soon as it outgrows its declared size.

    Read from the raw stream rather than through zipfile, which trusts the declared
    size: a part that lies about it is exactly what a zip bomb looks like.
    """
    corrupt = ReadError(f"{CORRUPT_MESSAGE}:部件“{info.filename}”的数据不完整或校验不符,{RESAVE}")
    offset = info.header_offset
    if bytes(view[offset:offset + 4]) != ZIP_MAGIC or offset + 30 > len(view):
        raise corrupt
    name_len, extra_len = struct.unpack_from("<HH", view, offset + 26)
    start = offset + 30 + name_len + extra_len
    raw = view[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        raise corrupt
    produced, crc = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (bytes(raw[i:i + OUT_CHUNK]) for i in range(0, len(raw), OUT_CHUNK))
    else:
        pieces = _deflated(raw, corrupt)
    for piece in pieces:
        produced += len(piece)
        if produced > info.file_size:
            raise _bomb(f"部件“{info.filename}”解压后的实际大小超过它声明的 {info.file_size:,} 字节")
        crc = zlib.crc32(piece, crc)
        yield piece
    if produced != info.file_size or crc != info.CRC:
        raise corrupt


def _deflated(raw: memoryview, corrupt: ReadError) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for i in range(0, len(raw), IN_CHUNK):
            pending: bytes | memoryview = raw[i:i + IN_CHUNK]
            while pending:
                out = inflater.decompress(pending, OUT_CHUNK)
                if out:
                    yield out
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        rest = inflater.flush()
        if rest:
            yield rest
    except zlib.error:
        raise corrupt from None
    if not inflater.eof:
        raise corrupt


def _sheet_parts(workbook: bytes, rels: bytes) -> dict[str, tuple[str, bool, bool]]:
    """Sheet part → (sheet name, visible, is a worksheet), in the workbook's order, from workbook.xml
    and its relationships."""
    try:
        book = SafeET.fromstring(workbook)
        targets = {}
        worksheets: set[str] = set()
        if rels:
            for rel in SafeET.fromstring(rels).iter():
                if rel.tag.rsplit("}", 1)[-1] == "Relationship" and rel.get("Id") and rel.get("Target"):
                    target = rel.get("Target", "")
                    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                    targets[rel.get("Id")] = posixpath.normpath(part)
                    if rel.get("Type", "").endswith("/worksheet"):
                        worksheets.add(targets[rel.get("Id")])
    except Exception:  # ParseError and defusedxml's refusals alike: the file is not sound
        raise ReadError(f"{CORRUPT_MESSAGE}(工作簿目录无法解析):{RESAVE}") from None
    parts: dict[str, tuple[str, bool, bool]] = {}
    for sheet in book.iter():
        if sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        if rid in targets:
            parts[targets[rid]] = (sheet.get("name", targets[rid]), sheet.get("state", "visible") == "visible",
                                   targets[rid] in worksheets)
    return parts


class _DeclarationScan:
    """Refuses an XML part that declares a DOCTYPE or entities (entity-expansion attacks)."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        window = self.tail + chunk
        self.check(window)
        self.tail = window[-32:]

    def check(self, window: bytes) -> None:
        # "!" is rare in these parts (and fast to look for): the declarations only where it occurs
        if b"!" in window and any(word in window for word in XML_DECLARATIONS):
            raise ReadError(f"文件中的 XML 部件“{self.part}”含有 DOCTYPE / ENTITY 声明,这是 XML 实体膨胀攻击"
                            "(“十亿笑声”)的手法,已拒绝。Excel 正常保存的文件不会有这种内容")


class _SheetScan(_DeclarationScan):
    """One visible worksheet's XML, streamed: its declared and its actual extent, and its
    formulas saved without results. A few ``rfind`` calls and regular expressions that fail
    on the first letter for almost every cell keep a 150,000-row sheet to a fraction of a second."""

    def __init__(self, sheet: str, limits: Limits) -> None:
        super().__init__(sheet)
        self.sheet, self.limits = sheet, limits
        self.base = 0  # offset of the window's first byte in the part
        self.head_checked = False
        self.rows = self.max_col = 0
        #: a row or cell tag whose first attribute is not its reference: positions must be walked
        self.unnumbered = False
        self.formulas: list[tuple[int, int]] = []
        self.last_formula_at = -1
        #: (row, column), 0-based, of the first cell holding a value, then the leftmost such column
        self.first: tuple[int, int] | None = None
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.last_merge_at = -1

    def feed(self, chunk: bytes) -> None:
        window = self.tail + chunk
        self.check(window)
        if not self.head_checked:
            self._check_dimension(window)
        last_row = window.rfind(b"<row ")
        if last_row >= 0 and (m := ROW_NUMBER.match(window, last_row)):
            self.rows = max(self.rows, int(m.group(1)))  # empty formatted rows count too
        # one pattern for what every cell and row tag must be checked for (too tall, too wide, without
        # its reference), and for formulas and merged cells, run by RE2 (linear, a few times faster
        # than re) over the window: the usual window holds none, and only then is it looked at in re
        scan = _tag_scan(self.limits.max_rows, self.max_col, not self.unnumbered)
        merges = False
        if _any_match(scan, window):
            self._note_tags(window)
            if b"<f" in window:
                self._note_formulas(window)
            if b"<mergeCell " in window:
                self._note_merged(window)
                merges = True
        self._note_start(window)
        # carry the last tag that may be cut off, and enough bytes for the declaration search
        cut = max(window.rfind(b"<c "), window.rfind(b"<row "), window.rfind(b"<mergeCell ") if merges else -1)
        keep = min(cut if cut >= 0 else len(window), len(window) - 32)
        if len(window) - keep > MAX_CARRY:
            keep = len(window) - 32
        keep = max(keep, 0)
        self.tail = window[keep:]
        self.base += keep

    def _note_tags(self, window: bytes) -> None:
        """Every tag the scan matches, the pattern narrowed as soon as a wider column is known (so the
        first window does not stop at every cell of its first rows)."""
        pos = 0
        while m := _tag_scan(self.limits.max_rows, self.max_col, not self.unnumbered).search(window, pos):
            pos = m.end()
            if m.lastgroup == "wide":
                self.max_col = max(self.max_col, column_number(m.group("wide")))
            elif m.lastgroup == "tall":  # its column counts too
                self.rows = max(self.rows, int(m.group("tall")))
                self.max_col = max(self.max_col, column_number(m.group("letters")))
            else:
                self.unnumbered = True

    def _check_dimension(self, window: bytes) -> None:
        if b"<sheetData" not in window and len(window) < 64 * 1024:
            return  # the dimension element sits before sheetData; wait for more
        self.head_checked = True
        m = DIMENSION.search(window, 0, window.find(b"<sheetData") if b"<sheetData" in window else len(window))
        if m:
            last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
            self._check(int(last_row), column_number(last_col), m.group(0).split(b'"')[1].decode())

    def _note_formulas(self, window: bytes) -> None:
        for m in UNCACHED_FORMULA.finditer(window):
            at = self.base + m.start()
            if at <= self.last_formula_at:
                continue  # seen in the previous window
            self.last_formula_at = at
            attrs, empty_value = m.group(1), m.group(2)
            if empty_value and b't="str"' in attrs:
                continue  # a formula whose saved result is the empty string
            ref = CELL_REF.search(attrs)
            if ref and len(self.formulas) < MAX_FORMULA_REFS:
                self.formulas.append((int(ref.group(2)) - 1, column_number(ref.group(1)) - 1))

    def _note_start(self, window: bytes) -> None:
        """The used range's first row (the first valued cell; rows come in order) and first column
        (the leftmost valued cell: once known, a pattern that fails on the column letter for every
        cell right of it, so a sheet starting in column A costs nothing)."""
        if self.first is None:
            m = VALUED_CELL.search(window)
            if m is None:
                return
            self.first = (int(m.group(2)) - 1, column_number(m.group(1)) - 1)
        col = self.first[1]
        if col == 0:
            return
        left = _left_of(col)
        for m in left.finditer(window):
            valued = VALUED_CELL.match(window, m.start())
            if valued:
                col = min(col, column_number(valued.group(1)) - 1)
        if col < self.first[1]:
            self.first = (self.first[0], col)

    def _note_merged(self, window: bytes) -> None:
        for m in MERGE_CELL.finditer(window):
            at = self.base + m.start()
            if at <= self.last_merge_at:
                continue  # seen in the previous window
            self.last_merge_at = at
            c0, r0, c1, r1 = m.group(1), m.group(2), m.group(3) or m.group(1), m.group(4) or m.group(2)
            self.merged.append(((int(r0) - 1, column_number(c0) - 1), (int(r1) - 1, column_number(c1) - 1)))

    def start(self) -> tuple[int, int] | None:
        """(row, column), 0-based, where the used range starts; None when unknown (cells without
        references: their positions need walking) or when the sheet holds no value."""
        return None if self.unnumbered else self.first

    def _check(self, rows: int, columns: int, area: str | None = None) -> None:
        if area is None and rows and columns:
            area = f"A1:{column_letters(columns)}{rows}"
        check_extent(self.sheet, rows, max(columns, 1), self.limits, area)

    def finish(self, reinflate: Callable[[], Iterator[bytes]]) -> int:
        """Check the sheet's extent; → its cells (rows × columns).

        Rows without a number and cells without a reference take the next position. Excel,
        WPS, LibreOffice and openpyxl always write the reference first; when a file does not,
        walk every tag to find the true extent (slower, and only then)."""
        rows, columns = _walk_positions(reinflate()) if self.unnumbered else (self.rows, self.max_col)
        self._check(rows, columns)
        return rows * max(columns, 1)


def _walk_positions(chunks: Iterator[bytes]) -> tuple[int, int]:
    """(last row, last column) of a sheet by walking every row and cell tag, as a reader would."""
    row = col = max_row = max_col = 0
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        cut = max(window.rfind(b"<"), 0)
        if len(window) - cut > MAX_CARRY:
            cut = len(window)  # a text run this long holds no tag worth carrying
        for m in TOKEN.finditer(window, 0, cut):
            attrs = m.group(2)
            if m.group(1) == b"row":
                found = ROW_ATTR.search(attrs)
                row, col = (int(found.group(1)) if found else row + 1), 0
            else:
                found = CELL_REF.search(attrs)
                if found:
                    col, row = column_number(found.group(1)), int(found.group(2))
                else:
                    col += 1
            max_row, max_col = max(max_row, row), max(max_col, col)
        tail = window[cut:]
    return max_row, max_col


# ---------------------------------------------------------------- .xls (OLE2 compound file)

FREE, END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
#: BIFF records that hold one cell: (row u16, column u16) first
BIFF_CELLS = frozenset({0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, 0x0201})
BIFF_MULTI = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column, …, last column
BIFF_BOF, BIFF_EOF, BIFF_BOUNDSHEET, BIFF_FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F


def inspect_ole(data: bytes, limits: Limits = LIMITS) -> Inspection:
    """An OLE2 file: an encrypted .xlsx, a Word or PowerPoint file, or a real .xls (measured)."""
    try:
        streams = _ole_directory(data)
    except (struct.error, IndexError, ValueError):
        raise ReadError(f"{CORRUPT_MESSAGE}(Office 复合文档结构损坏):{RESAVE}") from None
    names = {name.lower() for name in streams}
    if "encryptedpackage" in names:
        raise ReadError(PASSWORD_MESSAGE)
    if "worddocument" in names:
        raise ReadError("文件是 Word 97-2003 文档(.doc),不是 Excel 工作簿:请把表格复制到 Excel 中另存为 .xlsx 后再上传")
    if "powerpoint document" in names:
        raise ReadError("文件是 PowerPoint 97-2003 演示文稿(.ppt),不是 Excel 工作簿")
    book = next((streams[n] for n in streams if n.lower() in ("workbook", "book")), None)
    if book is None:
        raise ReadError(f"{CORRUPT_MESSAGE}:Office 复合文档中没有工作簿内容")
    try:
        stream = _ole_stream(data, *book)
    except (struct.error, IndexError, ValueError):
        raise ReadError(f"{CORRUPT_MESSAGE}(Office 复合文档结构损坏):{RESAVE}") from None
    if stream is not None:
        _measure_biff(stream, limits)
    return Inspection("xls")


def _ole_directory(data: bytes) -> dict[str, tuple[int, int, int]]:
    """Stream name → (first sector, size, sector size) for every stream of the compound file."""
    sector = 1 << struct.unpack_from("<H", data, 30)[0]
    if sector not in (512, 4096):
        raise ValueError("sector size")
    fat = _ole_fat(data, sector)
    first_dir = struct.unpack_from("<I", data, 48)[0]
    out: dict[str, tuple[int, int, int]] = {}
    for sec in _ole_chain(fat, first_dir):
        base = (sec + 1) * sector
        for at in range(base, base + sector, 128):
            name_len, kind = struct.unpack_from("<HB", data, at + 64)
            if kind != 2 or not 2 <= name_len <= 64:
                continue  # only streams
            name = bytes(data[at:at + name_len - 2]).decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", data, at + 116)
            if sector == 512:
                size &= 0xFFFFFFFF  # v3 files: the high half is undefined
            out[name] = (start, size, sector)
    return out


def _ole_fat(data: bytes, sector: int) -> list[int]:
    n_fat, _dir, _sig, _cutoff, _minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<8I", data, 44)
    slots = list(struct.unpack_from("<109I", data, 76))
    next_difat, seen = first_difat, 0
    while next_difat not in (FREE, END_OF_CHAIN) and seen < min(n_difat, len(data) // sector):
        block = struct.unpack_from(f"<{sector // 4}I", data, (next_difat + 1) * sector)
        slots.extend(block[:-1])
        next_difat, seen = block[-1], seen + 1
    fat: list[int] = []
    for sec in slots[:n_fat]:
        fat.extend(struct.unpack_from(f"<{sector // 4}I", data, (sec + 1) * sector))
    return fat


def _ole_chain(fat: list[int], start: int) -> Iterator[int]:
    seen = 0
    while start < len(fat) and seen <= len(fat):  # a loop in the chain ends here, not forever
        yield start
        start, seen = fat[start], seen + 1


def _ole_stream(data: bytes, start: int, size: int, sector: int) -> bytes | None:
    """A stream's bytes, or None when it lives in the mini stream (under 4 KB: nothing to fear)."""
    if size < 4096:
        return None
    fat = _ole_fat(data, sector)
    parts = [data[(s + 1) * sector:(s + 2) * sector] for s in _ole_chain(fat, start)]
    return b"".join(parts)[:size]


def _measure_biff(stream: bytes, limits: Limits) -> None:
    """Each visible sheet's last row and column from its cell records (BIFF5/8)."""
    sheets: list[tuple[int, str, bool]] = []
    pos, n = 0, len(stream)
    while pos + 4 <= n:  # the workbook globals: sheet names and where each sheet starts
        kind, length = struct.unpack_from("<HH", stream, pos)
        if kind == BIFF_FILEPASS:
            raise ReadError(PASSWORD_MESSAGE)
        if kind == BIFF_BOUNDSHEET and length >= 8:
            offset, state, sheet_type, cch = struct.unpack_from("<IBBB", stream, pos + 4)
            if length >= 9 and stream[pos + 11] & 1:
                name = stream[pos + 12:pos + 12 + 2 * cch].decode("utf-16-le", "replace")
            else:
                name = stream[pos + 12:pos + 12 + cch].decode("latin-1")
            sheets.append((offset, name, state & 0x03 == 0 and sheet_type == 0))
        if kind == BIFF_EOF:
            break
        pos += 4 + length
    cells = 0
    for offset, name, visible in sheets:
        if not visible:
            continue
        rows = columns = depth = 0
        pos = offset
        while pos + 4 <= n:
            kind, length = struct.unpack_from("<HH", stream, pos)
            if kind == BIFF_BOF:
                depth += 1  # charts embedded in the sheet have their own BOF … EOF
            elif kind in BIFF_CELLS and length >= 4:
                row, col = struct.unpack_from("<HH", stream, pos + 4)
                rows, columns = max(rows, row + 1), max(columns, col + 1)
            elif kind in BIFF_MULTI and length >= 6:
                row = struct.unpack_from("<H", stream, pos + 4)[0]
                last = struct.unpack_from("<H", stream, pos + 4 + length - 2)[0]
                rows, columns = max(rows, row + 1), max(columns, last + 1)
            elif kind == BIFF_EOF:
                depth -= 1
                if depth <= 0:
                    break
            pos += 4 + length
        check_extent(name, rows, max(columns, 1), limits,
                     f"A1:{column_letters(max(columns, 1))}{rows}" if rows else None)
        cells += rows * max(columns, 1)
        check_total(cells, limits)

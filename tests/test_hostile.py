"""Hostile and broken uploads: each rejected quickly, with its exact Chinese message, and the
database unchanged. Every file is built here, from bytes: renamed documents and pictures,
zip bombs, absurd sheet extents, XML entity expansion, encrypted workbooks, macros, merged
cells, formulas saved without results. The ones that would exhaust memory if the guard let
them through are imported in a subprocess whose peak RSS is measured."""

from __future__ import annotations

import io
import json
import random
import struct
import subprocess
import sys
import time
import tomllib
import zipfile
import zlib
from pathlib import Path

import defusedxml
import openpyxl
import pytest
import xlwt

import database
from conftest import ROOT, UNITS_ROWS, snapshot, xlsx
from ingest import guard, import_file

STATS_HEADER = ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"]
STATS_ROW = ["2022-10", "星沙街道", "A社区", "一网格", 10, 5, 5]
SHEET1 = "xl/worksheets/sheet1.xml"
#: the peak resident memory a child importing any hostile file may reach. Its baseline (Python
#: with pandas, DuckDB and calamine loaded) is ~160 MB; unguarded, the million-row sheet takes ~500 MB
#: and the bomb, the 16,384 columns and the wide .xls abort the process when it is capped at 3 GB
RSS_BOUND_MB = 300
#: each rejection must come back within this many seconds
TIME_BOUND_S = 3.0

BOMB = "Excel 正常保存的文件不会这样"


# ---------------------------------------------------------------- building files


def stats_book(extra: dict | None = None) -> bytes:
    """A valid one-sheet 网格统计 workbook (openpyxl); ``extra`` cells are set on the sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "网格统计"
    for row in (STATS_HEADER, STATS_ROW):
        ws.append(row)
    for ref, value in (extra or {}).items():
        ws[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(parts: dict[str, bytes], level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return buffer.getvalue()


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand: (name, raw deflate data, CRC-32, declared uncompressed size).
    zipfile cannot write pre-compressed data, nor lie about sizes."""
    body, directory = b"", b""
    for name, raw, crc, size in entries:
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(raw), size)
        directory += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                      + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(body)) + encoded)
        body += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + raw
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return body + directory + end


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def bomb_sheet(unit_mb: int = 1, times: int = 1024) -> tuple[bytes, int, int]:
    """Raw deflate of a sheet holding one inline string of ``times`` MB of spaces, built in a
    blink: one compressed MB, flushed to a byte boundary, repeated. → (raw, crc, size)."""
    head = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
    unit = b" " * (unit_mb << 20)
    tail = b"</t></is></c></row></sheetData></worksheet>"
    finish = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = deflate(head) + deflate(unit) * times + finish.compress(tail) + finish.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    return raw, zlib.crc32(tail, crc), len(head) + len(unit) * times + len(tail)


def with_sheet(sheet_raw: bytes, crc: int, size: int) -> bytes:
    """A valid workbook whose sheet1.xml is replaced by the given raw deflate data."""
    entries = []
    for name, content in parts_of(stats_book()).items():
        if name == SHEET1:
            entries.append((name, sheet_raw, crc, size))
        else:
            entries.append((name, deflate(content) + b"\x03\x00", zlib.crc32(content), len(content)))
    return raw_zip(entries)


def ole(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors) holding the given streams (≥ 4 KB each)."""
    sector, names = 512, list(streams)
    fat, starts, body = [0xFFFFFFFD, 0xFFFFFFFE], [], b""  # sector 0: the FAT, 1: the directory
    for name in names:
        count = -(-len(streams[name]) // sector)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        body += streams[name].ljust(count * sector, b"\0")
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0)
    for i, name in enumerate(names):
        directory += entry(name, 2, 0xFFFFFFFF, i + 2 if i + 1 < len(names) else 0xFFFFFFFF,
                           starts[i], len(streams[name]))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<9I", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", 0, *[0xFFFFFFFF] * 108))
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory.ljust(sector, b"\0") + body


def billion_laughs() -> bytes:
    """A shared-strings part whose one string is 10⁹ "lol"s once its nested entities expand (~3 GB)."""
    parts = parts_of(stats_book())
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>").encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        b'Target="sharedStrings.xml" Id="rIdS" /></Relationships>'))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>'))
    parts[SHEET1] = parts[SHEET1].replace(b"</sheetData>", b'<row r="3"><c r="A3" t="s"><v>0</v></c></row></sheetData>')
    return rezip(parts)


def million_empty_formatted_rows() -> bytes:
    """A million styled, empty rows under the data, and a dimension that pretends otherwise."""
    parts = parts_of(stats_book())
    sheet = parts[SHEET1].decode()
    rows = "".join(f'<row r="{i}" s="1" customFormat="1"/>' for i in range(3, 1_000_001))
    sheet = sheet.replace("</sheetData>", rows + "</sheetData>")
    parts[SHEET1] = sheet.replace('<dimension ref="A1:G2"', '<dimension ref="A1:G1"').encode()
    return rezip(parts, level=1)


def misplaced_cell() -> bytes:
    """A cell whose reference says row 1,000,000 inside the tag of row 3, under a dimension of
    A1:G3: 200 columns × a million rows would be laid out (6 GB) if the guard trusted either."""
    parts = parts_of(stats_book({"GR2": "x"}))
    sheet = parts[SHEET1].replace(b"</sheetData>", b'<row r="3"><c r="A1000000" t="n"><v>1</v></c></row></sheetData>')
    parts[SHEET1] = sheet.replace(b'<dimension ref="A1:GR2"', b'<dimension ref="A1:G3"')
    assert b'<dimension ref="A1:G3"' in parts[SHEET1]
    return rezip(parts)


def wide_xls() -> bytes:
    """An .xls whose used area reaches IV65536: 16.7 million cells once calamine lays it out."""
    book = xlwt.Workbook()
    ws = book.add_sheet("网格统计")
    for c, h in enumerate(STATS_HEADER):
        ws.write(0, c, h)
    ws.write(65535, 255, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- importing


def assert_rejected(con, data: bytes, name: str, expected: str) -> None:
    """Rejected within the time bound with exactly this message; nothing written but the log line."""
    before = snapshot(con)
    started = time.perf_counter()
    result = import_file(con, data, name)
    elapsed = time.perf_counter() - started
    assert result.status == "rejected"
    assert [p.message for p in result.errors] == [expected]
    assert elapsed < TIME_BOUND_S
    assert snapshot(con) == before
    status, report = database.query(con, "select status, report from uploads order by id desc limit 1").iloc[0]
    assert status == "rejected" and json.loads(report)[0]["message"] == expected


CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
import database
from ingest import import_file
con = database.connect(sys.argv[1])
data = open(sys.argv[2], "rb").read()
started = time.perf_counter()
result = import_file(con, data, sys.argv[3])
elapsed = time.perf_counter() - started
con.close()
# the high-water mark of this program's memory; ru_maxrss would also count the test process
# it was forked from, before exec
peak_kb = int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
print(json.dumps({{"status": result.status, "errors": [p.message for p in result.errors], "elapsed": elapsed,
                  "peak_mb": peak_kb / 1024}}))
"""


def import_in_child(tmp_path: Path, db: Path, data: bytes, name: str) -> dict:
    """Import in a fresh interpreter; → its result, elapsed seconds and peak RSS (MB)."""
    script, upload = tmp_path / "child.py", tmp_path / name
    script.write_text(CHILD.format(root=str(ROOT)))
    upload.write_bytes(data)
    proc = subprocess.run([sys.executable, str(script), str(db), str(upload), name],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.fixture
def base_db(tmp_path) -> Path:
    """A database file holding the three units, closed (a child process will open it)."""
    path = tmp_path / "hostile.duckdb"
    con = database.connect(path)
    assert import_file(con, xlsx({"单位名录": UNITS_ROWS}), "units.xlsx").ok
    con.close()
    return path


# ---------------------------------------------------------------- not a spreadsheet


DOCX = rezip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.mark.parametrize("content, expected", [
    (b"", "文件是空的"),
    (DOCX, "文件是 Word 文档(.docx),不是 Excel 工作簿:请把表格复制到 Excel 中另存为 .xlsx 后再上传"),
    (b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000), "无法识别的文件内容:这是一张 PNG 图片,不是 Excel 工作簿或 CSV 文本"),
    (b"%PDF-1.7\n" + random.Random(2).randbytes(2000), "无法识别的文件内容:这是一个 PDF 文档,不是 Excel 工作簿或 CSV 文本"),
    (random.Random(3).randbytes(64 * 1024), "文件不是 Excel 工作簿或 CSV 文本(无法识别的文件内容)"),
    (rezip({"说明.txt": "随便什么".encode()}), "文件是 zip 压缩包,不是 Excel 工作簿:请解压后上传其中的 .xlsx / .xls / .csv 文件"),
    (rezip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}),
     "文件是 Excel 二进制工作簿(.xlsb),暂不支持:请在 Excel 中另存为 .xlsx 后再上传"),
    (ole({"WordDocument": b"\xec\xa5" + b"\0" * 5000}),
     "文件是 Word 97-2003 文档(.doc),不是 Excel 工作簿:请把表格复制到 Excel 中另存为 .xlsx 后再上传"),
], ids=["empty", "docx", "png", "pdf", "random", "zip", "xlsb", "doc"])
def test_not_a_spreadsheet_is_named_by_content(con, content, expected):
    assert_rejected(con, content, "上报.xlsx", expected)


def encrypted_xls() -> bytes:
    """An .xls with an open password: a FILEPASS record right after the workbook's BOF."""
    book = xlwt.Workbook()
    book.add_sheet("网格统计").write(0, 0, "统计月份")
    biff = book.get_biff_data()
    bof_end = 4 + struct.unpack_from("<H", biff, 2)[0]
    filepass = struct.pack("<HHH", 0x002F, 54, 1) + random.Random(5).randbytes(52)  # RC4, salt and verifier
    return ole({"Workbook": (biff[:bof_end] + filepass + biff[bof_end:]).ljust(4096, b"\0")})


@pytest.mark.parametrize("encrypted", [
    # what Excel writes for an .xlsx with an open password: an OLE2 file holding the encrypted package
    ole({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x40" * 4092,
         "EncryptedPackage": struct.pack("<Q", 8000) + random.Random(4).randbytes(8000)}),
    encrypted_xls(),
], ids=["xlsx", "xls"])
def test_password_protected_workbook(con, encrypted):
    assert_rejected(con, encrypted, "加密.xlsx", "工作簿设置了打开密码,请取消密码后再上传")


def test_corrupt_workbooks(con):
    good = stats_book()
    assert_rejected(con, good[: len(good) // 2], "半截.xlsx",
                    "文件已损坏或不是有效的 Excel 工作簿(zip 结构损坏):请在 Excel 中打开后另存为 .xlsx 再上传")
    # the directory is intact but the sheet's compressed bytes are damaged
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        info = z.getinfo(SHEET1)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(good)
    damaged[start + 20:start + 40] = bytes(20)
    assert_rejected(con, bytes(damaged), "坏块.xlsx",
                    f"文件已损坏或不是有效的 Excel 工作簿:部件“{SHEET1}”的数据不完整或校验不符,"
                    "请在 Excel 中打开后另存为 .xlsx 再上传")


def test_oversized_upload_names_the_configured_limit(con):
    with (ROOT / ".streamlit" / "config.toml").open("rb") as f:
        limit = tomllib.load(f)["server"]["maxUploadSize"]
    assert guard.configured_upload_mb() == limit == guard.LIMITS.max_upload_mb
    data = stats_book().ljust((limit + 1) * 1024 * 1024, b"\0")
    assert_rejected(con, data, "大文件.xlsx",
                    f"文件大小为 {limit + 1}.0 MB,超过上传上限 {limit} MB:请删去无关的工作表,或按月份拆分成几个文件再上传")


# ---------------------------------------------------------------- archive bounds


def test_declared_total_over_the_bound(con):
    # three parts that each claim 150 MB at a believable ratio: refused from the directory alone
    entries = [(name, deflate(content) + b"\x03\x00", zlib.crc32(content), len(content))
               for name, content in parts_of(stats_book()).items()]
    filler = bytes(800 * 1024)
    entries += [(f"xl/media/image{i}.png", filler, 0, 150 * 1024 * 1024) for i in range(3)]
    assert_rejected(con, raw_zip(entries), "大包.xlsx", f"文件疑似“压缩炸弹”:解压后共 450 MB,超过上限 400 MB,已拒绝。{BOMB}")


def test_too_many_parts(con):
    parts = parts_of(stats_book())
    parts.update({f"xl/media/p{i}.xml": b"<p/>" for i in range(2_100)})
    total = len(parts)
    assert_rejected(con, rezip(parts), "碎片.xlsx",
                    f"文件已损坏或不是有效的 Excel 工作簿:压缩包内有 {total:,} 个部件,超过上限 2,000 个")


def test_cells_without_references_are_measured_by_walking(con):
    # cells may omit r="…" (they take the next column): 300 of them in one row is 300 columns
    parts = parts_of(stats_book())
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 300
    parts[SHEET1] = parts[SHEET1].replace(b"</sheetData>", f"<row>{cells}</row></sheetData>".encode())
    assert_rejected(con, rezip(parts), "无坐标.xlsx",
                    "工作表“网格统计”的使用区域为 A1:KN3,共 300 列,超过上限 200 列:"
                    "请删除数据右侧多余的列(包括只设置了格式的空列)后再上传")


# ---------------------------------------------------------------- memory-bound, in a child process


def honest_bomb() -> tuple[bytes, str]:
    data = with_sheet(*bomb_sheet())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(SHEET1)
    ratio = info.file_size / info.compress_size
    return data, (f"文件疑似“压缩炸弹”:部件“{SHEET1}”压缩比为 {ratio:,.0f}:1(解压后 1,024 MB),"
                  f"超过上限 200:1,已拒绝。{BOMB}")


def lying_bomb() -> tuple[bytes, str]:
    raw, crc, _size = bomb_sheet()
    return (with_sheet(raw, crc, 10_000),  # says 10 KB, inflates to 1 GB
            f"文件疑似“压缩炸弹”:部件“{SHEET1}”解压后的实际大小超过它声明的 10,000 字节,已拒绝。{BOMB}")


WIDE = "请删除数据右侧多余的列(包括只设置了格式的空列)后再上传"
TALL = "若数据下方有大量带格式的空行,请删除这些行;若数据确实这么多,请按月份拆分成几个文件再上传"

MEMORY_CASES = {
    "zip-bomb": honest_bomb,
    "zip-bomb-lying-sizes": lying_bomb,
    "16384-columns": lambda: (stats_book({"XFD1": "x", "A3000": 1}),
                              f"工作表“网格统计”的使用区域为 A1:XFD3000,共 16,384 列,超过上限 200 列:{WIDE}"),
    "million-row-dimension": lambda: (stats_book({"A1000000": 1}),
                                      f"工作表“网格统计”的使用区域为 A1:G1000000,共 1,000,000 行,超过上限 300,000 行:{TALL}"),
    "million-empty-formatted-rows": lambda: (million_empty_formatted_rows(),
                                             f"工作表“网格统计”的使用区域为 A1:G1000000,共 1,000,000 行,超过上限 300,000 行:{TALL}"),
    "cell-outside-its-row": lambda: (misplaced_cell(),
                                     f"工作表“网格统计”的使用区域为 A1:GR1000000,共 1,000,000 行,超过上限 300,000 行:{TALL}"),
    "billion-laughs": lambda: (billion_laughs(),
                               "文件中的 XML 部件“xl/sharedStrings.xml”含有 DOCTYPE / ENTITY 声明,这是 XML 实体膨胀攻击"
                               "(“十亿笑声”)的手法,已拒绝。Excel 正常保存的文件不会有这种内容"),
    "xls-256-columns": lambda: (wide_xls(),
                                f"工作表“网格统计”的使用区域为 A1:IV65536,共 256 列,超过上限 200 列:{WIDE}"),
}


@pytest.mark.parametrize("case", list(MEMORY_CASES))
def test_hostile_file_rejected_within_memory_and_time(tmp_path, base_db, case):
    data, expected = MEMORY_CASES[case]()
    assert len(data) < 3 * 1024 * 1024  # small on disk, whatever it claims to hold
    con = database.connect(base_db)
    before = snapshot(con)
    con.close()
    result = import_in_child(tmp_path, base_db, data, f"{case}.xlsx")
    assert result["status"] == "rejected"
    assert result["errors"] == [expected]
    assert result["elapsed"] < TIME_BOUND_S
    assert result["peak_mb"] < RSS_BOUND_MB
    con = database.connect(base_db)
    assert snapshot(con) == before
    assert database.query(con, "select status from uploads order by id desc limit 1").status[0] == "rejected"
    con.close()


def test_openpyxl_reads_through_defusedxml():
    """Wherever openpyxl parses a workbook (tests, templates), entity declarations are refused."""
    assert openpyxl.xml.DEFUSEDXML
    with pytest.raises(ValueError, match="could not read strings") as refused:
        openpyxl.load_workbook(io.BytesIO(billion_laughs()))
    assert isinstance(refused.value.__cause__, defusedxml.EntitiesForbidden)


# ---------------------------------------------------------------- read as data, or a clear error per row


def test_xlsm_with_macros_imports_as_data_and_is_never_stored(con):
    parts = parts_of(xlsx({"网格统计": [STATS_HEADER, STATS_ROW]}))
    macro = b'Attribute VB_Name = "Module1"\nSub AutoOpen()\nShell "calc"\nEnd Sub\n'
    parts["xl/vbaProject.bin"] = ole({"dir": macro.ljust(4096, b" ")})
    types = parts["[Content_Types].xml"].decode()
    assert "officedocument.spreadsheetml.sheet.main+xml" in types
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject" />'
                                      "</Types>")
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/></Relationships>')).encode()
    result = import_file(con, rezip(parts), "宏.xlsm")
    assert result.ok, result.report_frame()
    assert database.query(con, "select grid, reported from grid_stats").values.tolist() == [["一网格", 5]]
    # no table keeps an uploaded file's bytes: the original can never be served back
    blobs = database.query(con, "select table_name, column_name from information_schema.columns "
                                "where data_type in ('BLOB', 'BYTEA') order by all")
    # the only files kept are the bulletins the app itself issued (frozen Word and Excel), never an upload
    assert blobs.values.tolist() == [["bulletins", "docx"], ["bulletins", "xlsx"]]


def test_merged_cells_in_the_data_area(con):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "网格统计"
    ws.append(["星沙街道2022年10月网格统计表"])
    ws.merge_cells("A1:G1")  # a title above the header: fine
    ws.append(STATS_HEADER)
    ws.append(["2022-10", "星沙街道", "A社区", "一网格", 10, 5, 5])
    ws.append(["2022-10", None, "A社区", "二网格", 10, 5, 5])
    ws.merge_cells("B3:B4")  # 星沙街道 written once for two rows
    ws["H3"] = "同一批"
    ws.merge_cells("H3:H4")  # a column without a header is never imported: fine
    ws.append(["2022-10", "星沙街道", "B社区", "一网格", 1, 1, 1])
    ws.append(["合计", None, None, None, 21, 11, 11])
    ws.merge_cells("A6:D6")  # the label of a totals row: never imported, fine
    buffer = io.BytesIO()
    wb.save(buffer)
    before = snapshot(con)
    result = import_file(con, buffer.getvalue(), "合并.xlsx")
    assert result.status == "rejected"
    assert [(p.sheet, p.row, p.column, p.value, p.message) for p in result.errors] == [
        ("网格统计", 3, "乡镇街道", "B3:B4",
         "表头行及以下不能有合并单元格:合并后只有左上角一格有值,其余格会被当作空白。请取消合并,并在每一格填上完整的值"),
        ("网格统计", 4, "乡镇街道", "", "必填项为空"),
    ]
    assert snapshot(con) == before


def test_formulas_saved_without_results(con):
    # openpyxl (like many programs) writes formulas without their results; calamine reads them as blanks
    data = stats_book({"G2": "=F2*1", "I2": "=1", "A3": "2022-10", "B3": "星沙街道", "C3": "B社区", "D3": '=IF(1,"x","")',
                       "E3": "=1+1", "F3": 0, "G3": 0, "H3": '=""', "A4": "合计", "E4": "=SUM(E2:E3)", "F4": 5})
    parts = parts_of(data)
    # openpyxl writes an empty value as <v /> or, when lxml is installed, as <v></v>
    sheet = parts[SHEET1].replace(b"<v></v>", b"<v />")
    for written, as_excel_saves_it in [
        (b'<c r="D3"><f>IF(1,"x","")</f><v /></c>', b'<c r="D3" t="str"><f>IF(1,"x","")</f><v>x</v></c>'),
        (b'<c r="E3"><f>1+1</f><v /></c>', b'<c r="E3"><f>1+1</f><v>2</v></c>'),
        (b'<c r="H3"><f>""</f><v /></c>', b'<c r="H3" t="str"><f>""</f><v></v></c>'),  # the empty string
    ]:
        assert sheet.count(written) == 1
        sheet = sheet.replace(written, as_excel_saves_it)
    parts[SHEET1] = sheet
    data = rezip(parts)
    assert guard.check(data).uncached_formulas == {"网格统计": [(1, 6), (1, 8), (3, 4)]}  # G2, I2, E4
    before = snapshot(con)
    result = import_file(con, data, "公式.xlsx")
    assert result.status == "rejected"
    # G2 is reported; I2 lies in a column without a header (never imported), E4 in the totals
    # row (never imported); D3, E3 and H3 carry their results
    assert [(p.row, p.column, p.value, p.message) for p in result.errors] == [
        (2, "处置事项", "G2", "这一格是公式,但文件里没有保存它的计算结果(多见于程序生成的文件),读出来是空白。"
                              "请用 Excel 或 WPS 打开这个文件、保存后再上传,或把公式换成数值"),
        (2, "处置事项", "", "必填项为空"),
    ]
    assert snapshot(con) == before

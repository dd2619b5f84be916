"""双周通报 from the sample data: the .docx opened with python-docx and the .xlsx with openpyxl, every
figure checked against values worked out here from the workbooks in data/ (plain openpyxl, the rules
re-implemented, not by calling analytics)."""

from __future__ import annotations

import io
import shutil
from collections import defaultdict
from datetime import date, datetime, timedelta

import docx
import openpyxl
import pandas as pd
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from test_pages_projects import day, expected_statuses, rows

import database
from bulletin import store
from bulletin.charts import render
from bulletin.content import BulletinSettings, PeriodError, build, check_period, default_period
from conftest import ROOT

START, END = date(2022, 11, 7), date(2022, 11, 20)
WEEKS = [START, START + timedelta(days=7)]
TODAY = date(2022, 11, 21)
ROOT_DATA = ROOT / "data"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ---------------------------------------------------------------- expectations from the workbooks


def expected_reporting(weeks: list[date]) -> tuple[int, int, set[str]]:
    """(active, reported, projects that missed a week) over ``weeks``: active = approved by the Sunday,
    due on or after the Monday, recorded status neither 已完成 nor 已终止."""
    projects = rows("02_项目台账.xlsx", "项目台账")
    reported_weeks = defaultdict(set)
    for r in rows("03_项目周报.xlsx", "项目周报"):
        d = day(r["周次"])
        reported_weeks[r["项目编号"]].add(d - timedelta(days=d.weekday()))
    active = reported = 0
    missed = set()
    for wk in weeks:
        for p in projects:
            if (p["状态"] or "实施中") in ("已完成", "已终止"):
                continue
            if day(p["立项日期"]) > wk + timedelta(days=6) or day(p["计划完成日期"]) < wk:
                continue
            active += 1
            if wk in reported_weeks[p["项目编号"]]:
                reported += 1
            else:
                missed.add(p["项目编号"])
    return active, reported, missed


def _month(value) -> date:
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    text = str(value).strip().replace("年", "-").replace("月", "")
    if text.isdigit() and len(text) == 6:  # "202210"
        text = f"{text[:4]}-{text[4:]}"
    y, m = text.split("-")[:2]
    return date(int(y), int(m), 1)


def _count(value) -> int:
    return int(str(value).replace(",", "").strip())


def grid_by_unit() -> dict[tuple[date, str], list[int]]:
    """(month, unit) → [reported, handled], from both grid-statistics workbooks (a later file's row
    replaces the same grid's row of an earlier one, as the importer does)."""
    cells: dict[tuple, tuple[int, int]] = {}
    for file in ("06_网格统计.xlsx", "06_网格统计_星沙街道.xlsx"):
        ws = openpyxl.load_workbook(ROOT_DATA / file, read_only=True).worksheets[0]
        for r in ws.iter_rows(values_only=True):
            if not r[0] or str(r[0]).strip() in ("统计月份",) or str(r[0]).strip().startswith(("合计", "总计", "小计")):
                continue
            try:
                month = _month(r[0])
            except ValueError:
                continue  # the title row
            cells[(month, r[1], r[2], r[3])] = (_count(r[5]), _count(r[6]))
    out: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    for (month, unit, _c, _g), (rep, han) in cells.items():
        out[(month, unit)][0] += rep
        out[(month, unit)][1] += han
    return out


def expected_review_top() -> list[tuple[str, float]]:
    """(project name, final score) by final score: per round drop one highest and one lowest of the 7
    judges' totals and average; final = 0.3·r1 + 0.3·r2 + 0.4·r3; projects missing a round or flagged
    铺张浪费/弄虚作假 by the period's end are left out."""
    names = {p["项目编号"]: p["项目名称"] for p in rows("02_项目台账.xlsx", "项目台账")}
    out = [f["项目编号"] for f in rows("02_项目台账.xlsx", "项目标记")
           if f["标记"] in ("铺张浪费", "弄虚作假") and day(f["日期"]) <= END]
    totals = defaultdict(list)
    for r in rows("04_评审打分.xlsx", "评审打分"):
        rnd = {1: 1, "1": 1, "第一轮": 1, 2: 2, "第二轮": 2, 3: 3, "第三轮": 3}[r["轮次"]]
        totals[(r["项目编号"], rnd)].append(r["举措实在"] + r["解难实时"] + r["成果实用"])
    finals = []
    for pid in names:
        if pid in out or any((pid, k) not in totals for k in (1, 2, 3)):
            continue
        scores = []
        for k in (1, 2, 3):
            t = sorted(totals[(pid, k)])
            scores.append(sum(t[1:-1]) / (len(t) - 2))
        finals.append((names[pid], 0.3 * scores[0] + 0.3 * scores[1] + 0.4 * scores[2]))
    return sorted(finals, key=lambda x: -x[1])


def expected_difficulties() -> int:
    return sum(1 for r in rows("03_项目周报.xlsx", "项目周报")
               if day(r["周次"]) in WEEKS and any(str(r[c] or "").strip() for c in ("存在困难", "需协调事项")))


# ---------------------------------------------------------------- the draft



@pytest.fixture(scope="module")
def made(sample_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("bulletin") / "b.duckdb"
    shutil.copy(sample_db, db)
    con = database.connect(db)
    try:
        yield store.draft(con, START, END, TODAY)
    finally:
        con.close()


@pytest.fixture(scope="module")
def document(made):
    return docx.Document(io.BytesIO(made.docx))


@pytest.fixture(scope="module")
def workbook(made):
    return openpyxl.load_workbook(io.BytesIO(made.xlsx))


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table(document, first_header: str, must_have: str):
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_header
             and must_have in [c.text for c in t.rows[0].cells]]
    assert len(found) == 1, [[c.text for c in t.rows[0].cells] for t in document.tables]
    return [[c.text for c in r.cells] for r in found[0].rows]


def sheet_table(ws, first_header: str) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(values) if r[0] == first_header)
    header = values[start]
    return [dict(zip(header, r, strict=False)) for r in values[start + 1:] if any(v is not None for v in r)]


def test_title_issuer_period(document, made):
    text = text_of(document)
    assert document.paragraphs[0].text == "党建聚合力·书记领航行动第1期双周通报"
    assert "中共长沙县委组织部\t2022年11月21日" in text
    assert "(通报期:2022年11月7日至11月20日)" in text
    assert "(草稿,未印发)" in text
    assert made.file_stem == "双周通报第1期(2022年11月7日至11月20日)草稿"


def test_reporting_figures(document, workbook):
    active, reported, missed = expected_reporting(WEEKS)
    prev_active, prev_reported, _ = expected_reporting([w - timedelta(days=14) for w in WEEKS])
    rate, prev = reported / active, prev_reported / prev_active
    change = round((rate - prev) * 100, 1)
    words = f"较上期{'上升' if change > 0 else '下降'}{abs(change):.1f}个百分点"
    opening = document.paragraphs[4].text  # after title, draft mark, masthead, period
    assert f"应报送周报{active}个次,周报报送率{rate * 100:.1f}%({words})" in opening
    assert f"实际报送{reported}个次" in text_of(document)
    silent = table(document, "项目编号", "未报送周次")
    assert {r[0] for r in silent[1:]} == missed
    overview = {r[0]: r[1] for r in workbook["概况"].iter_rows(values_only=True) if r[0]}
    assert overview["应报送周报(个次)"] == active
    assert overview["已报送周报(个次)"] == reported
    assert overview["周报报送率"] == pytest.approx(rate)
    assert workbook["概况"]["B12"].number_format == "0.0%"
    assert {r["项目编号"] for r in sheet_table(workbook["周报报送"], "项目编号")} == missed


def test_progress_figures(document, workbook):
    counts = expected_statuses()  # the 2022-11-20 statuses, worked out in test_pages_projects
    red, yellow, green, done = counts["红"], counts["黄"], counts["绿"], counts["已完成"]
    opening = document.paragraphs[4].text
    assert f"按计划推进项目{green}个、已完成{done}个,进度滞后项目{red + yellow}个(红色{red}个、黄色{yellow}个)" in opening
    behind = table(document, "项目编号", "原因")
    assert [r[4] for r in behind[1:]] == ["红色"] * red + ["黄色"] * yellow
    sheet = sheet_table(workbook["项目进度"], "项目编号")
    assert len(sheet) == red + yellow
    assert all(0 <= r["实际进度"] <= 1 for r in sheet)


def test_grid_figures(document, workbook):
    units = grid_by_unit()
    oct_, sep = date(2022, 10, 1), date(2022, 9, 1)
    rep = sum(v[0] for (m, _), v in units.items() if m == oct_)
    han = sum(v[1] for (m, _), v in units.items() if m == oct_)
    rep_s = sum(v[0] for (m, _), v in units.items() if m == sep)
    han_s = sum(v[1] for (m, _), v in units.items() if m == sep)
    change = round((han / rep - han_s / rep_s) * 100, 1)
    words = f"{'上升' if change > 0 else '下降'}{abs(change):.1f}个百分点" if change else "持平"
    assert (f"2022年10月,全县网格上报事件{rep:,}件,处置事项{han:,}件,处置率{han / rep * 100:.1f}%,较上月{words}"
            in text_of(document))
    # the ranking: units with at least 10 events by rate, highest first
    rates = sorted(((v[1] / v[0], u) for (m, u), v in units.items() if m == oct_ and v[0] >= 10), reverse=True)
    ranking = table(document, "名次", "处置率")
    assert [r[1] for r in ranking[1:len(rates) + 1]] == [u for _, u in rates]
    assert ranking[1][4] == f"{rates[0][0] * 100:.1f}%"
    assert ranking[1][2] == f"{units[(oct_, rates[0][1])][0]:,}"
    sheet = sheet_table(workbook["网格治理"], "名次")
    assert sheet[0]["乡镇街道"] == rates[0][1]
    assert sheet[0]["处置率"] == pytest.approx(rates[0][0])


def test_review_figures(document, workbook):
    top = expected_review_top()
    board = table(document, "名次", "最终得分")
    assert [r[1] for r in board[1:4]] == [name for name, _ in top[:3]]
    assert [r[4] for r in board[1:4]] == [f"{score:.2f}" for _, score in top[:3]]
    assert [r[5] for r in board[1:]] == ["3"] * 3 + ["2"] * 7 + ["1"] * 5
    assert f"{len(top)}个项目参与排名" in text_of(document)
    assert "党建引领“美丽屋场”创建行动(北山镇)因铺张浪费取消评比资格" in text_of(document)
    assert sheet_table(workbook["评审排名"], "名次")[0]["最终得分"] == pytest.approx(round(top[0][1], 2))


def test_difficulties(document, workbook):
    n = expected_difficulties()
    assert f"需协调事项{n}条" in text_of(document)
    assert len(table(document, "项目名称", "需协调事项")) == n + 1
    assert len(sheet_table(workbook["需协调解决的困难"], "项目名称")) == n


def test_sheets_one_per_section(workbook):
    assert workbook.sheetnames == ["概况", "周报报送", "项目进度", "评审排名", "网格治理", "需协调解决的困难"]


def test_every_run_has_an_east_asian_font(document):
    parts = [document.element.body, *(s.footer._element for s in document.sections)]
    runs = [r for part in parts for r in part.iter(f"{W}r")]
    assert len(runs) > 100
    missing = [r for r in runs if r.find(f"{W}rPr/{W}rFonts") is None
               or not r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia"))]
    assert missing == []
    fonts = {r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) for r in runs}
    assert fonts == {"方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"}
    title = document.paragraphs[0].runs[0]._element
    assert title.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in document.paragraphs if p.text == "一、周报报送情况").runs[0]._element
    assert heading.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "黑体"
    # the fallbacks Word uses where the official fonts are not installed
    font_table = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table.blob.decode()
    assert 'w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in font_table.blob.decode()


def test_page_margins_borders_and_page_numbers(document):
    s = document.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    footer = s.footer._element
    assert "".join(t.text for t in footer.iter(f"{W}t")) == "— 1 —"
    assert [i.text.strip() for i in footer.iter(f"{W}instrText")] == ["PAGE"]
    assert [c.get(qn("w:fldCharType")) for c in footer.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
    for t in document.tables:
        borders = t._tbl.tblPr.find(f"{W}tblBorders")
        assert {b.tag.split("}")[1]: b.get(qn("w:val")) for b in borders} == dict.fromkeys(
            ["top", "left", "bottom", "right", "insideH", "insideV"], "single")
    assert Mm(156) == document.inline_shapes[0].width


def test_charts_are_pictures(document, made):
    assert len(document.inline_shapes) == 2
    assert made.notes == ()
    images = [r.target_part.blob for r in document.part.rels.values() if "image" in r.reltype]
    assert all(b.startswith(b"\x89PNG") for b in images)


def test_without_a_cjk_font_the_bulletin_has_tables_only(sample_db, tmp_path):
    db = tmp_path / "b.duckdb"
    shutil.copy(sample_db, db)
    con = database.connect(db)
    try:
        plain = store.draft(con, START, END, TODAY, renderer=lambda chart: render(chart, fonts=("没有这种字体",)))
    finally:
        con.close()
    d = docx.Document(io.BytesIO(plain.docx))
    assert len(d.inline_shapes) == 0
    assert len(d.tables) == 5
    assert len(plain.notes) == 2 and all("未找到中文字体" in n for n in plain.notes)
    assert "现将有关情况通报如下" in d.paragraphs[4].text


@pytest.mark.parametrize("start, end, message", [
    (date(2022, 11, 8), date(2022, 11, 21), "须从周一开始"),
    (date(2022, 11, 7), date(2022, 11, 13), "须为连续两周"),
    (date(2022, 11, 7), date(2022, 11, 6), "早于开始日期"),
])
def test_bad_periods(start, end, message):
    with pytest.raises(PeriodError, match=message):
        check_period(start, end)


def test_default_period_is_the_last_two_reported_weeks():
    reports = pd.DataFrame({"week_start": [date(2022, 11, 14), date(2022, 10, 31)]})
    assert default_period(reports, date(2026, 1, 1)) == (date(2022, 11, 7), date(2022, 11, 20))


def test_review_rounds_dated_after_the_period_are_left_out(sample_db, tmp_path):
    db = tmp_path / "b.duckdb"
    shutil.copy(sample_db, db)
    con = database.connect(db)
    try:
        data = store.load_data(con)
    finally:
        con.close()
    after = END + timedelta(days=1)
    two = build(data, START, END, 1, TODAY, settings=BulletinSettings(round_dates=((3, after),)))
    review = next(s for s in two.sections if s.title == "评审排名")
    assert review.paragraphs[0].startswith("按第1至2轮评审得分")
    assert two.headline["review_round"] == 2
    none = build(data, START, END, 1, TODAY, settings=BulletinSettings(round_dates=((1, after), (2, after), (3, after))))
    assert [s.title for s in none.sections] == ["周报报送", "项目进度", "网格治理", "需协调解决的困难"]
    assert none.headline["review_round"] is None

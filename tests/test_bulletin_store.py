"""双周通报: issuing freezes (byte-identical after a later import), numbers, withdraw (audited), formula-safe
workbooks, a small database worked out by hand, and the command line's exit codes."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime

import docx
import openpyxl
import pytest

import database
from bulletin import store
from conftest import ROOT, frame, xlsx
from ingest import import_file

START, END = date(2022, 11, 7), date(2022, 11, 20)
NOW = datetime(2022, 11, 21, 9, 30)
REPORT_HEADER = ["项目编号", "周次", "本周小结", "下周计划", "完成进度", "存在困难", "需协调事项", "填报人"]


@pytest.fixture
def sample(sample_db, tmp_path):
    db = tmp_path / "b.duckdb"
    shutil.copy(sample_db, db)
    con = database.connect(db)
    yield con
    con.close()


def test_issued_bulletin_is_frozen_against_later_imports(sample):
    issued = store.issue(sample, START, END, "admin", NOW)
    assert issued.bulletin.number == 1 and not issued.bulletin.draft
    docx_before, xlsx_before = store.stored_files(sample, 1)
    assert (docx_before, xlsx_before) == (issued.docx, issued.xlsx)
    figures_before = store.list_bulletins(sample)["figures"].iloc[0]

    # a late weekly report for a project that had not reported in the period's second week
    late = xlsx({"项目周报": [REPORT_HEADER, ["LH2022-28", "2022-11-14", "补报:完成入户走访", None, 80, None, None, "刘波斌"]]})
    assert import_file(sample, late, "late.xlsx").ok

    assert store.stored_files(sample, 1) == (docx_before, xlsx_before)  # byte-identical
    assert store.list_bulletins(sample)["figures"].iloc[0] == figures_before
    redrawn = store.draft(sample, START, END, NOW.date())
    assert redrawn.bulletin.headline["report_reported"] == figures_before["report_reported"] + 1
    assert redrawn.bulletin.number == 2


def test_numbers_refusal_and_audited_withdraw(sample):
    store.issue(sample, START, END, "admin", NOW)
    with pytest.raises(store.BulletinError, match=re.escape("已印发(第1期)")):
        store.issue(sample, START, END, "admin", NOW)
    store.withdraw(sample, 1, "admin", datetime(2022, 11, 22, 8, 0))
    with pytest.raises(store.BulletinError, match="已于2022年11月22日撤回"):
        store.withdraw(sample, 1, "admin", NOW)
    again = store.issue(sample, START, END, "admin", datetime(2022, 11, 22, 9, 0))
    assert again.bulletin.number == 2  # a withdrawn number is never reused
    listed = store.list_bulletins(sample)
    assert listed["number"].tolist() == [2, 1]
    assert listed["withdrawn_by"].tolist()[1] == "admin"
    log = frame(sample, "select username, action, detail, outcome from audit where action like '%双周通报' order by id")
    assert log.values.tolist() == [
        ["admin", "印发双周通报", "第1期(2022年11月7日至11月20日)", "成功"],
        ["admin", "撤回双周通报", "第1期", "成功"],
        ["admin", "印发双周通报", "第2期(2022年11月7日至11月20日)", "成功"],
    ]
    assert docx.Document(io.BytesIO(store.stored_files(sample, 2)[0])).paragraphs[0].text == \
        "党建聚合力·书记领航行动第2期双周通报"


def _small(con):
    """Two projects (P01, P02: approved June, due December); P01 reports both weeks, P02 only the first,
    with text that Excel would take for formulas."""
    rows = [REPORT_HEADER,
            ["P01", "2022-11-07", "走访", None, 40, None, None, "甲"],
            ["P01", "2022-11-14", "座谈", None, 50, "=HYPERLINK(\"http://example.com\",\"点我\")", None, "甲"],
            ["P02", "2022-11-07", "积分", None, 30, None, "+1+2", "乙"]]
    # as CSV: there "=..." is text, as a unit's export would carry it (openpyxl would write a formula)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in r] for r in rows])
    assert import_file(con, buffer.getvalue().encode("utf-8"), "项目周报.csv").ok


def test_small_database_by_hand(con):
    _small(con)
    made = store.draft(con, START, END, date(2022, 11, 21))
    h = made.bulletin.headline
    # 2 projects × 2 weeks = 4 owed, 3 sent: 75.0%; P02 silent in the second week only
    assert (h["report_active"], h["report_reported"]) == (4, 3)
    assert h["report_rate"] == pytest.approx(0.75)
    d = docx.Document(io.BytesIO(made.docx))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "应报送周报4个次,周报报送率75.0%" in text
    assert "按计划推进项目2个、已完成0个,进度滞后项目0个(红色0个、黄色0个)" in text
    assert "截至本期末尚无已结束月份的网格统计数据。" in text
    assert "评审排名" not in text  # no review round: no section
    silent = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert silent[1] == ["P02", "三务积分", "黄兴镇", "张韧", "11月14日当周", "1"]
    assert "本期2个项目在周报中提出困难或需协调事项2条" in text
    wb = openpyxl.load_workbook(io.BytesIO(made.xlsx))
    assert wb.sheetnames == ["概况", "周报报送", "项目进度", "网格治理", "需协调解决的困难"]
    cells = [c for row in wb["需协调解决的困难"].iter_rows() for c in row if isinstance(c.value, str)]
    risky = {c.value: c.data_type for c in cells if c.value.startswith(("=", "+"))}
    assert risky == {'=HYPERLINK("http://example.com","点我")': "s", "+1+2": "s"}  # text, not formulas


def _cli(*args: str, db=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "bulletin", *args, *(["--db", str(db)] if db else [])]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_cli_writes_the_draft(sample_db, tmp_path):
    out = tmp_path / "out"
    done = _cli("--from", "2022-11-07", "--to", "2022-11-20", "--out", str(out), db=sample_db)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["双周通报第1期(2022年11月7日至11月20日)草稿.docx", "双周通报第1期(2022年11月7日至11月20日)草稿.xlsx"]
    assert docx.Document(out / names[0]).paragraphs[0].text == "党建聚合力·书记领航行动第1期双周通报"
    assert openpyxl.load_workbook(out / names[1]).sheetnames[0] == "概况"


@pytest.mark.parametrize("start, end, message", [
    ("2022-11-08", "2022-11-21", "通报期须从周一开始"),
    ("2022-11-07", "2022-11-01", "早于开始日期"),
    ("2022-11-07", "2022-11-27", "须为连续两周"),
    ("2022-13-07", "2022-11-20", "不是日期"),
])
def test_cli_bad_period(sample_db, tmp_path, start, end, message):
    done = _cli("--from", start, "--to", end, "--out", str(tmp_path / "out"), db=sample_db)
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_empty_and_missing_database(tmp_path):
    empty = tmp_path / "empty.duckdb"
    database.connect(empty).close()
    done = _cli("--from", "2022-11-07", "--to", "2022-11-20", "--out", str(tmp_path / "out"), db=empty)
    assert done.returncode == 1
    assert "还没有项目台账和网格统计数据" in done.stderr and "Traceback" not in done.stderr
    done = _cli("--from", "2022-11-07", "--to", "2022-11-20", "--out", str(tmp_path / "out"), db=tmp_path / "no.duckdb")
    assert done.returncode == 1 and "找不到数据库文件" in done.stderr
    assert not (tmp_path / "no.duckdb").exists()

"""``python -m ingest``: every rejection is the Chinese report and exit 1, never a traceback; every failed
upload is logged as rejected, whatever the parser raised."""

from __future__ import annotations

import subprocess
import sys

import database
from conftest import ROOT, UNITS_ROWS, snapshot, xlsx
from ingest import import_file


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_rejections_without_a_row_print_the_report_not_a_traceback(tmp_path):
    db = tmp_path / "cli.duckdb"
    files = {
        "无表头.xlsx": xlsx({"随便": [["甲", "乙"], [1, 2]]}),  # no recognisable sheet
        "表格.ods": b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
        "空.xlsx": b"",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        proc = run_cli(str(tmp_path / name), "--db", str(db))
        assert proc.returncode == 1, (name, proc.stderr)
        assert "Traceback" not in proc.stderr and "Error" not in proc.stderr, (name, proc.stderr)
        assert "未导入" in proc.stderr or "错误" in proc.stderr, (name, proc.stderr)


def test_a_database_held_by_another_process_is_refused_in_chinese(tmp_path):
    db = tmp_path / "held.duckdb"
    (tmp_path / "u.xlsx").write_bytes(xlsx({"单位名录": UNITS_ROWS}))
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,sys,time; c=duckdb.connect({str(db)!r}); "
                               "print('ok', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        proc = run_cli(str(tmp_path / "u.xlsx"), "--db", str(db))
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "数据库" in proc.stderr, proc.stderr


def test_an_overlong_csv_cell_is_rejected_and_logged(con):
    before = snapshot(con)
    data = ("单位名称,单位类型\n" + "新镇," + "乡" * 140_000 + "\n").encode()
    result = import_file(con, data, "长.csv", uploader="w")
    assert result.status == "rejected" and snapshot(con) == before
    assert "过长" in result.errors[0].message
    logged = database.query(con, "select file_name, status from uploads order by id desc limit 1").values.tolist()
    assert logged == [["长.csv", "rejected"]]

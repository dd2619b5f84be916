"""Faults: a killed importer, two imports at once, a read-only or full disk, backups while the
app runs. After each, the database holds all of a file or none of it, opens without repair,
and keeps showing the last good data."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

import database
from conftest import ROOT, UNITS_ROWS, snapshot, xlsx
from ingest import import_file

STATS_HEADER = ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"]
BIG_ROWS = 20_000


def stats_csv(rows: int, month: str = "2022-10", value: int = 1, tag: str = "") -> bytes:
    """A 网格统计 CSV of ``rows`` grids (CSV: quick to write and to read, same pipeline)."""
    lines = [",".join(STATS_HEADER)]
    lines += [f"{month},星沙街道,社区{i % 40},第{tag}{i}网格,{value},{value},{value}" for i in range(rows)]
    return "\n".join(lines).encode()


@pytest.fixture
def base(tmp_path) -> Path:
    """A closed database file holding the three units and two earlier grid rows."""
    path = tmp_path / "faults.duckdb"
    con = database.connect(path)
    assert import_file(con, xlsx({"单位名录": UNITS_ROWS}), "units.xlsx").ok
    assert import_file(con, stats_csv(2, month="2022-09", value=7, tag="旧"), "earlier.csv").ok
    con.close()
    return path


def state(path: Path) -> dict:
    con = database.connect(path)
    try:
        return {"tables": snapshot(con),
                "uploads": database.query(con, "select id, file_name, status, rows_loaded from uploads order by id")
                .values.tolist()}
    finally:
        con.close()


def run_child(tmp_path: Path, source: str, *args: str, prefix: list[str] | None = None,
              **kwargs) -> subprocess.CompletedProcess:
    script = tmp_path / "child.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n" + source)
    return subprocess.run([*(prefix or []), sys.executable, str(script), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, **kwargs)


# ---------------------------------------------------------------- killed in the middle of an import


IMPORTER = """
import database
from ingest import import_file
con = database.connect(sys.argv[1])
data = open(sys.argv[2], "rb").read()
print("connected", flush=True)
result = import_file(con, data, "big.csv", progress=lambda f, m: print(f"{f:.2f} {m}", flush=True))
print("result", result.status, flush=True)
con.close()
print("closed", flush=True)
"""

#: (line the child prints, then wait this long, then SIGKILL) → rows the table must then hold:
#: 0 or all of them (None), and exactly which where the point lies surely before or after the
#: commit. On the machine this was written on, writing 20,000 rows commits 50–55 ms after
#: "正在写入数据库", so the delays below straddle the commit itself.
KILL_POINTS = [
    ("connected", 0.0, 0),
    ("正在读取文件", 0.0, 0),
    ("正在核对单位和项目", 0.0, 0),
    *[("正在写入数据库", delay, None) for delay in (0.0, 0.03, 0.045, 0.05, 0.055, 0.065, 0.09)],
    ("导入完成", 0.0, BIG_ROWS),  # committed: the checkpoint at close has not run
    ("result", 0.01, BIG_ROWS),  # while closing (checkpointing)
    ("closed", 0.0, BIG_ROWS),
]


#: the issue asks for the kill and concurrency tests to pass 20 times in a row in CI: the points that
#: straddle the commit (where a mix could show) run REPEAT times each, the clear-cut ones once
REPEAT = int(os.environ.get("FAULT_REPEAT", "20"))
KILL_CASES = [(*point, n) for point in KILL_POINTS for n in range(REPEAT if point[2] is None else 1)]


@pytest.mark.parametrize("marker, delay, expected, attempt", KILL_CASES,
                         ids=[f"{m}+{int(d * 1000)}ms#{n + 1}" for m, d, _, n in KILL_CASES])
def test_killed_import_leaves_all_or_nothing(tmp_path, base, marker, delay, expected, attempt):
    before = state(base)
    upload = tmp_path / "big.csv"
    upload.write_bytes(stats_csv(BIG_ROWS))
    script = tmp_path / "importer.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n" + IMPORTER)
    proc = subprocess.Popen([sys.executable, str(script), str(base), str(upload)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    seen = []
    for line in proc.stdout:
        seen.append(line.strip())
        if marker in line:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            break
    proc.communicate(timeout=60)
    assert any(marker in line for line in seen), (seen, proc.stderr)

    con = database.connect(base)  # opens as it is: no repair step
    try:
        rows = database.scalar(con, "select count(*) from grid_stats where grid like '第%网格' and grid not like '第旧%'")
        imported = database.query(con, "select id, rows_loaded from uploads where file_name = 'big.csv' "
                                       "and status = 'imported'")
        assert rows in (0, BIG_ROWS)
        if expected is not None:
            assert rows == expected
        if rows:
            assert imported.values.tolist() == [[imported.id[0], BIG_ROWS]]
            assert database.scalar(con, "select count(distinct upload_id) from grid_stats where grid not like '第旧%'"
                                   ) == 1
        else:
            assert imported.empty
        # everything that was there before is there, untouched
        now = snapshot(con)
        for table, old_rows in before["tables"].items():
            if table != "grid_stats":
                assert now[table] == old_rows
        assert [r for r in now["grid_stats"] if r[3].startswith("第旧")] == before["tables"]["grid_stats"]
        # and the file takes the next import as if nothing had happened
        again = import_file(con, upload.read_bytes(), "big.csv", force=True)
        assert again.ok and again.sheets[0].rows_loaded == BIG_ROWS
    finally:
        con.close()


# ---------------------------------------------------------------- two sessions at once


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_two_sessions_importing_at_once_land_whole_and_in_order(tmp_path, base, attempt):
    con = database.connect(base)
    n = 2_000
    files = {"甲": stats_csv(n, value=1), "乙": stats_csv(n, value=2)}  # the same keys, different values
    barrier = threading.Barrier(len(files) + 1)
    results: dict[str, object] = {}
    seen: list[tuple] = []
    done = threading.Event()

    def importer(name: str) -> None:
        barrier.wait()
        results[name] = import_file(con, files[name], f"{name}.csv", uploader=name)

    def reader() -> None:  # a page refreshing all the while: never half an import
        cur = con.cursor()
        barrier.wait()
        while not done.is_set():
            seen.append(cur.execute("select count(*), count(distinct upload_id), min(reported), max(reported) "
                                    "from grid_stats where month = date '2022-10-01'").fetchone())
        cur.close()

    threads = [threading.Thread(target=importer, args=(name,)) for name in files]
    watcher = threading.Thread(target=reader)
    for t in (*threads, watcher):
        t.start()
    for t in threads:
        t.join(60)
    done.set()
    watcher.join(60)
    try:
        assert all(r.ok for r in results.values()), [r.summary() for r in results.values()]
        first, second = sorted(results.values(), key=lambda r: r.upload_id)
        assert second.upload_id == first.upload_id + 1
        assert (first.sheets[0].rows_loaded, first.sheets[0].rows_replaced) == (n, 0)
        assert (second.sheets[0].rows_loaded, second.sheets[0].rows_replaced) == (n, n)
        value = 1 if second.file_name == "甲.csv" else 2
        final = database.query(con, "select upload_id, reported, count(*) n from grid_stats "
                                    "where month = date '2022-10-01' group by all").values.tolist()
        assert final == [[second.upload_id, value, n]]
        allowed = {(0, 0, None, None), (n, 1, 1, 1), (n, 1, 2, 2)}
        assert seen and set(seen) <= allowed
    finally:
        con.close()


# ---------------------------------------------------------------- read-only, unwritable, full


def test_read_only_connection_refuses_imports_in_chinese(base):
    before = state(base)
    con = database.connect(base, read_only=True)
    try:
        result = import_file(con, stats_csv(10), "new.csv")
        assert result.status == "rejected"
        assert [p.message for p in result.errors] == [database.READ_ONLY_MESSAGE]
        assert snapshot(con) == before["tables"]  # the dashboard still reads the last good data
    finally:
        con.close()
    assert state(base) == before


READ_ONLY_CHILD = """
import json
import database
from ingest import import_file
con = database.connect(sys.argv[1])
result = import_file(con, open(sys.argv[2], "rb").read(), "new.csv")
print(json.dumps({"errors": [p.message for p in result.errors],
                  "units": database.scalar(con, "select count(*) from units")}))
"""


def test_unwritable_database_file_is_shown_read_only(tmp_path, base):
    """A file the app may not write: it opens read-only, shows its data, and imports say why they fail."""
    prefix = []
    if os.geteuid() == 0:  # root writes anything; drop the capability that lets it
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: no way to make a file unwritable")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search",
                  "--inh-caps", "-dac_override,-dac_read_search"]
    before = state(base)
    upload = tmp_path / "new.csv"
    upload.write_bytes(stats_csv(10))
    folder = tmp_path / "read-only"
    folder.mkdir()
    db = Path(shutil.copy(base, folder))
    db.chmod(0o444)
    folder.chmod(0o555)  # nor may the write-ahead log be created beside it
    try:
        proc = run_child(tmp_path, READ_ONLY_CHILD, str(db), str(upload), prefix=prefix)
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out == {"errors": [database.READ_ONLY_MESSAGE], "units": 3}
    assert state(db) == before


DISK_FULL_CHILD = """
import json, os, resource, signal
import database
from ingest import import_file
con = database.connect(sys.argv[1])
data = open(sys.argv[2], "rb").read()
# the disk is full: no file may grow past 64 KB (the write fails instead of killing the process)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
result = import_file(con, data, "big.csv")
out = {"status": result.status, "errors": [p.message for p in result.errors],
       "units": database.scalar(con, "select count(*) from units"),
       "grid_rows": database.scalar(con, "select count(*) from grid_stats")}
print(json.dumps(out), flush=True)
os._exit(0)  # the app keeps running on; no clean shutdown
"""


def test_disk_full_during_import(tmp_path, base):
    before = state(base)
    upload = tmp_path / "big.csv"
    upload.write_bytes(stats_csv(BIG_ROWS))
    proc = run_child(tmp_path, DISK_FULL_CHILD, str(base), str(upload))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    # the same connection goes on showing the last good data
    assert out == {"status": "rejected", "errors": [database.DISK_FULL_MESSAGE], "units": 3, "grid_rows": 2}
    after = state(base)
    assert after["tables"] == before["tables"]
    assert all(status != "imported" for _id, name, status, _n in after["uploads"] if name == "big.csv")


# ---------------------------------------------------------------- backups


def test_backup_of_the_running_connection_and_restore(tmp_path, base):
    con = database.connect(base)
    assert import_file(con, stats_csv(50, month="2022-11"), "nov.csv").ok
    copy = database.backup(con, tmp_path / "backups" / "b1.duckdb")
    at_backup = {"tables": snapshot(con), "uploads": database.query(
        con, "select id, file_name, status, rows_loaded from uploads order by id").values.tolist()}
    assert import_file(con, stats_csv(30, month="2022-12"), "dec.csv").ok  # after the backup
    after_backup = snapshot(con)
    con.close()

    assert sorted(p.name for p in copy.parent.iterdir()) == ["b1.duckdb"]  # no .wal, no .partial left
    assert state(copy) == at_backup
    with pytest.raises(database.DatabaseError, match="已存在"):
        database.backup(base, copy)

    safety = database.restore(copy, base)
    assert state(base) == at_backup
    assert safety is not None and snapshot_of(safety) == after_backup  # what was replaced is kept
    con = database.connect(base)  # the restored file takes imports; upload ids go on from the backup's
    result = import_file(con, stats_csv(30, month="2022-12"), "dec.csv")
    assert result.ok and result.upload_id == at_backup["uploads"][-1][0] + 1
    con.close()


def snapshot_of(path: Path) -> dict:
    con = database.connect(path)
    try:
        return snapshot(con)
    finally:
        con.close()


APP = """
import time
from pathlib import Path
import database
from ingest import import_file
con = database.connect(sys.argv[1])
stop = Path(sys.argv[2])
header = "统计月份,乡镇街道,村社区,网格,采集基础数据,上报事件,处置事项"
i = 0
while not stop.exists() and i < 2000:
    rows = [f"2023-01,星沙街道,社区{j % 5},第{i}-{j}网格,{j},{j},{j}" for j in range(50)]
    assert import_file(con, "\\n".join([header, *rows]).encode(), f"app{i}.csv").ok
    i += 1
    if i == 3:
        print("ready", flush=True)
    time.sleep(0.01)
con.close()
"""


def consistent(path: Path) -> int:
    """Every imported upload's rows are all there, no row lacks its upload; → rows."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        loaded = dict(con.execute("select id, rows_loaded from uploads "
                                  "where status = 'imported' and sheets like '%网格统计'").fetchall())
        present = dict(con.execute("select upload_id, count(*) from grid_stats group by 1").fetchall())
        assert loaded == present
        return sum(present.values())
    finally:
        con.close()


def test_backup_while_the_app_writes_and_restore_refused_while_it_runs(tmp_path, base):
    stop = tmp_path / "stop"
    script = tmp_path / "app.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n" + APP)
    app = subprocess.Popen([sys.executable, str(script), str(base), str(stop)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert app.stdout.readline().strip() == "ready", app.stderr.read() if app.poll() is not None else ""
        with pytest.raises(duckdb.IOException, match="lock"):  # the app holds the file: even readers are kept out
            duckdb.connect(str(base), read_only=True)
        sizes = []
        for k in range(3):
            copy = database.backup(base, tmp_path / f"live{k}.duckdb")
            sizes.append(consistent(copy))
            time.sleep(0.1)
        assert sizes == sorted(sizes) and sizes[-1] > 0
        cli = subprocess.run([sys.executable, "-m", "database", "restore", str(tmp_path / "live0.duckdb"),
                              "--db", str(base)], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert cli.returncode == 1
        assert cli.stderr.strip() == f"无法恢复:{database.IN_USE_MESSAGE}(恢复前请先停止看板)"
    finally:
        stop.touch()
        app.communicate(timeout=60)
    assert app.returncode == 0, app.stderr

    cli = subprocess.run([sys.executable, "-m", "database", "backup", "--db", str(base), "--to",
                          str(tmp_path / "cli.duckdb")], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (cli.returncode, cli.stdout.strip()) == (0, f"已备份到 {tmp_path / 'cli.duckdb'}")
    assert consistent(tmp_path / "cli.duckdb") == consistent(base)
    cli = subprocess.run([sys.executable, "-m", "database", "restore", str(tmp_path / "live0.duckdb"),
                          "--db", str(base)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert consistent(base) == sizes[0]


WRITER = """
import os, time
from pathlib import Path
fd, stop = os.open(sys.argv[1], os.O_WRONLY), Path(sys.argv[2])
generation = 0
print("writing", flush=True)
while not stop.exists() and generation < 2000:
    busy_until = time.monotonic() + 0.3
    while time.monotonic() < busy_until:  # 0.3 s of rewriting the first 64 blocks in place, sweep after sweep
        generation += 1
        for block in range(64):
            os.pwrite(fd, b"%04d" % generation * 1024, block * 4096)
            time.sleep(0.0005)
    time.sleep(0.3)  # then quiet
"""


def test_snapshot_copy_waits_until_two_reads_agree(tmp_path, monkeypatch):
    """The copy of a file another process keeps rewriting in place is the file at one instant."""
    src, dst, stop = tmp_path / "busy.duckdb", tmp_path / "copy.duckdb", tmp_path / "stop"
    src.write_bytes(b"0000" * 1024 * 2048)  # 8 MB: one read of it spans many of the writer's writes
    passes: list[Path | None] = []
    copy_hashing = database._copy_hashing
    monkeypatch.setattr(database, "_copy_hashing", lambda s, d: passes.append(d) or copy_hashing(s, d))
    script = tmp_path / "writer.py"
    script.write_text("import sys\n" + WRITER)
    writer = subprocess.Popen([sys.executable, str(script), str(src), str(stop)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        database._snapshot_files(src, dst)
    finally:
        stop.touch()
        writer.communicate(timeout=30)
    copied = dst.read_bytes()
    generations = {copied[i:i + 4] for i in range(0, 64 * 4096, 4096)}
    assert len(passes) > 4  # at least one pass was refused (a pass reads each of the two files twice)
    assert len(generations) == 1 and generations != {b"0000"}  # one whole generation, never a mix
    assert copied[64 * 4096:] == b"0000" * 1024 * (2048 - 64)


def test_make_backup_target():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(["make", "-n", "backup", "DB=some/where.duckdb"], capture_output=True, text=True, cwd=ROOT)
    assert dry.returncode == 0, dry.stderr
    assert ".venv/bin/python -m database backup --db some/where.duckdb" in dry.stdout

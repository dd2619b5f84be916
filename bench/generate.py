"""Seeded generators for the benchmark: a big event-detail workbook and a county-scale database.

- :func:`write_event_workbook` — one street's grid-platform export for a year
  (㮾梨街道, 150,000 rows by default), written with openpyxl's write-only mode,
  in the contract's 事件明细 layout, so the real importer takes it as staff
  would upload it.
- :func:`build_database` — the database a county reaches after a few years:
  ~1,000 grids across the real streets and towns, 36 months of 网格统计,
  1,000,000 events, the 34 projects with their milestones, a year of weekly
  reports, three review rounds × 7 judges. Events and statistics are made by
  DuckDB SQL (``range`` and a hash-based uniform draw, so the result does not
  depend on thread scheduling); the small project tables come from Python.
  The monthly statistics are counted from the events, so the 与月报核对 view
  agrees, as it does for the sample's 㮾梨街道.

Unit, community, project, judge and people's names are the sample's
(``data/generate_sample.py``). Every draw depends only on ``seed``: two runs
with the same arguments give the same rows.
"""

from __future__ import annotations

import importlib.util
import math
import random
import sys
import time
from bisect import bisect
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import database  # noqa: E402
from contract import SHEETS_BY_TABLE  # noqa: E402

SEED = 2022
#: the day the project data describe (as in the sample)
AS_OF = date(2022, 11, 18)
#: the last month of statistics and events; the export window ends the day after it
LAST_MONTH = date(2022, 10, 1)
WINDOW_END = datetime(2022, 11, 1)
#: the last weekly report's Monday
LAST_WEEK = date(2022, 11, 14)
WORKBOOK_STREET = "㮾梨街道"
EVENT_HEADERS = ["事件编号", "上报时间", "乡镇街道", "村社区", "网格", "事件类别", "处置状态", "处置完成时间"]

DEFAULT_WORKBOOK_EVENTS = 150_000
DEFAULT_DB_EVENTS = 1_000_000
DEFAULT_GRIDS = 1_000
DEFAULT_MONTHS = 36


@cache
def sample() -> ModuleType:
    """``data/generate_sample.py`` as a module, for its names and constants (it writes nothing on import)."""
    path = ROOT / "data" / "generate_sample.py"
    spec = importlib.util.spec_from_file_location("_bench_generate_sample", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- shared shapes


def month_starts(n: int, last: date = LAST_MONTH) -> list[date]:
    """The n first-of-month dates ending with ``last``, oldest first."""
    out = []
    y, m = last.year, last.month
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def communities() -> list[tuple[str, str]]:
    """(unit, community) of every street and town, in the sample's unit order."""
    s = sample()
    named = {s.XINGSHA: [c for c, _ in s.XINGSHA_COMMUNITIES], s.LANGLI: [c for c, _ in s.LANGLI_COMMUNITIES]}
    out = []
    for unit in [*s.STREETS, *s.TOWNS]:
        out.extend((unit, c) for c in named.get(unit) or s.OTHER_COMMUNITIES[unit])
    return out


def grid_keys(n_grids: int) -> list[tuple[str, str, str]]:
    """n (unit, community, grid) keys spread evenly over the real communities: 第1网格, 第2网格, …"""
    comms = communities()
    return [(*comms[k % len(comms)], f"第{k // len(comms) + 1}网格") for k in range(n_grids)]


def _slots(weights: dict[Any, int]) -> list[Any]:
    """Each key repeated by its weight: a uniform pick of a slot is a weighted pick of a key."""
    return [key for key, w in weights.items() for _ in range(w)]


def _handling_hours(u_slow: float, u_late: float, z1: float, z2: float) -> float:
    """Hours from report to handling: mostly lognormal around 16 h (capped at 5 days), 6% take 8–30 days.
    The SQL in :func:`_insert_events` computes the same formula."""
    if u_late < 0.06:
        return 24 * (8 + 22 * u_slow)
    z = math.sqrt(-2 * math.log(max(z1, 1e-12))) * math.cos(2 * math.pi * z2)
    return min(max(math.exp(math.log(16) + z), 0.5), 120.0)


# --------------------------------------------------------------------------- the workbook


def event_rows(n: int, seed: int = SEED, street: str = WORKBOOK_STREET,
               n_grids: int = DEFAULT_GRIDS) -> list[list[Any]]:
    """n events of one street over the last 12 months, sorted by report time, ids like LL202111000001."""
    s = sample()
    rng = random.Random(f"{seed}:workbook")
    grids = [g for g in grid_keys(n_grids) if g[0] == street] or [(street, "陶公庙社区", "第1网格")]
    first = datetime.combine(month_starts(12)[0], datetime.min.time())
    days = (WINDOW_END - first).days
    hour_cum = list(accumulate(s.HOUR_WEIGHTS))
    categories = _slots(s.EVENT_CATEGORIES)
    late = WINDOW_END - timedelta(days=14)
    drafts = []
    for _ in range(n):
        hour = bisect(hour_cum, rng.random() * hour_cum[-1])
        reported = first + timedelta(days=rng.randrange(days), hours=hour, minutes=rng.randrange(60))
        g = grids[rng.randrange(len(grids))]
        category = categories[rng.randrange(len(categories))]
        if reported >= late and rng.random() < 0.12:
            drafts.append((reported, g, category, "未处置", None))
            continue
        hours = _handling_hours(rng.random(), rng.random(), rng.random(), rng.random())
        handled = reported + timedelta(minutes=round(hours * 60))
        if handled >= WINDOW_END:  # not done by the end of the export window
            drafts.append((reported, g, category, "处置中", None))
        else:
            drafts.append((reported, g, category, "已处置", handled))
    drafts.sort(key=lambda d: (d[0], d[1]))
    rows, seq, month = [], 0, None
    for reported, (unit, community, grid), category, status, handled in drafts:
        ym = reported.strftime("%Y%m")
        seq = seq + 1 if ym == month else 1
        month = ym
        rows.append([f"LL{ym}{seq:06d}", reported, unit, community, grid, category, status, handled])
    return rows


def write_event_workbook(path: Path, n: int = DEFAULT_WORKBOOK_EVENTS, seed: int = SEED) -> dict[str, Any]:
    """Write the 事件明细 workbook (one sheet, header in row 1) with openpyxl's write-only mode.

    Returns rows, bytes and seconds taken.
    """
    start = time.perf_counter()
    rows = event_rows(n, seed)
    wb = Workbook(write_only=True)
    wb.properties.created = datetime(*sample().FILE_STAMP)
    ws = wb.create_sheet("事件明细")
    ws.append(EVENT_HEADERS)
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return {"rows": n, "bytes": path.stat().st_size, "seconds": time.perf_counter() - start}


# --------------------------------------------------------------------------- the database


def _fresh(path: Path) -> duckdb.DuckDBPyConnection:
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)
    return database.connect(path)


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, upload_id: int) -> int:
    """Insert a frame whose columns are the contract's ids, cast to the contract's types."""
    spec = SHEETS_BY_TABLE[table]
    typed = pd.DataFrame(index=frame.index)
    for col in spec.columns:
        values = frame[col.id] if col.id in frame else pd.Series([None] * len(frame), index=frame.index)
        if col.type in ("int", "round"):
            typed[col.id] = pd.array(values, dtype="Int64")
        elif col.type in ("number", "percent"):
            typed[col.id] = pd.array(values, dtype="Float64")
        elif col.type in ("date", "month", "week", "datetime"):
            typed[col.id] = pd.to_datetime(values)
        else:
            typed[col.id] = values.astype("object")
    cur = con.cursor()
    try:
        cur.register("bench_incoming", typed)
        casts = ", ".join(f"cast({c.id} as {c.sql_type})" for c in spec.columns)
        cur.execute(f"insert into {table} ({', '.join(spec.ids)}, upload_id) select {casts}, ? from bench_incoming",
                    [upload_id])
        cur.unregister("bench_incoming")
    finally:
        cur.close()
    return len(typed)


def _log_upload(con: duckdb.DuckDBPyConnection, file_name: str, rows: int) -> int:
    row = con.execute(
        """insert into uploads (file_name, sha256, sheets, uploader, rows_read, rows_loaded, status)
           values (?, ?, ?, ?, ?, ?, 'imported') returning id""",
        [file_name, "bench", "benchmark data", "bench", rows, rows],
    ).fetchone()
    return int(row[0])


def units_frame() -> pd.DataFrame:
    return pd.DataFrame([(u.name, u.unit_type, u.sort_order) for u in sample().build_units()],
                        columns=["unit", "unit_type", "sort_order"])


def build_units_database(path: Path) -> dict[str, Any]:
    """A fresh database holding only the 单位名录: what an event import needs to exist."""
    con = _fresh(path)
    try:
        units = units_frame()
        _insert_frame(con, "units", units, _log_upload(con, "bench-units", len(units)))
        con.execute("checkpoint")
    finally:
        con.close()
    return {"units": len(units)}


def grids_frame(n_grids: int, seed: int) -> pd.DataFrame:
    s = sample()
    rng = random.Random(f"{seed}:grids")
    names = s.NameBook(random.Random(f"{seed}:grid-names"))
    rows = []
    for unit, community, grid in grid_keys(n_grids):
        branch = f"{community}{grid}党支部" if rng.random() > 0.03 else None
        instructor = names() if rng.random() > 0.03 else None
        rows.append((unit, community, grid, branch, rng.randint(8, 60), instructor, names(),
                     rng.randint(0 if branch is None else 1, 6)))
    return pd.DataFrame(rows, columns=["unit", "community", "grid", "branch", "members", "instructor", "inspector",
                                       "informants"])


#: a uniform draw in [0, 1) from a row number and a salt: deterministic whatever the thread count
_UNIFORM_MACRO = "create or replace temp macro bench_u(i, salt) as (hash(i, salt) % 1000000007)::double / 1000000007"


def _insert_events(con: duckdb.DuckDBPyConnection, n: int, n_grids: int, months: list[date], seed: int,
                   upload_id: int) -> None:
    """n events over the months, on grids 0 … n_grids-1 of ``bench_grids`` (low numbers a little busier)."""
    s = sample()
    first = datetime.combine(months[0], datetime.min.time())
    con.execute(
        """
        insert into events (event_id, reported_at, unit, community, grid, category, status, handled_at, upload_id)
        with draws as (
            select i,
                   least(floor(pow(bench_u(i, $s || 'g'), 1.15) * $grids)::bigint, $grids - 1) as g,
                   $first::timestamp
                     + to_days(floor(bench_u(i, $s || 'd') * $days)::integer)
                     + to_hours(list_extract($hours, 1 + floor(bench_u(i, $s || 'h') * len($hours))::integer))
                     + to_minutes(floor(bench_u(i, $s || 'm') * 60)::integer) as reported_at,
                   list_extract($categories, 1 + floor(bench_u(i, $s || 'c') * len($categories))::integer)
                     as category,
                   case when bench_u(i, $s || 'late') < 0.06 then 24 * (8 + 22 * bench_u(i, $s || 'slow'))
                        else least(greatest(exp(ln(16) + sqrt(-2 * ln(greatest(bench_u(i, $s || 'z1'), 1e-12)))
                                                          * cos(2 * pi() * bench_u(i, $s || 'z2'))), 0.5), 120)
                   end as hours,
                   bench_u(i, $s || 'open') as u_open
            from range($n) t(i)
        ), timed as (
            select *, reported_at + to_minutes(round(hours * 60)::bigint) as done_at from draws
        )
        select 'EV' || strftime(reported_at, '%Y%m') || lpad(i::varchar, 8, '0'), reported_at,
               b.unit, b.community, b.grid, category,
               case when reported_at >= $end::timestamp - interval 14 day and u_open < 0.12 then '未处置'
                    when done_at >= $end::timestamp then '处置中' else '已处置' end,
               case when not (reported_at >= $end::timestamp - interval 14 day and u_open < 0.12)
                         and done_at < $end::timestamp then done_at end,
               $upload
        from timed join bench_grids b using (g)
        """,
        {"s": f"{seed}:", "grids": n_grids, "first": first, "days": (WINDOW_END - first).days,
         "hours": _slots(dict(enumerate(s.HOUR_WEIGHTS))), "categories": _slots(s.EVENT_CATEGORIES),
         "end": WINDOW_END, "n": n, "upload": upload_id},
    )


def _insert_grid_stats(con: duckdb.DuckDBPyConnection, months: list[date], seed: int, upload_id: int) -> None:
    """Every grid × every month; reported and handled counted from the events, collected drawn."""
    con.execute(
        """
        insert into grid_stats (month, unit, community, grid, collected, reported, handled, upload_id)
        with m as (select unnest($months::date[]) as month),
        rep as (
            select unit, community, grid, date_trunc('month', reported_at)::date as month, count(*) as n
            from events group by all
        ), hd as (
            select unit, community, grid, date_trunc('month', handled_at)::date as month, count(*) as n
            from events where handled_at is not null group by all
        )
        select m.month, b.unit, b.community, b.grid,
               round((coalesce(r.n, 0) * 1.2 + 5) * (0.5 + 0.7 * bench_u(hash(b.g, m.month), $s || 'col'))
                     * case when month(m.month) = 11 then 3 else 1 end)::integer,
               coalesce(r.n, 0), coalesce(h.n, 0), $upload
        from bench_grids b cross join m
        left join rep r on r.unit = b.unit and r.community = b.community and r.grid = b.grid and r.month = m.month
        left join hd h on h.unit = b.unit and h.community = b.community and h.grid = b.grid and h.month = m.month
        """,
        {"months": months, "s": f"{seed}:", "upload": upload_id},
    )


# --------------------------------------------------------------------------- projects (small: Python)


def _fill(rng: random.Random, phrase: str) -> str:
    return phrase.format(a=rng.randint(2, 9), b=rng.randint(12, 86), c=rng.randint(2, 6), d=rng.randint(5, 24),
                         e=rng.randint(60, 480), f=rng.randint(120, 1600), g=rng.randint(92, 99))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def project_frames(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The 34 sample projects re-dated to run a year (approved 2021-11, reports to 2022-11-14):
    projects, milestones, weekly reports, three review rounds × 7 judges, flags and indicators."""
    s = sample()
    rng = random.Random(f"{seed}:projects")
    names = s.NameBook(random.Random(f"{seed}:project-names"))
    unit_type = {u.name: u.unit_type for u in s.build_units()}
    titles = {"街道": "党工委书记", "乡镇": "党委书记", "园区": "党工委书记"}
    projects, milestones, weekly, reviews, leaders = [], [], [], [], {}
    for number, spec in enumerate(s.PROJECT_SPECS, start=1):
        pid = f"LH2022-{number:02d}"
        leader = spec.leader or leaders.get(spec.unit) or names()
        leaders[spec.unit] = leader
        reporter = names()
        approved = date(2021, 11, 1) + timedelta(days=rng.randint(0, 20))
        due = date(2022, 12, rng.randint(10, 31))
        status = "已完成" if number in s.COMPLETED else "已终止" if number in s.TERMINATED else "实施中"
        projects.append((pid, spec.name, spec.unit, leader, spec.title or titles.get(unit_type[spec.unit], "党组书记"),
                         spec.category, approved, due, spec.summary, status))

        # the timetable: n milestones evenly from three weeks after approval to the end
        n = rng.choice([4, 5, 5, 6])
        start = approved + timedelta(days=21)
        end = s.COMPLETED.get(number, due - timedelta(days=rng.randint(0, 8)))
        planned = [start + timedelta(days=round((end - start).days * i / (n - 1))) for i in range(n)]
        weights = rng.choice(s.MILESTONE_WEIGHTS[n]) if number in s.WEIGHTED else [None] * n
        stuck, stop = s.BEHIND.get(number), s.TERMINATED.get(number)
        done: list[date | None] = []
        previous = approved
        for p in planned:
            if (stuck and p >= stuck - timedelta(days=20)) or (stop and p > stop) or p > AS_OF:
                break
            previous = min(max(p + timedelta(days=rng.randint(-7, 3)), previous + timedelta(days=1)), AS_OF)
            done.append(previous)
        done += [None] * (n - len(done))
        for seq, (name, p, d, w) in enumerate(zip(s.MILESTONE_NAMES[n], planned, done, weights, strict=True), 1):
            milestones.append((pid, seq, name, p, d, w))

        # a weekly report every week, a few missed, progress following what was done
        total = sum(w or 1 for w in weights)
        last_week = min(LAST_WEEK, _monday(stop)) if stop else LAST_WEEK
        week, last_percent = _monday(approved) + timedelta(weeks=1), 0
        while week <= last_week:
            day = week + timedelta(days=4)
            share = sum((w or 1) for w, d in zip(weights, done, strict=True) if d and d <= day) / total
            nxt = next((i for i, d in enumerate(done) if not d or d > day), None)
            phase = s.MILESTONE_NAMES[n][nxt] if nxt is not None else "巩固"
            partial = 0.0 if nxt is None else (weights[nxt] or 1) / total * rng.uniform(0.1, 0.6)
            factor = 0.85 if number in s.BEHIND else 1.0
            last_percent = max(last_percent, min(100, round(100 * (share + partial) * factor)))
            skipped = rng.random() < 0.03 or (number in s.MISSING_LAST_TWO and week > LAST_WEEK - timedelta(weeks=2))
            if not skipped:
                summary = ("项目各节点任务已全部完成,巩固提升成效,总结推广经验做法" if phase == "巩固" else
                           ";".join(_fill(rng, p) for p in rng.sample(s.SUMMARY_PHRASES[phase], 2)))
                weekly.append((pid, week, summary, rng.choice(s.PLAN_PHRASES[phase]), last_percent,
                               rng.choice(s.DIFFICULTIES) if rng.random() < 0.12 else None,
                               rng.choice(s.COORDINATION) if rng.random() < 0.08 else None, reporter))
            week += timedelta(weeks=1)

        quality = rng.uniform(0.62, 0.85)
        for rnd in (1, 2, 3):
            if stop and rnd > 1:
                continue
            for judge, bias in s.JUDGES.items():
                scores = [round(min(max(top * quality + bias * top / 100 + rng.gauss(0, 0.045 * top), 0.0), top), 1)
                          for _, top in s.CRITERIA]
                reviews.append((rnd, pid, judge, *scores, rng.choice(s.NOTES) if rng.random() < 0.06 else None))

    flags = [(f"LH2022-{n:02d}", "通报表扬", "三轮评审成绩名列前茅,成效突出,全县通报表扬", date(2022, 11, 16))
             for n in s.PRAISED]
    flags.append((f"LH2022-{s.WASTEFUL:02d}", "铺张浪费", "屋场创建中新建大型景观门楼,超出实际需要,已责令整改",
                   date(2022, 10, 21)))
    indicators = {}
    periods = month_starts(12)
    for number, name, measure, target, actual, *_ in [*s.INDICATORS_INVENTED, *[(*i, True) for i in s.INDICATORS_SEED]]:
        for k, period in enumerate(periods, 1):
            value = round(actual * k / len(periods), 1)
            indicators[(number, name, period)] = (f"LH2022-{number:02d}", name, measure, target, value, period)
    cols = {t: SHEETS_BY_TABLE[t].ids for t in SHEETS_BY_TABLE}
    return {
        "projects": pd.DataFrame(projects, columns=cols["projects"]),
        "milestones": pd.DataFrame(milestones, columns=cols["milestones"]),
        "weekly_reports": pd.DataFrame(weekly, columns=cols["weekly_reports"]),
        "review_scores": pd.DataFrame(reviews, columns=cols["review_scores"]),
        "project_flags": pd.DataFrame(flags, columns=cols["project_flags"]),
        "indicators": pd.DataFrame(list(indicators.values()), columns=cols["indicators"]),
    }


def build_database(path: Path, n_events: int = DEFAULT_DB_EVENTS, n_grids: int = DEFAULT_GRIDS,
                   n_months: int = DEFAULT_MONTHS, seed: int = SEED) -> dict[str, Any]:
    """Build the county-scale database at ``path`` (replacing it). Returns row counts, bytes and seconds."""
    start = time.perf_counter()
    months = month_starts(n_months)
    con = _fresh(path)
    try:
        upload_id = _log_upload(con, "bench-county.duckdb", n_events)
        con.execute(_UNIFORM_MACRO)
        _insert_frame(con, "units", units_frame(), upload_id)
        grids = grids_frame(n_grids, seed)
        _insert_frame(con, "grids", grids, upload_id)
        con.register("bench_grids_frame", grids[["unit", "community", "grid"]].reset_index(names="g"))
        con.execute("create temp table bench_grids as select * from bench_grids_frame")
        con.unregister("bench_grids_frame")
        _insert_events(con, n_events, n_grids, months, seed, upload_id)
        _insert_grid_stats(con, months, seed, upload_id)
        for table, frame in project_frames(seed).items():
            _insert_frame(con, table, frame, upload_id)
        con.execute("checkpoint")
        counts = {s.table: int(con.execute(f"select count(*) from {s.table}").fetchone()[0])
                  for s in SHEETS_BY_TABLE.values()}
    finally:
        con.close()
    return {"rows": counts, "bytes": path.stat().st_size, "seconds": time.perf_counter() - start}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.generate OUT_DIR [--events N] [--db-events N]``: write both, print what was made."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.generate")
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=DEFAULT_WORKBOOK_EVENTS)
    parser.add_argument("--db-events", type=int, default=DEFAULT_DB_EVENTS)
    parser.add_argument("--grids", type=int, default=DEFAULT_GRIDS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    print(write_event_workbook(args.out / "events.xlsx", args.events, args.seed))
    print(build_database(args.out / "county.duckdb", args.db_events, args.grids, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

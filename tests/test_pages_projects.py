"""项目总览 / 项目详情 / 周调度 under AppTest, with expectations computed independently from the
sample workbooks (read here with openpyxl, rules re-implemented plainly, not by calling analytics)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import openpyxl
from streamlit.testing.v1 import AppTest

from conftest import ROOT, app_test

APP = str(ROOT / "app.py")
ON = date(2022, 11, 20)  # a Sunday: the week of Monday 2022-11-14
WEEK = date(2022, 11, 14)


def rows(file: str, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(ROOT / "data" / file, read_only=True)[sheet]
    it = ws.iter_rows(values_only=True)
    header = next(it)
    return [dict(zip(header, r, strict=False)) for r in it if any(v is not None for v in r)]


def day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def pct(value) -> float:
    return float(str(value).rstrip("%"))


def expected_statuses() -> Counter:
    projects = rows("02_项目台账.xlsx", "项目台账")
    milestones = rows("02_项目台账.xlsx", "项目节点")
    reports = rows("03_项目周报.xlsx", "项目周报")
    out = Counter()
    for p in projects:
        pid, recorded = p["项目编号"], p["状态"] or "实施中"
        ms = [m for m in milestones if m["项目编号"] == pid]
        if recorded in ("已终止", "申报"):
            out[recorded] += 1
            continue
        done = [m for m in ms if day(m["实际完成日期"]) and day(m["实际完成日期"]) <= ON]
        if recorded == "已完成" or (ms and len(done) == len(ms)):
            out["已完成"] += 1
            continue
        weights = {m["节点序号"]: (m["权重"] if all(x["权重"] for x in ms) else 1) for m in ms}
        total = sum(weights.values())
        expected = sum(weights[m["节点序号"]] for m in ms if day(m["计划完成日期"]) <= ON) / total * 100
        mine = sorted((r for r in reports if r["项目编号"] == pid and day(r["周次"]) <= ON), key=lambda r: day(r["周次"]))
        actual = pct(mine[-1]["完成进度"]) if mine else sum(weights[m["节点序号"]] for m in done) / total * 100
        gap = expected - actual
        open_late = [(ON - day(m["计划完成日期"])).days for m in ms if m not in done and day(m["计划完成日期"]) < ON]
        weeks = {day(r["周次"]) for r in mine}
        silent = WEEK not in weeks and WEEK - timedelta(days=7) not in weeks
        if any(d > 14 for d in open_late) or gap >= 25:
            out["红"] += 1
        elif open_late or gap >= 10 or silent:
            out["黄"] += 1
        else:
            out["绿"] += 1
    return out


def run(page: str) -> AppTest:
    at = app_test()
    at.run()
    at.date_input(key="as_of").set_value(ON).run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_projects_page_status_counts_match_an_independent_count(app_db):
    expected = expected_statuses()
    assert sum(expected.values()) == 34
    at = run("views/projects.py")
    shown = {m.label: int(m.value.split()[0]) for m in at.metric}
    for status in ("红", "黄", "绿", "已完成", "已终止"):
        assert shown[status] == expected[status], status
    assert expected["红"] > 0 and expected["黄"] > 0  # the sample has projects behind


def test_projects_filter_by_status(app_db):
    at = run("views/projects.py")
    at.multiselect(key="projects_statuses").set_value(["红"]).run()
    table = next(df.value for df in at.dataframe if "项目编号" in df.value.columns)
    table = getattr(table, "data", table)  # a Styler carries its frame in .data
    assert set(table["状态"]) == {"红"} and len(table) == expected_statuses()["红"]


def test_dispatch_lists_the_projects_that_did_not_report(app_db):
    reports = rows("03_项目周报.xlsx", "项目周报")
    projects = rows("02_项目台账.xlsx", "项目台账")
    reported = {r["项目编号"] for r in reports if day(r["周次"]) == WEEK}
    active = {p["项目编号"] for p in projects
              if (p["状态"] or "实施中") not in ("已完成", "已终止")
              and day(p["立项日期"]) <= WEEK + timedelta(days=6) and day(p["计划完成日期"]) >= WEEK}
    at = run("views/dispatch.py")
    silent = next(df.value for df in at.dataframe if "连续两周未报" in df.value.columns)
    assert set(silent["项目编号"]) == active - reported
    assert len(active - reported) > 0


def test_project_detail_by_key(app_db):
    at = run("views/project.py")
    at.selectbox(key="detail_project").select("LH2022-18").run()
    assert not at.exception
    assert any("六慧" in s.value for s in at.subheader)
    indicators = next(df.value for df in at.dataframe if "指标" in df.value.columns)
    assert dict(zip(indicators["指标"], indicators["实际值"], strict=True))["本土人才入库"] == 253


def test_dispatch_reporting_rate_per_unit(app_db):
    # two projects that missed 2022-11-14 (see the sample generator's notes) are led by units whose rate is < 100%
    at = run("views/dispatch.py")
    by_unit = next(df.value for df in at.dataframe if "报送率" in df.value.columns and "应报" in df.value.columns)
    reports = rows("03_项目周报.xlsx", "项目周报")
    projects = {p["项目编号"]: p for p in rows("02_项目台账.xlsx", "项目台账")}
    reported = {r["项目编号"] for r in reports if day(r["周次"]) == WEEK}
    silent_units = {projects[pid]["牵头单位"] for pid in projects
                    if pid not in reported and (projects[pid]["状态"] or "实施中") not in ("已完成", "已终止")}
    below = set(by_unit[by_unit["报送率"] < 100]["牵头单位"])
    assert below == silent_units and below

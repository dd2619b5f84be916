"""Issue #12 on the pages: every table through the one formatting layer ("—" for missing, never None/nan/NaT,
numbers that stay numbers), and one colour meaning: a KPI's change is never drawn in status red or green."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import open_page as page
from ui import briefing_html


def _bad_cells(frame: pd.DataFrame) -> list[object]:
    """Cells that would show as an English placeholder or a midnight time."""
    bad = []
    for value in frame.to_numpy().ravel():
        if isinstance(value, str) and (value.strip() in ("None", "nan", "NaN", "NaT", "<NA>") or "00:00:00" in value):
            bad.append(value)
    return bad


@pytest.mark.parametrize("path", ["views/projects.py", "views/dispatch.py", "views/review.py", "views/grid.py",
                                  "views/overview.py", "views/upload.py", "views/admin.py", "views/project.py",
                                  "views/bulletin.py"])
def test_every_table_writes_a_dash_for_missing(app_db, path):
    at = page(path)
    assert at.dataframe, f"{path}: no table"
    for table in at.dataframe:
        assert table.proto.placeholder == "—", (path, table.key)  # the grid writes a null as "—", never "None"
        assert _bad_cells(table.value) == [], (path, table.key)


def test_the_project_board_shows_a_dash_where_there_is_no_report(app_db):
    # the sample has projects without any weekly report (申报 / newly started): 最近周报 is null, shown "—"
    at = page("views/projects.py")
    board = at.dataframe(key="projects_table")
    assert board.proto.placeholder == "—"
    assert pd.api.types.is_datetime64_any_dtype(board.value["最近周报"])  # a date (sorts as one), no 00:00:00
    assert not any(isinstance(v, str) and v in ("None", "NaT") for v in board.value["原因"])


def test_columns_empty_for_the_view_are_left_out_and_yes_is_chinese(app_db):
    # one account (the test's 管理员): no 单位, no 邮箱, never logged in through the form, never locked out
    at = page("views/admin.py")
    users = next(d for d in at.dataframe if "用户名" in d.value.columns)
    assert users.proto.placeholder == "—"
    assert list(users.value.columns) == ["用户名", "姓名", "角色", "启用", "创建时间"]
    assert users.value["启用"].tolist() == ["是"]  # not True


def test_the_review_board_sorts_ranks_as_numbers(app_db):
    board = page("views/review.py").dataframe(key="review_board").value
    ranks = board["名次"].dropna()
    assert pd.api.types.is_numeric_dtype(board["名次"]) and ranks.min() == 1
    # "10" sorts after "9" only as a number
    assert sorted(ranks)[:11] == sorted(ranks, key=float)[:11]


@pytest.mark.parametrize("path", ["views/overview.py", "views/grid.py", "views/project.py"])
def test_kpi_changes_are_neutral_never_status_red_or_green(app_db, path):
    at = page(path)
    if path == "views/grid.py":  # a period whose previous period is complete: changes are shown
        at.select_slider(key="grid_period").set_value((pd.Timestamp("2022-10-01").date(),) * 2).run()
    with_delta = [m for m in at.metric if m.proto.delta]
    assert with_delta, f"{path}: no KPI with a change"
    colours = {m.label: m.proto.color for m in with_delta}
    assert set(colours.values()) == {2}, colours  # 2 = GRAY in Streamlit's MetricColor


def test_the_briefing_html_draws_changes_in_no_status_colour():
    """The best/worst units' changes: a rise and a fall in one neutral colour (red/yellow/green mean status)."""
    frame = pd.DataFrame({"unit": ["星沙街道", "㮾梨街道"], "rate": [0.979, 0.95], "change": [0.012, -0.025]})
    html = briefing_html.units(frame, "最好的三个")
    assert "+1.2" in html and "-2.5" in html
    rules = dict(re.findall(r"\.(lh-up|lh-down|lh-muted) \{ color: (#[0-9A-Fa-f]{3,6}); \}", briefing_html.CSS))
    assert set(rules) == {"lh-up", "lh-down", "lh-muted"}
    assert rules["lh-up"] == rules["lh-down"]  # a direction has no colour of its own
    forbidden = {c.upper() for c in briefing_html.STATUS_COLOURS.values()} | {"#2E6B30", "#8A1C1C"}
    assert rules["lh-up"].upper() not in forbidden


def test_a_projects_weekly_reports_download_in_chinese():
    from datetime import date

    from ui.projects import reports_table

    reports = pd.DataFrame({"project_id": ["LH2022-01"], "week_start": [date(2022, 11, 14)], "summary": ["完成走访"],
                            "plan": ["召开推进会"], "percent": [60.0], "difficulty": [None], "coordination": [None],
                            "reporter": ["张三"], "upload_id": [7]})
    shown = reports_table(reports)
    assert list(shown.columns) == ["项目编号", "周次", "本周小结", "下周计划", "完成进度", "存在困难", "需协调事项", "填报人"]
    assert shown.iloc[0]["本周小结"] == "完成走访"  # upload_id, an internal number, is not exported

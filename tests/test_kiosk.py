"""The 大屏 deck's pure parts (analytics.kiosk), its SVG charts, and the playlists table."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime

import pandas as pd
import pytest

import charts
import database
import playlists
from analytics.kiosk import grid_period, grid_slide, review_slide, status_slides
from ui.kiosk import column_width, split_evenly

NOW = datetime(2022, 11, 20, 9)
AS_OF = date(2022, 11, 20)


def svg_of(img: str) -> str:
    """The SVG inside the <img> data URI a kiosk chart builder returns."""
    return base64.b64decode(img.split("base64,")[1].split('"')[0]).decode("utf-8")


# ---------------------------------------------------------------- status board


def board(statuses: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"project_id": [f"P{i}" for i in range(len(statuses))], "status": statuses,
                         "name": [f"项目{i}" for i in range(len(statuses))], "unit": "星沙街道", "leader": "石争",
                         "reason": ["进度落后" if s in ("红", "黄") else "按计划推进" for s in statuses]})


@pytest.mark.parametrize("statuses, sizes", [
    (["红"] * 5 + ["黄"] * 2 + ["绿"] * 3, [4, 3]),  # 7 behind: two slides, spread 4 + 3, none dropped
    (["红", "黄", "绿"], [2]),
    (["红"] * 6, [6]),
    (["红"] * 13, [5, 4, 4]),
    (["绿", "已完成"], [0]),  # nobody behind: one slide that says so
])
def test_status_board_takes_as_many_slides_as_the_behind_projects_need(statuses, sizes):
    slides = status_slides(board(statuses), AS_OF, per_slide=6)
    assert [len(s.payload["rows"]) for s in slides] == sizes
    shown = [r["name"] for s in slides for r in s.payload["rows"]]
    assert shown == [f"项目{i}" for i, s in enumerate(statuses) if s in ("红", "黄")]
    assert all(s.data_date == "数据截至 2022年11月20日" for s in slides)
    red, yellow = statuses.count("红"), statuses.count("黄")
    assert all(s.period == f"2022年11月14日 当周 · 红色 {red} 个 · 黄色 {yellow} 个" for s in slides)
    if len(sizes) > 1:
        assert [s.title for s in slides] == [f"进度落后项目({i}/{len(sizes)})" for i in range(1, len(sizes) + 1)]


# ---------------------------------------------------------------- grid ranking


def stats(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(unit, month, reported, handled), one grid per unit."""
    return pd.DataFrame({"month": pd.to_datetime([r[1] for r in rows]), "unit": [r[0] for r in rows],
                         "community": "社区", "grid": "第一网格", "collected": 0,
                         "reported": [r[2] for r in rows], "handled": [r[3] for r in rows]})


GRID = stats([("甲镇", "2022-09-01", 100, 90), ("乙镇", "2022-09-01", 50, 49),
              ("甲镇", "2022-10-01", 100, 99), ("乙镇", "2022-10-01", 50, 40), ("丙镇", "2022-10-01", 5, 5)])


@pytest.mark.parametrize("first, last, expected", [
    (None, None, (date(2022, 10, 1), date(2022, 10, 1))),  # the latest month
    (date(2022, 9, 1), date(2022, 10, 1), (date(2022, 9, 1), date(2022, 10, 1))),
    (date(2022, 10, 1), date(2022, 9, 1), (date(2022, 9, 1), date(2022, 10, 1))),
])
def test_grid_period(first, last, expected):
    assert grid_period(GRID, first, last) == expected
    assert grid_period(GRID.iloc[0:0], first, last) is None


def test_grid_slide_ranks_units_for_the_named_period_with_rank_change():
    slide = grid_slide(GRID, (date(2022, 10, 1), date(2022, 10, 1)), AS_OF)
    # October: 甲 99/100 = 99.0%, 乙 40/50 = 80.0%, 丙 5 reported (< 10: listed, not ranked);
    # county (99 + 40 + 5) / (100 + 50 + 5) = 144/155 = 92.9%. September: 乙 98% first, 甲 90% second.
    assert slide.period == "2022年10月 · 全县 92.9%"
    assert slide.data_date == "网格统计截至 2022年10月"
    ranked = slide.payload["ranking"]
    assert ranked["unit"].tolist() == ["甲镇", "乙镇", "丙镇"]
    assert ranked["rank"].tolist()[:2] == [1, 2] and pd.isna(ranked["rank"].iloc[2])
    assert ranked["rank_change"].tolist()[:2] == [1, -1]
    assert slide.payload["county_rate"] == pytest.approx(144 / 155)
    svg = svg_of(charts.kiosk_ranking_svg(ranked, slide.payload["county_rate"]))
    # names on the y-axis in rank order, each bar labelled with its rate and rank change
    assert svg.index("1. 甲镇") < svg.index("2. 乙镇") < svg.index("— 丙镇")
    assert "99.0% ↑1" in svg and "80.0% ↓1" in svg and ">100.0%<" in svg
    # 甲 and 丙 are at or above the county rate (red), 乙 below (grey)
    fills = [part.split('fill="')[1].split('"')[0] for part in svg.split("<rect")[1:]]
    assert fills == ["#1F4E79", "#8C8C8C", "#1F4E79"]  # blue at or above the county (red means status only)


def test_grid_slide_without_statistics():
    slide = grid_slide(GRID.iloc[0:0], None, AS_OF)
    assert slide.payload["ranking"] is None and slide.period == "还没有网格统计"


def test_ranking_svg_escapes_names_from_data():
    ranked = pd.DataFrame({"unit": ['<b>"坏"</b>'], "rate": [0.5], "rank": [1], "rank_change": [pd.NA]})
    svg = svg_of(charts.kiosk_ranking_svg(ranked, 0.6))
    assert "<b>" not in svg and "&lt;b&gt;&quot;坏&quot;&lt;/b&gt;" in svg


def test_curve_svg_breaks_the_reported_line_at_a_week_without_report():
    curve = pd.DataFrame({"week": pd.to_datetime(["2022-10-03", "2022-10-10", "2022-10-17", "2022-10-24"]),
                          "expected": [10.0, 20.0, 30.0, 40.0], "reported": [5.0, float("nan"), 25.0, 35.0]})
    svg = svg_of(charts.kiosk_curve_svg(curve, "dark"))
    # plan: one dashed line; reports: two runs (week 1 alone, weeks 3–4), a dot per report
    assert svg.count("<polyline") == 3 and svg.count("<circle") == 3
    assert 'stroke="#FF4D4D"' in svg  # the dark theme's accent
    assert ">10月3日<" in svg and ">10月24日<" in svg


# ---------------------------------------------------------------- review


def test_no_review_slide_before_a_round_is_held():
    from analytics.kiosk import Tables

    empty = pd.DataFrame()
    t = Tables(pd.DataFrame({"project_id": ["P1"], "name": ["项目"], "unit": ["甲镇"]}), empty, empty, empty, empty,
               pd.DataFrame(columns=["round", "judge", "project_id"]), empty)
    assert review_slide(t, AS_OF) is None


# ---------------------------------------------------------------- stage geometry


def test_columns_and_splits_on_the_stage():
    # the 1024-pixel stage less 2 × 32 padding = 960; two columns less one 22-pixel gap: 469 each, less 4 slack
    assert column_width([1, 1]) == 465
    assert column_width([5, 7], 0) == int(938 * 5 / 12) - 4
    parts = split_evenly(pd.DataFrame({"x": range(19)}), 17)
    assert [len(p) for p in parts] == [10, 9]
    assert [len(p) for p in split_evenly(pd.DataFrame({"x": range(32)}), 17)] == [16, 16]
    assert [len(p) for p in split_evenly(pd.DataFrame({"x": range(5)}), 17)] == [5]


# ---------------------------------------------------------------- playlists table


KNOWN = {"P01", "P02"}


def test_playlist_saved_read_replaced_and_deleted_with_audit(con):
    p = playlists.Playlist("十一月观摩", ("overview", "projects"), ("P02", "P01"), 12, "dark",
                           date(2022, 9, 1), date(2022, 10, 1))
    playlists.save_playlist(con, p, "admin", NOW, KNOWN)
    assert playlists.get_playlist(con, "十一月观摩") == p
    row = database.query(con, "select slides, projects from playlists").iloc[0]
    assert json.loads(row["projects"]) == ["P02", "P01"]  # the visiting order is kept
    playlists.save_playlist(con, playlists.Playlist("十一月观摩", ("grid",)), "admin", NOW, KNOWN)
    assert playlists.get_playlist(con, "十一月观摩").slides == ("grid",)
    assert len(playlists.list_playlists(con)) == 1
    playlists.delete_playlist(con, "十一月观摩", "admin", NOW)
    assert playlists.get_playlist(con, "十一月观摩") is None
    actions = database.query(con, "select action from audit order by id")["action"].tolist()
    assert actions[-3:] == ["新建大屏播放列表", "修改大屏播放列表", "删除大屏播放列表"]


@pytest.mark.parametrize("playlist, message", [
    (playlists.Playlist(" "), "名称:不能为空。"),
    (playlists.Playlist("甲", slides=()), "幻灯片:至少选择一种。"),
    (playlists.Playlist("甲", slides=("overview", "weather")), "幻灯片:不认识 weather"),
    (playlists.Playlist("甲", slides=("projects",)), "观摩项目:选了“观摩项目”幻灯片,请至少选择一个项目。"),
    (playlists.Playlist("甲", projects=("P09",)), "观摩项目:项目台账中没有 P09。"),
    (playlists.Playlist("甲", seconds=2), "每页秒数:应为 3—600 之间的整数,现为 2。"),
    (playlists.Playlist("甲", theme="blue"), "主题:应为 light、dark 之一,现为 blue。"),
    (playlists.Playlist("甲", grid_first=date(2022, 9, 1)), "网格统计期:起止月份要么都填"),
    (playlists.Playlist("甲", grid_first=date(2022, 10, 1), grid_last=date(2022, 9, 1)), "起始月份晚于截止月份"),
])
def test_a_bad_playlist_is_refused_in_chinese_and_nothing_is_written(con, playlist, message):
    before = len(database.query(con, "select * from audit"))
    with pytest.raises(playlists.PlaylistError, match=message):
        playlists.save_playlist(con, playlist, "admin", NOW, KNOWN)
    assert playlists.list_playlists(con).empty
    assert len(database.query(con, "select * from audit")) == before


def test_the_playlists_migration_makes_the_playlists_table(tmp_path):
    fresh = database.connect(tmp_path / "fresh.duckdb")
    assert "_v6_playlists" in [m.__name__ for m in database.MIGRATIONS]
    columns = database.query(fresh, "select column_name from information_schema.columns "
                                    "where table_name = 'playlists' order by ordinal_position")["column_name"]
    assert columns.tolist() == ["name", "slides", "projects", "seconds", "theme", "grid_first", "grid_last",
                                "updated_by", "updated_at"]
    fresh.close()

"""AppTest of the 大屏 (kiosk) page and the 大屏播放列表 page, on the sample database."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

import accounts
import database
import playlists
from conftest import ROOT, app_test, open_page

APP = str(ROOT / "app.py")


def html(at) -> str:
    """Every st.html body on the page, joined (the slide is drawn with st.html)."""
    return "\n".join(h.proto.body for h in at.get("html"))


def title(at) -> str:
    body = html(at)
    start = body.index('<div class="k-title">') + len('<div class="k-title">')
    return body[start:body.index("</div>", start)]


def save(db, playlist: playlists.Playlist) -> None:
    con = database.connect(db)
    ids = set(database.query(con, "select project_id from projects")["project_id"])
    playlists.save_playlist(con, playlist, "admin", datetime(2022, 11, 20, 9), ids)
    con.close()


def test_admin_opens_the_projector_and_turns_the_pages(app_db):
    at = open_page("views/projector.py")
    # the default playlist: 全县概况, the status board (7 red/yellow projects: 4 + 3 rows), grid, review
    assert title(at) == "全县概况"
    assert "在推进项目" in html(at) and "第 1 / 5 页" in html(at)
    assert "数据截至 2022年11月18日" in html(at)  # every slide names its data date (the latest the data describe)
    expected = ["进度落后项目(1/2)", "进度落后项目(2/2)", "网格事件处置率排名", "评审排名 · 前 10 名", "全县概况"]
    for want in expected:
        at.button(key="kiosk_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert title(at) == want
    at.button(key="kiosk_prev").click().run()
    assert title(at) == "评审排名 · 前 10 名"
    at.button(key="kiosk_pause").click().run()
    assert "已暂停" in html(at) and at.button(key="kiosk_pause").label == "继续"
    # nothing of Streamlit's chrome on the projector: header, toolbar and sidebar are hidden by its style
    assert "header[data-testid=stHeader]" in html(at) and "[data-testid=stSidebar]" in html(at)


def test_status_board_lists_every_behind_project_with_unit_leader_and_reason(app_db):
    at = open_page("views/projector.py")
    at.button(key="kiosk_next").click().run()
    first = html(at)
    at.button(key="kiosk_next").click().run()
    second = html(at)
    # the sample's red/yellow projects on 2022-11-20, five red and two yellow, none left out
    for unit, leader in [("北山镇", "邱蓉琳"), ("县教育局", "丁霞"), ("长龙街道", "林金涛"), ("县城市管理和综合执法局", "崔卫政"),
                         ("县卫生健康局", "刘波斌"), ("青山铺镇", "谢英涛"), ("县住房和城乡建设局", "郭佳娟")]:
        assert f"{unit}</div></td><td>{leader}</td>" in first + second, unit
    assert "红色 5 个 · 黄色 2 个" in first
    assert "本周及上周均未报送周报" in second  # the reason is shown


def test_display_link_opens_a_named_playlist_at_a_slide(app_db):
    save(app_db, playlists.Playlist("十一月观摩", ("grid", "projects"), ("LH2022-05", "LH2022-01"), 20, "dark",
                                    date(2022, 9, 1), date(2022, 10, 1)))
    con = database.connect(app_db)
    token = accounts.create_display_link(con, "admin", "会议室", datetime.now())
    con.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"display": token, "playlist": "十一月观摩", "slide": "2"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # slide 2 is the first project of the visit list, in the playlist's order
    assert title(at) == "“红色物业”联盟推动小区治理提质增效"
    body = html(at)
    assert "林金涛 党工委书记" in body and "进度落后计划29.0个百分点" in body
    assert "专项经费尚未到位" in body  # the latest difficulties
    assert "每页 20 秒" in body and "#000000" in body  # the playlist's seconds and its dark theme
    assert "data:image/svg+xml;base64," in body  # the progress curve
    at.button(key="kiosk_next").click().run()
    assert title(at) == "实施“345工程”打造党建引领智慧赋能基层网格化治理平台"
    at.button(key="kiosk_next").click().run()
    assert title(at) == "网格事件处置率排名"
    assert "2022年9月—2022年10月" in html(at)  # the named period
    # a visitor with the link is offered no way out of the projector
    assert not [p for p in at.get("page_link")]


def test_query_theme_overrides_and_unknown_playlist_says_so(app_db):
    con = database.connect(app_db)
    token = accounts.create_display_link(con, "admin", "会议室", datetime.now())
    con.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"display": token, "playlist": "没有这个", "theme": "dark"})
    at.run()
    assert not at.exception
    assert "未找到播放列表“没有这个”,正在播放默认内容" in html(at)
    assert "background: #000000" in html(at)
    assert title(at) == "全县概况"


def test_playlist_page_saves_and_refuses_in_chinese(app_db):
    at = open_page("views/playlists.py")
    assert at.title[0].value == "大屏播放列表"
    at.text_input(key="playlist_name").input("观摩一")
    at.multiselect(key="playlist_slides").set_value(["overview", "projects"])
    at.button[0].click().run()  # the form's submit: projects slide without any project
    assert any("观摩项目:选了“观摩项目”幻灯片,请至少选择一个项目" in e.value for e in at.error)
    con = database.connect(app_db)
    assert playlists.list_playlists(con).empty  # nothing saved
    con.close()
    at.multiselect(key="playlist_projects").set_value(["LH2022-03"])
    at.number_input(key="playlist_seconds").set_value(8)
    at.button[0].click().run()
    assert any("已保存播放列表“观摩一”" in s.value for s in at.success)
    con = database.connect(app_db)
    saved = playlists.get_playlist(con, "观摩一")
    con.close()
    assert saved == playlists.Playlist("观摩一", ("overview", "projects"), ("LH2022-03",), 8, "light")


def test_playlist_page_is_for_administrators_only(app_db):
    at = app_test("领导")
    at.run()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("views/playlists.py")  # not in a leader's navigation
    direct = AppTest.from_file(str(ROOT / "views" / "playlists.py"), default_timeout=60)
    direct.session_state["auth"] = at.session_state["auth"]
    direct.run()  # the script run on its own checks the role again
    assert [e.value for e in direct.error] == ["当前账号(领导)无权使用此页面。"] and not direct.title


def test_figures_follow_an_import_at_the_next_advance(app_db):
    from conftest import xlsx
    from ingest import import_file
    from ui import data

    at = open_page("views/projector.py")
    assert "2022年10月网格事件处置率" in html(at)
    con = data.connection(str(app_db))  # the app's own connection: the file is open in this process
    grid = database.query(con, "select unit, community, grid from grids order by all limit 1").iloc[0]
    rows = [["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"],
            ["2022-11", grid["unit"], grid["community"], grid["grid"], 12, 10, 9]]
    assert import_file(con, xlsx({"网格统计": rows}), "十一月.xlsx").ok
    at.button(key="kiosk_next").click().run()
    at.button(key="kiosk_prev").click().run()
    # only that grid reported in November: 9 of 10 handled
    assert "2022年11月网格事件处置率" in html(at) and "90.0%" in html(at)

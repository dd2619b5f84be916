"""Log-in, roles and the pages each may reach, under AppTest on a real sample database copy."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

import accounts
import database
from conftest import ROOT, app_test
from ui.text import md_unescape

APP = str(ROOT / "app.py")
PASSWORD = "sample-password-1"


@pytest.fixture
def app_db(app_db):
    """The sample copy, with a leader and a staff member of 星沙街道."""
    db = app_db
    con = database.connect(db)
    accounts.create_user(con, "li", "李书记", accounts.LEADER, PASSWORD, now=datetime.now())
    accounts.create_user(con, "wang", "王干事", accounts.STAFF, PASSWORD, unit="星沙街道", now=datetime.now())
    con.close()
    return db


def test_visitor_sees_only_the_login_page(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "领航看板 · 登录"
    with pytest.raises(ValueError, match="Known pages: .*login.py'\\]"):
        at.switch_page("views/grid.py")  # navigation does not even register the other pages


def test_page_script_refuses_a_visitor_on_its_own(app_db):
    at = AppTest.from_file(str(ROOT / "views" / "grid.py"), default_timeout=60)  # the script run directly
    at.run()
    assert [e.value for e in at.error] == ["请先登录。"] and not at.title


def test_login_form_logs_in_and_wrong_password_is_refused(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="login_username").input("li")
    at.text_input(key="login_password").input("wrong-password")
    at.button[0].click().run()
    assert any("用户名或密码错误" in e.value for e in at.error)
    at.text_input(key="login_username").input("li")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "党建聚合力·书记领航行动 总览"
    assert at.session_state["auth"]["role"] == "领导"
    assert PASSWORD not in str([at.session_state[k] for k in at.session_state])  # never kept in the session


@pytest.mark.parametrize("role, unit, page", [
    ("领导", None, "views/upload.py"), ("领导", None, "views/admin.py"), ("工作人员", "星沙街道", "views/admin.py"),
])
def test_roles_cannot_reach_what_they_may_not(app_db, role, unit, page):
    at = app_test(role, unit)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)  # not in a leader's navigation
    direct = AppTest.from_file(str(ROOT / page), default_timeout=60)  # and the script refuses by itself
    direct.session_state["auth"] = at.session_state["auth"]
    direct.run()
    assert [e.value for e in direct.error] == [f"当前账号({role})无权使用此页面。"]


def test_staff_upload_of_another_units_rows_is_rejected_on_the_page(app_db):
    from conftest import snapshot, xlsx

    con = database.connect(app_db)
    before = snapshot(con)
    con.close()
    at = app_test("工作人员", "星沙街道")
    at.run()
    at.switch_page("views/upload.py")
    at.run()
    other = xlsx({"网格台账": [["乡镇街道", "村社区", "网格"], ["黄兴镇", "测试村", "第九网格"]]})
    at.file_uploader(key="upload_files").upload("他镇.xlsx", other).run()
    at.button(key="upload_go").click().run()
    assert any("未导入" in e.value for e in at.error)
    report = next(df.value for df in at.dataframe if "问题" in df.value.columns)
    assert "只能上传本单位(星沙街道)的数据" in report.iloc[0]["问题"] and report.iloc[0]["行号"] == "第 2 行"
    con = database.connect(app_db)
    after = snapshot(con)
    con.close()
    assert after == before


def test_session_expires_after_eight_hours(app_db):
    at = app_test("领导")
    at.session_state["auth"] = {**at.session_state["auth"], "logged_in_at": datetime.now() - timedelta(hours=8, minutes=1)}
    at.run()
    assert at.title[0].value == "领航看板 · 登录"
    assert any("8 小时" in w.value for w in at.warning)


def test_admin_pages_render(app_db):
    at = app_test("管理员")
    at.run()
    at.switch_page("views/admin.py")
    at.run()
    assert not at.exception and at.title[0].value == "系统管理"
    names = next(df.value for df in at.dataframe if "用户名" in df.value.columns)["用户名"].tolist()
    assert {"li", "wang"} <= set(names)
    for view in ("审计日志", "上传回退", "大屏链接"):
        at.segmented_control(key="admin_view").set_value(view).run()
        assert not at.exception, view


def test_account_page_changes_password(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth"] = {"username": "wang", "display_name": "王干事", "role": "工作人员",
                                "unit": "星沙街道", "email": None, "session_version": 0, "logged_in_at": datetime.now()}
    at.run()
    at.switch_page("views/account.py")
    at.run()
    at.text_input(key="pw_old").input(PASSWORD)
    at.text_input(key="pw_new").input("a-brand-new-pass")
    at.text_input(key="pw_again").input("a-brand-new-pass")
    at.button[0].click().run()
    assert any("密码已修改" in s.value for s in at.success)


def test_projector_by_display_link_without_login(app_db):
    con = database.connect(app_db)
    token = accounts.create_display_link(con, "admin", "会议室", datetime.now())
    con.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["display"] = token
    at.run()
    assert not at.exception
    assert "在推进项目" in "".join(h.proto.body for h in at.get("html"))  # the first slide
    at.button(key="kiosk_next").click().run()
    assert not at.exception
    bad = AppTest.from_file(APP, default_timeout=60)
    bad.query_params["display"] = token + "x"
    bad.run()
    assert bad.title[0].value == "领航看板 · 登录"
    # revoked: the open session loses the projector at its next run
    con = database.connect(app_db)
    accounts.revoke_display_link(con, accounts.list_display_links(con).token_hash[0], "admin", datetime.now())
    con.close()
    at.run()
    assert at.title[0].value == "领航看板 · 登录"


def test_projector_slides_all_render(app_db):
    at = app_test("领导")
    at.run()
    at.switch_page("views/projector.py")
    at.run()
    at.button(key="kiosk_pause").click().run()
    for _ in range(5):
        at.button(key="kiosk_next").click().run()
        assert not at.exception


# ---------------------------------------------------------------- sessions end when they should (issue 11)


def logged_in(name: str) -> AppTest:
    """A session logged in through the real form."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="login_username").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth"]["username"] == name
    return at


def test_upload_after_deactivation_is_refused_and_the_session_ends(app_db):
    from conftest import xlsx

    at = logged_in("wang")
    at.switch_page("views/upload.py")
    at.run()
    own = xlsx({"网格台账": [["乡镇街道", "村社区", "网格"], ["星沙街道", "停用测试社区", "第一网格"]]})
    at.file_uploader(key="upload_files").upload("本镇.xlsx", own).run()
    con = database.connect(app_db)
    uploads = database.scalar(con, "select count(*) from uploads")
    accounts.set_active(con, "wang", False, "admin", datetime.now())  # 停用 while the page is open
    con.close()
    at.button(key="upload_go").click().run()
    assert at.title[0].value == "领航看板 · 登录" and "auth" not in at.session_state
    assert any("请重新登录" in w.value for w in at.warning)
    con = database.connect(app_db)
    assert database.scalar(con, "select count(*) from uploads") == uploads  # nothing imported, not even tried
    assert database.scalar(con, "select count(*) from grids where community = '停用测试社区'") == 0
    con.close()


@pytest.mark.parametrize("change", ["reset", "role", "unit", "raw role"])
def test_reset_password_or_role_change_ends_the_open_session(app_db, change):
    at = logged_in("wang")
    at.switch_page("views/account.py")
    at.run()
    assert at.title[0].value == "我的账号"
    con = database.connect(app_db)
    if change == "reset":
        accounts.reset_password(con, "wang", "Another-pass-31", "admin", datetime.now())
    elif change == "role":
        accounts.set_role(con, "wang", accounts.LEADER, None, "admin", datetime.now())
    elif change == "unit":
        accounts.set_role(con, "wang", accounts.STAFF, "黄兴镇", "admin", datetime.now())
    else:  # changed in the database by hand, without the version: the role itself is compared too
        con.execute("update users set role = '管理员', unit = null where username = 'wang'")
    con.close()
    at.run()
    assert at.title[0].value == "领航看板 · 登录" and "auth" not in at.session_state


def test_own_password_change_keeps_this_session_and_ends_the_others(app_db):
    here, there = logged_in("wang"), logged_in("wang")
    here.switch_page("views/account.py")
    here.run()
    here.text_input(key="pw_old").input(PASSWORD)
    here.text_input(key="pw_new").input("a-brand-new-pass")
    here.text_input(key="pw_again").input("a-brand-new-pass")
    here.button[0].click().run()
    assert any("密码已修改" in s.value for s in here.success)
    here.run()
    assert here.title[0].value == "我的账号"
    there.run()
    assert there.title[0].value == "领航看板 · 登录"


def test_trivial_new_password_refused_on_the_account_page(app_db):
    at = logged_in("wang")
    at.switch_page("views/account.py")
    at.run()
    at.text_input(key="pw_old").input(PASSWORD)
    at.text_input(key="pw_new").input("1234567890")
    at.text_input(key="pw_again").input("1234567890")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["密码不能是连续的数字或字母(如 12345678、abcdefgh、qwertyuiop)"]


def test_uploads_record_the_account_name(app_db):
    from conftest import xlsx

    at = logged_in("wang")
    at.switch_page("views/upload.py")
    at.run()
    own = xlsx({"网格台账": [["乡镇街道", "村社区", "网格"], ["星沙街道", "审计测试社区", "第一网格"]]})
    at.file_uploader(key="upload_files").upload("本镇.xlsx", own).run()
    at.button(key="upload_go").click().run()
    assert any("导入成功" in s.value for s in at.success)
    con = database.connect(app_db)
    assert database.scalar(con, "select uploader from uploads order by id desc limit 1") == "wang"
    assert database.scalar(con, "select username from audit where action = '上传' order by id desc limit 1") == "wang"
    con.close()


def test_unknown_name_typed_on_the_form_is_not_stored(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="login_username").input("Pa55-in-wrong-box")
    at.text_input(key="login_password").input("whatever-1")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["用户名或密码错误"]
    con = database.connect(app_db)
    assert "Pa55-in-wrong-box" not in str(database.query(con, "select * from audit").values.tolist())
    con.close()


def test_admin_makes_a_display_link_with_a_full_url_and_an_expiry(app_db):
    at = app_test("管理员")
    at.run()
    at.switch_page("views/admin.py")
    at.run()
    at.segmented_control(key="admin_view").set_value("大屏链接").run()
    at.text_input(key="link_note").input("三楼会议室")
    at.button(key="link_go").click().run()
    assert not at.exception
    [code] = at.code
    prefix = "http://localhost:8501/?display="
    assert code.value.startswith(prefix)
    token = code.value[len(prefix):]
    con = database.connect(app_db)
    assert accounts.check_display_link(con, token)
    created, expires = database.query(con, "select created_at, expires_at from display_links").iloc[0]
    assert expires - created == timedelta(days=30)
    assert not accounts.check_display_link(con, token, created + timedelta(days=30))
    con.close()


def test_a_write_conflict_on_the_admin_page_is_answered_in_chinese(app_db):
    """Another transaction holds wang's row for longer than the retries: a Chinese message, no traceback."""
    at = app_test("管理员")
    at.run()
    at.switch_page("views/admin.py")
    at.run()
    at.selectbox(key="admin_target").set_value("wang").run()
    con = database.connect(app_db)  # the same database instance the app uses, another transaction
    other = con.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("update users set session_version = session_version + 1 where username = 'wang'")
    at.button(key="admin_toggle").click().run()
    other.execute("ROLLBACK")
    assert not at.exception
    assert [md_unescape(e.value) for e in at.error] == ["有其他操作正在同时修改同一条记录,本次操作没有写入任何数据:请稍后再试一次。"]
    assert accounts.get_user(con, "wang") is not None  # still active
    con.close()

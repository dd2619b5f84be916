"""双周通报 page under AppTest: an administrator previews and issues, a leader lists and downloads."""

from __future__ import annotations

from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest
from test_bulletin import END, START, WEEKS, expected_reporting

import database
from bulletin import store
from conftest import ROOT, app_test


def open_bulletin(role: str, unit: str | None = None):
    at = app_test(role, unit)
    at.run()
    at.switch_page("views/bulletin.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_admin_previews_and_issues(app_db):
    active, reported, _ = expected_reporting(WEEKS)
    at = open_bulletin("管理员")
    assert at.selectbox(key="bulletin_period").value == (START, END)  # the last two reported weeks
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["周报报送率"] == f"{reported / active * 100:.1f}%"
    assert "草稿:党建聚合力·书记领航行动第1期双周通报" in [s.value for s in at.subheader]
    assert any("一、周报报送情况" in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 2
    at.button(key="bulletin_issue").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已印发第1期双周通报。" in [s.value for s in at.success]
    assert any("第1期" in m.value and "已印发" in m.value for m in at.markdown)
    assert at.button(key="bulletin_issue").label == "印发为第2期"
    con = database.connect(app_db)
    try:
        assert store.list_bulletins(con)["issued_by"].tolist() == ["test-管理员"]
    finally:
        con.close()


@pytest.mark.parametrize("role, unit", [("领导", None), ("工作人员", "星沙街道")])
def test_leader_and_staff_list_and_download_but_cannot_issue(app_db, role, unit):
    con = database.connect(app_db)
    try:
        store.issue(con, START, END, "admin", datetime(2022, 11, 21, 9, 0))
    finally:
        con.close()
    at = open_bulletin(role, unit)
    keys = [b.key for b in at.button]
    assert "bulletin_issue" not in keys and "withdraw_1" not in keys
    assert not [s for s in at.selectbox if s.key == "bulletin_period"]
    assert any("第1期" in m.value and "2022年11月7日至11月20日" in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 2  # the issued Word and Excel


def test_admin_withdraws(app_db):
    con = database.connect(app_db)
    try:
        store.issue(con, START, END, "admin", datetime(2022, 11, 21, 9, 0))
    finally:
        con.close()
    at = open_bulletin("管理员")
    assert at.button(key="withdraw_1").disabled
    at.checkbox(key="confirm_withdraw_1").check().run()
    at.button(key="withdraw_1").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已撤回第1期双周通报。" in [s.value for s in at.success]
    assert any("已撤回" in m.value for m in at.markdown)


def test_page_refuses_a_visitor_on_its_own(app_db):
    at = AppTest.from_file(str(ROOT / "views" / "bulletin.py"), default_timeout=60)
    at.run()
    assert [e.value for e in at.error] == ["请先登录。"] and not at.title

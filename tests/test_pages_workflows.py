"""项目申报 and 周报填报 under AppTest on a copy of the sample database, with the app's clock set."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

import database
from conftest import frame, open_page
from ui.text import md_unescape

STAFF, ADMIN = ("工作人员", "星沙街道"), ("管理员", None)


@pytest.fixture
def clock(monkeypatch):
    """Set the app's clock (``ui.auth.now``): returns a setter."""
    import ui.auth

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(ui.auth, "now", lambda: moment)

    return set_now


def db_frame(app_db, sql: str, params: list | None = None):
    con = database.connect(app_db)
    try:
        return frame(con, sql, params)
    finally:
        con.close()


def table(at, *columns: str):
    """The first table on the page with these headers (plain tables carry no key in AppTest)."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def links(at) -> list[str]:
    """The 待办 lines as the user reads them (the labels are Markdown-escaped)."""
    return [md_unescape(link.proto.label) for link in at.get("page_link")]


def keys(at) -> set[str]:
    return {w.key for w in at.main if getattr(w, "key", None)} | {
        e.key for kind in ("text_area", "text_input", "button", "selectbox", "dataframe", "number_input")
        for e in getattr(at, kind) if e.key}


def test_apply_return_resubmit_approve_shows_on_projects(app_db, clock):
    clock(datetime(2022, 11, 14, 9, 0))
    at = open_page("views/apply.py", *STAFF)
    assert "apply_unit_new" not in keys(at)  # staff cannot pick another unit
    assert not {"review_通过", "review_退回修改", "review_不通过"} & keys(at)  # nor review
    at.text_input(key="apply_name_new").input("“红色管家”进小区")
    at.selectbox(key="apply_category_new").select("基层治理")
    at.text_input(key="apply_leader_new").input("石争")
    at.text_input(key="apply_title_new").input("党工委书记")
    at.date_input(key="apply_due_new").set_value(date(2023, 6, 30))
    at.text_area(key="apply_summary_new").input("在小区建立红色管家队伍")
    at.session_state["apply_milestones_new"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"节点名称": "调研摸底", "计划完成日期": "2022-12-15", "权重": 20},
        {"节点名称": "全面推开", "计划完成日期": "2023-06-30", "权重": 0}]}
    at.session_state["apply_indicators_new"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"指标名称": "覆盖小区", "计量单位": "个", "目标值": 40, "实际值": 3}]}
    at.button(key="apply_submit_new").click().run()
    assert not at.exception
    assert at.error[0].value == "申报未提交:发现 1 个错误,请改正后再提交。"
    problems = table(at, "部分", "问题")
    assert problems[["部分", "行号", "列", "原值", "问题"]].values.tolist() == [["项目节点", "2", "权重", "0", "应大于 0"]]
    assert db_frame(app_db, "select count(*) as n from project_applications")["n"].iloc[0] == 0

    at.session_state["apply_milestones_new"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"节点名称": "调研摸底", "计划完成日期": "2022-12-15", "权重": 20},
        {"节点名称": "全面推开", "计划完成日期": "2023-06-30", "权重": 80}]}
    at.button(key="apply_submit_new").click().run()
    assert not at.exception and at.success[0].value == "申报 1 已提交审核。"
    assert table(at, "申报编号", "状态")[["申报编号", "状态"]].values.tolist() == [[1, "待审核"]]

    clock(datetime(2022, 11, 15, 10, 0))
    admin = open_page("views/apply.py", *ADMIN)
    assert admin.selectbox(key="review_pick").value == 1
    admin.button(key="review_退回修改").click().run()
    assert admin.error[0].value == "退回修改时请写明修改意见"
    admin.text_area(key="review_comment").input("请把节点细化到月")
    admin.button(key="review_退回修改").click().run()
    assert not admin.exception and admin.success[0].value == "申报 1:退回修改。"

    clock(datetime(2022, 11, 16, 9, 0))
    home = open_page(None, *STAFF)  # 总览: the 待办 list names the returned application
    assert "申报 1《“红色管家”进小区》被退回修改:请把节点细化到月" in links(home)
    at = open_page("views/apply.py", *STAFF)
    at.selectbox(key="apply_pick").select(1).run()
    assert "请把节点细化到月" in at.warning[0].value
    assert at.text_input(key="apply_name_1").value == "“红色管家”进小区"  # the unit edits what it sent
    at.session_state["apply_milestones_1"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"节点名称": "总结提炼", "计划完成日期": "2023-06-30"}]}
    at.button(key="apply_submit_1").click().run()
    assert not at.exception and at.success[0].value == "申报 1 已提交审核。"

    clock(datetime(2022, 11, 20, 9, 30))
    assert "待审核:星沙街道 申报 1《“红色管家”进小区》(11月16日 09:00 提交)" in links(open_page(None, *ADMIN))
    admin = open_page("views/apply.py", *ADMIN)
    admin.button(key="review_通过").click().run()
    assert not admin.exception
    assert admin.success[0].value == "申报 1 已通过,立项编号 LH2022-35。"  # the sample holds LH2022-01 … 34

    project = db_frame(app_db, "select * from projects where project_id = 'LH2022-35'").iloc[0]
    assert (project["unit"], project["status"], project["approved_on"].date()) == ("星沙街道", "实施中", date(2022, 11, 20))
    ms = db_frame(app_db, "select seq, milestone, weight from milestones where project_id = 'LH2022-35' order by seq")
    assert ms[["seq", "milestone"]].values.tolist() == [[1, "调研摸底"], [2, "全面推开"], [3, "总结提炼"]]
    assert ms["weight"].iloc[:2].tolist() == [20.0, 80.0] and pd.isna(ms["weight"].iloc[2])  # a blank weight stays blank
    assert db_frame(app_db, "select indicator, target, actual from indicators where project_id = 'LH2022-35'"
                    ).values.tolist() == [["覆盖小区", 40.0, 3.0]]
    board = open_page("views/projects.py", *ADMIN).dataframe(key="projects_table").value
    assert board.loc[board["项目编号"] == "LH2022-35", "项目名称"].tolist() == ["“红色管家”进小区"]


def test_staff_page_cannot_approve(app_db, clock):
    """The review panel is only drawn for administrators; the domain refuses anyone else (test_workflows)."""
    clock(datetime(2022, 11, 14, 9, 0))
    at = open_page("views/apply.py", *STAFF)
    assert not [s for s in at.subheader if s.value == "审核"]
    assert "review_pick" not in keys(at)


WEEK = date(2022, 11, 21)
TAG = f"LH2022-01_{WEEK.isoformat()}"  # 星沙街道 leads LH2022-01 alone


def test_weekly_report_online_counts_on_dispatch_replaces_and_locks(app_db, clock):
    clock(datetime(2022, 11, 23, 10, 0))  # a Wednesday; last week's reports closed on Monday 12:00
    before = open_page("views/dispatch.py", *ADMIN)  # fills the caches before the filing
    assert before.selectbox(key="dispatch_week").value == date(2022, 11, 14)

    home = open_page(None, *STAFF)  # 总览's 待办: this week's report, due next Monday 12:00
    todo = "LH2022-01《实施“345工程”打造党建引领智慧赋能基层网格化治理平台》11月21日当周周报未填报,11月28日 12:00 截止"
    assert todo in links(home)
    at = open_page("views/weekly.py", *STAFF)
    last_plan = db_frame(app_db, "select plan from weekly_reports where project_id = 'LH2022-01' "
                                 "and week_start = '2022-11-14'")["plan"].iloc[0]
    assert at.text_area(key=f"wk_summary_{TAG}").value == last_plan  # pre-filled with last week's plan
    assert "wk_summary_LH2022-01_2022-11-14" not in keys(at)  # last week is locked: read-only history only
    at.text_area(key=f"wk_summary_{TAG}").input("完成智慧平台二期上线")
    at.text_area(key=f"wk_plan_{TAG}").input("开展全域培训")
    at.number_input(key=f"wk_percent_{TAG}").set_value(80)
    at.button(key=f"wk_submit_{TAG}").click().run()
    assert not at.exception and at.success[0].value == "LH2022-01 2022年11月21日当周周报已提交。"

    assert todo not in links(open_page(None, *STAFF))
    after = open_page("views/dispatch.py", *ADMIN)  # counted at once: the filing bumped the data version
    assert after.selectbox(key="dispatch_week").value == WEEK
    # 34 projects, 2 已完成 and 1 已终止: 31 owe a report; 1 filed → 1 ÷ 31 = 3.2%
    assert after.metric[0].value == "31 个" and after.metric[1].value == "3.2%"
    by_unit = table(after, "牵头单位", "应报", "已报").set_index("牵头单位")
    assert (by_unit.loc["星沙街道", "应报"], by_unit.loc["星沙街道", "已报"]) == (1, 1)

    at.number_input(key=f"wk_percent_{TAG}").set_value(85)  # a second filing the same week replaces
    at.button(key=f"wk_submit_{TAG}").click().run()
    assert not at.exception and at.success[0].value == "LH2022-01 2022年11月21日当周周报已修改(替换原周报)。"
    rows = db_frame(app_db, "select percent, summary, reporter from weekly_reports "
                            "where project_id = 'LH2022-01' and week_start = ?", [WEEK])
    assert rows.values.tolist() == [[85.0, "完成智慧平台二期上线", "测试工作人员"]]

    clock(datetime(2022, 11, 28, 12, 0))  # the deadline: locked
    late = open_page("views/weekly.py", *STAFF)
    assert f"wk_summary_{TAG}" not in keys(late)
    assert "wk_summary_LH2022-01_2022-11-28" in keys(late)  # this week's form instead
    history = table(late, "周次", "来源")
    assert history.iloc[0][["周次", "完成进度", "来源"]].tolist() == ["2022年11月21日", "85%", "在线填报"]
    assert history.iloc[1]["来源"] == "03_项目周报.xlsx"


def test_admin_unlocks_a_locked_week_on_the_page(app_db, clock):
    clock(datetime(2022, 11, 23, 10, 0))
    admin = open_page("views/weekly.py", *ADMIN)
    admin.selectbox(key="weekly_unit").select("星沙街道").run()
    assert "wk_summary_LH2022-01_2022-11-14" not in keys(admin)
    admin.date_input(key="wk_unlock_week").set_value(date(2022, 11, 14))
    admin.text_input(key="wk_unlock_reason").input("补报")
    admin.button(key="wk_unlock_go").click().run()
    assert not admin.exception and admin.success[0].value == "LH2022-01 2022年11月14日当周已开放至 2022-11-24 18:00。"
    staff = open_page("views/weekly.py", *STAFF)
    weeks = staff.segmented_control(key="wk_week_LH2022-01")
    assert weeks.options == [weekly_label(WEEK), weekly_label(date(2022, 11, 14))]  # this week, and the reopened one
    weeks.set_value(date(2022, 11, 14)).run()
    staff.text_area(key="wk_summary_LH2022-01_2022-11-14").input("补报:完成第三批小区走访")
    staff.button(key="wk_submit_LH2022-01_2022-11-14").click().run()
    assert not staff.exception
    assert db_frame(app_db, "select summary from weekly_reports where project_id = 'LH2022-01' "
                            "and week_start = '2022-11-14'")["summary"].tolist() == ["补报:完成第三批小区走访"]


def weekly_label(week: date) -> str:
    """As the page names a week, worked out here: 2022年11月21日—2022年11月27日(第47周)."""
    end = week + timedelta(days=6)
    return f"{week.year}年{week.month}月{week.day}日—{end.year}年{end.month}月{end.day}日(第{week.isocalendar()[1]}周)"

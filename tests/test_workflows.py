"""项目申报 → 审核 → 立项, 周报 filed online, and the 待办 list: the domain on a real DuckDB file."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

import database
from accounts import ADMIN, LEADER, STAFF, User
from conftest import frame
from workflows import applications as apps
from workflows import weekly
from workflows.forms import WorkflowError
from workflows.todo import todo_items

ADMIN_USER = User("admin", "管理员甲", ADMIN)
XINGSHA = User("wang", "王干事", STAFF, "星沙街道")
LANGLI = User("li", "李干事", STAFF, "㮾梨街道")
LEADER_USER = User("boss", "领导", LEADER)
NOV20 = datetime(2022, 11, 20, 9, 30)


def application(**changes) -> apps.Application:
    base = dict(unit="星沙街道", name="“红色管家”进小区", category="基层治理", leader="石争", leader_title="党工委书记",
                summary="在小区建立红色管家队伍", goals="年底前覆盖全部小区", due_on=date(2023, 6, 30),
                milestones=[{"milestone": "调研摸底", "planned_on": date(2022, 12, 15), "weight": 20.0},
                            {"milestone": "全面推开", "planned_on": date(2023, 6, 30), "weight": 80.0}],
                indicators=[{"indicator": "覆盖小区", "measure_unit": "个", "target": 40.0, "actual": 3.0}])
    base.update(changes)
    return apps.Application(**base)


def state(con, application_id: int) -> str:
    return frame(con, "select state from project_applications where id = ?", [application_id])["state"].iloc[0]


@pytest.mark.parametrize("existing, year, expected", [
    ([], 2022, "LH2022-01"),
    (["LH2022-01", "LH2022-34", "LH2022-09"], 2022, "LH2022-35"),
    (["LH2022-34"], 2023, "LH2023-01"),
    (["LH2022-099"], 2022, "LH2022-100"),
    (["P01", "LH2022-7", "XLH2022-50"], 2022, "LH2022-08"),
])
def test_next_project_id(existing, year, expected):
    assert apps.next_project_id(existing, year) == expected


def test_migration_creates_the_workflow_tables(con):
    assert database.schema_version(con) == database.SCHEMA_VERSION
    tables = set(frame(con, "select table_name from information_schema.tables")["table_name"])
    assert {"project_applications", "project_application_history", "report_deadlines", "report_unlocks"} <= tables


def test_apply_return_resubmit_approve(con):
    version = database.data_version(con)
    draft = apps.save(con, XINGSHA, application(name=None, milestones=[]), datetime(2022, 11, 14, 9, 0))
    assert state(con, draft) == "草稿"  # a draft is kept as it is, however incomplete

    bad = application(category="文化建设", milestones=[{"milestone": "调研摸底", "planned_on": None, "weight": 0},
                                                    {"milestone": None, "planned_on": None, "weight": None}])
    with pytest.raises(WorkflowError) as refused:
        apps.save(con, XINGSHA, bad, datetime(2022, 11, 14, 9, 5), application_id=draft, submit=True)
    found = {(p.sheet, p.row, p.column, p.message) for p in refused.value.problems}
    assert found == {
        ("项目信息", None, "项目类别", "应为以下之一:基层治理、乡村振兴、人才队伍、党员管理、服务群众、其他"),
        ("项目节点", 1, "计划完成日期", "必填项为空"),
        ("项目节点", 1, "权重", "应大于 0"),
    }  # the blank second row is ignored, as a blank row of a workbook is
    assert state(con, draft) == "草稿"
    assert frame(con, "select name from project_applications where id = ?", [draft])["name"].isna().all()

    apps.save(con, XINGSHA, application(), datetime(2022, 11, 14, 9, 10), application_id=draft, submit=True)
    assert state(con, draft) == "待审核"
    apps.review(con, ADMIN_USER, draft, "退回修改", "请补充节点的具体措施", datetime(2022, 11, 15, 10, 0))
    assert state(con, draft) == "退回修改"
    assert todo_items(con, XINGSHA, datetime(2022, 11, 15, 11, 0))[-1].text == \
        f"申报 {draft}《“红色管家”进小区》被退回修改:请补充节点的具体措施"
    with pytest.raises(WorkflowError, match="只有“待审核”的申报可以审核"):
        apps.review(con, ADMIN_USER, draft, "通过", "", datetime(2022, 11, 15, 10, 5))

    fixed = application(milestones=[{"milestone": "调研摸底", "planned_on": date(2022, 12, 15), "weight": 20.0},
                                    {"milestone": "试点先行", "planned_on": date(2023, 3, 31), "weight": 30.0},
                                    {"milestone": "全面推开", "planned_on": date(2023, 6, 30), "weight": 50.0}])
    apps.save(con, XINGSHA, fixed, datetime(2022, 11, 16, 8, 0), application_id=draft, submit=True)
    assert [t.text for t in todo_items(con, ADMIN_USER, NOV20)] == [
        f"待审核:星沙街道 申报 {draft}《“红色管家”进小区》(11月16日 08:00 提交)"]
    project_id = apps.review(con, ADMIN_USER, draft, "通过", "", NOV20)

    assert project_id == "LH2022-01"  # the fixture's projects are P01 and P02: the first LH2022 number
    project = frame(con, "select * from projects where project_id = 'LH2022-01'").iloc[0]
    assert (project["name"], project["unit"], project["leader"], project["category"], project["status"]) == \
        ("“红色管家”进小区", "星沙街道", "石争", "基层治理", "实施中")
    assert project["approved_on"].date() == date(2022, 11, 20) and project["due_on"].date() == date(2023, 6, 30)
    ms = frame(con, "select seq, milestone, planned_on, weight, upload_id from milestones "
                    "where project_id = 'LH2022-01' order by seq")
    assert ms["seq"].tolist() == [1, 2, 3]
    assert ms["milestone"].tolist() == ["调研摸底", "试点先行", "全面推开"]
    assert ms["weight"].tolist() == [20.0, 30.0, 50.0]
    ind = frame(con, "select indicator, measure_unit, target, actual, period from indicators "
                     "where project_id = 'LH2022-01'").iloc[0]
    assert (ind["indicator"], ind["measure_unit"], ind["target"], ind["actual"], ind["period"].date()) == \
        ("覆盖小区", "个", 40.0, 3.0, date(2022, 11, 1))
    upload = frame(con, "select * from uploads where id = ?", [int(ms["upload_id"].iloc[0])]).iloc[0]
    assert (upload["file_name"], upload["status"], upload["rows_loaded"], upload["uploader"]) == \
        ("在线申报", "imported", 5, "admin")  # 1 project + 3 milestones + 1 indicator; the account name
    assert database.data_version(con) != version
    steps = apps.history(con, draft)
    assert steps["action"].tolist() == ["保存草稿", "提交申报", "退回修改", "重新提交", "通过"]
    assert steps["username"].tolist() == ["wang", "wang", "admin", "wang", "admin"]
    assert steps["comment"].iloc[2] == "请补充节点的具体措施"
    record = frame(con, "select state, project_id, reviewed_by from project_applications where id = ?", [draft]).iloc[0]
    assert tuple(record) == ("已通过", "LH2022-01", "admin")
    assert frame(con, "select count(*) as n from audit where action in ('项目申报', '审核项目申报')")["n"].iloc[0] == 5  # one per step


def test_reject_needs_a_reason_and_is_final(con):
    submitted = apps.save(con, XINGSHA, application(), NOV20, submit=True)
    with pytest.raises(WorkflowError, match="不通过时请写明理由"):
        apps.review(con, ADMIN_USER, submitted, "不通过", "  ", NOV20)
    apps.review(con, ADMIN_USER, submitted, "不通过", "与已有项目重复", NOV20)
    assert state(con, submitted) == "不通过"
    with pytest.raises(WorkflowError, match="不能再修改"):
        apps.save(con, XINGSHA, application(), NOV20, application_id=submitted, submit=True)
    assert frame(con, "select count(*) as n from projects")["n"].iloc[0] == 2


def test_staff_cannot_approve_nor_apply_for_another_unit(con):
    submitted = apps.save(con, XINGSHA, application(), NOV20, submit=True)
    before = frame(con, "select * from project_applications")
    for user in (XINGSHA, LEADER_USER):
        with pytest.raises(WorkflowError, match="只有管理员可以审核项目申报"):
            apps.review(con, user, submitted, "通过", "", NOV20)
    with pytest.raises(WorkflowError, match="你是星沙街道的工作人员,只能为本单位申报项目,不能为黄兴镇申报"):
        apps.save(con, XINGSHA, application(unit="黄兴镇"), NOV20, submit=True)
    with pytest.raises(WorkflowError, match="不能申报项目"):
        apps.save(con, LEADER_USER, application(), NOV20)
    # nor edit another unit's application, even by keeping its own unit in the form
    with pytest.raises(WorkflowError, match="只能为本单位申报项目"):
        apps.save(con, LANGLI, application(unit="㮾梨街道"), NOV20, application_id=submitted)
    assert frame(con, "select * from project_applications").equals(before)
    assert frame(con, "select count(*) as n from projects")["n"].iloc[0] == 2
    # an administrator may apply for any unit
    other = apps.save(con, ADMIN_USER, application(unit="黄兴镇"), NOV20, submit=True)
    assert apps.review(con, ADMIN_USER, other, "通过", "", NOV20) == "LH2022-01"


def test_approval_rechecks_the_contract_and_writes_nothing_on_error(con):
    submitted = apps.save(con, XINGSHA, application(due_on=date(2022, 12, 31)), datetime(2022, 11, 1, 9), submit=True)
    before = {t: frame(con, f"select count(*) as n from {t}")["n"].iloc[0] for t in ("projects", "milestones", "uploads")}
    with pytest.raises(WorkflowError) as refused:  # approved after the planned end: 计划完成日期 早于立项日期
        apps.review(con, ADMIN_USER, submitted, "通过", "", datetime(2023, 1, 3, 9))
    assert [(p.column, p.value, p.message) for p in refused.value.problems] == \
        [("计划完成日期", "2022-12-31", "早于立项日期 2023-01-03")]
    assert state(con, submitted) == "待审核"
    assert before == {t: frame(con, f"select count(*) as n from {t}")["n"].iloc[0] for t in before}


# ---------------------------------------------------------------- weekly reports

WED = datetime(2022, 11, 16, 10, 0)  # the week of Monday 2022-11-14
REPORT = {"summary": "完成三个小区的走访", "plan": "召开议事会", "percent": "65%", "difficulty": None, "coordination": None}


def reports(con, project_id="P01"):
    return frame(con, "select * from weekly_reports where project_id = ? order by week_start", [project_id])


def test_weekly_report_filed_then_replaced_never_duplicated(con):
    version = database.data_version(con)
    assert weekly.file_report(con, XINGSHA, "P01", date(2022, 11, 17), REPORT, WED) is False
    rows = reports(con)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["week_start"].date(), row["summary"], row["percent"], row["reporter"]) == \
        (date(2022, 11, 14), "完成三个小区的走访", 65.0, "王干事")
    assert database.data_version(con) != version
    assert weekly.reports(con, "P01")["source"].tolist() == ["在线填报"]

    assert weekly.file_report(con, XINGSHA, "P01", date(2022, 11, 14), {**REPORT, "percent": 70}, WED) is True
    rows = reports(con)
    assert len(rows) == 1 and rows["percent"].iloc[0] == 70.0
    assert len(frame(con, "select * from weekly_reports_replaced")) == 1  # kept for rollback
    assert weekly.prefill(con, "P01", date(2022, 11, 14))["percent"] == 70.0
    # next week starts from this week's plan
    assert weekly.prefill(con, "P01", date(2022, 11, 21)) == {"summary": "召开议事会", "plan": None, "percent": 70.0,
                                                               "difficulty": None, "coordination": None}
    assert frame(con, "select count(*) as n from audit where action = '在线填报周报'")["n"].iloc[0] == 2


def test_weekly_report_checked_by_the_contract(con):
    with pytest.raises(WorkflowError) as refused:
        weekly.file_report(con, XINGSHA, "P01", date(2022, 11, 14), {**REPORT, "summary": "  ", "percent": 120}, WED)
    assert {(p.column, p.message) for p in refused.value.problems} == {("本周小结", "必填项为空"),
                                                                      ("完成进度", "应不大于 100")}
    assert reports(con).empty


def test_weekly_report_locks_after_the_deadline_and_an_admin_unlocks(con):
    week = date(2022, 11, 14)
    assert weekly.open_weeks(con, "P01", datetime(2022, 11, 21, 11, 59)) == [date(2022, 11, 21), week]
    weekly.file_report(con, XINGSHA, "P01", week, REPORT, datetime(2022, 11, 21, 11, 59))
    assert weekly.open_weeks(con, "P01", datetime(2022, 11, 21, 12, 0)) == [date(2022, 11, 21)]
    with pytest.raises(WorkflowError, match="2022-11-14 当周的周报已于 2022-11-21 12:00 截止并锁定"):
        weekly.file_report(con, XINGSHA, "P01", week, {**REPORT, "percent": 90}, datetime(2022, 11, 21, 12, 0))
    with pytest.raises(WorkflowError, match="只有管理员可以解锁周报"):
        weekly.unlock(con, XINGSHA, "P01", week, datetime(2022, 11, 22, 18, 0), datetime(2022, 11, 21, 14, 0))
    weekly.unlock(con, ADMIN_USER, "P01", week, datetime(2022, 11, 22, 18, 0), datetime(2022, 11, 21, 14, 0), "补报")
    assert weekly.file_report(con, XINGSHA, "P01", week, {**REPORT, "percent": 90}, datetime(2022, 11, 22, 9, 0))
    assert reports(con)["percent"].tolist() == [90.0]
    assert not weekly.is_open(con, "P02", week, datetime(2022, 11, 22, 9, 0))  # the unlock was for P01 only
    with pytest.raises(WorkflowError, match="截止并锁定"):
        weekly.file_report(con, XINGSHA, "P01", week, REPORT, datetime(2022, 11, 22, 18, 0))
    with pytest.raises(WorkflowError, match="还没有开始"):
        weekly.file_report(con, XINGSHA, "P01", date(2022, 11, 28), REPORT, datetime(2022, 11, 22, 9, 0))


def test_admin_sets_a_weeks_deadline(con):
    week = date(2022, 11, 14)
    weekly.set_deadline(con, ADMIN_USER, week, datetime(2022, 11, 18, 18, 0), WED)
    assert weekly.deadline(con, week) == datetime(2022, 11, 18, 18, 0)
    assert weekly.deadline(con, date(2022, 11, 21)) == datetime(2022, 11, 28, 12, 0)
    with pytest.raises(WorkflowError, match="截止并锁定"):
        weekly.file_report(con, XINGSHA, "P01", week, REPORT, datetime(2022, 11, 19, 9, 0))
    with pytest.raises(WorkflowError, match="只有管理员可以设置周报截止时间"):
        weekly.set_deadline(con, XINGSHA, week, datetime(2022, 11, 25, 18, 0), WED)


def test_weekly_report_only_for_own_running_projects(con):
    with pytest.raises(WorkflowError, match=re.escape("该项目由黄兴镇牵头,只能填报本单位(星沙街道)牵头项目的周报")):
        weekly.file_report(con, XINGSHA, "P02", date(2022, 11, 14), REPORT, WED)
    with pytest.raises(WorkflowError, match="不能填报周报"):
        weekly.file_report(con, LEADER_USER, "P01", date(2022, 11, 14), REPORT, WED)
    with database.transaction(con) as cur:
        cur.execute("update projects set status = '已完成' where project_id = 'P01'")
    with pytest.raises(WorkflowError, match="状态为“已完成”"):
        weekly.file_report(con, XINGSHA, "P01", date(2022, 11, 14), REPORT, WED)
    assert reports(con).empty and reports(con, "P02").empty


def test_todo_lists_unfiled_open_weeks(con):
    monday_morning = datetime(2022, 11, 21, 9, 0)  # last week still open until 12:00
    assert [t.text for t in todo_items(con, XINGSHA, monday_morning)] == [
        "P01《345工程》11月14日当周周报未填报,11月21日 12:00 截止",
        "P01《345工程》11月21日当周周报未填报,11月28日 12:00 截止",
    ]
    weekly.file_report(con, XINGSHA, "P01", date(2022, 11, 14), REPORT, monday_morning)
    assert [t.page for t in todo_items(con, XINGSHA, monday_morning)] == ["views/weekly.py"]
    assert todo_items(con, LEADER_USER, monday_morning) == []
    assert todo_items(con, ADMIN_USER, monday_morning) == []


def test_a_rolled_back_approval_keeps_its_number(con):
    from ingest.rollback import rollback_upload

    first = apps.save(con, XINGSHA, application(), NOV20, submit=True)
    assert apps.review(con, ADMIN_USER, first, "通过", "", NOV20) == "LH2022-01"
    upload_id = int(frame(con, "select upload_id from project_applications where id = ?", [first])["upload_id"].iloc[0])
    assert rollback_upload(con, upload_id, "admin", NOV20) == {"projects": (1, 0), "milestones": (2, 0),
                                                               "indicators": (1, 0)}
    assert frame(con, "select count(*) as n from projects where project_id = 'LH2022-01'")["n"].iloc[0] == 0
    second = apps.save(con, XINGSHA, application(name="另一个项目"), NOV20, submit=True)
    assert apps.review(con, ADMIN_USER, second, "通过", "", NOV20) == "LH2022-02"

"""Per-unit upload rights and rollback, against real files and a real database."""

from __future__ import annotations

from datetime import datetime

import pytest

import accounts
import database
from conftest import PROJECT_ROWS, snapshot, xlsx
from ingest import import_file
from ingest.rollback import RollbackError, rollback_upload

T0 = datetime(2022, 11, 14, 9, 0)
STAFF = accounts.User("w", "王", accounts.STAFF, "星沙街道")
LEADER = accounts.User("l", "领导", accounts.LEADER)
ADMIN = accounts.User("a", "管理员", accounts.ADMIN)
STATS_HEADER = ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"]


def stats(*rows):
    return xlsx({"网格统计": [STATS_HEADER, *rows]})


def test_staff_cannot_write_another_units_rows_and_nothing_changes(con):
    before = snapshot(con)
    result = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 1, 1, 1],
                                    ["2022-10", "黄兴镇", "B", "1", 1, 1, 1]), "mix.xlsx", user=STAFF)
    assert result.status == "rejected" and snapshot(con) == before
    [error] = result.errors
    assert (error.row, error.column, error.value) == (3, "乡镇街道", "黄兴镇")
    assert "只能上传本单位(星沙街道)的数据" in error.message


def test_staff_may_write_own_unit(con):
    assert import_file(con, stats(["2022-10", "星沙街道", "A", "1", 1, 1, 1]), "own.xlsx", user=STAFF).ok


def test_staff_project_sheets_only_for_projects_their_unit_leads(con):
    # conftest: P01 is led by 星沙街道, P02 by 黄兴镇
    header = ["项目编号", "周次", "本周小结", "完成进度"]
    result = import_file(con, xlsx({"项目周报": [header, ["P01", "2022-11-14", "a", 10], ["P02", "2022-11-14", "b", 10]]}),
                         "w.xlsx", user=STAFF)
    assert [(e.row, e.value) for e in result.errors] == [(3, "P02")]
    assert "由黄兴镇牵头" in result.errors[0].message


@pytest.mark.parametrize("sheet, rows", [
    ("评审打分", [["轮次", "项目编号", "评委", "举措实在", "解难实时", "成果实用"], [1, "P01", "A", 1, 1, 1]]),
    ("项目标记", [["项目编号", "标记", "说明", "日期"], ["P01", "通报表扬", "好", "2022-11-01"]]),
    ("单位名录", [["单位名称", "单位类型"], ["新镇", "乡镇"]]),
])
def test_admin_only_sheets(con, sheet, rows):
    result = import_file(con, xlsx({sheet: rows}), "x.xlsx", user=STAFF)
    assert result.status == "rejected" and "只能由管理员上传" in result.errors[0].message
    assert import_file(con, xlsx({sheet: rows}), "x.xlsx", user=ADMIN).ok


def test_leader_uploads_nothing(con):
    result = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 1, 1, 1]), "l.xlsx", user=LEADER)
    assert result.status == "rejected" and "只能查看" in result.errors[0].message


def test_rollback_restores_the_exact_previous_rows(con):
    first = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 10, 5, 5],
                                   ["2022-10", "星沙街道", "A", "2", 10, 5, 4]), "v1.xlsx")
    before = snapshot(con)
    second = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 99, 9, 9],
                                    ["2022-10", "星沙街道", "A", "3", 1, 1, 1]), "v2.xlsx")
    assert second.ok and second.sheets[0].rows_replaced == 1
    counts = rollback_upload(con, second.upload_id, "a", T0)
    assert counts == {"grid_stats": (2, 1)}  # removed grid 1 (new) and 3, restored grid 1 (old)
    assert snapshot(con) == before  # every table, row for row, upload ids included
    with pytest.raises(RollbackError, match="无需回退"):
        rollback_upload(con, second.upload_id, "a", T0)
    assert first.ok


def test_rollback_refused_when_a_later_upload_replaced_its_rows(con):
    first = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 10, 5, 5]), "v1.xlsx")
    second = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 11, 6, 6]), "v2.xlsx")
    with pytest.raises(RollbackError, match=f"编号 {second.upload_id}"):
        rollback_upload(con, first.upload_id, "a", T0)
    rollback_upload(con, second.upload_id, "a", T0)
    rollback_upload(con, first.upload_id, "a", T0)  # now allowed, back to nothing
    assert snapshot(con)["grid_stats"] == []


def test_rolled_back_file_can_be_uploaded_again(con):
    data = stats(["2022-10", "星沙街道", "A", "1", 10, 5, 5])
    first = import_file(con, data, "v1.xlsx")
    rollback_upload(con, first.upload_id, "a", T0)
    assert import_file(con, data, "v1.xlsx").ok  # not reported as a duplicate of a rolled-back upload


def test_every_upload_and_rollback_is_audited(con):
    ok = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 1, 1, 1]), "own.xlsx", user=STAFF, uploader="王(w)")
    import_file(con, stats(["2022-10", "黄兴镇", "A", "1", 1, 1, 1]), "other.xlsx", user=STAFF, uploader="王(w)")
    rollback_upload(con, ok.upload_id, "a", T0)
    log = database.query(con, "select username, action, outcome from audit order by id").values.tolist()[-3:]
    assert log == [["王(w)", "上传", "成功"], ["王(w)", "上传", "未导入"], ["a", "回退上传", "成功"]]


# ---------------------------------------------------------------- rows an upload would replace

EVENT_HEADER = ["事件编号", "上报时间", "乡镇街道", "村社区", "网格", "事件类别", "处置状态", "处置完成时间"]
PROJECT_HEADER = PROJECT_ROWS[0]
HUANGXING = accounts.User("h", "黄", accounts.STAFF, "黄兴镇")


def test_staff_cannot_take_over_another_units_project(con):
    """P02 is 黄兴镇's: a 星沙街道 file naming itself its lead unit is refused whole, weekly report included."""
    before = snapshot(con)
    forged = ["P02", "改名", "星沙街道", "冒名", "党工委书记", "基层治理", "2022-06-01", "2022-12-31", None, "已完成"]
    report = ["P02", "2022-11-14", "伪造的小结", 100]
    result = import_file(con, xlsx({"项目台账": [PROJECT_HEADER, forged],
                                    "项目周报": [["项目编号", "周次", "本周小结", "完成进度"], report]}),
                         "takeover.xlsx", user=STAFF)
    assert result.status == "rejected" and snapshot(con) == before
    messages = [(e.sheet, e.row, e.value, e.message) for e in result.errors]
    assert ("项目台账", 2, "P02", "项目 P02 属于黄兴镇,你无权修改") in messages
    assert any(sheet == "项目周报" and row == 2 and "黄兴镇" in message for sheet, row, _, message in messages)


def test_staff_cannot_overwrite_another_units_events(con):
    own = [["E1", "2022-11-01 09:00", "黄兴镇", "A村", "1", "治安", "已处置", "2022-11-01 10:00"],
           ["E2", "2022-11-02 09:00", "黄兴镇", "A村", "1", "治安", "处置中", None]]
    assert import_file(con, xlsx({"事件明细": [EVENT_HEADER, *own]}), "hx.xlsx", user=HUANGXING).ok
    before = snapshot(con)
    stolen = [["E1", "2022-11-01 09:00", "星沙街道", "B社区", "1", "治安", "已处置", "2022-11-01 10:00"],
              ["E3", "2022-11-03 09:00", "星沙街道", "B社区", "1", "治安", "处置中", None],
              ["E2", "2022-11-02 09:00", "星沙街道", "B社区", "1", "治安", "处置中", None]]
    result = import_file(con, xlsx({"事件明细": [EVENT_HEADER, *stolen]}), "xs.xlsx", user=STAFF)
    assert result.status == "rejected" and snapshot(con) == before
    assert [(e.row, e.value) for e in result.errors] == [(2, "E1"), (4, "E2")]
    assert all(e.message == "事件编号 E1 属于黄兴镇,你无权修改".replace("E1", e.value) for e in result.errors)
    counts = dict(database.query(con, "select unit, count(*) from events group by unit").values.tolist())
    assert counts == {"黄兴镇": 2}


def test_staff_may_replace_their_own_rows_and_admin_may_move_a_project(con):
    mine = ["P01", "345工程(修订)", "星沙街道", "石争", "党工委书记", "基层治理", "2022-06-01", "2022-12-31", None, None]
    assert import_file(con, xlsx({"项目台账": [PROJECT_HEADER, mine]}), "own.xlsx", user=STAFF).ok
    moved = ["P02", "三务积分", "星沙街道", "张韧", "党委书记", "党员管理", "2022-06-15", "2022-12-20", None, None]
    assert import_file(con, xlsx({"项目台账": [PROJECT_HEADER, moved]}), "admin.xlsx", user=ADMIN).ok
    assert database.scalar(con, "select unit from projects where project_id = 'P02'") == "星沙街道"


def test_staff_may_add_a_new_project_with_its_reports_in_one_file(con):
    new = ["P03", "新项目", "星沙街道", "石争", "党工委书记", "基层治理", "2022-06-01", "2022-12-31", None, None]
    result = import_file(con, xlsx({"项目台账": [PROJECT_HEADER, new],
                                    "项目周报": [["项目编号", "周次", "本周小结", "完成进度"], ["P03", "2022-11-14", "a", 5]]}),
                         "new.xlsx", user=STAFF)
    assert result.ok, result.report_frame()


@pytest.mark.parametrize("sheet, rows", [
    ("项目节点", [["项目编号", "节点序号", "节点名称", "计划完成日期"], ["P02", 1, "启动", "2022-07-01"]]),
    ("项目周报", [["项目编号", "周次", "本周小结", "完成进度"], ["P02", "2022-11-14", "a", 10]]),
    ("成效指标", [["项目编号", "指标名称", "实际值", "统计期"], ["P02", "人数", 3, "2022-10"]]),
])
def test_project_sheets_of_another_unit_refused_even_when_the_file_claims_the_project(con, sheet, rows):
    claim = ["P02", "三务积分", "星沙街道", "张韧", "党委书记", "党员管理", "2022-06-15", "2022-12-20", None, None]
    before = snapshot(con)
    result = import_file(con, xlsx({"项目台账": [PROJECT_HEADER, claim], sheet: rows}), "x.xlsx", user=STAFF)
    assert result.status == "rejected" and snapshot(con) == before
    assert {e.sheet for e in result.errors} == {"项目台账", sheet}


def test_an_unchanged_file_of_another_unit_is_refused_not_called_a_duplicate(con):
    data = stats(["2022-10", "黄兴镇", "B", "1", 1, 1, 1])
    assert import_file(con, data, "hx.xlsx", user=HUANGXING).ok
    result = import_file(con, data, "hx.xlsx", user=STAFF)
    assert result.status == "rejected"
    assert "只能上传本单位(星沙街道)的数据" in result.errors[0].message


@pytest.fixture
def sample_con(sample_db, tmp_path):
    import shutil

    shutil.copy(sample_db, tmp_path / "s.duckdb")
    connection = database.connect(tmp_path / "s.duckdb")
    yield connection
    connection.close()


def _counts(con):
    return {t: database.query(con, f"select unit, count(*) n from {t} group by unit order by unit").values.tolist()
            for t in ("projects", "events", "grid_stats", "grids")}


def test_the_two_attack_files_on_the_sample_change_nothing(sample_con):
    """The issue's attacks as a 星沙街道 account: take over 湘龙街道's LH2022-02, move 200 of 㮾梨's events."""
    staff = accounts.User("xs", "星沙", accounts.STAFF, "星沙街道")
    before, counts = snapshot(sample_con), _counts(sample_con)
    takeover = xlsx({
        "项目台账": [PROJECT_HEADER, ["LH2022-02", "夺来的项目", "星沙街道", "冒名", "书记", "基层治理",
                                      "2022-06-01", "2022-12-31", None, "已完成"]],
        "项目周报": [["项目编号", "周次", "本周小结", "完成进度"], ["LH2022-02", "2022-11-21", "伪造", 100]],
    })
    result = import_file(sample_con, takeover, "takeover.xlsx", user=staff)
    assert result.status == "rejected"
    assert ("项目台账", 2, "项目 LH2022-02 属于湘龙街道,你无权修改") in [(e.sheet, e.row, e.message) for e in result.errors]
    events = [[f"LL202111{n:06d}", "2021-11-01 08:00", "星沙街道", "某社区", "1", "其他", "处置中", None]
              for n in range(1, 201)]
    result = import_file(sample_con, xlsx({"事件明细": [EVENT_HEADER, *events]}), "events.xlsx", user=staff)
    assert result.status == "rejected" and len(result.errors) == 200
    assert result.errors[0].message == "事件编号 LL202111000001 属于㮾梨街道,你无权修改"
    assert snapshot(sample_con) == before and _counts(sample_con) == counts


def test_rollback_preview_says_what_will_be_removed_and_restored(con):
    from ingest.rollback import rollback_preview

    first = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 10, 5, 5]), "v1.xlsx")
    second = import_file(con, stats(["2022-10", "星沙街道", "A", "1", 11, 6, 6],
                                    ["2022-10", "星沙街道", "A", "2", 1, 1, 1]), "v2.xlsx")
    before = snapshot(con)
    # rolling back v2 removes its 2 rows and brings back the 1 row it replaced; nothing is done yet
    assert rollback_preview(con, second.upload_id) == ({"网格统计": (2, 1)}, None)
    assert snapshot(con) == before
    effect, refusal = rollback_preview(con, first.upload_id)
    assert effect == {} and f"编号 {second.upload_id}" in refusal  # v1's row was replaced by v2: v2 goes first
    assert rollback_upload(con, second.upload_id, "a", T0) == {"grid_stats": (2, 1)}


def test_rollback_on_the_page_needs_a_confirmation(app_db):
    from conftest import app_test

    at = app_test()
    at.run()
    at.switch_page("views/admin.py")
    at.run()
    at.segmented_control(key="admin_view").set_value("上传回退").run()
    assert at.button(key="rollback_go").disabled
    preview = next(df.value for df in at.dataframe if "将删除的行" in df.value.columns)
    assert preview["将删除的行"].sum() > 0
    at.checkbox(key="rollback_confirm").check().run()
    assert not at.button(key="rollback_go").disabled

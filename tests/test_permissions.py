"""Per-unit upload rights and rollback, against real files and a real database."""

from __future__ import annotations

from datetime import datetime

import pytest

import accounts
import database
from conftest import snapshot, xlsx
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

"""The import pipeline against real files: every general rule of the contract."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import xlwt

from conftest import frame, snapshot, xlsx
from ingest import import_file
from ingest.__main__ import main as cli

STATS_HEADER = ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"]


def test_title_rows_units_in_headers_totals_and_text_numbers(con):
    data = xlsx({"Sheet1": [
        ["长沙县星沙街道2022年10月网格统计表"],
        [None],
        ["月份", "乡镇街道", "村(社区)", "网格", "采集基础数据(条)", "上报事件（件）", "处置事项 "],
        ["2022年10月", "星沙街道", "凉塘路社区", "第一网格", "1,234", " 98 ", 97],
        ["2022-10", "星沙街道", "凉塘路社区", "第二网格", "１２３", 10, "9"],
        [None, None, None, None, None, None, None],
        ["合计", None, None, None, 1357, 108, 106],
    ]})
    result = import_file(con, data, "星沙.xlsx")
    assert result.ok, result.report_frame()
    assert result.sheets[0].spec.name == "网格统计"  # recognised by header, not by name
    rows = frame(con, "select grid, month, collected, reported, handled from grid_stats order by grid")
    assert rows.values.tolist() == [
        ["第一网格", pd_ts("2022-10-01"), 1234, 98, 97],
        ["第二网格", pd_ts("2022-10-01"), 123, 10, 9],
    ]
    assert result.warnings == []  # the 合计 row matches: 1234+123=1357, 98+10=108, 97+9=106


def pd_ts(text: str):
    import pandas as pd

    return pd.Timestamp(text)


def test_totals_mismatch_is_a_warning_naming_the_row(con):
    data = xlsx({"网格统计": [
        STATS_HEADER,
        ["2022-10", "星沙街道", "A社区", "一网格", 10, 5, 5],
        ["2022-10", "星沙街道", "A社区", "二网格", 10, 5, 4],
        ["总计", None, None, None, 20, 11, 9],
    ]})
    result = import_file(con, data, "t.xlsx")
    assert result.ok
    [warning] = result.warnings
    assert (warning.sheet, warning.row, warning.column, warning.value) == ("网格统计", 4, "上报事件", "11")
    assert "明细合计为 10" in warning.message


def test_rejected_file_changes_nothing_and_names_sheet_row_column_value(con):
    good = xlsx({"网格统计": [STATS_HEADER, ["2022-10", "星沙街道", "A社区", "一网格", 10, 5, 5]]})
    assert import_file(con, good, "good.xlsx").ok
    before = snapshot(con)
    bad = xlsx({
        "单位名录": [["单位名称", "单位类型"], ["新单位", "乡镇"]],
        "网格统计": [
            ["标题行"],
            STATS_HEADER,
            ["2022-10", "星沙街道", "A社区", "一网格", 99, 99, 99],   # would replace the row above
            ["2022-11", "不存在镇", "A社区", "一网格", 1, 1, 1],       # unknown unit
            ["2022-12", "星沙街道", "A社区", "一网格", "十", 1, 1],    # not a number
            ["2022-13", "星沙街道", "A社区", "一网格", 1, -1, 1],      # bad month, negative count
        ],
    })
    result = import_file(con, bad, "bad.xlsx")
    assert result.status == "rejected"
    assert snapshot(con) == before  # every table, row for row
    report = result.report_frame()
    found = {(r.工作表, r.行号, r.列, r.原值) for r in report.itertuples()}
    assert ("网格统计", 4, "乡镇街道", "不存在镇") in found
    assert ("网格统计", 5, "采集基础数据", "十") in found
    assert ("网格统计", 6, "统计月份", "2022-13") in found
    assert ("网格统计", 6, "上报事件", "-1") in found
    assert set(report.级别) == {"错误"}
    logged = frame(con, "select status, rows_loaded from uploads order by id desc limit 1")
    assert logged.values.tolist() == [["rejected", 0]]


def test_reupload_replaces_never_duplicates(con):
    first = xlsx({"网格统计": [STATS_HEADER,
                               ["2022-10", "星沙街道", "A社区", "一网格", 10, 5, 5],
                               ["2022-10", "星沙街道", "A社区", "二网格", 10, 5, 5]]})
    corrected = xlsx({"网格统计": [STATS_HEADER,
                                   ["2022年10月", "星沙街道", "A社区", "一网格", 10, 6, 6]]})
    assert import_file(con, first, "v1.xlsx").ok
    result = import_file(con, corrected, "v2.xlsx")
    assert result.ok and result.sheets[0].rows_replaced == 1 and result.sheets[0].rows_loaded == 1
    rows = frame(con, "select grid, reported from grid_stats order by grid").values.tolist()
    assert rows == [["一网格", 6], ["二网格", 5]]
    upload_ids = frame(con, "select grid, upload_id from grid_stats order by grid").upload_id.tolist()
    assert upload_ids[0] != upload_ids[1]  # every row records the upload that wrote it


def test_same_file_twice_is_reported_not_reimported(con):
    data = xlsx({"网格统计": [STATS_HEADER, ["2022-10", "星沙街道", "A社区", "一网格", 10, 5, 5]]})
    assert import_file(con, data, "a.xlsx").ok
    again = import_file(con, data, "a-copy.xlsx")
    assert again.status == "duplicate"
    assert "完全相同" in again.summary()
    assert frame(con, "select count(*) n from grid_stats").n[0] == 1
    assert frame(con, "select status from uploads order by id").status.tolist()[-2:] == ["imported", "duplicate"]
    assert import_file(con, data, "a.xlsx", force=True).ok


def test_gb18030_csv(con):
    text = "项目编号,节点序号,节点名称,计划完成日期,实际完成日期,权重\nP01,1,调研摸底,2022/7/15,2022年7月14日,\nP01,2,方案制定,2022.08.31,,\n"
    result = import_file(con, text.encode("gb18030"), "节点.csv")
    assert result.ok, result.report_frame()
    rows = frame(con, "select seq, milestone, planned_on, done_on, weight from milestones order by seq")
    assert rows.milestone.tolist() == ["调研摸底", "方案制定"]
    assert rows.done_on.isna().tolist() == [False, True]
    assert rows.weight.isna().all()


def test_utf8_bom_csv_recognised_by_header(con):
    text = "\ufeff项目编号,指标名称,计量单位,目标值,实际值,统计期\nP02,核酸采集,份,,\"92,720\",202204\n"
    result = import_file(con, text.encode("utf-8"), "whatever.csv")
    assert result.ok, result.report_frame()
    assert frame(con, "select actual, period from indicators").values.tolist() == [[92720.0, pd_ts("2022-04-01")]]


def test_xls_file(con):
    book = xlwt.Workbook()
    ws = book.add_sheet("项目周报")
    for c, h in enumerate(["项目编号", "周次", "本周小结", "下周计划", "完成进度", "存在困难", "需协调事项", "填报人"]):
        ws.write(0, c, h)
    style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    ws.write(1, 0, "P01"); ws.write(1, 1, datetime(2022, 11, 16), style); ws.write(1, 2, "完成调研")
    ws.write(1, 4, "65%")
    ws.write(2, 0, "P02"); ws.write(2, 1, "2022-W46"); ws.write(2, 2, "推进"); ws.write(2, 4, 40)
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_file(con, buffer.getvalue(), "周报.xls")
    assert result.ok, result.report_frame()
    rows = frame(con, "select project_id, week_start, percent from weekly_reports order by project_id")
    # 2022-11-16 is a Wednesday → Monday 2022-11-14; ISO 2022-W46 → Monday 2022-11-14
    assert rows.values.tolist() == [["P01", pd_ts("2022-11-14"), 65.0], ["P02", pd_ts("2022-11-14"), 40.0]]


def test_hidden_sheets_skipped_and_unknown_column_warned(con):
    data = xlsx({
        "网格台账": [["乡镇街道", "村社区", "网格", "备用列"], ["㮾梨街道", "A村", "一网格", "x"]],
        "旧数据": [["乡镇街道", "村社区", "网格"], ["不存在镇", "A村", "一网格"]],
    }, hidden=["旧数据"])
    result = import_file(con, data, "g.xlsx")
    assert result.ok, result.report_frame()
    assert [(w.column, w.level) for w in result.warnings] == [("备用列", "警告")]
    assert frame(con, "select unit, branch from grids").values.tolist() == [["㮾梨街道", None]]


def test_missing_required_column_is_an_error(con):
    data = xlsx({"网格统计": [["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件"],
                              ["2022-10", "星沙街道", "A", "一", 1, 1]]})
    result = import_file(con, data, "m.xlsx")
    assert result.status == "rejected"
    assert any("缺少必填列“处置事项”" in p.message for p in result.errors)


def test_duplicate_key_within_file(con):
    data = xlsx({"项目节点": [["项目编号", "节点序号", "节点名称", "计划完成日期"],
                              ["P01", 1, "a", "2022-07-01"], ["P01", 2, "b", "2022-08-01"], ["P01", 1, "c", "2022-09-01"]]})
    result = import_file(con, data, "d.xlsx")
    assert result.status == "rejected"
    [error] = result.errors
    assert error.row == 4 and "与第 2 行重复" in error.message


@pytest.mark.parametrize("rows, column, message", [
    ([["P09", "x", "星沙街道", "李", None, "其他", "2022-07-01", "2022-06-01"]], "计划完成日期", "早于立项日期"),
    ([["P09", "x", "星沙街道", "李", None, "其它", "2022-07-01", "2022-08-01"]], "项目类别", "应为以下之一"),
    ([["P09", None, "星沙街道", "李", None, "其他", "2022-07-01", "2022-08-01"]], "项目名称", "必填项为空"),
])
def test_project_rules(con, rows, column, message):
    header = ["项目编号", "项目名称", "牵头单位", "第一责任人", "职务", "项目类别", "立项日期", "计划完成日期"]
    result = import_file(con, xlsx({"项目台账": [header, *rows]}), "p.xlsx")
    assert result.status == "rejected"
    assert [(e.row, e.column) for e in result.errors] == [(2, column)]
    assert message in result.errors[0].message


def test_project_status_defaults_to_in_progress(con):
    assert frame(con, "select project_id, status from projects order by 1").values.tolist() == [
        ["P01", "实施中"], ["P02", "实施中"]]


def test_unknown_project_reference(con):
    data = xlsx({"项目标记": [["项目编号", "标记", "说明", "日期"], ["P99", "通报表扬", "好", "2022-11-01"]]})
    result = import_file(con, data, "f.xlsx")
    assert result.status == "rejected"
    assert "不在项目台账中" in result.errors[0].message


def test_units_and_projects_in_the_same_file_as_their_users(tmp_path):
    import database

    fresh = database.connect(tmp_path / "fresh.duckdb")
    data = xlsx({
        "项目节点": [["项目编号", "节点序号", "节点名称", "计划完成日期"], ["N1", 1, "a", "2022-07-01"]],
        "项目台账": [["项目编号", "项目名称", "牵头单位", "第一责任人", "项目类别", "立项日期", "计划完成日期"],
                     ["N1", "新项目", "新镇", "王", "其他", "2022-06-01", "2022-12-01"]],
        "单位名录": [["单位名称", "单位类型"], ["新镇", "乡镇"]],
    })
    result = import_file(fresh, data, "all.xlsx")
    assert result.ok, result.report_frame()
    assert frame(fresh, "select count(*) n from milestones").n[0] == 1


def test_events_rules(con):
    header = ["事件编号", "上报时间", "乡镇街道", "村社区", "网格", "事件类别", "处置状态", "处置完成时间"]
    data = xlsx({"事件明细": [
        header,
        ["E1", "2022-10-01 08:00", "㮾梨街道", "A村", "一网格", "环境卫生", "已处置", "2022-10-02 09:00"],
        ["E2", "2022-10-01 08:00", "㮾梨街道", "A村", "一网格", "环境卫生", "已处置", None],
        ["E3", "2022-10-05 08:00", "㮾梨街道", "A村", "一网格", "环境卫生", "已处置", "2022-10-04 08:00"],
        ["E4", "2022-10-05 08:00", "㮾梨街道", "A村", "一网格", "环境卫生", "处置中", None],
    ]})
    result = import_file(con, data, "e.xlsx")
    assert result.status == "rejected"
    assert sorted((e.row, e.message[:6]) for e in result.errors) == [(3, "处置状态为“"), (4, "早于上报时间")]


def test_handled_above_reported_is_only_a_warning(con):
    data = xlsx({"网格统计": [STATS_HEADER, ["2022-10", "星沙街道", "A", "一", 1, 5, 7]]})
    result = import_file(con, data, "w.xlsx")
    assert result.ok
    assert [w.column for w in result.warnings] == ["处置事项"]


def test_review_rounds_and_score_ranges(con):
    header = ["轮次", "项目编号", "评委", "举措实在", "解难实时", "成果实用"]
    good = xlsx({"评审打分": [header, ["第一轮", "P01", "评委A", 28, 27.5, 38], [2, "P01", "评委A", 30, 30, 40]]})
    assert import_file(con, good, "r.xlsx").ok
    assert frame(con, "select round from review_scores order by round")["round"].tolist() == [1, 2]
    bad = xlsx({"评审打分": [header, ["第三轮", "P01", "评委A", 31, 10, 41]]})
    result = import_file(con, bad, "r2.xlsx")
    assert [(e.column, e.value) for e in result.errors] == [("举措实在", "31"), ("成果实用", "41")]


@pytest.mark.parametrize("content, message", [
    (b"", "文件是空的"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "无法识别"),
    (b"PK\x03\x04this is not a real zip", "已损坏"),
    ("随便写的一段话\n没有表头".encode(), "没有可导入的工作表"),
])
def test_unreadable_files(con, content, message):
    before = snapshot(con)
    result = import_file(con, content, "x.xlsx")
    assert result.status == "rejected"
    assert message in result.errors[0].message
    assert snapshot(con) == before


def test_progress_is_reported(con):
    seen: list[float] = []
    data = xlsx({"网格统计": [STATS_HEADER, ["2022-10", "星沙街道", "A", "一", 1, 5, 5]]})
    import_file(con, data, "p.xlsx", progress=lambda f, _m: seen.append(f))
    assert seen[0] < seen[-1] == 1.0 and seen == sorted(seen)


def test_cli_exit_codes_and_report(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    good = tmp_path / "units.xlsx"
    good.write_bytes(xlsx({"单位名录": [["单位名称", "单位类型"], ["星沙街道", "街道"]]}))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx({"单位名录": [["单位名称", "单位类型"], ["x", "村"]]}))
    assert cli([str(good), "--db", str(db)]) == 0
    assert cli([str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "未导入" in err and "第 2 行" in err and "单位类型" in err

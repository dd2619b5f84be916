"""Every page under AppTest, against a real sample database (a copy per test module)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import ROOT, open_page, xlsx

APP = str(ROOT / "app.py")


def run(page: str | None = None) -> AppTest:
    return open_page(page)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_seed_figures(app_db):
    at = run()
    assert at.title[0].value == "党建聚合力·书记领航行动 总览"
    frame = next(df.value for df in at.dataframe if "乡镇街道" in df.value.columns)
    xingsha = frame.set_index("乡镇街道").loc["星沙街道"]
    # the seed: 108,512 collected, 128,327 reported, 125,634 handled → 125634/128327 = 97.90%
    assert (xingsha["采集基础数据"], xingsha["上报事件"], xingsha["处置事项"]) == (108512, 128327, 125634)
    # a number (it sorts as one), in percent for the grid's "97.9%" format
    assert round(xingsha["处置率"], 1) == 97.9
    assert next(df for df in at.dataframe if "乡镇街道" in df.value.columns).proto.placeholder == "—"
    assert xingsha["网格"] == 67 and xingsha["网格党支部"] == 67 and xingsha["党员数"] >= 3000
    langli = frame.set_index("乡镇街道").loc["㮾梨街道"]
    assert (langli["村社区"], langli["网格"], langli["网格党支部"]) == (9, 59, 59)
    assert metric(at, "在推进项目").endswith("个")


def test_upload_page_imports_and_reports_errors(app_db):
    at = run("views/upload.py")
    assert at.title[0].value == "数据上传"
    good = xlsx({"网格台账": [["乡镇街道", "村社区", "网格"], ["黄兴镇", "测试村", "第九网格"]]})
    at.file_uploader(key="upload_files").upload("补充.xlsx", good).run()
    at.button(key="upload_go").click().run()
    assert not at.exception
    assert any("导入成功" in s.value for s in at.success)

    # the uploader is emptied by the import: 开始导入 cannot import the same files twice
    assert not at.file_uploader(key="upload_files_1").value and at.button(key="upload_go").disabled

    bad = xlsx({"网格台账": [["乡镇街道", "村社区", "网格"], ["没有这个镇", "测试村", "第九网格"]]})
    at.file_uploader(key="upload_files_1").upload("错误.xlsx", bad).run()
    at.button(key="upload_go").click().run()
    assert any("未导入" in e.value for e in at.error)
    report = next(df.value for df in at.dataframe if "问题" in df.value.columns)
    assert report.iloc[0]["行号"] == "第 2 行" and report.iloc[0]["原值"] == "没有这个镇"


def test_another_units_file_is_one_grouped_line_errors_first(app_db):
    from conftest import app_test

    at = app_test("工作人员", "星沙街道")
    at.run()
    at.switch_page("views/upload.py")
    at.run()
    rows = [["2022-10", "黄兴镇", "测试村", f"第{n}网格", 5, 10, 9] for n in range(1, 41)]
    rows.insert(5, ["2022-10", "星沙街道", "测试社区", "第一网格", 5, 1, 3])  # handled > reported: a warning
    other = xlsx({"网格统计": [["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"], *rows]})
    at.file_uploader(key="upload_files").upload("他镇.xlsx", other).run()
    at.button(key="upload_go").click().run()
    errors, warnings = [df.value for df in at.dataframe if "行数" in df.value.columns]
    assert errors[["行号", "行数", "原值"]].values.tolist() == [["第 2–6、8–42 行", 40, "黄兴镇"]]
    assert warnings[["行号", "原值"]].values.tolist() == [["第 7 行", "3(上报 1)"]]
    assert "1 条提示" in at.expander[0].label
    # staff see only the templates they may use
    assert not [b for b in at.get("download_button") if b.proto.label in ("评审打分", "单位名录", "项目标记")]


def test_a_page_error_is_answered_in_chinese_not_streamlits_english_page(app_db, monkeypatch):
    import duckdb

    from ui.frame import ERROR_MESSAGE

    with duckdb.connect(str(app_db)) as con:
        con.execute("drop table weekly_reports")  # a damaged database: the projects pages cannot run
    monkeypatch.delenv("LHKB_PAGE_ERRORS")
    from conftest import app_test

    at = app_test()
    at.run()
    at.switch_page("views/dispatch.py")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [ERROR_MESSAGE, ERROR_MESSAGE]  # sidebar and page

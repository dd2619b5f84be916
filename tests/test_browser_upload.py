"""数据上传 as a new staff member would use it, in chromium: another unit's file gives one grouped line
(not one per row), and the uploader is empty after an import, so 开始导入 cannot import the same file twice."""

from __future__ import annotations

from conftest import log_in, xlsx

STATS_HEADER = ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"]


def test_another_units_file_is_one_grouped_line_and_the_uploader_empties(server, browser, tmp_path):
    url, passwords = server
    other = tmp_path / "他镇网格统计.xlsx"
    other.write_bytes(xlsx({"网格统计": [STATS_HEADER, *[["2022-10", "黄兴镇", "测试村", f"第{n}网格", 5, 10, 9]
                                                         for n in range(1, 41)]]}))
    page = log_in(browser, url, "xingsha", passwords["xingsha"])
    page.get_by_text("党建聚合力·书记领航行动 总览").wait_for(timeout=30000)
    page.get_by_role("link", name="数据上传").click()
    page.get_by_text("模板下载").wait_for(timeout=30000)
    page.locator("input[type=file]").set_input_files(str(other))
    page.get_by_text("他镇网格统计.xlsx").first.wait_for(timeout=30000)
    page.get_by_role("button", name="开始导入").click()
    page.get_by_text("未导入").first.wait_for(timeout=60000)
    # one line for the 40 rows (1 类), not 40 lines: the heading over the grouped table says so
    page.get_by_text("需要改正的问题(1 类,共 40 处)").wait_for(timeout=30000)
    # the uploader is empty again: no file listed, 开始导入 disabled
    assert page.locator("[data-testid=stFileUploaderFile]").count() == 0
    assert page.get_by_role("button", name="开始导入").is_disabled()
    page.close()

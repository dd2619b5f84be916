"""Pages compute their analytics once per (filters, data version): an import or a rollback shows at once."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from test_pages_grid import grid_page, metrics

import database
from conftest import frame
from ingest import import_file
from ingest.rollback import rollback_upload
from ui import data


def _raise_one_grid(db, extra: int) -> int:
    """Import a CSV that re-states one 星沙街道 grid's 2022-10 row with ``extra`` more reported events."""
    con = database.connect(db)
    try:
        row = frame(con, """select unit, community, grid, collected, reported, handled from grid_stats
                            where unit = '星沙街道' and month = date '2022-10-01' order by grid limit 1""").iloc[0]
        csv = ("统计月份,乡镇街道,村社区,网格,采集基础数据,上报事件,处置事项\n"
               f"2022-10,{row.unit},{row.community},{row.grid},{row.collected},{row.reported + extra},{row.handled}\n")
        result = import_file(con, csv.encode("utf-8"), "网格统计_更正.csv")
        assert result.status == "imported", result.message
        return result.upload_id
    finally:
        con.close()


def test_an_import_and_a_rollback_show_on_the_next_run(app_db):
    at = grid_page()
    at.selectbox(key="drill_unit").select("星沙街道").run()
    assert metrics(at)["上报事件(件)"] == "128,327"  # the seed figure (see test_pages_grid)
    at.run()  # the same filters again: served from the cache, the same figures
    assert metrics(at)["上报事件(件)"] == "128,327"

    upload = _raise_one_grid(app_db, 1000)
    at.run()
    assert not at.exception
    m = metrics(at)
    assert m["上报事件(件)"] == "129,327"  # 128,327 + 1,000: the import changed the data version
    assert m["星沙街道处置率"] == "97.1%"  # 125,634 ÷ 129,327 = 0.97144

    con = database.connect(app_db)
    try:
        rollback_upload(con, upload, "测试", datetime.now())
    finally:
        con.close()
    at.run()
    m = metrics(at)
    assert (m["上报事件(件)"], m["星沙街道处置率"]) == ("128,327", "97.9%")  # back to the seed figures


calls: list[tuple] = []


@data.memo
def _counted(day: date, unit: str | None) -> list[str]:
    calls.append((day, unit))
    return sorted(data.table("units")["unit"])[:2]


@data.memo(shared=True)
def _shared(unit: str) -> dict[str, str]:
    calls.append(("shared", unit))
    return {"unit": unit}


@pytest.mark.filterwarnings("ignore")
def test_memo_keys_on_the_arguments_and_the_data_version(app_db):
    calls.clear()
    first = _counted(date(2022, 10, 1), None)
    first.append("changed by the caller")  # a copy: the cached value is not touched
    assert _counted(date(2022, 10, 1), None) == first[:2]
    _counted(date(2022, 10, 1), "星沙街道")
    _counted(day=date(2022, 10, 1), unit=None)  # keywords are a key of their own, computed once more
    assert calls == [(date(2022, 10, 1), None), (date(2022, 10, 1), "星沙街道"), (date(2022, 10, 1), None)]

    one, again = _shared("星沙街道"), _shared("星沙街道")
    assert one is again and calls[-1] == ("shared", "星沙街道") and len(calls) == 4

    _raise_one_grid(app_db, 1)  # a new data version: everything is computed afresh
    _counted(date(2022, 10, 1), None)
    assert _shared("星沙街道") is not one
    assert len(calls) == 6

"""Issue #12: at 1366×768 the tables of 项目总览 and 周调度 fit the screen: names and reasons are never cut off
behind a sideways scroll (原因, 实际进度, 牵头单位 and 第一责任人 visible without scrolling)."""

from __future__ import annotations

import pytest

from conftest import log_in

#: pages whose tables hold 原因, 实际进度, 牵头单位, 第一责任人 (项目总览), 第一责任人, 需协调事项 (周调度) and the
#: review board's names, scores and 说明 (评审排名):
#: the grid draws on a canvas, so its scroller's width tells whether any column lies beyond the screen
PAGES = ("项目总览", "周调度", "评审排名")


def _settle(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60000)
    page.wait_for_timeout(1500)


def _grids(page) -> list[dict]:
    """Each data grid's scroller: how wide its content is and how wide it is shown."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid=stDataFrame]')).map(frame => {
        const scroller = frame.querySelector('.dvn-scroller');
        return scroller ? {scroll: scroller.scrollWidth, client: scroller.clientWidth} : null;
    }).filter(Boolean)""")


@pytest.mark.parametrize("name", PAGES)
def test_tables_fit_1366_without_sideways_scrolling(server, browser, name):
    url, passwords = server
    page = log_in(browser, url, "admin", passwords["admin"], viewport={"width": 1366, "height": 768})
    try:
        page.get_by_text("党建聚合力·书记领航行动 总览").wait_for(timeout=30000)
        _settle(page)
        page.get_by_role("link", name=name, exact=True).first.click()
        _settle(page)
        grids = _grids(page)
        assert grids, f"{name}: no table found"
        wide = [g for g in grids if g["scroll"] > g["client"] + 1]
        assert wide == [], f"{name}: tables wider than the screen (scroll width > shown width): {wide}"
    finally:
        page.close()

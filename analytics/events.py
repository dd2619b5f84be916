"""Event detail (事件明细) analytics, run inside DuckDB.

A year of one street is ~150,000 events and a county's years reach
millions, so nothing here pulls events into pandas: each function returns
``(sql, params)`` for the database module to run, and only the small
aggregated result travels. Filters are bound parameters; a NULL filter
means "all".
"""

from __future__ import annotations

from datetime import date, timedelta

Query = tuple[str, list]

#: the drill-down filters: one unit, community and grid or all (a NULL filter means all)
_PLACE = """
    (? is null or unit = ?) and (? is null or community = ?) and (? is null or grid = ?)
"""
#: event filters shared by every query: period of reporting, then the drill-down
_WHERE = """
    reported_at >= ? and reported_at < ?
    and """ + _PLACE


def _place(unit: str | None, community: str | None, grid: str | None) -> list:
    return [unit, unit, community, community, grid, grid]


def _filter(first: date, last: date, unit: str | None, community: str | None = None,
            grid: str | None = None) -> list:
    """``first`` and ``last`` are inclusive dates (a month range: first day … last day)."""
    return [first, last + timedelta(days=1), *_place(unit, community, grid)]


def counts_by(dimension: str, first: date, last: date, unit: str | None = None,
              community: str | None = None, grid: str | None = None) -> Query:
    """Events per category or per status (``dimension`` in category, status, unit, community)."""
    if dimension not in ("category", "status", "unit", "community"):
        raise ValueError(f"unknown dimension {dimension!r}")
    sql = f"""
        select {dimension}, count(*) as events
        from events
        where {_WHERE}
        group by {dimension}
        order by events desc, {dimension}
    """
    return sql, _filter(first, last, unit, community, grid)


def handling_time(dimension: str, first: date, last: date, unit: str | None = None,
                  community: str | None = None, grid: str | None = None) -> Query:
    """Median and P90 hours from report to handling of handled events, per unit or category."""
    if dimension not in ("unit", "category", "community"):
        raise ValueError(f"unknown dimension {dimension!r}")
    sql = f"""
        with handled as (
            select {dimension}, epoch(handled_at - reported_at) / 3600.0 as hours
            from events
            where status = '已处置' and handled_at is not null and {_WHERE}
        )
        select {dimension}, count(*) as events,
               quantile_cont(hours, 0.5) as median_hours,
               quantile_cont(hours, 0.9) as p90_hours
        from handled
        group by {dimension}
        order by median_hours desc, {dimension}
    """
    return sql, _filter(first, last, unit, community, grid)


def open_events(as_of: date, older_than_days: int = 7, unit: str | None = None, limit: int = 500,
                community: str | None = None, grid: str | None = None) -> Query:
    """Events still open on ``as_of`` (reported by then, not handled by then) and open for
    more than ``older_than_days`` days, longest open first."""
    sql = """
        select event_id, reported_at, unit, community, grid, category, status,
               date_diff('day', reported_at::date, ?::date) as days_open
        from events
        where reported_at < ?::date + interval 1 day
          and (handled_at is null or handled_at >= ?::date + interval 1 day)
          and date_diff('day', reported_at::date, ?::date) > ?
          and """ + _PLACE + """
        order by days_open desc, event_id
        limit ?
    """
    return sql, [as_of, as_of, as_of, as_of, older_than_days, *_place(unit, community, grid), limit]


def open_summary(as_of: date, unit: str | None = None, community: str | None = None,
                 grid: str | None = None) -> Query:
    """How many events are open on ``as_of``, by age band."""
    sql = """
        with open as (
            select date_diff('day', reported_at::date, ?::date) as days
            from events
            where reported_at < ?::date + interval 1 day
              and (handled_at is null or handled_at >= ?::date + interval 1 day)
              and """ + _PLACE + """
        )
        select case when days <= 3 then '3天以内' when days <= 7 then '4–7天'
                    when days <= 30 then '8–30天' else '30天以上' end as band,
               count(*) as events, min(days) as min_days
        from open group by band order by min_days
    """
    return sql, [as_of, as_of, as_of, *_place(unit, community, grid)]


def cross_check(first: date, last: date, unit: str | None = None, community: str | None = None,
                grid: str | None = None) -> Query:
    """Grid-months where both event detail and monthly statistics exist and disagree.

    reported = events reported that month; handled = events handled that month.
    """
    sql = """
        with ev as (
            select unit, community, grid, date_trunc('month', reported_at)::date as month,
                   count(*) as reported
            from events group by all
        ), hd as (
            select unit, community, grid, date_trunc('month', handled_at)::date as month,
                   count(*) as handled
            from events where handled_at is not null group by all
        ), detail as (
            select coalesce(ev.unit, hd.unit) as unit, coalesce(ev.community, hd.community) as community,
                   coalesce(ev.grid, hd.grid) as grid, coalesce(ev.month, hd.month) as month,
                   coalesce(ev.reported, 0) as reported, coalesce(hd.handled, 0) as handled
            from ev full outer join hd using (unit, community, grid, month)
        ), covered as (  -- only grids and months the detail covers at all
            select distinct unit, month from detail
        )
        select s.month, s.unit, s.community, s.grid,
               s.reported as stats_reported, coalesce(d.reported, 0) as detail_reported,
               s.handled as stats_handled, coalesce(d.handled, 0) as detail_handled
        from grid_stats s
        join covered c on c.unit = s.unit and c.month = s.month
        left join detail d on d.unit = s.unit and d.community = s.community
                          and d.grid = s.grid and d.month = s.month
        where s.month between ? and ? and (? is null or s.unit = ?)
          and (? is null or s.community = ?) and (? is null or s.grid = ?)
          and (s.reported <> coalesce(d.reported, 0) or s.handled <> coalesce(d.handled, 0))
        order by s.month, s.unit, s.community, s.grid
    """
    return sql, [first, last, *_place(unit, community, grid)]


def covered_units(first: date, last: date) -> Query:
    """The units that have event detail reported in the period (inclusive dates), by name."""
    sql = """
        select unit, count(*) as events
        from events
        where reported_at >= ? and reported_at < ?
        group by unit
        order by unit
    """
    return sql, [first, last + timedelta(days=1)]


def coverage_note(covered: list[str], unit: str | None = None, community: str | None = None,
                  grid: str | None = None) -> tuple[str, bool]:
    """What the event figures of a drill-down cover, in Chinese, and whether there are any.

    ``covered``: the units with event detail in the period (:func:`covered_units`).
    At the county level the note names those units, since event detail rarely
    comes from every unit; below it, the place the figures belong to.
    """
    if not covered:
        return "统计期内没有事件明细。", False
    names = "、".join(covered)
    if unit is None:
        whom = "该街道" if len(covered) == 1 and covered[0].endswith("街道") else \
            "该单位" if len(covered) == 1 else "这些单位"
        return f"事件明细仅含 {names}:以下事件数字只代表{whom},不是全县。", True
    if unit not in covered:
        return f"{unit}没有事件明细(统计期内事件明细仅含 {names})。", False
    return "以下事件数字:" + " · ".join(p for p in (unit, community, grid) if p) + "。", True

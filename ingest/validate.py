"""Checks across rows, sheets and the database: the contract's row rules, keys, references, permissions."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from accounts import User
from accounts.permissions import import_violations, may_write_replaced, replaced_violations
from contract import SHEETS
from ingest.clean import display
from ingest.model import WARNING, ParsedSheet, Problem


def _rule_due_after_approved(sheet: ParsedSheet, problems: list[Problem]) -> None:
    frame = sheet.frame
    bad = frame[frame["due_on"].notna() & frame["approved_on"].notna()]
    bad = bad[pd.to_datetime(bad["due_on"]) < pd.to_datetime(bad["approved_on"])]
    for row in bad.itertuples():
        problems.append(Problem(sheet.raw_name, row.excel_row, sheet.headers.get("due_on", "计划完成日期"), display(row.due_on),
                                f"早于立项日期 {display(row.approved_on)}"))


def _rule_handled_le_reported(sheet: ParsedSheet, problems: list[Problem]) -> None:
    frame = sheet.frame
    valid = frame[frame["handled"].notna() & frame["reported"].notna()]
    over = valid[valid["handled"].astype("int64") > valid["reported"].astype("int64")]
    for row in over.itertuples():
        problems.append(Problem(sheet.raw_name, row.excel_row, sheet.headers.get("handled", "处置事项"),
                                f"{row.handled}(上报 {row.reported})",
                                "大于上报事件:数据规范允许(当月处置了以前月份积压的事件),仅作提示,不影响导入", WARNING))


def _rule_handled_at_when_done(sheet: ParsedSheet, problems: list[Problem]) -> None:
    table, header = sheet.table, sheet.headers.get("handled_at", "处置完成时间")
    handled, reported = table.column("handled_at"), table.column("reported_at")
    missing = pc.and_(pc.fill_null(pc.equal(table.column("status"), "已处置"), False), pc.is_null(handled))
    for excel_row in table.column("excel_row").filter(missing).to_pylist():
        problems.append(Problem(sheet.raw_name, excel_row, header, "", "处置状态为“已处置”时必填"))
    early = pc.fill_null(pc.less(handled, reported), False)  # null where either is missing
    if pc.any(early).as_py():
        rows = table.filter(early).select(["excel_row", "handled_at", "reported_at"]).to_pylist()
        for row in rows:
            problems.append(Problem(sheet.raw_name, row["excel_row"], header, display(row["handled_at"]),
                                    f"早于上报时间 {display(row['reported_at'])}"))


RULES: dict[str, Callable[[ParsedSheet, list[Problem]], None]] = {
    "due_after_approved": _rule_due_after_approved,
    "handled_le_reported": _rule_handled_le_reported,
    "handled_at_when_done": _rule_handled_at_when_done,
}


def check_keys(parsed: list[ParsedSheet], problems: list[Problem]) -> None:
    """A key may appear once per file, across all sheets of the same kind."""
    for spec in SHEETS:
        parts = [p for p in parsed if p.spec is spec]
        if not parts:
            continue
        keys = pa.concat_tables([p.table.select(list(spec.key)) for p in parts]).drop_null()
        if len(spec.key) == 1:
            distinct = pc.count_distinct(keys.column(0)).as_py()
        else:
            distinct = keys.group_by(list(spec.key)).aggregate([]).num_rows
        if distinct == keys.num_rows:
            continue  # every key once: the usual case, told by one hash count
        frame = pd.concat([p.frame.assign(sheet_name=p.raw_name) for p in parts], ignore_index=True)
        frame = frame.dropna(subset=list(spec.key))
        dup = frame[frame.duplicated(subset=list(spec.key), keep=False)]
        if dup.empty:
            continue
        first_seen: dict[tuple, tuple[str, int]] = {}
        headers = "+".join(spec.column(k).header for k in spec.key)
        for row in dup.itertuples(index=False):
            key = tuple(getattr(row, k) for k in spec.key)
            if key in first_seen:
                sheet, at = first_seen[key]
                where = f"第 {at} 行" if sheet == row.sheet_name else f"工作表“{sheet}”第 {at} 行"
                problems.append(Problem(row.sheet_name, row.excel_row, headers, " / ".join(display(k) for k in key),
                                        f"与{where}重复:同一{headers}只能出现一次"))
            else:
                first_seen[key] = (row.sheet_name, row.excel_row)


def _project_units(cur: duckdb.DuckDBPyConnection, parsed: list[ParsedSheet]) -> dict[str, str | None]:
    """Every known project and its leading unit: the database's; the file's 项目台账 only adds projects
    the database does not hold yet (a file never decides who owns an existing project)."""
    units = dict(cur.execute("select project_id, unit from projects").fetchall())
    for p in parsed:
        if p.spec.table == "projects":
            rows = p.frame.dropna(subset=["project_id"])
            for project, unit in zip(rows["project_id"], rows["unit"].where(rows["unit"].notna(), None), strict=True):
                units.setdefault(project, unit)
    return units


def _existing_owners(cur: duckdb.DuckDBPyConnection, sheet: ParsedSheet) -> pd.DataFrame:
    """The rows of ``sheet`` that would replace a row in the database, with the unit that row belongs to
    (``owner``: its unit, or its project's leading unit), as the database has it."""
    spec = sheet.spec
    keys = list(spec.key)
    empty = pd.DataFrame(columns=["excel_row", *keys, "owner"])
    incoming = sheet.table.select(["excel_row", *keys]).drop_null()
    if incoming.num_rows == 0 or ("unit" not in spec.ids and "project_id" not in spec.ids):
        return empty
    view = f"incoming_keys_{spec.table}"
    on = " and ".join(f"t.{k} = i.{k}" for k in keys)
    if "unit" in spec.ids:
        owner, join = "t.unit", ""
    else:
        owner, join = "p.unit", "left join projects p on p.project_id = t.project_id"
    cur.register(view, incoming)
    try:
        return cur.execute(
            f"select i.excel_row, {', '.join(f'i.{k}' for k in keys)}, {owner} as owner "
            f"from {view} i join {spec.table} t on {on} {join} order by i.excel_row"
        ).df()
    finally:
        cur.unregister(view)


def _check_refs(cur: duckdb.DuckDBPyConnection, parsed: list[ParsedSheet], project_units: dict[str, str | None],
                problems: list[Problem]) -> None:
    """Units and projects must be known: in the database or in this same file."""
    known = {"unit": {row[0] for row in cur.execute("select unit from units").fetchall()},
             "project": set(project_units)}
    for p in parsed:
        if p.spec.table == "units":
            known["unit"].update(v for v in p.table.column("unit").to_pylist() if v is not None)
    value_sets = {ref: pa.array(sorted(values), type=pa.string()) for ref, values in known.items()}
    for p in parsed:
        for col in p.spec.columns:
            if not col.ref:
                continue
            values = p.table.column(col.id)
            unknown = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=value_sets[col.ref])))
            if not pc.any(unknown).as_py():
                continue
            what = "单位名录" if col.ref == "unit" else "项目台账"
            header = p.headers.get(col.id, col.header)
            rows = p.table.filter(unknown).select(["excel_row", col.id]).to_pylist()
            for row in rows:
                value = row[col.id]
                problems.append(Problem(p.raw_name, row["excel_row"], header, value,
                                        f"“{value}”不在{what}中,请先上传{what}或核对名称"))


def check_database(cur: duckdb.DuckDBPyConnection, sheets: list[ParsedSheet], user: User | None,
                   problems: list[Problem]) -> None:
    """References against the database and the file, then what ``user`` may write: the rows the file
    brings and, for staff, the rows it would replace."""
    project_units = _project_units(cur, sheets)
    _check_refs(cur, sheets, project_units, problems)
    refused = import_violations(user, sheets, project_units)
    if may_write_replaced(user):
        flagged = {(where[0], where[1]) for where in refused}
        for sheet in sheets:
            refused += [where for where in replaced_violations(user, sheet, _existing_owners(cur, sheet))
                        if (where[0], where[1]) not in flagged]
    for where in refused:
        problems.append(Problem(*where))

"""The import pipeline, one for every sheet of the contract.

read (any accepted format) → recognise sheet → find header → map headers →
clean values → validate → load in one transaction → log the upload.

Nothing is written unless the whole file is clean: every problem of every
sheet is collected first, and a file with any error is logged as rejected
and leaves the data tables exactly as they were.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

import database
from accounts import ADMIN, User, audit
from accounts.permissions import import_violations, may_write_replaced, replaced_violations
from contract import SHEETS, TOTAL_WORDS, Column, Sheet
from ingest.clean import (
    PARSERS,
    CellError,
    display,
    is_blank,
    normalise_header,
    strip_unit,
)
from ingest.reader import RawSheet, ReadError, layout_problems, read_file

#: the header row may sit below up to 5 title rows
HEADER_SCAN_ROWS = 6
ERROR, WARNING = "错误", "警告"
#: sheets of our own templates that carry no data
SKIP_SHEETS = ("填写说明",)

Progress = Callable[[float, str], None]


@dataclass
class Problem:
    """One line of the report: where, what was written, what is wrong."""

    sheet: str
    row: int | None
    column: str | None
    value: str
    message: str
    level: str = ERROR


@dataclass
class ParsedSheet:
    """A sheet of the file, recognised and cleaned."""

    raw_name: str
    spec: Sheet
    frame: pd.DataFrame  # contract ids as columns, plus excel_row
    rows_read: int
    #: column id → header as written in the file (for the report)
    headers: dict[str, str] = field(default_factory=dict)
    rows_loaded: int = 0
    rows_replaced: int = 0


@dataclass
class ImportResult:
    """What happened to one file."""

    file_name: str
    sha256: str
    status: str = "rejected"  # imported / rejected / duplicate
    upload_id: int | None = None
    sheets: list[ParsedSheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    message: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def ok(self) -> bool:
        return self.status == "imported"

    def report_frame(self) -> pd.DataFrame:
        """The report as a table: 工作表, 行号, 列, 原值, 问题, 级别."""
        return pd.DataFrame(
            [(p.sheet, p.row, p.column or "", p.value, p.message, p.level) for p in self.problems],
            columns=["工作表", "行号", "列", "原值", "问题", "级别"],
        ).astype({"行号": "Int64"})

    def sheet_summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(s.raw_name, s.spec.name, s.rows_read, s.rows_loaded, s.rows_replaced) for s in self.sheets],
            columns=["工作表", "识别为", "读取行数", "导入行数", "替换旧行数"],
        )

    def summary(self) -> str:
        """One paragraph in Chinese."""
        if self.status == "duplicate":
            return self.message
        if self.status == "imported":
            parts = [
                f"“{s.raw_name}”→{s.spec.name} {s.rows_loaded:,} 行(替换 {s.rows_replaced:,} 行)"
                for s in self.sheets
            ]
            tail = f";另有 {len(self.warnings)} 条提示" if self.warnings else ""
            return f"{self.file_name} 导入成功:" + ",".join(parts) + tail
        return f"{self.file_name} 未导入:发现 {len(self.errors)} 个错误,数据库未作任何改动。" + (
            f" {self.message}" if self.message else ""
        )


# ---------------------------------------------------------------- recognition


def _header_lookup(spec: Sheet) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for col in spec.columns:
        for name in col.names:
            lookup[normalise_header(name)] = col
    return lookup


LOOKUPS: dict[str, dict[str, Column]] = {s.name: _header_lookup(s) for s in SHEETS}


def match_header(cell: Any, spec: Sheet) -> Column | None:
    """The column a header cell names, after trimming, half-width folding and unit dropping."""
    text = normalise_header(cell)
    if not text:
        return None
    lookup = LOOKUPS[spec.name]
    return lookup.get(text) or lookup.get(strip_unit(text))


def _score(row: list[Any], spec: Sheet) -> tuple[int, int, int]:
    """(required headers present, headers matched, −unknown headers) for a candidate header row."""
    matched = {c.id for cell in row if (c := match_header(cell, spec))}
    unknown = sum(1 for cell in row if not is_blank(cell) and match_header(cell, spec) is None)
    required = sum(1 for c in spec.columns if c.required and c.id in matched)
    return required, len(matched), -unknown


def find_header(raw: RawSheet, spec: Sheet) -> int | None:
    """Index in raw.rows of the best header row for spec, or None if no row names any column."""
    best, best_score = None, (0, 0, 0)
    for i, row in enumerate(raw.rows[:HEADER_SCAN_ROWS]):
        score = _score(row, spec)
        if score[1] and score > best_score:
            best, best_score = i, score
    return best


def recognise(raw: RawSheet) -> tuple[Sheet, int | None] | None:
    """Which contract sheet this is: by its name, failing that by a complete header row."""
    name = normalise_header(raw.name)
    for spec in SHEETS:
        if normalise_header(spec.name) == name:
            return spec, find_header(raw, spec)
    candidates = []
    for spec in SHEETS:
        idx = find_header(raw, spec)
        if idx is None:
            continue
        required, matched, unknown = _score(raw.rows[idx], spec)
        if required == sum(1 for c in spec.columns if c.required):
            candidates.append(((matched, unknown), spec, idx))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0], reverse=True)
    return candidates[0][1], candidates[0][2]


# ---------------------------------------------------------------- parsing one sheet


def _first_cell(row: list[Any]) -> Any:
    """The first non-blank cell of a row, or None for a blank row (calamine writes "" for empty cells)."""
    for cell in row:
        if cell != "" and cell is not None and not (isinstance(cell, str) and cell.isspace()):
            return cell
    return None


def _is_total_row(row: list[Any]) -> str | None:
    return _total_word(_first_cell(row))


def _total_word(first: Any) -> str | None:
    """合计/总计/小计 when a row's first non-blank cell is one of them."""
    # every total word ends in 计: one substring test spares the normalising of 150,000 ordinary cells
    if isinstance(first, str) and "计" in first:
        word = normalise_header(first).rstrip(":")
        if word in TOTAL_WORDS:
            return word
    return None


def parse_sheet(raw: RawSheet, spec: Sheet, header_idx: int, problems: list[Problem]) -> ParsedSheet:
    """Map headers, drop blank and totals rows, clean every cell, check every rule within the sheet."""
    header = raw.rows[header_idx]
    mapping: dict[str, tuple[int, str]] = {}  # column id → (position, header as written)
    for pos, cell in enumerate(header):
        if is_blank(cell):
            continue
        col = match_header(cell, spec)
        if col is None:
            problems.append(Problem(raw.name, raw.first_row + header_idx, display(cell), display(cell),
                                    "未知的列,已忽略(请核对表头是否与模板一致)", WARNING))
        elif col.id in mapping:
            problems.append(Problem(raw.name, raw.first_row + header_idx, display(cell), display(cell),
                                    f"与“{mapping[col.id][1]}”是同一列,表头重复"))
        else:
            mapping[col.id] = (pos, display(cell))
    for col in spec.columns:
        if col.required and col.id not in mapping:
            problems.append(Problem(raw.name, raw.first_row + header_idx, col.header, "",
                                    f"缺少必填列“{col.header}”"))
    used = {pos for pos, _ in mapping.values()}
    for excel_row, pos, where, message in layout_problems(raw, header_idx, _is_total_row, used):  # merges, formulas
        written = display(header[pos]) if pos is not None and pos < len(header) and not is_blank(header[pos]) else None
        problems.append(Problem(raw.name, excel_row, written, where, message))

    data_rows: list[tuple[int, list[Any]]] = []
    totals: list[tuple[int, str, list[Any], int]] = []  # (excel row, word, cells, rows before it)
    for i in range(header_idx + 1, len(raw.rows)):
        row = raw.rows[i]
        first = _first_cell(row)
        if first is None:
            continue
        word = _total_word(first)
        if word:
            totals.append((raw.first_row + i, word, row, len(data_rows)))
            continue
        data_rows.append((raw.first_row + i, row))

    excel_rows = [r for r, _ in data_rows]
    frame = pd.DataFrame({"excel_row": pd.Series(excel_rows, dtype="int64")})
    for col in spec.columns:
        if col.id not in mapping:
            frame[col.id] = [col.default] * len(data_rows)
            continue
        pos, written = mapping[col.id]
        # object dtype: pandas would otherwise convert every text column to Arrow and _load back again
        frame[col.id] = pd.Series(_clean_column(raw.name, col, written, pos, data_rows, problems), dtype=object)
    _check_totals(raw.name, spec, mapping, frame, totals, problems)
    return ParsedSheet(raw.name, spec, frame, rows_read=len(data_rows),
                       headers={k: v[1] for k, v in mapping.items()})


def _clean_column(sheet_name: str, col: Column, written: str, pos: int,
                  data_rows: list[tuple[int, list[Any]]], problems: list[Problem]) -> list[Any]:
    """Every cell of one column, parsed and checked; problems collected, bad cells left None.

    This loop runs once per cell of a 150,000-row file, so it avoids calls where it can: blanks
    are recognised inline, and repeated strings and numbers (units, months, categories, counts)
    are parsed once and looked up after.
    """
    parse = PARSERS[col.type]
    default, required = col.default, col.required
    plain_text = col.type == "text"  # free text: nothing to check beyond trimming
    stamps = col.type == "datetime"
    memo: dict[Any, Any] = {}
    out: list[Any] = [None] * len(data_rows)
    for i, (excel_row, row) in enumerate(data_rows):
        raw = row[pos] if pos < len(row) else ""
        kind = type(raw)
        if raw == "" or raw is None:
            value = None
        elif plain_text and kind is str:
            value = raw.strip() or None
        elif stamps and kind is datetime:
            value = raw
        else:
            # str keys alone; numbers keyed with their type, so True and 1.0 stay apart
            key = raw if kind is str else (kind, raw) if kind in (float, int, bool) else None
            try:
                if key is None:
                    value = _parse_checked(parse, col, raw)  # dates and times: nearly all distinct
                elif key in memo:
                    value = memo[key]
                else:
                    value = memo[key] = _parse_checked(parse, col, raw)
            except CellError as exc:
                problems.append(Problem(sheet_name, excel_row, written, display(raw), str(exc)))
                continue
        if value is None:
            if default is not None:
                value = default
            elif required:
                problems.append(Problem(sheet_name, excel_row, written, "", "必填项为空"))
        out[i] = value
    return out


def _parse_checked(parse: Callable[[Any], Any], col: Column, raw: Any) -> Any:
    value = parse(raw)
    if value is None:
        return None
    if col.choices and value not in col.choices:
        raise CellError("应为以下之一:" + "、".join(col.choices))
    if col.min is not None and (value <= col.min if col.min_exclusive else value < col.min):
        raise CellError(f"应{'大于' if col.min_exclusive else '不小于'} {col.min:g}")
    if col.max is not None and value > col.max:
        raise CellError(f"应不大于 {col.max:g}")
    return value


def _check_totals(sheet_name: str, spec: Sheet, mapping: dict[str, tuple[int, str]], frame: pd.DataFrame,
                  totals: list[tuple[int, str, list[Any], int]], problems: list[Problem]) -> None:
    """A 合计/总计 row must equal the sum of all rows above it; a 小计 the rows since the last 小计."""
    numeric = [c for c in spec.columns if c.type in ("int", "number") and c.id in mapping]
    segment_start = 0
    for excel_row, word, cells, upto in totals:
        start = segment_start if word == "小计" else 0
        for col in numeric:
            pos, written = mapping[col.id]
            cell = cells[pos] if pos < len(cells) else ""
            try:
                stated = PARSERS["number"](cell)
            except CellError:
                stated = None
            if stated is None:
                continue
            actual = pd.to_numeric(frame[col.id].iloc[start:upto], errors="coerce").sum()
            if abs(actual - stated) > 1e-6:
                problems.append(Problem(sheet_name, excel_row, written, display(cell),
                                        f"{word}行与明细之和不符:明细合计为 {actual:,.0f},表中写 {stated:,.0f}",
                                        WARNING))
        if word == "小计":
            segment_start = upto


# ---------------------------------------------------------------- rules across columns and rows


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
    frame, header = sheet.frame, sheet.headers.get("handled_at", "处置完成时间")
    missing = frame[(frame["status"] == "已处置") & frame["handled_at"].isna()]
    for row in missing.itertuples():
        problems.append(Problem(sheet.raw_name, row.excel_row, header, "", "处置状态为“已处置”时必填"))
    both = frame[frame["handled_at"].notna() & frame["reported_at"].notna()]
    early = both[pd.to_datetime(both["handled_at"]) < pd.to_datetime(both["reported_at"])]
    for row in early.itertuples():
        problems.append(Problem(sheet.raw_name, row.excel_row, header, display(row.handled_at),
                                f"早于上报时间 {display(row.reported_at)}"))


RULES: dict[str, Callable[[ParsedSheet, list[Problem]], None]] = {
    "due_after_approved": _rule_due_after_approved,
    "handled_le_reported": _rule_handled_le_reported,
    "handled_at_when_done": _rule_handled_at_when_done,
}


def _check_keys(parsed: list[ParsedSheet], problems: list[Problem]) -> None:
    """A key may appear once per file, across all sheets of the same kind."""
    for spec in SHEETS:
        parts = [p for p in parsed if p.spec is spec]
        if not parts:
            continue
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
    frame = sheet.frame.dropna(subset=list(spec.key))
    keys = list(spec.key)
    empty = pd.DataFrame(columns=["excel_row", *keys, "owner"])
    if frame.empty or ("unit" not in spec.ids and "project_id" not in spec.ids):
        return empty
    typed = _typed(spec, frame[keys], keys)
    typed["excel_row"] = frame["excel_row"].to_numpy()
    view = f"incoming_keys_{spec.table}"
    on = " and ".join(f"t.{k} = i.{k}" for k in keys)
    if "unit" in spec.ids:
        owner, join = "t.unit", ""
    else:
        owner, join = "p.unit", "left join projects p on p.project_id = t.project_id"
    cur.register(view, typed)
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
            known["unit"].update(p.frame["unit"].dropna())
    for p in parsed:
        for col in p.spec.columns:
            if not col.ref:
                continue
            values = p.frame[col.id]
            unknown = p.frame[values.notna() & ~values.isin(known[col.ref])]
            what = "单位名录" if col.ref == "unit" else "项目台账"
            header = p.headers.get(col.id, col.header)
            for row in unknown.itertuples(index=False):
                value = getattr(row, col.id)
                problems.append(Problem(p.raw_name, row.excel_row, header, value,
                                        f"“{value}”不在{what}中,请先上传{what}或核对名称"))


# ---------------------------------------------------------------- the whole file


def parse_file(data: bytes, file_name: str, progress: Progress | None = None) -> tuple[list[ParsedSheet], list[Problem]]:
    """Read and check a file without touching any database."""
    report = progress or (lambda _f, _m: None)
    problems: list[Problem] = []
    report(0.05, "正在读取文件…")
    try:
        raws = read_file(data, file_name)
    except ReadError as exc:
        return [], [Problem(file_name, None, None, "", str(exc))]
    parsed: list[ParsedSheet] = []
    for n, raw in enumerate(raws):
        report(0.1 + 0.6 * n / max(len(raws), 1), f"正在检查工作表“{raw.name}”…")
        if raw.name in SKIP_SHEETS or not raw.rows:
            continue
        found = recognise(raw)
        if found is None:
            problems.append(Problem(raw.name, None, None, "",
                                    "无法识别这张工作表:名称和表头都不符合任何模板,已跳过", WARNING))
            continue
        spec, header_idx = found
        if header_idx is None:
            problems.append(Problem(raw.name, None, None, "",
                                    f"前 {HEADER_SCAN_ROWS} 行中找不到“{spec.name}”的表头行"))
            continue
        sheet = parse_sheet(raw, spec, header_idx, problems)
        for rule in spec.rules:
            RULES[rule](sheet, problems)
        parsed.append(sheet)
    if not parsed and not any(p.level == ERROR for p in problems):
        problems.append(Problem(file_name, None, None, "",
                                "文件中没有可导入的工作表:请使用模板,或让表头与模板一致"))
    _check_keys(parsed, problems)
    return parsed, problems


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _report_json(problems: list[Problem]) -> str:
    return json.dumps([p.__dict__ for p in problems], ensure_ascii=False, default=str)


def _log(cur: duckdb.DuckDBPyConnection, result: ImportResult, uploader: str | None) -> int:
    row = cur.execute(
        """insert into uploads (file_name, sha256, sheets, uploader, rows_read, rows_loaded, rows_replaced,
                                status, report)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""",
        [
            result.file_name,
            result.sha256,
            "、".join(f"{s.raw_name}→{s.spec.name}" for s in result.sheets),
            uploader,
            sum(s.rows_read for s in result.sheets),
            sum(s.rows_loaded for s in result.sheets),
            sum(s.rows_replaced for s in result.sheets),
            result.status,
            _report_json(result.problems) if result.problems else (result.message or None),
        ],
    ).fetchone()
    outcome = {"imported": "成功", "duplicate": "重复文件"}.get(result.status, "未导入")
    audit(cur, uploader, "上传", f"上传 {row[0]}:{result.file_name}({len(result.errors)} 个错误)", outcome,
          datetime.now())
    return int(row[0])


def _typed(spec: Sheet, frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """A copy of ``frame[ids]`` with exact types for DuckDB, never object guesses."""
    out = frame[ids].copy()
    for col in spec.columns:
        if col.id not in ids:
            continue
        if col.type in ("int", "round"):
            out[col.id] = pd.array(out[col.id], dtype="Int64")
        elif col.type in ("number", "percent"):
            out[col.id] = pd.array(out[col.id], dtype="Float64")
        elif col.type in ("date", "month", "week", "datetime"):
            out[col.id] = pd.to_datetime(out[col.id])
        else:
            out[col.id] = out[col.id].astype("object")
    return out


def _load(cur: duckdb.DuckDBPyConnection, sheet: ParsedSheet, upload_id: int) -> None:
    """Replace the rows whose keys the sheet carries, then insert its rows."""
    spec = sheet.spec
    frame = _typed(spec, sheet.frame, spec.ids)
    view = f"incoming_{spec.table}"
    cur.register(view, frame)
    try:
        on = " and ".join(f"t.{k} = i.{k}" for k in spec.key)
        # keep what is replaced, so an administrator can roll this upload back exactly
        cur.execute(f"insert into {spec.table}_replaced select t.*, ? from {spec.table} t "
                    f"where exists (select 1 from {view} i where {on})", [upload_id])
        replaced = cur.execute(f"delete from {spec.table} t using {view} i where {on}").fetchone()[0]
        casts = ", ".join(f"cast(i.{c.id} as {c.sql_type})" for c in spec.columns)
        cur.execute(
            f"insert into {spec.table} ({', '.join(spec.ids)}, upload_id) select {casts}, ? from {view} i",
            [upload_id],
        )
    finally:
        cur.unregister(view)
    sheet.rows_loaded = len(frame)
    sheet.rows_replaced = int(replaced or 0)


def _refusal_as_rejection(func: Callable[..., ImportResult]) -> Callable[..., ImportResult]:
    """A database that refuses even to log the attempt (read-only file, full disk): a rejected
    result with a Chinese message, never a traceback. Nothing was written."""

    @functools.wraps(func)
    def wrapper(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *args: Any,
                **kwargs: Any) -> ImportResult:
        try:
            return func(con, data, file_name, *args, **kwargs)
        except (duckdb.Error, database.DatabaseError) as exc:
            result = ImportResult(file_name, sha256(data))
            result.problems.append(Problem(file_name, None, None, "", database.explain_error(exc)))
            if kwargs.get("progress"):
                kwargs["progress"](1.0, "写入失败,未导入")
            return result

    return wrapper


def _duplicate(con: duckdb.DuckDBPyConnection, result: ImportResult, earlier: pd.DataFrame, uploader: str | None,
               report: Progress) -> ImportResult:
    """Log and report a file imported before (same SHA-256), left alone."""
    when = pd.Timestamp(earlier.uploaded_at.iloc[0]).strftime("%Y-%m-%d %H:%M")
    result.status = "duplicate"
    result.message = (f"{result.file_name} 与 {when} 导入的文件(上传编号 {int(earlier.id.iloc[0])})完全相同,"
                      "未重复导入。")
    with database.transaction(con) as cur:
        result.upload_id = _log(cur, result, uploader)
    report(1.0, result.message)
    return result


def _parse_guarded(data: bytes, file_name: str, report: Progress) -> tuple[list[ParsedSheet], list[Problem]]:
    """``parse_file``, with whatever a parser raises turned into a Chinese error: every failed upload is
    answered and logged, never a traceback."""
    try:
        return parse_file(data, file_name, report)
    except MemoryError:
        return [], [Problem(file_name, None, None, "", "文件过大,读取时内存不足,未导入。请拆分后分批上传")]
    except Exception as exc:  # noqa: BLE001 - any parser failure must become a Chinese rejection
        return [], [Problem(file_name, None, None, "", f"文件无法读取,未导入:{_explain_parse_error(exc)}")]


def _explain_parse_error(exc: Exception) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return "某个单元格的内容过长(超过 131,072 个字符),请检查文件是否损坏或是否为本系统的数据文件"
    return "文件格式异常或已损坏,请用 Excel 打开后另存为 .xlsx 再上传"


@_refusal_as_rejection
def import_file(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *, uploader: str | None = None,
                progress: Progress | None = None, force: bool = False, user: User | None = None) -> ImportResult:
    """Import one file all-or-nothing and log the attempt in ``uploads`` and the audit trail.

    ``force`` re-imports a file whose SHA-256 was imported before (otherwise
    reported as a duplicate and left alone). ``user`` is checked row by row
    against what their role and unit may write (None: a trusted caller such
    as the command line).
    """
    report = progress or (lambda _f, _m: None)
    result = ImportResult(file_name, sha256(data))
    with database.IMPORT_LOCK:
        earlier = database.query(
            con, "select id, uploaded_at from uploads where sha256 = ? and status = 'imported' order by id desc limit 1",
            [result.sha256],
        )
        duplicate = not earlier.empty and not force
        if duplicate and (user is None or user.role == ADMIN):
            return _duplicate(con, result, earlier, uploader, report)

        result.sheets, result.problems = _parse_guarded(data, file_name, report)
        report(0.75, "正在核对单位和项目…")
        with database.transaction(con) as cur:
            project_units = _project_units(cur, result.sheets)
            _check_refs(cur, result.sheets, project_units, result.problems)
            refused = import_violations(user, result.sheets, project_units)
            if may_write_replaced(user):
                flagged = {(where[0], where[1]) for where in refused}
                for sheet in result.sheets:
                    refused += [where for where in replaced_violations(user, sheet, _existing_owners(cur, sheet))
                                if (where[0], where[1]) not in flagged]
            for where in refused:
                result.problems.append(Problem(*where))
        if result.errors:
            for s in result.sheets:
                s.rows_loaded = s.rows_replaced = 0
            with database.transaction(con) as cur:
                result.upload_id = _log(cur, result, uploader)
            report(1.0, "发现错误,未导入")
            return result
        if duplicate:  # the user may write every row of it: only now say it is a duplicate
            result.sheets, result.problems = [], []
            return _duplicate(con, result, earlier, uploader, report)

        report(0.8, "正在写入数据库…")
        try:
            with database.transaction(con) as cur:
                result.status = "imported"
                result.upload_id = _log(cur, result, uploader)
                for sheet in sorted(result.sheets, key=lambda s: s.spec.order):
                    _load(cur, sheet, result.upload_id)
                cur.execute(
                    "update uploads set rows_loaded = ?, rows_replaced = ? where id = ?",
                    [sum(s.rows_loaded for s in result.sheets), sum(s.rows_replaced for s in result.sheets),
                     result.upload_id],
                )
        except duckdb.Error as exc:
            result.status = "rejected"
            for s in result.sheets:
                s.rows_loaded = s.rows_replaced = 0
            result.problems.append(Problem(file_name, None, None, "", database.explain_error(exc)))
            with database.transaction(con) as cur:
                result.upload_id = _log(cur, result, uploader)
        report(1.0, "导入完成" if result.ok else "写入失败,已撤销")
        return result

"""What an import produces: the report's lines, the parsed sheets, the result of one file."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from contract import Sheet

ERROR, WARNING = "错误", "警告"

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
    #: excel_row, then the contract's ids as columns, typed (string, int64, float64, date32, timestamp)
    table: pa.Table
    rows_read: int
    #: column id → header as written in the file (for the report)
    headers: dict[str, str] = field(default_factory=dict)
    rows_loaded: int = 0
    rows_replaced: int = 0

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """The table as pandas, Python values in object columns (None for empty), excel_row as int64."""
        frame = pd.DataFrame({"excel_row": self.table.column("excel_row").to_numpy()})
        for name in self.table.column_names[1:]:
            frame[name] = pd.Series(self.table.column(name).to_pylist(), dtype=object)
        return frame


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

"""The data contract (`shared/data-contract.md`), described once, as data.

Every stage reads this module and restates nothing: the database schema
(`database.py`), the importer's header matching, cleaning and validation
(`ingest/`), and the downloadable templates (`ingest/templates.py`).

Column types (``Column.type``):

- ``text``      free text, trimmed
- ``int``       whole number (text such as "1,234" or "１２３" accepted)
- ``number``    decimal number
- ``percent``   number 0–100; "65%" accepted
- ``date``      a calendar date (serials, 2022-11-14, 2022/11/14, 2022.11.14, 2022年11月14日)
- ``month``     a month, stored as its first day (2022-11, 2022年11月, 202211, or a date in it)
- ``week``      a week, stored as its Monday (any date in it, or 2022-W46)
- ``datetime``  a date and time
- ``enum``      one of ``choices``
- ``round``     review round 1–3; 第一轮 / 第二轮 / 第三轮 accepted
"""

from __future__ import annotations

from dataclasses import dataclass, field

SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "int": "INTEGER",
    "round": "INTEGER",
    "number": "DOUBLE",
    "percent": "DOUBLE",
    "date": "DATE",
    "month": "DATE",
    "week": "DATE",
    "datetime": "TIMESTAMP",
}

TYPE_HINTS: dict[str, str] = {
    "text": "文本",
    "enum": "从下拉列表中选择",
    "int": "整数",
    "round": "1、2、3 或 第一轮/第二轮/第三轮",
    "number": "数字",
    "percent": "0–100 的数字,可写 65 或 65%",
    "date": "日期,如 2022-11-14",
    "month": "月份,如 2022-11 或 2022年11月",
    "week": "该周任意一天的日期(自动归到周一),或 2022-W46",
    "datetime": "日期时间,如 2022-11-14 09:30",
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header as staff write it and its id in the database."""

    id: str
    header: str
    type: str = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    #: minimum is exclusive (weight > 0)
    min_exclusive: bool = False
    default: str | None = None
    #: "unit" or "project": the value must name a known unit / project
    ref: str | None = None
    note: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)

    def describe(self) -> str:
        """The rule in Chinese, as shown in the template's instructions."""
        parts = ["必填" if self.required else "选填", TYPE_HINTS[self.type]]
        if self.choices:
            parts.append("可选值:" + "、".join(self.choices))
        if self.min is not None and self.max is not None:
            parts.append(f"范围 {self.min:g}–{self.max:g}")
        elif self.min is not None:
            parts.append(f"{'大于' if self.min_exclusive else '不小于'} {self.min:g}")
        if self.default:
            parts.append(f"留空默认为“{self.default}”")
        if self.ref == "unit":
            parts.append("须为单位名录中的单位")
        if self.ref == "project":
            parts.append("须为项目台账中已有的项目编号")
        if self.synonyms:
            parts.append("表头也可写作:" + "、".join(self.synonyms))
        if self.note:
            parts.append(self.note)
        return ";".join(parts)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the contract, and the table it loads into."""

    name: str
    table: str
    #: what one row is, in Chinese
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    #: cross-column rules, by name; implemented in ingest.validate.RULES
    rules: tuple[str, ...] = field(default=())
    #: load order: reference sheets first, so one workbook may hold them all
    order: int = 50

    def column(self, column_id: str) -> Column:
        return next(c for c in self.columns if c.id == column_id)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.columns]


UNIT_TYPES = ("乡镇", "街道", "县直部门", "园区")
CATEGORIES = ("基层治理", "乡村振兴", "人才队伍", "党员管理", "服务群众", "其他")
PROJECT_STATUSES = ("申报", "实施中", "已完成", "已终止")
FLAGS = ("弄虚作假", "铺张浪费", "通报表扬")
EVENT_STATUSES = ("已处置", "处置中", "未处置")

#: maxima of the three review criteria (their default weights)
SCORE_MAX = {"score_measures": 30.0, "score_timeliness": 30.0, "score_results": 40.0}

UNIT = Column("unit", "乡镇街道", required=True, ref="unit")

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "单位名录", "units", "每个单位一行", order=0,
        columns=(
            Column("unit", "单位名称", required=True),
            Column("unit_type", "单位类型", "enum", required=True, choices=UNIT_TYPES),
            Column("sort_order", "排序", "int"),
        ),
        key=("unit",),
    ),
    Sheet(
        "项目台账", "projects", "每个创新项目一行", order=10,
        columns=(
            Column("project_id", "项目编号", required=True, synonyms=("编号",)),
            Column("name", "项目名称", required=True),
            Column("unit", "牵头单位", required=True, synonyms=("责任单位",), ref="unit"),
            Column("leader", "第一责任人", required=True, synonyms=("书记", "负责人")),
            Column("leader_title", "职务"),
            Column("category", "项目类别", "enum", required=True, synonyms=("类别",), choices=CATEGORIES),
            Column("approved_on", "立项日期", "date", required=True),
            Column("due_on", "计划完成日期", "date", required=True, note="不早于立项日期"),
            Column("summary", "项目简介"),
            Column("status", "状态", "enum", choices=PROJECT_STATUSES, default="实施中"),
        ),
        key=("project_id",),
        rules=("due_after_approved",),
    ),
    Sheet(
        "项目节点", "milestones", "每个项目的每个节点一行(项目时间表线路图)",
        columns=(
            Column("project_id", "项目编号", required=True, ref="project"),
            Column("seq", "节点序号", "int", required=True, min=1),
            Column("milestone", "节点名称", required=True),
            Column("planned_on", "计划完成日期", "date", required=True),
            Column("done_on", "实际完成日期", "date", note="未完成时留空"),
            Column("weight", "权重", "number", min=0, min_exclusive=True, note="留空表示各节点权重相等"),
        ),
        key=("project_id", "seq"),
    ),
    Sheet(
        "项目周报", "weekly_reports", "每个项目每周一行(周计划、周小结)",
        columns=(
            Column("project_id", "项目编号", required=True, ref="project"),
            Column("week_start", "周次", "week", required=True, synonyms=("填报周",)),
            Column("summary", "本周小结", required=True, synonyms=("周小结",)),
            Column("plan", "下周计划", synonyms=("周计划",)),
            Column("percent", "完成进度", "percent", required=True, synonyms=("进度",), min=0, max=100),
            Column("difficulty", "存在困难", synonyms=("问题困难",)),
            Column("coordination", "需协调事项"),
            Column("reporter", "填报人"),
        ),
        key=("project_id", "week_start"),
    ),
    Sheet(
        "评审打分", "review_scores", "每轮每个评委对每个项目的打分一行",
        columns=(
            Column("round", "轮次", "round", required=True, min=1, max=3),
            Column("project_id", "项目编号", required=True, ref="project"),
            Column("judge", "评委", required=True, synonyms=("评委编号",)),
            Column("score_measures", "举措实在", "number", required=True, min=0, max=SCORE_MAX["score_measures"]),
            Column("score_timeliness", "解难实时", "number", required=True, min=0, max=SCORE_MAX["score_timeliness"]),
            Column("score_results", "成果实用", "number", required=True, min=0, max=SCORE_MAX["score_results"]),
            Column("note", "备注"),
        ),
        key=("round", "project_id", "judge"),
    ),
    Sheet(
        "项目标记", "project_flags", "组织部对项目的每个标记一行",
        columns=(
            Column("project_id", "项目编号", required=True, ref="project"),
            Column("flag", "标记", "enum", required=True, choices=FLAGS),
            Column("reason", "说明", required=True),
            Column("flagged_on", "日期", "date", required=True),
        ),
        key=("project_id", "flag"),
    ),
    Sheet(
        "网格台账", "grids", "每个网格一行(1+1+N 网格党支部)",
        columns=(
            UNIT,
            Column("community", "村社区", required=True, synonyms=("村(社区)",)),
            Column("grid", "网格", required=True, synonyms=("网格名称",)),
            Column("branch", "网格党支部"),
            Column("members", "党员数", "int", min=0),
            Column("instructor", "党建指导员"),
            Column("inspector", "网格巡查员"),
            Column("informants", "网格信息员数", "int", min=0),
        ),
        key=("unit", "community", "grid"),
    ),
    Sheet(
        "网格统计", "grid_stats", "每个网格每月一行",
        columns=(
            Column("month", "统计月份", "month", required=True, synonyms=("月份",)),
            UNIT,
            Column("community", "村社区", required=True, synonyms=("村(社区)",)),
            Column("grid", "网格", required=True, synonyms=("网格名称",)),
            Column("collected", "采集基础数据", "int", required=True, min=0, synonyms=("基础数据采集", "采集数据")),
            Column("reported", "上报事件", "int", required=True, min=0, synonyms=("事件上报", "上报数")),
            Column("handled", "处置事项", "int", required=True, min=0, synonyms=("已处置", "处置数"),
                   note="可大于上报事件(消化以前月份积压),此时仅提示"),
        ),
        key=("month", "unit", "community", "grid"),
        rules=("handled_le_reported",),
    ),
    Sheet(
        "事件明细", "events", "每个网格事件一行(网格平台导出)",
        columns=(
            Column("event_id", "事件编号", required=True),
            Column("reported_at", "上报时间", "datetime", required=True),
            UNIT,
            Column("community", "村社区", required=True, synonyms=("村(社区)",)),
            Column("grid", "网格", required=True, synonyms=("网格名称",)),
            Column("category", "事件类别", required=True),
            Column("status", "处置状态", "enum", required=True, choices=EVENT_STATUSES),
            Column("handled_at", "处置完成时间", "datetime", note="处置状态为“已处置”时必填,且不早于上报时间"),
        ),
        key=("event_id",),
        rules=("handled_at_when_done",),
    ),
    Sheet(
        "成效指标", "indicators", "每个项目每个指标每个统计期一行",
        columns=(
            Column("project_id", "项目编号", required=True, ref="project"),
            Column("indicator", "指标名称", required=True),
            Column("measure_unit", "计量单位", note="如 人、件、万元、%"),
            Column("target", "目标值", "number"),
            Column("actual", "实际值", "number", required=True),
            Column("period", "统计期", "month", required=True),
        ),
        key=("project_id", "indicator", "period"),
    ),
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
SHEETS_BY_TABLE: dict[str, Sheet] = {s.table: s for s in SHEETS}

#: words that mark a totals row when they are its first non-blank cell
TOTAL_WORDS = ("合计", "总计", "小计")

"""Generate the sample workbooks of 领航看板 (seeded, deterministic).

Run ``python data/generate_sample.py`` to (re)write the workbooks next to this
script and check them; ``--check`` only checks the workbooks already there.
Every workbook follows ``shared/data-contract.md`` (sheet names, Chinese
headers, keys); the one exception is on purpose: the 星沙街道 grid statistics
are written the messy way a street office sends them, so that the importer
has to recognise the sheet by its headers.

Files written (all under ``data/``):

- ``01_单位名录.xlsx``          单位名录: the 6 streets, 13 towns, 2 parks and 11
  county departments of 长沙县.
- ``02_项目台账.xlsx``          项目台账, 项目节点, 成效指标, 项目标记: the 34
  “党建聚合力·书记领航行动” projects, their milestones (as of 2022-11-18),
  outcome indicators and the department's flags.
- ``03_项目周报.xlsx``          项目周报: weekly plan/summary, weeks 2022-07-04 …
  2022-11-14, with a few weeks missing.
- ``04_评审打分.xlsx``          评审打分: three review rounds, seven judges.
- ``05_网格台账.xlsx``          网格台账: every grid of every street and town.
- ``06_网格统计_星沙街道.xlsx``  星沙街道网格统计: the messy one (title row,
  headers with units, months as text in mixed forms, numbers as text, a
  合计 row).
- ``06_网格统计.xlsx``          网格统计: every other unit's grids, 2021-11 … 2022-10.
- ``07_事件明细_㮾梨街道.xlsx``  事件明细: every grid event of 㮾梨街道 in the same
  12 months; 㮾梨's rows of 网格统计 are counted from it.

Seed figures reproduced (the news report, ``shared/seed/``):

- 星沙街道: 67 grids, each with its own 网格党支部; 3,046 party members in
  grids; 2021-11 … 2022-10 totals 采集基础数据 108,512, 上报事件 128,327,
  处置事项 125,634 (处置率 97.9%).
- 㮾梨街道: 9 村(社区), 59 grids, one 网格党支部 each, “1+1+N” staffing
  (one 党建指导员, one 网格巡查员, N ≥ 1 网格信息员 per grid).
- 34 projects, the 11 named in the report among them, with the secretaries
  the report names (石争, 周创, 张韧).
- Indicators: 开慧镇 本土人才入库 253 人, 在外人才入库 58 人; 湘龙街道 头雁讲堂
  6 次, 头雁训练营 2 期, 参训人员 190 人; 黄兴镇 核酸采集 92,720 份; 金井镇
  茶叶产值 16 亿元.

Every random draw comes from ``random.Random`` seeded from 2022, and the
.xlsx files are written with fixed timestamps, so two runs give byte-identical
files.
"""

from __future__ import annotations

import argparse
import calendar
import io
import math
import random
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

SEED = 2022
DATA_DIR = Path(__file__).resolve().parent
#: the day the project data describe (the report's week)
AS_OF = date(2022, 11, 18)
#: the 12 months of grid statistics and events
MONTHS: list[date] = [date(2021, 11, 1), date(2021, 12, 1)] + [date(2022, m, 1) for m in range(1, 11)]
STATS_END = datetime(2022, 11, 1)  # exclusive
#: the Mondays of the weekly reports, 2022-07-04 … 2022-11-14
WEEKS: list[date] = [date(2022, 7, 4) + timedelta(weeks=i) for i in range(20)]
#: fixed timestamp written into every file, so the bytes do not change between runs
FILE_STAMP = (2022, 11, 18, 0, 0, 0)

FILES = {
    "units": "01_单位名录.xlsx",
    "projects": "02_项目台账.xlsx",
    "weekly": "03_项目周报.xlsx",
    "reviews": "04_评审打分.xlsx",
    "grids": "05_网格台账.xlsx",
    "xingsha_stats": "06_网格统计_星沙街道.xlsx",
    "grid_stats": "06_网格统计.xlsx",
    "events": "07_事件明细_㮾梨街道.xlsx",
}

# Seed ground truth
XINGSHA, LANGLI = "星沙街道", "㮾梨街道"
XINGSHA_TOTALS = {"collected": 108512, "reported": 128327, "handled": 125634}
XINGSHA_MEMBERS = 3046

DATE_FMT, MONTH_FMT, DATETIME_FMT = "yyyy-mm-dd", "yyyy-mm", "yyyy-mm-dd hh:mm"


def rng_for(part: str) -> random.Random:
    """An independent generator per part, so changing one part leaves the others as they were."""
    return random.Random(f"{SEED}:{part}")


# --------------------------------------------------------------------------- units

STREETS = ["星沙街道", "湘龙街道", "泉塘街道", "㮾梨街道", "长龙街道", "松雅湖街道"]
TOWNS = ["黄兴镇", "江背镇", "春华镇", "果园镇", "路口镇", "高桥镇", "金井镇", "福临镇", "青山铺镇",
         "安沙镇", "北山镇", "开慧镇", "黄花镇"]
PARKS = ["黄兴会展经济区", "长沙经开区"]
DEPARTMENTS = ["县应急管理局", "县教育局", "县民政局", "县农业农村局", "县卫生健康局", "县市场监督管理局",
               "县财政局", "县住房和城乡建设局", "县人力资源和社会保障局", "县交通运输局",
               "县城市管理和综合执法局"]


@dataclass(frozen=True)
class Unit:
    name: str
    unit_type: str
    sort_order: int


def build_units() -> list[Unit]:
    """The units of 长沙县 in the order the department lists them."""
    typed = ([(n, "街道") for n in STREETS] + [(n, "乡镇") for n in TOWNS]
             + [(n, "园区") for n in PARKS] + [(n, "县直部门") for n in DEPARTMENTS])
    return [Unit(name, kind, i) for i, (name, kind) in enumerate(typed, start=1)]


# --------------------------------------------------------------------------- names

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏付方邹熊龙易颜汤邱文柳喻")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华建国志红文斌辉鹏林玲婷雪琳晶慧波宇浩凯峰亮成"
         "思欣怡佳俊轩湘益卫东春兰金桂群彬旭阳政清毅德蓉")
#: names the report gives to real people: never invented for anyone else
RESERVED_NAMES = {"石争", "周创", "张韧", "陈雅婷", "张伟", "梁艳林", "付旭明", "陈永高", "段小林"}


class NameBook:
    """Plausible Chinese personal names, never the same twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set(RESERVED_NAMES)

    def __call__(self) -> str:
        while True:
            given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.7 else "")
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


# --------------------------------------------------------------------------- projects

@dataclass(frozen=True)
class ProjectSpec:
    unit: str
    name: str
    category: str
    summary: str
    leader: str | None = None  # None: invented
    title: str | None = None  # None: by unit type


#: the 34 projects; numbers 1–34 become LH2022-01 … LH2022-34. The seed's 11 are marked ★.
PROJECT_SPECS: tuple[ProjectSpec, ...] = (
    ProjectSpec("星沙街道", "实施“345工程”打造党建引领智慧赋能基层网格化治理平台", "基层治理",  # ★ 01
                "以党建+网格微治理为切口,成立小区(网格)党支部67个,推动3000余名党员下沉网格开展志愿服务。",
                "石争", "党工委书记"),
    ProjectSpec("湘龙街道", "实施“头雁”工程搭建“三台”强化社区干部队伍建设", "人才队伍",  # ★ 02
                "围绕培育优秀社区党组织书记,开设头雁训练营、头雁精品课堂、头雁讲堂、头雁充电站。"),
    ProjectSpec("泉塘街道", "“支部建在小区上”打通基层治理“最后100米”", "基层治理",  # ★ 03
                "以小区为基本治理单元,抓牢社区党组织、业委会、物业“三驾马车”,探索小区“微治理”模式。"),
    ProjectSpec("㮾梨街道", "“支部建在网格上”推行“1+1+N”网格党支部建设模式", "基层治理",  # ★ 04
                "每个网格建立党支部,配备1名党建指导员、1名网格巡查员、N名网格信息员,形成三级组织链条。"),
    ProjectSpec("长龙街道", "“红色物业”联盟推动小区治理提质增效", "基层治理",  # 05
                "组建社区党组织牵头、物业企业参与的红色物业联盟,推动物业服务纳入网格治理。"),
    ProjectSpec("松雅湖街道", "“湖畔议事厅”推动新建小区共建共治", "基层治理",  # 06
                "在新建小区设立议事厅,组织党员、业主代表和物业协商解决小区公共事务。"),
    ProjectSpec("黄兴镇", "推行“三务”分类积分管理激发党员队伍活力", "党员管理",  # ★ 07
                "以履行义务分、完成任务分、奉献服务分量化考核党员,正向激励与反向警示相结合。",
                "张韧", "党委书记"),
    ProjectSpec("江背镇", "探索村落景区一体化运营助力乡村振兴", "乡村振兴",  # ★ 08
                "以金洲村罗家洲片区为主体整合资金政策项目、联点成片,引入专业公司运营,建立村集体、公司、农户收益分配机制。"),
    ProjectSpec("春华镇", "深化基层网格微治理“三五”模式推进党政群共商共治", "基层治理",  # ★ 09
                "依托网格微治理推进党政群共商共治,带动田头超市、共享菜园等农旅融合业态发展。"),
    ProjectSpec("果园镇", "村企联建“浔龙河模式”带动村集体经济增收", "乡村振兴",  # 10
                "推动村党组织与企业党组织结对联建,盘活闲置资源,带动村集体经济和农户增收。"),
    ProjectSpec("路口镇", "“党建+合作社”推动特色种养产业抱团发展", "乡村振兴",  # 11
                "由村党组织领办合作社,统一品种、技术和销售,带动农户发展特色种养。"),
    ProjectSpec("高桥镇", "“红色茶馆”议事平台化解邻里矛盾纠纷", "基层治理",  # 12
                "在村(社区)设立红色茶馆,由党员调解员坐班,就地化解邻里矛盾纠纷。"),
    ProjectSpec("金井镇", "探索流动党员教育服务管理新方式", "党员管理",  # ★ 13
                "选定辖区20余个党组织,通过建机制、强教育、真服务、搭平台加强流动党员管理,激活茶产业振兴。"),
    ProjectSpec("福临镇", "“银龄先锋”老党员志愿服务行动", "服务群众",  # 14
                "组织老党员组建志愿服务队,开展政策宣讲、邻里帮扶、环境整治等志愿服务。"),
    ProjectSpec("青山铺镇", "村级后备干部“青苗”培养计划", "人才队伍",  # 15
                "从返乡青年、致富能手中选拔村级后备干部,实行导师帮带、岗位练兵。"),
    ProjectSpec("安沙镇", "“红色代办”打通为民服务“零距离”", "服务群众",  # 16
                "组建党员代办员队伍,为群众提供社保、医保、证照等事项全程代办。"),
    ProjectSpec("北山镇", "党建引领“美丽屋场”创建行动", "乡村振兴",  # 17
                "以屋场为单元组织党员群众开展人居环境整治,创建一批美丽屋场。"),
    ProjectSpec("开慧镇", "实施“六慧”人才计划建强乡村人才“生力军”", "人才队伍",  # ★ 18
                "构建人才阵地110N模式,分类建立乡村人才资源库,做好各方人才的引、育、用、留。"),
    ProjectSpec("黄花镇", "临空产业党建联盟助企惠企", "其他",  # 19
                "联合机场片区企业党组织组建党建联盟,协调解决企业用工、配套等难题。"),
    ProjectSpec("黄兴会展经济区", "打造货车司机红色之家建设“小红象”驿站", "服务群众",  # ★ 20
                "在晟象物流园建设小红象驿站,设置红色库房、暖心停泊点、能量补给站,为货车司机提供免费休憩、饮水等服务。"),
    ProjectSpec("长沙经开区", "“红色引擎”工程推动两新组织党建全覆盖", "党员管理",  # 21
                "摸排园区两新组织,分类组建党组织、选派党建指导员,推动党的组织和工作全覆盖。"),
    ProjectSpec("长沙经开区", "产业工人“技能+党建”双提升计划", "人才队伍",  # 22
                "在重点企业开设技能夜校和党员先锋岗,把技术骨干培养成党员、把党员培养成技术骨干。"),
    ProjectSpec("县应急管理局", "构建“443”模式锻造应急管理“铁军”", "其他",  # ★ 23
                "划分四个片区、组建四支队伍、构建“三位一体”工作模式,党员干部带头深入企业开展“十个一”活动,开办“星安课堂”。",
                "周创", "党委书记"),
    ProjectSpec("县教育局", "“党建+家校社”协同育人行动", "服务群众",  # 24
                "以学校党组织为纽带,联动家庭、社区开展家长课堂、课后托管和心理健康服务。"),
    ProjectSpec("县教育局", "青年教师党员“领航导师”培养工程", "人才队伍",  # 25
                "为青年教师党员配备领航导师,开展结对帮带、课堂展示和教学比武。"),
    ProjectSpec("县民政局", "“党建+养老”打造15分钟居家养老服务圈", "服务群众",  # 26
                "依托村(社区)党群服务中心建设居家养老服务站点,组织党员志愿者开展助餐、助洁、助医服务。"),
    ProjectSpec("县农业农村局", "党员科技特派员“田间课堂”", "乡村振兴",  # 27
                "选派党员农技人员担任科技特派员,在田间地头开设课堂,推广新品种、新技术。"),
    ProjectSpec("县卫生健康局", "“家庭医生+网格”党员健康服务进万家", "服务群众",  # 28
                "把家庭医生团队编入网格,党员医生带头上门随访,做实重点人群签约服务。"),
    ProjectSpec("县市场监督管理局", "“红色护企”服务小微企业成长", "服务群众",  # 29
                "组建党员服务队走访小微企业,提供登记注册、质量标准、知识产权等上门指导。"),
    ProjectSpec("县财政局", "“党建+绩效”推动预算绩效管理提质", "其他",  # 30
                "把党建责任与预算绩效目标同部署同考核,组建党员攻坚小组推进绩效评价。"),
    ProjectSpec("县住房和城乡建设局", "老旧小区改造“党员监督员”制度", "基层治理",  # 31
                "在老旧小区改造项目中聘请居民党员担任监督员,全程参与方案征询、质量监督和竣工验收。"),
    ProjectSpec("县人力资源和社会保障局", "“家门口就业”党群服务驿站", "服务群众",  # 32
                "在村(社区)党群服务中心设立就业驿站,推送岗位信息,开展技能培训和就业帮扶。"),
    ProjectSpec("县交通运输局", "“红色驿路”农村公路党员管护行动", "乡村振兴",  # 33
                "组织党员认领农村公路路段,开展日常巡查、隐患上报和路域环境整治。"),
    ProjectSpec("县城市管理和综合执法局", "“城管进网格”党员先锋岗", "基层治理",  # 34
                "城管执法队员下沉网格设立党员先锋岗,联合网格员处置占道经营、违章搭建等问题。"),
)

#: behind schedule as of AS_OF: the project number → planned date of the milestone it is stuck at
BEHIND: dict[int, date] = {
    17: date(2022, 9, 30),   # 49 days overdue
    28: date(2022, 10, 20),  # 29 days overdue
    24: date(2022, 11, 7),
    5: date(2022, 11, 8),
    15: date(2022, 11, 10),
    34: date(2022, 11, 14),
}
COMPLETED: dict[int, date] = {12: date(2022, 10, 28), 30: date(2022, 11, 4)}
TERMINATED: dict[int, date] = {33: date(2022, 9, 9)}
#: projects whose milestones carry explicit weights
WEIGHTED = (1, 7, 9, 13, 17, 20, 24, 30)
#: projects that sent no report for the last two weeks (2022-11-07, 2022-11-14)
MISSING_LAST_TWO = (28, 31)
#: projects that skipped some weeks earlier: number → how many weeks
MISSING_SOME: dict[int, int] = {5: 1, 19: 2, 26: 1, 29: 3}
PRAISED = (1, 4, 18)
WASTEFUL = 17
SEED_NAMED = (1, 2, 3, 4, 7, 8, 9, 13, 18, 20, 23)

MILESTONE_NAMES: dict[int, list[str]] = {
    4: ["调研摸底", "方案制定", "试点推进", "总结提炼"],
    5: ["调研摸底", "方案制定", "试点推进", "全面铺开", "总结提炼"],
    6: ["调研摸底", "方案制定", "试点推进", "观摩交流", "全面铺开", "总结提炼"],
}
MILESTONE_WEIGHTS: dict[int, list[list[int]]] = {
    4: [[10, 20, 30, 40], [10, 20, 40, 30]],
    5: [[10, 15, 25, 30, 20], [5, 15, 30, 30, 20]],
    6: [[5, 15, 20, 20, 25, 15], [10, 10, 20, 15, 30, 15]],
}


@dataclass
class Milestone:
    seq: int
    name: str
    planned_on: date
    done_on: date | None = None
    weight: float | None = None


@dataclass
class Project:
    number: int
    unit: str
    name: str
    leader: str
    title: str
    category: str
    approved_on: date
    due_on: date
    summary: str
    status: str
    reporter: str
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def project_id(self) -> str:
        return f"LH2022-{self.number:02d}"

    @property
    def first_week(self) -> date:
        return monday(self.approved_on)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _title(unit_type: str) -> str:
    return {"街道": "党工委书记", "乡镇": "党委书记", "园区": "党工委书记"}.get(unit_type, "党组书记")


def _planned_dates(rng: random.Random, n: int, start: date, end: date) -> list[date]:
    """n dates from start to end, roughly evenly spaced, strictly increasing."""
    span = (end - start).days
    dates = []
    for i in range(n):
        offset = round(span * i / (n - 1)) + (rng.randint(-4, 4) if 0 < i < n - 1 else 0)
        dates.append(start + timedelta(days=offset))
    for i in range(1, n):  # keep at least 5 days apart
        if dates[i] <= dates[i - 1] + timedelta(days=4):
            dates[i] = dates[i - 1] + timedelta(days=5)
    return dates


def _milestones(rng: random.Random, number: int, approved: date, due: date) -> list[Milestone]:
    """The 时间表 of one project, with what was done by AS_OF."""
    n = rng.choice([4, 5, 5, 6])
    start = approved + timedelta(days=rng.randint(14, 24))
    end = COMPLETED.get(number, due - timedelta(days=rng.randint(0, 8)))
    planned = _planned_dates(rng, n, start, end)
    if number in BEHIND:
        # the milestone the project is stuck at falls on the given date
        target = BEHIND[number]
        k = min(range(1, n - 1), key=lambda i: abs((planned[i] - target).days))
        planned[k] = target
        for i in range(k - 1, -1, -1):
            planned[i] = min(planned[i], planned[i + 1] - timedelta(days=10))
        for i in range(k + 1, n):
            planned[i] = max(planned[i], planned[i - 1] + timedelta(days=10))
    weights = rng.choice(MILESTONE_WEIGHTS[n]) if number in WEIGHTED else [None] * n
    milestones = [Milestone(i + 1, name, planned[i], None, weights[i])
                  for i, name in enumerate(MILESTONE_NAMES[n])]

    stuck = next((m.seq for m in milestones if m.planned_on == BEHIND.get(number)), None)
    stop = TERMINATED.get(number)
    previous = approved
    for m in milestones:
        if stuck is not None and m.seq >= stuck:
            break
        if stop is not None and m.planned_on > stop - timedelta(days=5):
            break
        if number in COMPLETED and m.seq == n:
            done = COMPLETED[number]
        elif m.planned_on <= AS_OF:
            done = m.planned_on + timedelta(days=rng.randint(-7, 3))
            if rng.random() < 0.08:  # now and then a milestone is done late
                done = m.planned_on + timedelta(days=rng.randint(8, 16))
        elif m.planned_on <= AS_OF + timedelta(days=12) and rng.random() < 0.35:
            done = AS_OF - timedelta(days=rng.randint(0, 6))  # done early
        else:
            break
        done = min(max(done, previous + timedelta(days=1)), AS_OF)
        m.done_on = done
        previous = done
    return milestones


def build_projects(units: Sequence[Unit]) -> list[Project]:
    """The 34 projects with their milestones."""
    rng = rng_for("projects")
    names = NameBook(rng_for("project-names"))
    unit_type = {u.name: u.unit_type for u in units}
    leaders: dict[str, str] = {}
    projects = []
    for number, spec in enumerate(PROJECT_SPECS, start=1):
        leader = spec.leader or leaders.get(spec.unit) or names()
        leaders[spec.unit] = leader  # one secretary leads all of a unit's projects
        approved = date(2022, 6, 15) + timedelta(days=rng.randint(0, 35))
        due = date(2022, 12, rng.randint(10, 31))
        status = ("已完成" if number in COMPLETED else "已终止" if number in TERMINATED else "实施中")
        project = Project(
            number=number, unit=spec.unit, name=spec.name, leader=leader,
            title=spec.title or _title(unit_type[spec.unit]), category=spec.category,
            approved_on=approved, due_on=due, summary=spec.summary, status=status, reporter=names(),
        )
        project.milestones = _milestones(rng, number, approved, due)
        projects.append(project)
    return projects


def done_share(project: Project, day: date) -> tuple[float, float]:
    """(share of weight done by day, share planned by day), weights equal when blank."""
    ms = project.milestones
    weights = [m.weight if m.weight is not None else 1.0 for m in ms]
    total = sum(weights)
    done = sum(w for w, m in zip(weights, ms, strict=True) if m.done_on is not None and m.done_on <= day)
    planned = sum(w for w, m in zip(weights, ms, strict=True) if m.planned_on <= day)
    return done / total, planned / total


# --------------------------------------------------------------------------- grids

XINGSHA_COMMUNITIES = [("凉塘路社区", 8), ("松雅社区", 7), ("天华社区", 7), ("东升社区", 7), ("金茂路社区", 6),
                       ("开元路社区", 7), ("板仓路社区", 6), ("滨湖社区", 7), ("望仙桥社区", 6), ("星城社区", 6)]
LANGLI_COMMUNITIES = [("陶公庙社区", 8), ("㮾梨社区", 7), ("龙华社区", 7), ("东山社区", 6), ("大元社区", 7),
                      ("梨江社区", 6), ("保家村", 6), ("新塘村", 6), ("双冲村", 6)]
OTHER_COMMUNITIES: dict[str, list[str]] = {
    "湘龙街道": ["湘瑞社区", "湘贸社区", "湘绣社区", "龙塘社区", "和馨社区", "白鹭湖社区"],
    "泉塘街道": ["泉塘社区", "尚都社区", "东沿社区", "长华社区", "泉星社区"],
    "长龙街道": ["长龙社区", "龙湖社区", "碧水社区", "望湘社区"],
    "松雅湖街道": ["松雅湖社区", "东湖社区", "蓝湾社区", "湖畔社区"],
    "黄兴镇": ["黄兴社区", "黄兴新村", "鹿芝岭村", "沿江村", "大塘村", "光达村"],
    "江背镇": ["江背社区", "金洲村", "五福村", "印山村", "乌川村"],
    "春华镇": ["春华社区", "春华山村", "龙王庙村", "九木村", "大鱼村", "李公庙村"],
    "果园镇": ["果园社区", "浔龙河村", "田汉村", "双河村"],
    "路口镇": ["路口社区", "明月村", "上杉市村", "麻林村", "高塘村"],
    "高桥镇": ["高桥社区", "金桥村", "福田村", "天鹅村", "桥头村"],
    "金井镇": ["金井社区", "惠农村", "观佳村", "湘丰村", "蒲塘村", "脱甲村", "金龙村"],
    "福临镇": ["福临社区", "影珠山村", "金坑村", "开福村"],
    "青山铺镇": ["青山铺社区", "天华村", "洞井村", "柏树村"],
    "安沙镇": ["安沙社区", "和平村", "毛塘村", "东山村", "杨泗村"],
    "北山镇": ["北山社区", "龙虎村", "麻林桥村"],
    "开慧镇": ["开慧村", "锡福村", "葛家山村", "白沙村", "开慧社区", "飘峰村", "枫林村", "清泰村"],
    "黄花镇": ["黄花社区", "黄龙村", "回龙村", "新光村", "黄兴桥村"],
}
#: non-seed units whose registry is still incomplete (grids without a branch or an instructor)
INCOMPLETE_UNITS = ("长龙街道", "福临镇", "北山镇", "黄花镇")
CN_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Grid:
    unit: str
    community: str
    grid: str
    branch: str | None
    members: int | None
    instructor: str | None
    inspector: str | None
    informants: int | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.unit, self.community, self.grid)


def grid_name(i: int) -> str:
    return f"第{CN_NUMERALS[i]}网格"


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split an integer total in proportion to weights (largest remainder): sums exactly."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    out = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def build_grids(units: Sequence[Unit]) -> list[Grid]:
    """Every grid of every street and town, in unit order."""
    rng = rng_for("grids")
    names = NameBook(rng_for("grid-names"))
    grids: list[Grid] = []

    # 星沙街道: 67 grids, a branch in each, 3,046 party members in all
    cells = [(c, i) for c, n in XINGSHA_COMMUNITIES for i in range(n)]
    members = allocate(XINGSHA_MEMBERS, [rng.uniform(25, 70) for _ in cells])
    for (community, i), m in zip(cells, members, strict=True):
        grids.append(Grid(XINGSHA, community, grid_name(i), f"{community}{grid_name(i)}党支部", m,
                          names(), names(), rng.randint(2, 8)))

    for unit in units:
        if unit.unit_type not in ("街道", "乡镇") or unit.name == XINGSHA:
            continue
        if unit.name == LANGLI:
            # 1+1+N: one instructor (a street cadre), one inspector, N ≥ 1 informants per grid branch
            for community, n in LANGLI_COMMUNITIES:
                for i in range(n):
                    grids.append(Grid(LANGLI, community, grid_name(i), f"{community}{grid_name(i)}党支部",
                                      rng.randint(12, 48), names(), names(), rng.randint(1, 6)))
            continue
        town = unit.unit_type == "乡镇"
        for community in OTHER_COMMUNITIES[unit.name]:
            for i in range(rng.randint(2, 6)):
                branch: str | None = f"{community}{grid_name(i)}党支部"
                instructor: str | None = names()
                if unit.name in INCOMPLETE_UNITS:
                    roll = rng.random()
                    if roll < 0.15:
                        branch = None
                    elif roll < 0.30:
                        instructor = None
                grids.append(Grid(unit.name, community, grid_name(i), branch,
                                  rng.randint(8, 40) if town else rng.randint(15, 60),
                                  instructor, names(), rng.randint(0 if branch is None else 1, 5)))
    return grids


# --------------------------------------------------------------------------- events (㮾梨街道)

EVENT_CATEGORIES = {"环境卫生": 30, "矛盾纠纷": 12, "治安隐患": 10, "道路交通": 10, "市政设施": 14,
                    "民生服务": 14, "安全生产": 6, "其他": 4}
#: relative activity by month, 2021-11 … 2022-10 (春节 low, the spring epidemic high)
SEASON = [0.95, 0.9, 0.85, 0.7, 0.95, 1.15, 1.1, 1.0, 1.05, 1.1, 1.0, 1.05]
HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 1, 3, 8, 10, 10, 8, 5, 6, 9, 10, 9, 7, 5, 4, 3, 2, 1, 0]


@dataclass(frozen=True)
class Event:
    event_id: str
    reported_at: datetime
    unit: str
    community: str
    grid: str
    category: str
    status: str
    handled_at: datetime | None


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; lam stays small here."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def handling_time(rng: random.Random, reported: datetime) -> datetime:
    """When an event is closed: mostly hours to a few days (lognormal), some 8–30 days; staff close
    events between 07:00 and 22:00, so a night-time draw is drawn again."""
    for _ in range(30):
        if rng.random() < 0.06:
            delay = timedelta(days=rng.uniform(8, 30))
        else:
            delay = timedelta(hours=min(max(rng.lognormvariate(math.log(16), 1.0), 0.5), 5 * 24))
        handled = reported + timedelta(minutes=round(delay.total_seconds() / 60))
        if 7 <= handled.hour < 22:
            return handled
    return datetime.combine(handled.date() + timedelta(days=1), time(8, handled.minute))


def build_events(grids: Sequence[Grid]) -> list[Event]:
    """㮾梨街道's grid events, 2021-11-01 … 2022-10-31, sorted by report time."""
    rng = rng_for("events")
    categories, cat_weights = list(EVENT_CATEGORIES), list(EVENT_CATEGORIES.values())
    late_start = datetime(2022, 10, 18)
    drafts: list[tuple[datetime, Grid, str, str, datetime | None]] = []
    for g in (g for g in grids if g.unit == LANGLI):
        rate = rng.uniform(5.5, 16.0)
        for month, season in zip(MONTHS, SEASON, strict=True):
            days = calendar.monthrange(month.year, month.month)[1]
            for _ in range(poisson(rng, rate * season)):
                hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
                reported = datetime.combine(month.replace(day=rng.randint(1, days)), time(hour, rng.randint(0, 59)))
                category = rng.choices(categories, cat_weights)[0]
                if reported >= late_start and rng.random() < 0.12:
                    drafts.append((reported, g, category, "未处置", None))
                    continue
                handled = handling_time(rng, reported)
                if handled >= STATS_END:  # not done by the end of the export window
                    drafts.append((reported, g, category, "处置中", None))
                else:
                    drafts.append((reported, g, category, "已处置", handled))
    drafts.sort(key=lambda d: (d[0], d[1].community, d[1].grid))
    seq: Counter[str] = Counter()
    events = []
    for reported, g, category, status, handled in drafts:
        ym = reported.strftime("%Y%m")
        seq[ym] += 1
        events.append(Event(f"LL{ym}{seq[ym]:06d}", reported, g.unit, g.community, g.grid, category, status, handled))
    return events


# --------------------------------------------------------------------------- grid statistics

@dataclass(frozen=True)
class StatRow:
    month: date
    unit: str
    community: str
    grid: str
    collected: int
    reported: int
    handled: int


#: 处置率 level of each unit (two lag behind, so rankings are interesting)
UNIT_RATES: dict[str, float] = {"北山镇": 0.85, "福临镇": 0.86}


def build_xingsha_stats(grids: Sequence[Grid]) -> list[StatRow]:
    """星沙街道, 67 grids × 12 months, summing exactly to the report's three totals."""
    rng = rng_for("xingsha-stats")
    xs = [g for g in grids if g.unit == XINGSHA]
    size = [rng.lognormvariate(0, 0.45) for _ in xs]
    cells = [(g, s, m) for g, s in zip(xs, size, strict=True) for m in range(12)]
    # base data are collected mostly at the start (入户采集), events follow the season
    collect_season = [6.0, 3.0] + [rng.uniform(0.5, 1.0) for _ in range(10)]
    collected = allocate(XINGSHA_TOTALS["collected"],
                         [s * collect_season[m] * rng.uniform(0.8, 1.2) for _, s, m in cells])
    reported = allocate(XINGSHA_TOTALS["reported"],
                        [s * SEASON[m] * rng.uniform(0.85, 1.15) for _, s, m in cells])
    backlog = set(rng.sample(range(len(cells)), 6))  # grid-months clearing earlier months' backlog
    rates = [rng.uniform(1.02, 1.08) if i in backlog else min(rng.gauss(0.979, 0.012), 1.0)
             for i in range(len(cells))]
    handled = allocate(XINGSHA_TOTALS["handled"], [r * rate for r, rate in zip(reported, rates, strict=True)])
    # rounding may push a few ordinary cells over their reported count: move the excess elsewhere
    for i in range(len(cells)):
        while i not in backlog and handled[i] > reported[i]:
            j = max((j for j in range(len(cells)) if j not in backlog),
                    key=lambda j: (reported[j] - handled[j], -j))
            handled[i] -= 1
            handled[j] += 1
    return [StatRow(MONTHS[m], g.unit, g.community, g.grid, c, r, h)
            for (g, _, m), c, r, h in zip(cells, collected, reported, handled, strict=True)]


def build_grid_stats(grids: Sequence[Grid], events: Sequence[Event]) -> list[StatRow]:
    """Every other unit's grids × 12 months; 㮾梨's reported/handled counted from its events."""
    rng = rng_for("grid-stats")
    month_index = {m: i for i, m in enumerate(MONTHS)}
    by_report: Counter[tuple[str, str, str, int]] = Counter()
    by_handle: Counter[tuple[str, str, str, int]] = Counter()
    for e in events:
        key = (e.unit, e.community, e.grid)
        by_report[(*key, month_index[e.reported_at.date().replace(day=1)])] += 1
        if e.handled_at is not None:
            by_handle[(*key, month_index[e.handled_at.date().replace(day=1)])] += 1

    unit_rate = {u: UNIT_RATES.get(u, rng.uniform(0.92, 0.985)) for u in STREETS + TOWNS}
    rows: list[StatRow] = []
    per_grid: dict[tuple[str, str, str], list[StatRow]] = {}
    for g in grids:
        if g.unit == XINGSHA:
            continue
        street = g.unit in STREETS
        level = rng.uniform(60, 140) if street else rng.uniform(12, 55)
        if g.unit == LANGLI:  # base data in step with the grid's own event volume
            level = sum(by_report[(*g.key, m)] for m in range(12)) / 12 * rng.uniform(1.0, 1.6)
        out = []
        for m, season in enumerate(SEASON):
            collect_boost = 3.0 if m == 0 else 1.6 if m == 1 else 1.0
            collected = max(0, round(level * rng.uniform(0.5, 1.2) * collect_boost))
            if g.unit == LANGLI:
                reported, handled = by_report[(*g.key, m)], by_handle[(*g.key, m)]
            else:
                lam = level * season
                reported = max(0, round(rng.gauss(lam, math.sqrt(lam))))
                rate = min(rng.gauss(unit_rate[g.unit], 0.025), 1.0)
                handled = round(reported * rate)
                if rng.random() < 0.01:  # clearing a backlog
                    handled = reported + rng.randint(1, 4)
            out.append(StatRow(MONTHS[m], g.unit, g.community, g.grid, collected, reported, handled))
        per_grid[g.key] = out
    # a few quiet grid-months in the towns: nothing reported, nothing handled
    town_keys = [k for k in per_grid if k[0] in TOWNS]
    for key in rng.sample(town_keys, 5):
        m = rng.randrange(12)
        r = per_grid[key][m]
        per_grid[key][m] = StatRow(r.month, r.unit, r.community, r.grid, r.collected // 3, 0, 0)
    for m in range(12):
        rows.extend(v[m] for v in per_grid.values())
    return rows


# --------------------------------------------------------------------------- writing helpers

HEADER_FONT = Font(bold=True)


def write_table(ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                formats: dict[int, str] | None = None, widths: Sequence[int] | None = None) -> int:
    """Header in row 1, rows below; formats maps a 0-based column to a number format. Returns rows written."""
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = HEADER_FONT
    n = 0
    for row in rows:
        ws.append(list(row))
        n += 1
        if formats:
            for col, fmt in formats.items():
                cell = ws.cell(row=n + 1, column=col + 1)
                if cell.value is not None and not isinstance(cell.value, str):
                    cell.number_format = fmt
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths or []):
        ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = width
    return n


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "长沙县委组织部(示例数据)"
    wb.properties.created = datetime(*FILE_STAMP)
    return wb


def save(wb: Workbook, name: str) -> Path:
    """Save with fixed zip timestamps and document dates, so the bytes only change when the data do."""
    raw = io.BytesIO()
    wb.save(raw)
    stamp = datetime(*FILE_STAMP).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FILE_STAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    path = DATA_DIR / name
    path.write_bytes(out.getvalue())
    return path


# --------------------------------------------------------------------------- workbooks

def write_units(units: Sequence[Unit]) -> dict[str, int]:
    """01_单位名录.xlsx"""
    wb = new_workbook()
    n = write_table(wb.create_sheet("单位名录"), ["单位名称", "单位类型", "排序"],
                    ((u.name, u.unit_type, u.sort_order) for u in units), widths=[26, 10, 6])
    save(wb, FILES["units"])
    return {"单位名录": n}


INDICATORS_SEED: list[tuple[int, str, str, float | None, float]] = [
    (18, "本土人才入库", "人", None, 253),
    (18, "在外人才入库", "人", None, 58),
    (2, "头雁讲堂", "次", None, 6),
    (2, "头雁训练营", "期", None, 2),
    (2, "参训人员", "人", None, 190),
    (7, "核酸采集", "份", None, 92720),
    (13, "茶叶产值", "亿元", None, 16),
]
#: invented indicators: (project, name, unit, target, final value, monthly series?)
INDICATORS_INVENTED: list[tuple[int, str, str, float | None, float, bool]] = [
    (1, "网格党支部", "个", 67, 67, False),
    (1, "党员下沉网格", "人", 3000, XINGSHA_MEMBERS, True),
    (1, "党群服务驿站", "个", 15, 12, True),
    (3, "小区党支部", "个", 30, 26, True),
    (3, "解决小区难题", "件", None, 143, True),
    (5, "红色物业覆盖小区", "个", 30, 18, True),
    (6, "议事会协商事项", "件", None, 64, False),
    (7, "党员积分评定", "人", 1200, 1262, False),
    (8, "接待游客", "万人次", 10, 12.6, True),
    (8, "村集体经济增收", "万元", 30, 38, False),
    (9, "共享菜园认领", "块", 300, 320, True),
    (9, "网格议事会", "场", None, 48, False),
    (10, "村集体经济增收", "万元", 50, 52, False),
    (11, "合作社带动农户", "户", 800, 860, False),
    (12, "化解矛盾纠纷", "件", 120, 137, True),
    (13, "流动党员建档", "人", 400, 412, False),
    (14, "老党员志愿服务", "人次", None, 2300, True),
    (15, "后备干部储备", "人", 52, 36, False),
    (16, "代办服务事项", "件", 1500, 1820, True),
    (17, "美丽屋场创建", "个", 10, 4, False),
    (20, "服务货车司机", "人次", None, 5200, True),
    (21, "两新组织党组织覆盖率", "%", 95, 92.5, False),
    (23, "星安课堂培训", "期", 10, 12, False),
    (23, "走访企业", "家", 400, 460, True),
    (26, "居家养老服务", "人次", 5000, 5400, False),
    (28, "家庭医生签约", "人", 30000, 21000, True),
    (30, "绩效评价项目", "个", 40, 42, False),
    (32, "帮助就业", "人", 1200, 1380, True),
    (34, "城管队员下沉网格", "人", 150, 120, False),
]
#: projects whose 统计期 are written as dates rather than "2022-10" text (the contract accepts both)
PERIOD_AS_DATE = (9, 23)


def build_indicators(grids: Sequence[Grid]) -> list[tuple[str, str, str, float | None, float, Any]]:
    """成效指标 rows: the seed's figures exactly, invented ones for 20-odd projects."""
    rows: list[tuple[str, str, str, float | None, float, Any]] = []
    for number, name, unit, target, actual in INDICATORS_SEED:
        rows.append((f"LH2022-{number:02d}", name, unit, target, actual, "2022-10"))
    langli = [g for g in grids if g.unit == LANGLI]
    invented = INDICATORS_INVENTED + [
        (4, "网格党支部", "个", len(langli), len(langli), False),
        (4, "网格信息员", "人", None, sum(g.informants or 0 for g in langli), False),
    ]
    for number, name, unit, target, actual, series in invented:
        months = [date(2022, 8, 1), date(2022, 9, 1), date(2022, 10, 1)] if series else [date(2022, 10, 1)]
        shares = [0.55, 0.8, 1.0][-len(months):]
        for month, share in zip(months, shares, strict=True):
            value = round(actual * share, 1) if isinstance(actual, float) else round(actual * share)
            if number in PERIOD_AS_DATE:
                period: Any = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            else:
                period = month.strftime("%Y-%m")
            rows.append((f"LH2022-{number:02d}", name, unit, target, value, period))
    return rows


def write_projects(projects: Sequence[Project], grids: Sequence[Grid]) -> dict[str, int]:
    """02_项目台账.xlsx: 项目台账, 项目节点, 成效指标, 项目标记."""
    wb = new_workbook()
    counts = {}
    counts["项目台账"] = write_table(
        wb.create_sheet("项目台账"),
        ["项目编号", "项目名称", "牵头单位", "第一责任人", "职务", "项目类别", "立项日期", "计划完成日期",
         "项目简介", "状态"],
        ((p.project_id, p.name, p.unit, p.leader, p.title, p.category, p.approved_on, p.due_on, p.summary,
          p.status) for p in projects),
        formats={6: DATE_FMT, 7: DATE_FMT}, widths=[12, 52, 22, 10, 12, 10, 12, 12, 70, 8])
    counts["项目节点"] = write_table(
        wb.create_sheet("项目节点"),
        ["项目编号", "节点序号", "节点名称", "计划完成日期", "实际完成日期", "权重"],
        ((p.project_id, m.seq, m.name, m.planned_on, m.done_on, m.weight) for p in projects for m in p.milestones),
        formats={3: DATE_FMT, 4: DATE_FMT}, widths=[12, 8, 12, 12, 12, 6])
    counts["成效指标"] = write_table(
        wb.create_sheet("成效指标"),
        ["项目编号", "指标名称", "计量单位", "目标值", "实际值", "统计期"],
        build_indicators(grids), formats={5: DATE_FMT}, widths=[12, 22, 8, 8, 10, 10])
    by_number = {p.number: p for p in projects}
    flags = [(by_number[n].project_id, "通报表扬", "三轮评审成绩名列前茅,成效突出,全县通报表扬", date(2022, 11, 16))
             for n in PRAISED]
    flags.insert(0, (by_number[WASTEFUL].project_id, "铺张浪费",
                     "屋场创建中新建大型景观门楼、订制标识牌超出实际需要,费用约18万元,已责令整改并约谈责任人",
                     date(2022, 10, 21)))
    counts["项目标记"] = write_table(wb.create_sheet("项目标记"), ["项目编号", "标记", "说明", "日期"], flags,
                                   formats={3: DATE_FMT}, widths=[12, 10, 70, 12])
    save(wb, FILES["projects"])
    return counts


SUMMARY_PHRASES: dict[str, list[str]] = {
    "调研摸底": ["走访{a}个村(社区)开展专题调研,收集意见建议{b}条", "召开座谈会{c}场,梳理问题清单{d}项",
             "组织党员骨干入户走访{e}户,摸清底数", "赴兄弟单位学习考察,形成调研报告初稿"],
    "方案制定": ["起草项目实施方案并{c}次征求意见", "召开党(工)委会专题研究实施方案",
             "细化任务清单{d}项,明确责任人和完成时限", "方案经审核通过并印发实施"],
    "试点推进": ["在{a}个试点村(社区)推进,完成阶段任务{d}项", "组织试点单位交流会{c}场",
             "试点累计服务群众{f}人次", "书记带队到试点现场调度{c}次"],
    "观摩交流": ["迎接县委组织部现场观摩,展示阶段成效", "组织现场观摩会1场,{a}个单位交流发言",
             "整理观摩点位{a}处,完善展板和台账"],
    "全面铺开": ["在全域推开,新增覆盖{a}个村(社区)", "累计开展活动{c}场,参与党员{e}人次",
             "建立周调度机制,解决群众急难愁盼问题{d}件", "完善制度{c}项,推动常态长效"],
    "总结提炼": ["梳理经验做法,形成总结材料初稿", "整理项目台账和佐证材料{d}份", "开展群众满意度测评,满意率{g}%"],
}
PLAN_PHRASES: dict[str, list[str]] = {
    "调研摸底": ["继续走访调研,汇总问题清单", "召开专题座谈会听取党员群众意见"],
    "方案制定": ["修改完善实施方案,提交党(工)委会审议", "细化责任分工和时间节点"],
    "试点推进": ["推进试点工作,及时总结试点经验", "组织试点单位开展中期交流"],
    "观摩交流": ["筹备现场观摩,完善展示点位", "迎接双周通报检查"],
    "全面铺开": ["在全域推广,强化督导调度", "开展专项督查,推动任务落地"],
    "总结提炼": ["提炼经验做法,准备终期评审材料", "完善台账资料,做好成果固化"],
    "巩固": ["巩固提升项目成效,总结推广经验做法", "做好项目成果宣传和长效机制建设"],
}
DIFFICULTIES = ["部分村(社区)积极性不高,推进进度不一", "专项经费尚未到位", "党员年龄结构偏大,骨干力量不足",
                "场地改造涉及多方协调,进度偏慢", "群众参与度有待提高", "信息平台数据对接存在困难",
                "疫情防控任务重,人员抽调较多", "部分小区业委会未成立,协调难度大", "专业人才缺乏"]
COORDINATION = ["需县财政局协调落实项目经费", "需县住建局支持场地改造审批", "需县委组织部协调观摩安排",
                "需相关部门共享网格数据", "需县人社局支持技能培训资源", "需县融媒体中心协助宣传报道"]


def _percent_series(rng: random.Random, p: Project, weeks: Sequence[date]) -> list[int]:
    """完成进度 for each week: rising, following what was done; behind projects well below schedule."""
    out, last = [], 0
    behind = p.number in BEHIND
    for week in weeks:
        day = min(week + timedelta(days=4), AS_OF)
        done, planned = done_share(p, day)
        if done >= 1.0:
            value = 100
        else:
            ms = p.milestones
            nxt = next(m for m in ms if m.done_on is None or m.done_on > day)
            prev_day = max([m.planned_on for m in ms if m.seq < nxt.seq] + [p.approved_on])
            span = max((nxt.planned_on - prev_day).days, 1)
            frac = min(max((day - prev_day).days / span, 0.0), 0.9)
            w = (nxt.weight or 1.0) / sum(m.weight or 1.0 for m in ms)
            value = 100 * (done + w * frac * (0.25 if behind else 0.6))
            if behind:
                value = min(value * 0.85, 100 * planned - 15)
            value = round(min(max(value + rng.gauss(0, 1.5), 2), 98))
        last = max(last, value)
        out.append(last)
    return out


def _phase(p: Project, day: date) -> str:
    """The milestone the project is working on that day."""
    for m in p.milestones:
        if m.done_on is None or m.done_on > day:
            return m.name
    return "巩固"


def _fill(rng: random.Random, phrase: str) -> str:
    return phrase.format(a=rng.randint(2, 9), b=rng.randint(12, 86), c=rng.randint(2, 6), d=rng.randint(5, 24),
                         e=rng.randint(60, 480), f=rng.randint(120, 1600), g=rng.randint(92, 99))


def build_weekly(projects: Sequence[Project]) -> list[tuple[Any, ...]]:
    """项目周报 rows, with the planned gaps."""
    rng = rng_for("weekly")
    rows: list[tuple[Any, ...]] = []
    for p in projects:
        weeks = [w for w in WEEKS if w >= p.first_week]
        if p.number in TERMINATED:
            weeks = [w for w in weeks if w <= monday(TERMINATED[p.number])]
        percents = _percent_series(rng, p, weeks)
        skipped: set[date] = set()
        if p.number in MISSING_LAST_TWO:
            skipped |= {WEEKS[-2], WEEKS[-1]}
        if p.number in MISSING_SOME:
            skipped |= set(rng.sample([w for w in weeks[2:-3]], MISSING_SOME[p.number]))
        for week, percent in zip(weeks, percents, strict=True):
            if week in skipped:
                continue
            day = week + timedelta(days=4)
            phase = _phase(p, day)
            if phase == "巩固":
                summary = "项目各节点任务已全部完成,巩固提升成效,总结推广经验做法"
            else:
                summary = ";".join(_fill(rng, s) for s in rng.sample(SUMMARY_PHRASES[phase], 2))
            plan = rng.choice(PLAN_PHRASES[phase])
            if p.number in TERMINATED and week == monday(TERMINATED[p.number]):
                summary = "项目内容与全县农村公路专项整治重叠,经报县委组织部同意终止实施,相关工作并入专项行动"
                plan = "移交项目台账资料"
            difficulty = rng.choice(DIFFICULTIES) if rng.random() < (0.4 if p.number in BEHIND else 0.12) else None
            coordination = rng.choice(COORDINATION) if rng.random() < 0.08 else None
            value: Any = percent
            if rng.random() < 0.012:  # now and then written as text with a percent sign
                value = f"{percent}%"
            rows.append((p.project_id, week, summary, plan, value, difficulty, coordination, p.reporter))
    return rows


def write_weekly(projects: Sequence[Project]) -> dict[str, int]:
    """03_项目周报.xlsx"""
    wb = new_workbook()
    n = write_table(wb.create_sheet("项目周报"),
                    ["项目编号", "周次", "本周小结", "下周计划", "完成进度", "存在困难", "需协调事项", "填报人"],
                    build_weekly(projects), formats={1: DATE_FMT}, widths=[12, 12, 60, 36, 8, 30, 30, 8])
    save(wb, FILES["weekly"])
    return {"项目周报": n}


JUDGES: dict[str, float] = {"评委A": 0.0, "评委B": 1.0, "评委C": 3.0, "评委D": -1.0, "评委E": 0.5,
                            "评委F": -3.0, "评委G": 0.0}
CRITERIA = [("举措实在", 30.0), ("解难实时", 30.0), ("成果实用", 40.0)]
ROUND_LABELS: dict[int, Any] = {1: 1, 2: "第二轮", 3: "第三轮"}
NOTES = ["亮点突出,成效明显", "建议进一步提炼经验做法", "佐证材料不够充分", "群众获得感强", "举措有新意",
         "成果数据需进一步核实", "推进节奏偏慢", "可复制可推广"]


def build_reviews(projects: Sequence[Project]) -> list[tuple[Any, ...]]:
    """评审打分: quality per project, a bias per judge, noise; 已终止 projects only in round 1."""
    rng = rng_for("reviews")
    quality = {}
    for p in projects:
        q = rng.uniform(0.62, 0.82)
        q += 0.04 * (p.number in SEED_NAMED) + 0.08 * (p.number in PRAISED)
        q -= 0.12 * (p.number == WASTEFUL) + 0.05 * (p.number in BEHIND) + 0.08 * (p.number in TERMINATED)
        quality[p.number] = (q, rng.uniform(-0.03, 0.04))  # level, change per round
    rows = []
    for rnd in (1, 2, 3):
        for p in projects:
            if p.number in TERMINATED and rnd > 1:
                continue
            level, trend = quality[p.number]
            q = level + trend * (rnd - 1)
            for judge, bias in JUDGES.items():
                scores = []
                for _, top in CRITERIA:
                    x = top * q + bias * top / 100 + rng.gauss(0, 0.045 * top)
                    scores.append(round(min(max(x, 0.0), top), 1))
                note = rng.choice(NOTES) if rng.random() < 0.06 else None
                rows.append((ROUND_LABELS[rnd], p.project_id, judge, *scores, note))
    return rows


def write_reviews(projects: Sequence[Project]) -> dict[str, int]:
    """04_评审打分.xlsx"""
    wb = new_workbook()
    n = write_table(wb.create_sheet("评审打分"),
                    ["轮次", "项目编号", "评委", "举措实在", "解难实时", "成果实用", "备注"],
                    build_reviews(projects), widths=[8, 12, 8, 9, 9, 9, 24])
    save(wb, FILES["reviews"])
    return {"评审打分": n}


def write_grids(grids: Sequence[Grid]) -> dict[str, int]:
    """05_网格台账.xlsx"""
    wb = new_workbook()
    n = write_table(wb.create_sheet("网格台账"),
                    ["乡镇街道", "村社区", "网格", "网格党支部", "党员数", "党建指导员", "网格巡查员", "网格信息员数"],
                    ((g.unit, g.community, g.grid, g.branch, g.members, g.instructor, g.inspector, g.informants)
                     for g in grids), widths=[12, 12, 10, 26, 8, 10, 10, 12])
    save(wb, FILES["grids"])
    return {"网格台账": n}


def _messy_month(month: date, i: int) -> str:
    """Months as street offices type them: 2021年11月, 2021-12, 202201, …"""
    return [f"{month.year}年{month.month}月", month.strftime("%Y-%m"), month.strftime("%Y%m")][i % 3]


def _messy_count(rng: random.Random, value: int) -> Any:
    if value >= 1000 and rng.random() < 0.6:
        return f"{value:,}"
    if rng.random() < 0.03:
        return f" {value} "
    return value


def write_xingsha_stats(rows: Sequence[StatRow]) -> dict[str, int]:
    """06_网格统计_星沙街道.xlsx: the messy sheet as the street office sends it."""
    rng = rng_for("xingsha-messy")
    wb = new_workbook()
    ws = wb.create_sheet("星沙街道网格统计")
    headers = ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据(条)", "上报事件(件)", "处置事项(件)"]
    ws.append(["长沙县星沙街道2021年11月—2022年10月网格统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = HEADER_FONT
    month_index = {m: i for i, m in enumerate(MONTHS)}
    for r in sorted(rows, key=lambda r: r.month):
        ws.append([_messy_month(r.month, month_index[r.month]), r.unit, r.community, r.grid,
                   _messy_count(rng, r.collected), _messy_count(rng, r.reported), _messy_count(rng, r.handled)])
    ws.append(["合计", None, None, None, sum(r.collected for r in rows), sum(r.reported for r in rows),
               sum(r.handled for r in rows)])
    ws.freeze_panes = "A4"
    for col, width in zip("ABCDEFG", [12, 10, 12, 10, 16, 14, 14], strict=True):
        ws.column_dimensions[col].width = width
    save(wb, FILES["xingsha_stats"])
    return {"星沙街道网格统计": len(rows)}


def write_grid_stats(rows: Sequence[StatRow]) -> dict[str, int]:
    """06_网格统计.xlsx: clean; 统计月份 as the first day of the month."""
    wb = new_workbook()
    n = write_table(wb.create_sheet("网格统计"),
                    ["统计月份", "乡镇街道", "村社区", "网格", "采集基础数据", "上报事件", "处置事项"],
                    ((r.month, r.unit, r.community, r.grid, r.collected, r.reported, r.handled) for r in rows),
                    formats={0: MONTH_FMT}, widths=[10, 12, 12, 10, 12, 10, 10])
    save(wb, FILES["grid_stats"])
    return {"网格统计": n}


def write_events(events: Sequence[Event]) -> dict[str, int]:
    """07_事件明细_㮾梨街道.xlsx"""
    wb = new_workbook()
    n = write_table(wb.create_sheet("事件明细"),
                    ["事件编号", "上报时间", "乡镇街道", "村社区", "网格", "事件类别", "处置状态", "处置完成时间"],
                    ((e.event_id, e.reported_at, e.unit, e.community, e.grid, e.category, e.status, e.handled_at)
                     for e in events),
                    formats={1: DATETIME_FMT, 7: DATETIME_FMT}, widths=[18, 17, 10, 12, 10, 10, 10, 17])
    save(wb, FILES["events"])
    return {"事件明细": n}


# --------------------------------------------------------------------------- generate

def generate() -> dict[str, int]:
    """Write every workbook; returns rows per sheet."""
    units = build_units()
    projects = build_projects(units)
    grids = build_grids(units)
    events = build_events(grids)
    counts: dict[str, int] = {}
    counts |= write_units(units)
    counts |= write_projects(projects, grids)
    counts |= write_weekly(projects)
    counts |= write_reviews(projects)
    counts |= write_grids(grids)
    counts |= write_xingsha_stats(build_xingsha_stats(grids))
    counts |= write_grid_stats(build_grid_stats(grids, events))
    counts |= write_events(events)
    return counts


# --------------------------------------------------------------------------- check

def to_int(value: Any) -> int:
    """A count as the street office wrote it: 1,234 / " 98 " / 98."""
    if isinstance(value, str):
        value = value.strip().replace(",", "")
    return int(value)


def read_sheet(file: str, sheet: str, header_row: int = 1) -> tuple[list[str], list[tuple[Any, ...]]]:
    wb = load_workbook(DATA_DIR / file, read_only=True, data_only=True)
    try:
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    body = [r for r in rows[header_row:] if any(v is not None for v in r)]
    return list(rows[header_row - 1]), body


def check() -> list[str]:
    """Read the workbooks back and check them; returns the problems found (empty when all is well)."""
    problems: list[str] = []

    def expect(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    def unique(name: str, keys: list[tuple[Any, ...]]) -> None:
        dup = [k for k, c in Counter(keys).items() if c > 1]
        expect(not dup, f"{name}: duplicate keys {dup[:3]}")

    _, units = read_sheet(FILES["units"], "单位名录")
    unit_names = {r[0] for r in units}
    unique("单位名录", [(r[0],) for r in units])

    _, projects = read_sheet(FILES["projects"], "项目台账")
    ids = {r[0] for r in projects}
    expect(len(projects) == 34, f"项目台账: {len(projects)} projects, expected 34")
    unique("项目台账", [(r[0],) for r in projects])
    expect({r[2] for r in projects} <= unit_names, "项目台账: 牵头单位 not in 单位名录")
    expect(all(r[7] >= r[6] for r in projects), "项目台账: 计划完成日期 before 立项日期")
    led = {r[2] for r in projects}
    expect(all(u in led for u in STREETS + TOWNS), "项目台账: a street or town leads no project")

    def month_of(value: Any) -> date:
        if isinstance(value, datetime):
            return value.date().replace(day=1)
        if isinstance(value, date):
            return value.replace(day=1)
        text = str(value).strip()
        m = re.fullmatch(r"(\d{4})(?:-|年)?(\d{1,2})月?", text)
        assert m, text
        return date(int(m[1]), int(m[2]), 1)

    keyed = {"项目节点": (0, 1), "成效指标": (0, 1, 5), "项目标记": (0, 1)}
    for sheet, key in keyed.items():
        _, rows = read_sheet(FILES["projects"], sheet)
        expect({r[0] for r in rows} <= ids, f"{sheet}: unknown 项目编号")
        if sheet == "成效指标":
            rows = [(*r[:5], month_of(r[5])) for r in rows]
        unique(sheet, [tuple(r[i] for i in key) for r in rows])
    _, indicators = read_sheet(FILES["projects"], "成效指标")
    have = {(r[0], r[1], r[2], r[4]) for r in indicators}
    for number, name, unit, _, actual in INDICATORS_SEED:
        expect((f"LH2022-{number:02d}", name, unit, actual) in have,
               f"成效指标: seed figure {name} {actual}{unit} missing")

    _, weekly = read_sheet(FILES["weekly"], "项目周报")
    expect({r[0] for r in weekly} <= ids, "项目周报: unknown 项目编号")
    unique("项目周报", [(r[0], r[1]) for r in weekly])
    _, reviews = read_sheet(FILES["reviews"], "评审打分")
    expect({r[1] for r in reviews} <= ids, "评审打分: unknown 项目编号")
    unique("评审打分", [(r[0], r[1], r[2]) for r in reviews])
    expect(all(0 <= r[3] <= 30 and 0 <= r[4] <= 30 and 0 <= r[5] <= 40 for r in reviews),
           "评审打分: score out of range")

    _, grid_rows = read_sheet(FILES["grids"], "网格台账")
    expect({r[0] for r in grid_rows} <= unit_names, "网格台账: 乡镇街道 not in 单位名录")
    unique("网格台账", [tuple(r[:3]) for r in grid_rows])
    registry = {tuple(r[:3]) for r in grid_rows}
    xs = [r for r in grid_rows if r[0] == XINGSHA]
    expect(len(xs) == 67 and all(r[3] for r in xs), f"网格台账: 星沙 has {len(xs)} grids, expected 67 with branches")
    expect(sum(r[4] for r in xs) >= 3000, "网格台账: 星沙 has fewer than 3,000 party members")
    ll = [r for r in grid_rows if r[0] == LANGLI]
    expect(len({r[1] for r in ll}) == 9 and len(ll) == 59, "网格台账: 㮾梨 must have 9 communities and 59 grids")
    expect(all(r[3] and r[5] and r[6] and r[7] >= 1 for r in ll), "网格台账: 㮾梨 grid without 1+1+N")

    headers, messy = read_sheet(FILES["xingsha_stats"], "星沙街道网格统计", header_row=3)
    expect(headers[0] == "统计月份", "星沙: header row is not row 3")
    total_row = [r for r in messy if r[0] == "合计"]
    body = [r for r in messy if r[0] != "合计"]
    sums = [sum(to_int(r[i]) for r in body) for i in (4, 5, 6)]
    expect(sums == list(XINGSHA_TOTALS.values()), f"星沙: sums {sums}, expected {list(XINGSHA_TOTALS.values())}")
    expect(len(total_row) == 1 and list(total_row[0][4:7]) == sums, "星沙: 合计 row missing or wrong")
    expect(len(body) == 67 * 12, f"星沙: {len(body)} rows, expected {67 * 12}")
    unique("星沙街道网格统计", [(month_of(r[0]), *r[1:4]) for r in body])
    expect({tuple(r[1:4]) for r in body} == {k for k in registry if k[0] == XINGSHA},
           "星沙: grids differ from registry")

    _, stats = read_sheet(FILES["grid_stats"], "网格统计")
    expect({r[1] for r in stats} <= unit_names, "网格统计: 乡镇街道 not in 单位名录")
    unique("网格统计", [(month_of(r[0]), *r[1:4]) for r in stats])
    others = {k for k in registry if k[0] != XINGSHA}
    expect({tuple(r[1:4]) for r in stats} == others and len(stats) == 12 * len(others),
           "网格统计: not every grid × 12 months")

    _, events = read_sheet(FILES["events"], "事件明细")
    expect({r[2] for r in events} <= unit_names, "事件明细: 乡镇街道 not in 单位名录")
    unique("事件明细", [(r[0],) for r in events])
    expect(all(r[7] is None or r[7] >= r[1] for r in events), "事件明细: handled before reported")
    expect(all((r[6] == "已处置") == (r[7] is not None) for r in events), "事件明细: status and 处置完成时间 disagree")
    expect(all(tuple(r[2:5]) in registry for r in events), "事件明细: grid not in registry")
    derived: Counter[tuple[Any, ...]] = Counter()
    for r in events:
        derived[(month_of(r[1]), *r[2:5], "reported")] += 1
        if r[7] is not None:
            derived[(month_of(r[7]), *r[2:5], "handled")] += 1
    mismatches = [
        r for r in stats if r[1] == LANGLI
        and (r[5], r[6]) != tuple(derived[(month_of(r[0]), *r[1:4], kind)] for kind in ("reported", "handled"))
    ]
    expect(not mismatches, f"网格统计: {len(mismatches)} 㮾梨 rows disagree with 事件明细")
    expect(sum(derived[k] for k in derived if k[-1] == "reported") == len(events),
           "事件明细: events outside the 12 months")
    return problems


def summary() -> str:
    _, grid_rows = read_sheet(FILES["grids"], "网格台账")
    ll = [r for r in grid_rows if r[0] == LANGLI]
    xs = [r for r in grid_rows if r[0] == XINGSHA]
    _, messy = read_sheet(FILES["xingsha_stats"], "星沙街道网格统计", header_row=3)
    total = next(r for r in messy if r[0] == "合计")
    rate = total[6] / total[5]
    return (f"星沙街道: {len(xs)} 个网格, 党员 {sum(r[4] for r in xs):,} 名; 采集基础数据 {total[4]:,}, "
            f"上报事件 {total[5]:,}, 处置事项 {total[6]:,}, 处置率 {rate:.1%}\n"
            f"㮾梨街道: {len({r[1] for r in ll})} 个村(社区), {len(ll)} 个网格")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the workbooks already in data/")
    args = parser.parse_args(argv)
    if not args.check:
        counts = generate()
        for sheet, n in counts.items():
            print(f"{sheet}: {n:,} 行")
    print(summary())
    problems = check()
    for p in problems:
        print("检查未通过:", p, file=sys.stderr)
    if not problems:
        print("检查通过")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

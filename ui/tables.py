"""Tables as the pages show them: Chinese headers, formatted columns, drill-down callbacks."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics.disposal import rank_change_label, rate_note

NAMES = {"unit": "乡镇街道", "community": "村社区", "grid": "网格"}

RANKING_CONFIG = {
    "处置率": st.column_config.ProgressColumn("处置率", format="%.1f%%", min_value=0, max_value=100,
                                           help="处置事项 ÷ 上报事件"),
}
#: the ranking's 处置率 is in percent already (for the bar); 名次 is text (a number or 不排名)
RANKING_KINDS = {"处置率": "percent", "名次": "text"}


def reset_state(*keys: str) -> None:
    """on_change callback: clear dependent widgets (a new street has other communities)."""
    for key in keys:
        st.session_state[key] = None


def drill_callback(table_key: str, target: str, names: list[str]) -> Callable[[], None]:
    """A dataframe on_select callback that sets the next drill level's selectbox to the picked row.

    Callbacks run before the script, so the selectbox may still be changed.
    """
    def pick() -> None:
        rows = st.session_state[table_key].selection.rows
        if rows:
            st.session_state[target] = names[rows[0]]
            if target == "drill_unit":
                st.session_state["drill_community"] = None
    return pick


def _rank_text(rank: object, ranked: bool) -> str:
    return str(int(rank)) if ranked and pd.notna(rank) else "不排名"


def ranking_table(rank: pd.DataFrame, level: str) -> pd.DataFrame:
    """The ranking as shown: 名次, the name column(s), counts, rate in percent, change of rank."""
    keys = {"unit": ["unit"], "community": ["community"], "grid": ["community", "grid"]}[level]
    out = pd.DataFrame({
        "名次": [_rank_text(r, ok) for r, ok in zip(rank["rank"], rank["ranked"], strict=True)],
        **{NAMES[k]: rank[k] for k in keys},
        "采集基础数据": rank["collected"],
        "上报事件": rank["reported"],
        "处置事项": rank["handled"],
        "处置率": (rank["rate"] * 100).round(1),
        "名次变化": [rank_change_label(r, p, bool(c)) for r, p, c in
                 zip(rank["rank"], rank["previous_rank"], rank["previous_complete"], strict=True)],
        "说明": [rate_note(r) for r in rank["rate"]],
    })
    return out


def structure_table(structure: pd.DataFrame) -> pd.DataFrame:
    return structure.rename(columns={
        "unit": "乡镇街道", "community": "村社区", "communities": "村社区数", "grids": "网格数",
        "branches": "网格党支部", "members": "党员数", "instructors": "党建指导员", "inspectors": "网格巡查员",
        "informants": "网格信息员",
    })


def change_table(changes: pd.DataFrame, month_label: str) -> pd.DataFrame:
    """One row of ``disposal.month_changes`` as 指标 × (本月, 上月, 环比, 去年同月, 同比), formatted."""
    from analytics.disposal import rate_text
    from analytics.formatting import fmt_int, fmt_rate_change

    row = changes.iloc[0]
    lines = []
    for column, name in (("collected", "采集基础数据(条)"), ("reported", "上报事件(件)"), ("handled", "处置事项(件)")):
        lines.append([name, fmt_int(row[column]), fmt_int(row[f"{column}_mom"]),
                      _signed(row[f"{column}_change_mom"]), fmt_int(row[f"{column}_yoy"]),
                      _signed(row[f"{column}_change_yoy"])])
    lines.append(["处置率", rate_text(row["rate"]), rate_text(row["rate_mom"]), fmt_rate_change(row["rate_change_mom"]),
                  rate_text(row["rate_yoy"]), fmt_rate_change(row["rate_change_yoy"])])
    return pd.DataFrame(lines, columns=["指标", month_label, "上月", "环比", "去年同月", "同比"])


def _signed(value: object) -> str:
    """A change of a count: "+1,234", "-56", and "0" (never "+0")."""
    return "—" if pd.isna(value) else f"{int(value):+,}" if int(value) else "0"

"""大屏 playlists: a named set of slides, the projects to visit, seconds per slide and a theme.

An administrator prepares a playlist before the 月观摩; the meeting laptop opens
``?display=TOKEN&playlist=NAME`` and the deck runs by itself. Stored in the
``playlists`` table (migration ``_v6_playlists``); every save and delete is audited.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

import database
from accounts import audit
from analytics.kiosk import SLIDE_KINDS

THEMES = {"light": "浅色(明亮会场)", "dark": "深色高对比(暗场投影)"}
MIN_SECONDS, MAX_SECONDS = 3, 600
NAME_MAX = 40


class PlaylistError(ValueError):
    """A playlist that cannot be saved, with the reasons in Chinese."""


@dataclass(frozen=True)
class Playlist:
    """One playlist. ``slides`` are kinds of :data:`analytics.kiosk.SLIDE_KINDS` in showing order;
    ``projects`` the visit list (project ids, in visiting order) for the "projects" slides."""

    name: str
    slides: tuple[str, ...] = ("overview", "status", "grid", "review")
    projects: tuple[str, ...] = ()
    seconds: int = 15
    theme: str = "light"
    grid_first: date | None = None
    grid_last: date | None = None


#: what the projector shows without a playlist (or when the named one does not exist)
#: what plays without a playlist; DASHBOARD_SLIDE_SECONDS sets its seconds per slide (a setting, 15 by default)
DEFAULT = Playlist("默认", seconds=min(MAX_SECONDS, max(MIN_SECONDS, int(os.environ.get("DASHBOARD_SLIDE_SECONDS") or 15))))


def problems(p: Playlist, known_projects: set[str]) -> list[str]:
    """Everything wrong with ``p``, in Chinese, naming the field; empty when it can be saved."""
    out = []
    name = p.name.strip()
    if not name:
        out.append("名称:不能为空。")
    elif len(name) > NAME_MAX:
        out.append(f"名称:最多 {NAME_MAX} 个字,现有 {len(name)} 个。")
    if not p.slides:
        out.append("幻灯片:至少选择一种。")
    unknown = [s for s in p.slides if s not in SLIDE_KINDS]
    if unknown:
        out.append(f"幻灯片:不认识 {'、'.join(unknown)},可选 {'、'.join(SLIDE_KINDS.values())}。")
    if len(set(p.slides)) != len(p.slides):
        out.append("幻灯片:同一种选了两次。")
    if "projects" in p.slides and not p.projects:
        out.append("观摩项目:选了“观摩项目”幻灯片,请至少选择一个项目。")
    missing = [pid for pid in p.projects if pid not in known_projects]
    if missing:
        out.append(f"观摩项目:项目台账中没有 {'、'.join(missing)}。")
    if not isinstance(p.seconds, int) or not MIN_SECONDS <= p.seconds <= MAX_SECONDS:
        out.append(f"每页秒数:应为 {MIN_SECONDS}—{MAX_SECONDS} 之间的整数,现为 {p.seconds}。")
    if p.theme not in THEMES:
        out.append(f"主题:应为 {'、'.join(THEMES)} 之一,现为 {p.theme}。")
    if (p.grid_first is None) != (p.grid_last is None):
        out.append("网格统计期:起止月份要么都填,要么都不填(都不填即最近一个月)。")
    elif p.grid_first and p.grid_last and p.grid_first > p.grid_last:
        out.append("网格统计期:起始月份晚于截止月份。")
    return out


def save_playlist(con: duckdb.DuckDBPyConnection, p: Playlist, actor: str, now: datetime,
                  known_projects: set[str]) -> None:
    """Create or replace the playlist named ``p.name``; raises :class:`PlaylistError` and writes
    nothing when it has problems."""
    found = problems(p, known_projects)
    if found:
        raise PlaylistError("播放列表未保存:" + "".join(found))
    name = p.name.strip()
    with database.transaction(con) as cur:
        existed = cur.execute("select count(*) from playlists where name = ?", [name]).fetchone()[0]
        cur.execute("delete from playlists where name = ?", [name])
        cur.execute("insert into playlists (name, slides, projects, seconds, theme, grid_first, grid_last, "
                    "updated_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [name, json.dumps(list(p.slides)), json.dumps(list(p.projects), ensure_ascii=False),
                     p.seconds, p.theme, p.grid_first, p.grid_last, actor, now])
        audit(cur, actor, "修改大屏播放列表" if existed else "新建大屏播放列表", name, "成功", now)


def _date(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def get_playlist(con: duckdb.DuckDBPyConnection, name: str | None) -> Playlist | None:
    """The playlist of that name, or None."""
    if not name:
        return None
    rows = database.query(con, "select * from playlists where name = ?", [name.strip()])
    if rows.empty:
        return None
    r = rows.iloc[0]
    return Playlist(str(r["name"]), tuple(json.loads(r["slides"])), tuple(json.loads(r["projects"])),
                    int(r["seconds"]), str(r["theme"]), _date(r["grid_first"]), _date(r["grid_last"]))


def list_playlists(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every playlist: name, slides, projects (JSON text), seconds, theme, grid period, who saved it and when."""
    return database.query(con, "select * from playlists order by name")


def delete_playlist(con: duckdb.DuckDBPyConnection, name: str, actor: str, now: datetime) -> None:
    with database.transaction(con) as cur:
        cur.execute("delete from playlists where name = ?", [name])
        audit(cur, actor, "删除大屏播放列表", name, "成功", now)

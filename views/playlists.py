"""大屏播放列表: an administrator prepares the 月观摩 deck — slides, visit list, seconds, theme, grid period."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import playlists
from accounts import ADMIN
from analytics.disposal import months_available
from analytics.formatting import fmt_month
from analytics.kiosk import SLIDE_KINDS
from ui import auth, data
from ui.components import empty_state, show_table

admin = auth.require(ADMIN)
st.title("大屏播放列表")
st.caption("为观摩会准备大屏:选幻灯片、观摩项目(按观摩顺序)、每页秒数和主题。会场电脑打开"
           "“看板地址/?display=大屏链接令牌&playlist=名称”即可自动播放(令牌在 系统管理 → 大屏链接 生成);"
           "可加 &slide=N 从第 N 页开始、&theme=dark 或 light 临时换主题。")
con = data.con()
saved = playlists.list_playlists(con)
projects = data.table("projects")
names = dict(zip(projects["project_id"], projects["name"], strict=True))

if saved.empty:
    empty_state("还没有播放列表。下面新建一个。")
else:
    show_table(pd.DataFrame({
        "名称": saved["name"],
        "幻灯片": [" → ".join(SLIDE_KINDS.get(k, k) for k in json.loads(v)) for v in saved["slides"]],
        "观摩项目": [len(json.loads(v)) for v in saved["projects"]],
        "每页秒数": saved["seconds"],
        "主题": saved["theme"].map(playlists.THEMES),
        "修改人": saved["updated_by"],
        "修改时间": pd.to_datetime(saved["updated_at"]).dt.floor("min"),
    }), key="playlists_table", kinds={"修改时间": "datetime"})

choice = st.selectbox("编辑", ["(新建)", *saved["name"]], key="playlist_pick", placeholder="请选择")
current = playlists.get_playlist(con, choice) if choice != "(新建)" else None
base = current or playlists.Playlist("")
months = months_available(data.table("grid_stats"))
with st.form("playlist_form"):
    name = st.text_input("名称", value=base.name, max_chars=playlists.NAME_MAX, key="playlist_name")
    slides = st.multiselect("幻灯片(按播放顺序)", list(SLIDE_KINDS), default=list(base.slides),
                            format_func=SLIDE_KINDS.get, key="playlist_slides", placeholder="请选择幻灯片",
                            help="“项目状态”按红、黄项目多少自动分页;“评审排名”在有评审打分后才出现")
    visit = st.multiselect("观摩项目(按观摩顺序,每个项目一页)", list(names), default=list(base.projects),
                           format_func=lambda p: f"{p} {names.get(p, '')}", key="playlist_projects",
                           placeholder="请选择观摩项目")
    seconds = st.number_input("每页秒数", min_value=playlists.MIN_SECONDS, max_value=playlists.MAX_SECONDS,
                              value=base.seconds, step=1, key="playlist_seconds")
    theme = st.radio("主题", list(playlists.THEMES), format_func=playlists.THEMES.get, horizontal=True,
                     index=list(playlists.THEMES).index(base.theme), key="playlist_theme")
    period = st.select_slider("网格处置率排名的统计期(不选即最近一个月)", options=[None, *months],
                              value=(base.grid_first, base.grid_last) if base.grid_first else None,
                              format_func=lambda m: "最近一个月" if m is None else fmt_month(m),
                              key="playlist_period") if months else None
    if st.form_submit_button("保存", type="primary"):
        first, last = period if isinstance(period, tuple) else (None, None)
        if first is None or last is None:
            first = last = None
        try:
            playlists.save_playlist(con, playlists.Playlist(name, tuple(slides), tuple(visit), int(seconds), theme,
                                                            first, last), admin.username, auth.now(), set(names))
            st.success(f"已保存播放列表“{name.strip()}”。")
        except playlists.PlaylistError as exc:
            st.error(str(exc))

if current is not None:
    c1, c2 = st.columns(2)
    c1.page_link("views/projector.py", label=f"在大屏播放“{current.name}”", icon=":material/slideshow:",
                 query_params={"playlist": current.name})
    if c2.button(f"删除“{current.name}”", key="playlist_delete", icon=":material/delete:"):
        playlists.delete_playlist(con, current.name, admin.username, auth.now())
        st.rerun()

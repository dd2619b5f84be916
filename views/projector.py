"""大屏: the 月观摩 deck on a projector — a scaled 16:9 stage, nothing on it but the slide.

Opened by a logged-in user from the menu, or without a log-in through a display link
``?display=TOKEN&playlist=NAME&slide=N&theme=dark|light``. The playlist (系统管理 → 大屏播放列表)
decides the slides, the visit list and the seconds per slide. Keys ← → space turn the pages; a
mouse move shows the controls.
"""

from __future__ import annotations

import time

import streamlit as st

import charts
import playlists
from analytics.kiosk import GRID_BARS_PER_CHART, Slide
from ui import auth, data, kiosk
from ui.components import as_of_date

auth.require()
user = auth.current_user()
INDEX, SHOWN_AT, PAUSED, PLAYING = "kiosk_index", "kiosk_shown_at", "kiosk_paused", "kiosk_playing"

asked = st.query_params.get("playlist")
playlist = playlists.get_playlist(data.con(), asked) or playlists.DEFAULT
notice = f"未找到播放列表“{asked}”,正在播放默认内容" if asked and playlist is playlists.DEFAULT else ""
theme = st.query_params.get("theme")
theme = theme if theme in playlists.THEMES else playlist.theme

st.html(kiosk.css(theme))
with st.container(key="kiosk_script"):
    st.html(kiosk.SCRIPT, unsafe_allow_javascript=True)

if st.session_state.get(PLAYING) != playlist.name:  # a new playlist starts at ?slide=N (1-based) or the first
    st.session_state[PLAYING] = playlist.name
    start = st.query_params.get("slide", "1")
    st.session_state[INDEX] = int(start) - 1 if start.isdigit() and int(start) > 0 else 0
    st.session_state[SHOWN_AT] = time.monotonic()
    st.session_state.setdefault(PAUSED, False)


def step(delta: int) -> None:
    st.session_state[INDEX] += delta
    st.session_state[SHOWN_AT] = time.monotonic()


def toggle_pause() -> None:
    st.session_state[PAUSED] = not st.session_state[PAUSED]
    st.session_state[SHOWN_AT] = time.monotonic()


def still_allowed() -> bool:
    """The display link (or the account) is checked again on every advance, so a revoked link stops the tab."""
    check = getattr(auth, "still_allowed", None)  # the shared check, where ui.auth provides one
    if check is not None:
        return bool(check())
    return auth.current_user() is not None or auth.check_display_token()


def body(slide: Slide) -> None:
    """The slide's content under its heading (charts at fixed sizes that fit the 1280×720 stage)."""
    if slide.kind == "overview":
        st.html(kiosk.overview_html(slide))
    elif slide.kind == "status":
        st.html(kiosk.status_html(slide))
    elif slide.kind == "review":
        st.html(kiosk.review_html(slide))
    elif slide.kind == "grid" and slide.payload["ranking"] is not None:
        parts = kiosk.split_evenly(slide.payload["ranking"], GRID_BARS_PER_CHART)
        width = kiosk.column_width([1] * len(parts))
        bars = "".join(charts.kiosk_ranking_svg(part, slide.payload["county_rate"], theme, width=width,
                                                height=kiosk.px(500), font_size=kiosk.px(16)) for part in parts)
        st.html(kiosk.grid_legend(slide) + f'<div class="k-charts">{bars}</div>')
    elif slide.kind == "project":
        left, right = st.columns([5, 7])
        width = kiosk.column_width([5, 7], 0)
        with left:
            st.html(kiosk.project_card_html(slide) + kiosk.curve_legend(theme)
                    + charts.kiosk_curve_svg(slide.payload["curve"], theme, width=width, height=kiosk.px(290),
                                             font_size=kiosk.px(15)))
        with right:
            st.html(kiosk.project_detail_html(slide))
    else:
        st.html(kiosk.empty_html(slide))


@st.fragment(run_every=playlist.seconds)
def stage() -> None:
    # token re-check: every run of this fragment (each advance, each key press) asks again
    if not still_allowed():
        st.rerun(scope="app")
    slides = kiosk.deck(playlist, as_of_date())  # rebuilt when an import changes data.version()
    now = time.monotonic()
    if not st.session_state[PAUSED] and now - st.session_state[SHOWN_AT] >= playlist.seconds - 1:
        step(1)  # a click's rerun runs this too: advance only when the slide has been up its full time
    index = st.session_state[INDEX] % len(slides)
    st.session_state[INDEX] = index
    st.query_params["slide"] = str(index + 1)  # a reload resumes here
    slide = slides[index]
    with st.container(key="kiosk_frame"), st.container(key="kiosk_stage", gap=None):
        st.html(kiosk.head(slide))
        body(slide)
        st.html(kiosk.foot(slide, index, len(slides), playlist.seconds, st.session_state[PAUSED], notice))
    with st.container(key="kiosk_controls", horizontal=True, gap="small"):
        st.button("上一页", key="kiosk_prev", icon=":material/chevron_left:", on_click=step, args=(-1,))
        st.button("继续" if st.session_state[PAUSED] else "暂停", key="kiosk_pause", on_click=toggle_pause,
                  icon=":material/play_arrow:" if st.session_state[PAUSED] else ":material/pause:")
        st.button("下一页", key="kiosk_next", icon=":material/chevron_right:", on_click=step, args=(1,))
        if user is not None:
            st.page_link("views/overview.py", label="退出大屏", icon=":material/close:")


stage()

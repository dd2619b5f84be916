"""评审排名: the ranking board, the arithmetic behind each project's place, and how the judges scored."""

from __future__ import annotations

import streamlit as st

from analytics import review_view as rv
from ui import auth, data, review_data, tables
from ui.components import download_table, empty_state, is_phone, show_table
from ui.text import md_escape

#: 名次 a number (sorts 2 before 10), the bonus as written (3, 0.5)
BOARD_KINDS = {"名次": "count", "项目编号": "text", "加分": "number"}

auth.require()
st.title("评审排名")
if data.table("review_scores").empty:
    empty_state("还没有评审打分。请到「数据上传」页下载“评审打分”模板,填好后上传。")
    st.stop()

settings = review_data.SETTINGS
choice = st.segmented_control(
    "排名依据", review_data.round_choices(), format_func=rv.round_choice_label, default=rv.ALL_ROUNDS,
    required=True, key="review_round",
    help="“截至第N轮”只用第1至第N轮的打分计算得分和名次(权重按这些轮次折算),用来回看当时的排名。")
round_date = None
if choice != rv.ALL_ROUNDS:  # looking back: only the flags already set on the round's date apply
    round_date = st.date_input(f"第{choice}轮评审日期", value=None, key="review_round_date", format="YYYY-MM-DD",
                               help="项目标记(取消资格、通报表扬)自其日期起生效:只计入这一天及以前的标记")
now = review_data.standing(choice, round_date)
rounds, flags, ranking, board, labels, summary = now.rounds, now.flags, now.ranking, now.board, now.labels, now.summary
if choice != rv.ALL_ROUNDS and len(flags) < now.all_flags:
    st.caption(f"按第{choice}轮评审日期 {round_date:%Y-%m-%d},{now.all_flags - len(flags)} 条之后的项目标记未计入"
               "(标记自其日期起生效)。" if round_date else
               f"未填第{choice}轮评审日期:{now.all_flags} 条项目标记均未计入;填写后计入该日及以前的标记(标记自其日期起生效)。")
st.caption(rv.rules_text(settings, rounds))

k = st.columns(5)
k[0].metric("参与排名项目", f"{summary['ranked']} 个", border=True,
            help=f"共 {summary['projects']} 个项目;未排名的是评审未完成或取消资格的项目")
k[1].metric(rv.SUGGESTED_COMMEND, f"{summary['commended']} 个", border=True,
            help=f"按规则计算:排名前 {settings.commend_top} 名(含并列)")
k[4].metric(rv.DECIDED_COMMEND, f"{len(rv.decided_commendations(flags))} 个", border=True,
            help="组织部在“项目标记”中决定通报表扬的项目(自标记日期起)")
k[2].metric("取消资格", f"{summary['disqualified']} 个", border=True,
            help="、".join(settings.disqualifying_flags) + "的项目:照常列出,不排名、不加分")
k[3].metric("已开展评审", f"{len(rounds)} 轮", border=True,
            help="有任一项目打分的轮次:" + ("、".join(f"第{r}轮" for r in rounds) or "无"))

missing = now.missing
if not missing.empty:
    st.warning(f"有 {len(missing)} 份评分尚未提交(评委给本轮部分项目打了分、另一些没有打),相关项目的得分可能不完整。",
               icon=":material/warning:")
    with st.expander(f"尚未提交的评分({len(missing)} 份)"):
        show_table(missing, key="review_missing", kinds={"项目编号": "text"},
                   name_column="项目名称")

st.subheader(f"排名榜 · {rv.round_choice_label(choice)}")
st.caption("已排名的项目在前,评审未完成、取消资格的项目列在其后并注明原因。点选一行可在下方查看该项目的得分明细。")
# numbers stay numbers (名次 and scores sort as numbers when a header is clicked); a missing one shows "—"
# at 1366×768 every column fits without sideways scrolling: names wrap, the short headers
# carry the full names as help, and 项目编号 and 状态 (名次 "—" and 说明 say it) are in the download only
# (a phone shows 名次, 牵头单位 and the scores only, in ordinary rows)
BOARD_ROW = 35 if is_phone() else 66  # Streamlit wraps text only in rows taller than 4rem (64 px): up to three lines
show_table(
    board, key="review_board", kinds=BOARD_KINDS, keep=[rv.SUGGESTED_COMMEND, rv.DECIDED_COMMEND],
    name_column="项目名称", phone=["名次", "牵头单位", "最终得分", "加分"], height=BOARD_ROW * len(board) + 38,
    row_height=BOARD_ROW, wrap=not is_phone(),
    column_order=[c for c in board.columns if c not in ("项目编号", "状态")],
    widths={"牵头单位": 164} if is_phone() else  # the longest unit name, 县人力资源和社会保障局, on one line
    {"项目名称": 160, "牵头单位": 80, "第一责任人": 76, "最终得分": 64, **{f"第{r}轮": 54 for r in rounds}},
    column_config={"名次": st.column_config.NumberColumn(format="%d", pinned=True, width=44),
                   "说明": st.column_config.TextColumn(width=90),
                   "加分": st.column_config.NumberColumn(format="%g", help="考核基础分加分", width=44),
                   rv.SUGGESTED_COMMEND: st.column_config.TextColumn(
                       "建议表扬", width=66, help=f"{rv.SUGGESTED_COMMEND}:按规则计算的前 {settings.commend_top} 名"),
                   rv.DECIDED_COMMEND: st.column_config.TextColumn(
                       "组织部表扬", width=80, help=f"{rv.DECIDED_COMMEND}:组织部在“项目标记”中决定通报表扬的项目")},
    selection_mode="single-row",
    on_select=tables.drill_callback("review_board", "review_project", board["项目编号"].tolist()),
)
download_table(board, f"评审排名({rv.round_choice_label(choice)})", key="dl_review_board", kinds=BOARD_KINDS)

st.subheader("得分明细:名次是怎样算出来的")
pid = st.selectbox("项目", list(labels), format_func=lambda p: labels[p], key="review_project", placeholder="请选择",
                   help="也可以在上面的排名榜中点选一行")
mine = ranking[ranking["project_id"] == pid].iloc[0]
st.info(md_escape(mine["explanation"]), icon=":material/calculate:")
per_round = review_data.breakdown(choice, pid)
if not per_round:
    empty_state("这个项目还没有任何评分。")
for rnd, table in per_round.items():
    with st.container(key=f"review_breakdown_{rnd}"):  # keyed so tests can find each round's table
        st.markdown(f"**第{rnd}轮**:{md_escape(rv.round_arithmetic(table))}")
        show_table(table, kinds={"合计": "score"}, drop_empty=False)

st.subheader("评委打分情况")
view = st.segmented_control("查看", ["评委一致性", "评委×项目热力图", "各轮得分分布"], default="评委一致性",
                            required=True, key="review_view")
if view == "评委一致性":
    st.caption(f"“与其他评委平均分之差”:评委给每个项目的总分减去其他评委给该项目总分的平均,再对这些项目取平均;"
               f"达到 ±{settings.bias_threshold:g} 分提示“打分偏高/偏低”。")
    consistency = review_data.consistency(choice)
    show_table(consistency, key="review_consistency")
    download_table(consistency, "评委打分一致性", key="dl_review_consistency")
elif view == "评委×项目热力图":
    heat_round = st.selectbox("轮次", rounds[::-1], format_func=lambda r: f"第{r}轮", key="review_heat_round", placeholder="请选择")
    st.plotly_chart(review_data.heatmap(choice, round_date, heat_round), key="review_heatmap")
else:
    st.plotly_chart(review_data.distribution(choice, round_date), key="review_distribution")

"""One function per view: read its widgets, call the pure layers, show the result. No logic of their own."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from explorer.app import state
from explorer.app.data import (
    WATCH_LIMIT,
    Loaded,
    cached_axis,
    cached_bloc_history,
    cached_blocs,
    cached_event_check,
    cached_event_layer,
    cached_evidence_panel,
    cached_lead,
    cached_relations_table,
    cached_view,
    cached_watch,
)
from explorer.app.graph_component import BlocPlay, bloc_play, pressure_play, show_event_graph, show_graph, window_view
from explorer.app.pickers import actor_picker, actors_picker
from explorer.events.layer import LAYERS
from explorer.graph import Axis, View, find_paths, signed_ties
from explorer.graph.balance import (
    BALANCE_IN_WORDS,
    SINCE_HORIZON_MONTHS,
    NeighbourhoodBalance,
    cross_pressured,
)
from explorer.graph.blocs import FRUSTRATION_IN_WORDS, partition_in_words, proof_in_words
from explorer.graph.check import (
    VERDICT_SHARE,
    AxisCheck,
    NotAnAligner,
    check_axis,
    check_filter,
    share_behind,
    short_names,
    verdict_words,
)
from explorer.graph.event_ties import PairTie
from explorer.graph.filters import analysis_basis
from explorer.graph.signed import empty_reason
from explorer.graph.start import headline, questions
from explorer.graph.timeline import (
    MAX_PLAY_BLOC_ACTORS,
    MAX_RIVER_ACTORS,
    PLAY_EXACT_ACTORS,
    bloc_changes,
    bloc_river,
    match_blocs,
    month_after,
    month_start,
    relation_spans,
    relations_per_month,
    slots_like,
    time_steps,
    window_from_brush,
)
from explorer.graph.views import WATCH_VIEW, Months, lens_options, lens_words, months_of
from explorer.render import Emphasis, NetworkData
from explorer.render.charts import (
    MOMENT_PICK,
    RELATION_PICK,
    WINDOW_BRUSH,
    balance_chart,
    bloc_river_chart,
    overview_chart,
    relations_chart,
)
from explorer.render.event_network import pair_panel, tie_panel_html
from explorer.render.html import LEGEND_CSS, blocs_html, md, pressure_legend_html
from explorer.render.sketch import axis_sketch_svg, slug, verdict_css
from explorer.store import StoreError
from explorer.tables.words import claimants_text

TABLE_KEY = "relations_table"
WATCH_EVIDENCE = 20  # the heaviest unbalanced triangles whose evidence the watch opens below its table
WATCH_COUNT_RELATIONS = 50_000  # beyond this many relations Explore links to the watch without counting first
PANEL_CSS = LEGEND_CSS + """
.evidence-panel h3 { margin: 0 0 4px; }
.evidence-panel .chip { color: #fff; padding: 1px 8px; border-radius: 10px; font-size: 12px; }
.evidence-panel .warn { color: #b45309; }
.evidence-panel .stances { display: flex; gap: 12px; flex-wrap: wrap; }
.evidence-panel .stance { flex: 1 1 260px; min-width: 240px; }
.evidence-panel .stance-disputes h4 { color: #c62828; }
.evidence-panel .stance-qualifies h4 { color: #8d6e63; }
.evidence-panel blockquote { margin: 6px 0; padding: 6px 10px; border-left: 4px solid #888; color: inherit;
  background: rgba(128, 128, 128, 0.12); white-space: pre-wrap; }
.evidence-panel figure { margin: 0 0 12px; }
.evidence-panel figcaption { font-size: 13px; opacity: 0.85; }
"""


def show_panel(html: str) -> None:
    st.html(f"<style>{PANEL_CSS}</style>{html}")


def names(loaded: Loaded) -> pd.Series:
    return loaded.index.dataset.actors["name"]


def evidence_of(loaded: Loaded, view: View, relation_id: str) -> None:
    """The evidence panel of one relation, or why there is none."""
    panel = cached_evidence_panel(loaded, view, relation_id)
    if panel is None:
        st.info("This relation is not in the current view: widen the filters to read it.")
        return
    show_panel(panel)


def explore(loaded: Loaded, view: View) -> None:
    """The first page: what the data is and where to start, then the graph with its in-browser panel; the
    relations table shares the graph's fragment, so selecting a row reruns only the two of them. The layer switch
    adds (or shows instead) the machine-coded event ties."""
    chosen = st.session_state.get(state.LAYER, LAYERS[0])
    layer, problem = cached_event_layer(loaded) if chosen != LAYERS[0] else (None, "")
    if problem:
        st.warning(md(problem))
    if chosen != "events" or layer is None:
        _lead(loaded, view)
        show_graph(loaded, view, below=partial(_relations_table, loaded, view))
    if chosen != LAYERS[0] and layer is None and not problem:
        st.info("This data folder has no event layer: add events with `python -m explorer events import`.")
    elif layer is not None:
        show_event_graph(loaded, view, layer)


def _lead(loaded: Loaded, view: View) -> None:
    """A headline of the data set, then where to start, one click each: its own questions (each opens its Check
    axis), its strongest unbalanced triangle (opens the realignment watch) and its most contested pair (opens the
    pair's relations in the panel)."""
    index, name = loaded.index, names(loaded)
    view = window_view(loaded, view)  # not "as of": moving the date (or pausing play) must not move the graph down
    st.markdown(f"**Axis Explorer** · {md(loaded.label)}: {md(headline(index))}.")
    starts = [(f"Question: {question.text}", partial(state.ask, question.members, question.target))
              for question in questions(index)]
    if len(view.relations) > WATCH_COUNT_RELATIONS:  # counting would slow every Explore rerun of a very large view
        starts.append(("Realignment watch: the unbalanced triangles of this view, heaviest first", _open_watch))
    else:
        lead = cached_lead(loaded, view)
        if (strongest := lead.strongest) is not None:
            starts.append((f"Realignment watch: {lead.unbalanced} unbalanced triangles, the strongest "
                           f"{' – '.join(name[a] for a in strongest.actors)} ({strongest.kind.split(': ', 1)[1]})",
                           _open_watch))
        starts += [(f"Contested: {name[c.tie.a]} – {name[c.tie.b]} (cooperative weight {c.cooperative:.1f}, "
                    f"adversarial {c.adversarial:.1f})", partial(state.set_selection, f"tie:{c.tie.a}~{c.tie.b}"))
                   for c in lead.contested]
    if not starts:
        return
    with st.container(gap=None):
        st.caption("Start here: the question this data set was built to answer (opens Check axis), the triangles "
                   "balance theory expects to give (opens the realignment watch), the pair whose relations in force "
                   "pull most both ways (opens its evidence).")
        for number, (text, action) in enumerate(starts):
            st.button(md(text), key=f"start_{number}", on_click=action, type="tertiary",
                      icon=":material/arrow_forward:")


def _open_watch() -> None:
    st.session_state[state.VIEW] = WATCH_VIEW


def realignment(loaded: Loaded, view: View) -> None:
    """The realignment watch: every unbalanced triangle of the view, heaviest (by its weakest tie) first, with the
    month it became unbalanced and, for each, its three ties' evidence."""
    index = loaded.index
    st.caption(md(analysis_basis(index, view.filter)))
    watch = cached_watch(loaded, view)
    st.subheader("Realignment watch")
    if not watch:
        st.info("No unbalanced triangle in this view: every three actors tied pairwise hold an even number of "
                "adversarial ties (or no three are tied pairwise).")
        return
    st.caption("Triangles of three actors tied pairwise with an odd number of adversarial ties: **unbalanced** "
               "(Heider 1946; Cartwright & Harary 1956), so balance theory expects one tie to give. With one "
               "adversarial tie, the actor in the middle cooperates with two adversaries (cross-pressured). Ranked "
               "by the weakest of the three ties; *since* is the month the current unbalanced run began under the "
               f"time rule (followed back at most {SINCE_HORIZON_MONTHS} months). The heaviest "
               f"{WATCH_LIMIT} are listed.")
    short = short_names(index.dataset.actors)
    table = pd.DataFrame([{
        "triangle": " – ".join(short[a] for a in t.actors),
        "unbalanced since": ("≤ " if t.since_at_least else "") + t.since,
        "weakest tie": round(t.weakest, 2),
        "ties": ", ".join(f"{short[a]}~{short[b]} {w:+.2f}" for (a, b), w in zip(t.pairs, t.weights, strict=True)),
        "kind": t.kind.split(": ", 1)[1]} for t in watch])
    st.dataframe(table, hide_index=True, width="stretch", key="watch_table")
    name = names(loaded)
    for triangle in watch[:WATCH_EVIDENCE]:
        with st.expander(f"{' – '.join(md(name[a]) for a in triangle.actors)} — {md(triangle.since_words())}; "
                         f"weakest tie {triangle.weakest:.2f}"):
            for (a, b), weight, relations in zip(triangle.pairs, triangle.weights, triangle.relations, strict=True):
                st.markdown(f"**{md(name[a])} ~ {md(name[b])}: {weight:+.2f}**")
                for rid in relations:
                    evidence_of(loaded, view, rid)


def _relations_table(loaded: Loaded, view: View, data: NetworkData) -> None:
    st.subheader("Visible relations")
    table = cached_relations_table(loaded, view, data)
    st.session_state["_relations_table_ids"] = table["id"].tolist()
    st.dataframe(
        table, key=TABLE_KEY, hide_index=True, on_select=_on_table_select, selection_mode="single-row",
        column_config={"id": None, "single_perspective": st.column_config.CheckboxColumn("single perspective")},
        width="stretch", height=320,
    )


def _on_table_select() -> None:
    """A row picked in the table selects its relation in the graph."""
    event = st.session_state.get(TABLE_KEY)
    rows = event.selection.rows if event is not None and event.selection else []
    ids = st.session_state.get("_relations_table_ids") or []
    if rows and rows[0] < len(ids):
        state.select_relation(str(ids[rows[0]]))
        state.mirror_selection_in_url()


def _said_empty(loaded: Loaded, view: View) -> bool:
    """In place of an analysis that has nothing to work on: why, in one sentence with the counts by role."""
    empty = empty_reason(loaded.index, view)
    if empty is not None:
        st.warning(md(empty.reason[0].upper() + empty.reason[1:] + "."))
    return empty is not None


def axes(loaded: Loaded, view: View) -> None:
    index = loaded.index
    if not len(index.actor_ids):
        st.info("No actors to choose from.")
        return
    actor_picker(st, "Target actor", index, state.TARGET)
    target = st.session_state[state.TARGET]
    st.caption(md(analysis_basis(index, view.filter)))
    if _said_empty(loaded, view):
        show_graph(loaded, view, Emphasis(target=target))
        return
    axis, balance = cached_axis(loaded, view, target)
    pressured = frozenset(c.actor for c in axis.cross_pressured)
    emphasis = Emphasis(actors=frozenset(axis.actors), relations=frozenset(axis.relations), target=target,
                        pressured=pressured)
    show_graph(loaded, view, emphasis, play=pressure_play(loaded, view, target))
    name = names(loaded)
    if pressured:
        st.html(f"<style>{LEGEND_CSS}</style>{pressure_legend_html(name[target])}")
    if not axis.adversaries:
        st.info(f"No actor has a net adversarial tie to {md(name[target])} in this view.")

    def claims(member) -> str:
        return claimants_text(member.claimants, lambda c: md(name.get(c, c)))

    _cross_pressured(loaded, view, axis, name)
    st.subheader(f"Against {md(name[target])}")
    for member in axis.adversaries:
        courts = (f"; courts {md(name[target])}'s partners " + ", ".join(md(name[c]) for c in member.courts)
                  if member.courts else "")
        with st.expander(f"{md(name[member.actor])} — weight {member.weight:+g}; claimed by: {claims(member)}"
                         f"{courts}"):
            for rid in member.relations:
                evidence_of(loaded, view, rid)
    if axis.ties:
        st.subheader("Cooperative ties among them")
        for tie in axis.ties:
            with st.expander(f"{md(name[tie.a])} + {md(name[tie.b])} — weight {tie.weight:+g}"):
                for rid in tie.relations:
                    evidence_of(loaded, view, rid)
    if axis.clusters:
        st.caption("Clusters: " + " · ".join(" + ".join(md(name[a]) for a in c) for c in axis.clusters))
    if axis.second_ring:
        st.subheader("Second ring: partners of the adversaries who are not partners of the target")
        for member in axis.second_ring:
            via = ", ".join(md(name[v]) for v in member.via)
            with st.expander(f"{md(name[member.actor])} — via {via}; tie to target {member.weight:+g}; "
                             f"claimed by: {claims(member)}"):
                for rid in member.relations:
                    evidence_of(loaded, view, rid)
    _balance_around(balance, name[target])


def _cross_pressured(loaded: Loaded, view: View, axis: Axis, name: pd.Series) -> None:
    """The panel of cross-pressured actors: each unbalanced triangle with its three ties' weights and evidence."""
    target = axis.target
    with st.container(key="cross_pressured"):
        st.subheader(f"Cross-pressured: partners of {md(name[target])} that cooperate with its adversaries")
        if not axis.cross_pressured:
            st.caption(f"None in this view: no actor cooperates both with {md(name[target])} and with one of its "
                       "adversaries (every triangle around it is balanced, or it has no adversary).")
            return
        st.caption("Each triangle holds two cooperative ties and one adversarial one: unbalanced (Heider 1946; "
                   "Cartwright & Harary 1956), so balance theory expects one tie to give. Ranked by the weakest tie "
                   "of the triangle; *since* is the month its current unbalanced run began under the time rule.")
        names_map = name.to_dict()
        for number, pressured in enumerate(axis.cross_pressured):
            with_whom = "; ".join(f"{md(name[t.actors[2]])} ({t.since_words()})" for t in pressured.triangles)
            with st.expander(f"**{md(name[pressured.actor])}** — with {with_whom}", expanded=number == 0):
                if trend := pressured.trend_words(names_map):
                    st.caption(md(trend))
                for triangle in pressured.triangles:
                    st.markdown(f"**Triangle {' – '.join(md(name[a]) for a in triangle.actors)}**: "
                                f"{md(triangle.since_words())}; weakest tie {triangle.weakest:.2f}")
                    for (a, b), weight, relations in zip(triangle.pairs, triangle.weights, triangle.relations,
                                                         strict=True):
                        st.markdown(f"{md(name[a])} ~ {md(name[b])}: **{weight:+.2f}** "
                                    f"({'cooperative' if weight > 0 else 'adversarial'}, {len(relations)} relations)")
                        for rid in relations:
                            evidence_of(loaded, view, rid)


def _balance_around(balance: tuple[NeighbourhoodBalance, ...], target_name: str) -> None:
    """Balance of the target's neighbourhood as of the date and through the look-back window, one line per figure."""
    now = balance[-1]
    st.subheader(f"Balance around {md(target_name)}")
    share = "n/a (no triangle)" if now.balanced_weight_share is None else f"{now.balanced_weight_share:.0%}"
    walk = "n/a (no tie)" if now.walk_balance is None else f"{now.walk_balance:.2f}"
    proof = "proven optimal" if now.optimal else "best found, not proven optimal"
    st.markdown(
        f"{now.actors} actors, {now.ties} signed ties as of {now.month}:\n"
        f"- **{now.balanced} balanced, {now.unbalanced} unbalanced triangles** ({now.three_adversaries} of three "
        f"adversaries) — {md(BALANCE_IN_WORDS['unbalanced'])}\n"
        f"- **Balanced share by weight {share}** — {md(BALANCE_IN_WORDS['balanced_weight_share'])}\n"
        f"- **Frustration index {now.frustration_index}** of {now.ties} ties (least weight "
        f"{now.frustration_weight:.2f}, {proof}) — {md(BALANCE_IN_WORDS['frustration_index'])}\n"
        f"- **Walk balance {walk}** — {md(BALANCE_IN_WORDS['walk_balance'])}")
    if len(balance) > 1:
        history = pd.DataFrame([{"month": b.month, "measure": measure, "value": value} for b in balance
                                for measure, value in (("unbalanced triangles", b.unbalanced),
                                                       ("frustration index", b.frustration_index))])
        st.caption(f"Month by month over the look-back window ({balance[0].month} to {now.month}):")
        st.altair_chart(balance_chart(history), width="stretch")


def check(loaded: Loaded, view: View) -> None:
    """Is there an axis? The same members and target under two lenses, side by side, a verdict per pair."""
    index = loaded.index
    if not len(index.actor_ids):
        st.info("No actors to choose from.")
        return
    state.check_defaults(index)
    lenses, lens_label = lens_options(index), lens_words(index)
    chosen_members, chosen_target = st.columns([3, 1])
    actors_picker(chosen_members, "Members (should cooperate)", index, state.MEMBERS)
    actor_picker(chosen_target, "Against (should be their adversary)", index, state.TARGET)
    columns = st.columns(2)
    for column, key, title in zip(columns, (state.LENS_A, state.LENS_B), ("First lens", "Second lens"), strict=True):
        column.selectbox(title, lenses, key=key, format_func=lens_label)
    target = st.session_state[state.TARGET]
    members = tuple(m for m in st.session_state[state.MEMBERS] if m != target)
    if not members:
        st.info("Choose one or more members other than the target.")
        return
    lens_keys = (state.LENS_A, state.LENS_B)
    results = []
    for key in lens_keys:
        try:
            results.append(check_axis(index, members, target, check_filter(view.filter, st.session_state[key])))
        except NotAnAligner as error:
            st.warning(md(str(error)))
            return
    empty = _said_empty(loaded, cached_view(index, loaded.key, check_filter(view.filter, results[0].lens)))
    events, why_not = _event_check(loaded, view, results[0])
    if empty and events is None:
        _event_caption(events, why_not)
        return
    short = short_names(index.dataset.actors)
    lens_names = [lens_label(r.lens) for r in results]
    _verdict_matrix(results, lens_names, short, events)
    _event_caption(events, why_not)
    _cell_evidence(loaded, view, results, lens_names, short, events)
    if empty:  # no curated tie: the event verdicts above, no sketch of curated ties
        return
    first = results[0]
    lens_view = cached_view(index, loaded.key, check_filter(view.filter, first.lens))
    ties = signed_ties(index, lens_view)
    pressured = [c.actor for c in cross_pressured(ties, first.target)]
    picture, legend = axis_sketch_svg(first.members, first.target, pressured, ties, short)
    with st.container(key="axis_sketch"):
        st.image(picture, width=460)
    st.html(f"<style>{LEGEND_CSS}</style>{legend}")
    st.caption(f"Net signed ties under the first lens ({md(lens_names[0])}); amber: partners of "
               f"{md(short[first.target])} that cooperate with one of its adversaries (cross-pressured).")
    for column, result in zip(st.columns(len(results)), results, strict=True):
        with column:
            st.caption(md(result.basis))
            st.markdown(f"**{md(result.sentence)}**")


EVENTS_COLUMN = "Machine-coded events (not verified)"


def _event_check(loaded: Loaded, view: View, first: AxisCheck) -> tuple[dict | None, str]:
    """The event layer's verdicts on the same pairs for the same day (`check-axis --lens events`) when the layer
    switch shows events; else None and why not, in words."""
    layer, problem = cached_event_layer(loaded)
    if problem:
        return None, md(problem)
    if layer is None:
        return None, ("Machine-coded event verdicts: this data folder has no event layer (add events with "
                      "`python -m explorer events import`).")
    if st.session_state.get(state.LAYER, LAYERS[0]) == LAYERS[0]:
        return None, ("Machine-coded event verdicts: choose the layer *events* or *both* in the sidebar to set them "
                      "beside these, pair by pair.")
    try:
        return cached_event_check(loaded, layer, first.members, first.target,
                                  replace(check_filter(view.filter), as_of=first.as_of)), ""
    except StoreError as error:  # a damaged store file: said, never counted
        return None, md(f"Machine-coded event verdicts: the event layer cannot be read: {error}")


def _event_caption(events: dict | None, why_not: str) -> None:
    if events is None:
        if why_not:
            st.caption(why_not)
        return
    st.caption(f"**{EVENTS_COLUMN}**: the same rule over the events of the event layer in force that day (each "
               "weighed by the time rule): the share of a pair's events that points the expected way, cooperative "
               "events for two members, conflictual ones against the target. Coded by machine from news reports, "
               f"never verified, never merged into the curated verdicts ({md(events['basis'])}).")
    if events["reason"]:
        st.info(f"No machine-coded verdict on any pair: {md(events['reason'])}.")


def _event_cell_text(pair: dict) -> str:
    tie = pair["tie"]
    if tie is None:
        return f"{pair['verdict']}\nno event tie"
    share = f"{share_behind(pair['verdict'], pair['share_expected_way']):.0%}"
    events = f"{tie['events']:,} event{'s' if tie['events'] != 1 else ''}"
    return f"{pair['verdict']} · {share}\n{events}, weight {tie['weight']:+.2f}"


def _verdict_matrix(results: list[AxisCheck], lens_names: list[str], short: dict[str, str],
                    events: dict | None = None) -> None:
    """One row per pair, one column per lens (and one for the machine-coded events when shown); each cell its
    verdict, share and net tie, a button that opens its evidence below."""
    st.html(f"<style>{verdict_css('cell_')}</style>")
    st.subheader("Verdict per pair")
    st.caption(f"A pair is **supported** when at least {VERDICT_SHARE:.0%} of its reported signed weight points "
               f"the expected way, **contradicted** when {VERDICT_SHARE:.0%} points the other way, **mixed** "
               "otherwise; neutral items are counted, never deciding; **claimed only** when only claims speak. "
               "Net tie: the sum of the signed weights (confidence, independent origins, time rule). "
               "**Click a cell to read its evidence.**")
    widths = [2.2] + [1.5] * (len(results) + (events is not None))
    with st.container(key="verdict_matrix"):
        header = st.columns(widths)
        header[0].markdown("**Pair**")
        for column, lens in zip(header[1:], [*lens_names, *([EVENTS_COLUMN] if events else [])], strict=True):
            column.markdown(f"**{md(lens)}**")
        for number, pair in enumerate(results[0].pairs):
            row = st.columns(widths, vertical_alignment="center")
            should = "should cooperate" if pair.expected > 0 else "should be adversaries"
            row[0].markdown(f"**{md(short[pair.a])} – {md(short[pair.b])}**  \n{should}")
            for lens_number, (column, result) in enumerate(zip(row[1:1 + len(results)], results, strict=True)):
                cell = result.pairs[number]
                share = cell.verdict_share
                words = verdict_words(cell.verdict, cell.claimed_by, short)
                text = f"{words}" + (f" · {share:.0%}" if share is not None else "") + f"\nnet {cell.net:+.2f}"
                with column.container(key=f"cell_{slug(cell.verdict)}-{number}-{lens_number}"):
                    st.button(text, key=f"matrix_{number}_{lens_number}", help=cell.reading(short),
                              on_click=partial(_open_cell, number, lens_number), width="stretch")
            if events is not None:
                found = events["pairs"][number]
                with row[-1].container(key=f"cell_{slug(found['verdict'])}-{number}-events"):
                    st.button(_event_cell_text(found), key=f"matrix_{number}_events", width="stretch",
                              help="machine-coded, not verified: click for the tie's top events and articles",
                              on_click=partial(_open_cell, number, len(results)))


def _open_cell(number: int, lens_number: int) -> None:
    st.session_state[state.CHECK_CELL] = (number, lens_number)


def _cell_evidence(loaded: Loaded, view: View, results: list[AxisCheck], lens_names: list[str],
                   short: dict[str, str], events: dict | None = None) -> None:
    """The evidence of the matrix cell last clicked: the pair's relations under that lens, each with its quotes,
    or for the events column the pair's event tie with its top events and their articles."""
    chosen = st.session_state.get(state.CHECK_CELL)
    if not chosen or chosen[0] >= len(results[0].pairs):
        return
    if chosen[1] == len(results) and events is not None:
        _event_cell_evidence(loaded, events["pairs"][chosen[0]], short)
        return
    if chosen[1] >= len(results):
        return
    result = results[chosen[1]]
    pair = result.pairs[chosen[0]]
    with st.container(key="cell_evidence", border=True):
        st.markdown(f"**{md(short[pair.a])} – {md(short[pair.b])}**, {md(lens_names[chosen[1]])}: "
                    f"**{md(pair.reading(short))}**; net tie {pair.net:+g}")
        if pair.venues:
            st.caption("Shared venues (shown, not counted): " + ", ".join(md(short[v]) for v in pair.venues))
        if not pair.relations:
            st.caption("No relation between them is in force on that day under this lens.")
        lens_view = cached_view(loaded.index, loaded.key, check_filter(view.filter, result.lens))
        for relation in pair.relations:
            evidence_of(loaded, lens_view, relation.id)


def _event_cell_evidence(loaded: Loaded, pair: dict, short: dict[str, str]) -> None:
    """The event tie behind an events cell: what it counts, labelled machine-coded, and its top events' articles."""
    with st.container(key="cell_evidence", border=True):
        st.markdown(f"**{md(short[pair['a']])} – {md(short[pair['b']])}**, {EVENTS_COLUMN}: **{md(pair['verdict'])}**")
        if pair["tie"] is None:
            st.caption("No machine-coded event between them is in force on that day.")
            return
        layer, _ = cached_event_layer(loaded)
        if layer is not None:
            tie = PairTie(**{**pair["tie"], "months": tuple(pair["tie"]["months"])})
            show_panel(tie_panel_html(pair_panel(layer, tie, names(loaded).to_dict())))


def blocs(loaded: Loaded, view: View) -> None:
    count, limit = st.columns([3, 1])
    count.selectbox("Number of blocs", state.NUMBERS["k"].choices, key=state.BLOCS_K,
                    format_func=lambda k: "automatic (fewest that reach the minimum, up to 4)" if k == 0 else str(k))
    limit.number_input("Time limit (s)", state.NUMBERS["time"].lo, state.NUMBERS["time"].hi, key=state.BLOCS_TIME,
                       help="The exact search stops after this long with its best partition and a proven bound.")
    k = int(st.session_state[state.BLOCS_K]) or None
    st.caption(md(analysis_basis(loaded.index, view.filter)))
    if _said_empty(loaded, view):
        show_graph(loaded, view)
        return
    result = cached_blocs(loaded, view, k, float(st.session_state[state.BLOCS_TIME]))
    play = bloc_play(loaded, view, k)
    numbers = slots_like(result.blocs, play.slots, play.at) if play else tuple(range(len(result.blocs)))
    show_graph(loaded, view, Emphasis(blocs=result.blocs, bloc_numbers=numbers), play=play)
    _bloc_play_caption(play)
    name = names(loaded)
    st.markdown(f"**{partition_in_words(result)}**")
    st.markdown(f"**Frustration {result.frustration:g}** — {proof_in_words(result)}; {len(result.blocs)} blocs")
    st.caption(FRUSTRATION_IN_WORDS)

    def share(value: float | None) -> str:
        return "n/a (no signed triangles)" if value is None else f"{value:.2f}"

    st.caption(f"Triangle balance {share(result.triangle_balance)}: share of signed triangles with an even number "
               f"of adversarial ties (strong balance, two camps; Cartwright & Harary 1956). Weak triangle balance "
               f"{share(result.weak_triangle_balance)}: share without exactly one adversarial tie (any number of "
               f"blocs; Davis 1967).")
    # Numbered 1…k in the order of their colour slots: the slots (matched through time) keep the colours, the
    # numbers stay consecutive.
    numbered = sorted(zip(numbers, result.blocs, strict=True))
    st.html(f"<style>{LEGEND_CSS}</style>" + blocs_html([(slot, [str(name[a]) for a in bloc])
                                                          for slot, bloc in numbered]))
    if result.unaligned:
        st.caption("Unaligned (no signed tie in view): " + ", ".join(md(name[a]) for a in result.unaligned))
    if result.frustrated:
        st.subheader("Frustrated ties")
        for tie in result.frustrated:
            kind = "cooperative tie across blocs" if tie.sign > 0 else "adversarial tie inside a bloc"
            with st.expander(f"{md(name[tie.a])} ~ {md(name[tie.b])} ({tie.weight:+g}): {kind}"):
                for rid in tie.relations:
                    evidence_of(loaded, view, rid)


def _bloc_play_caption(play: BlocPlay | None) -> None:
    if play is None:
        st.caption(f"▶ Play keeps these colours: following blocs through time takes one bloc search per step, done "
                   f"for views of at most {MAX_PLAY_BLOC_ACTORS} actors.")
        return
    unit = "year" if play.steps[0].shown != play.steps[0].as_of else "month"
    st.caption(f"▶ Play recolours the actors by their blocs as of each {unit} (exact search up to "
               f"{PLAY_EXACT_ACTORS} tied actors at a date, local search beyond), matched from one date to the next by "
               "shared members: a bloc keeps its colour through time, here and while playing.")


def _selection(key: str, name: str) -> object:
    """What a chart's selection parameter holds after a click or a drag (empty when cleared)."""
    event = st.session_state.get(key) or {}
    return (event.get("selection") or {}).get(name) or None


def _brushed_window(key: str, months: Months) -> None:
    """Dragging across the overview strip sets the date window."""
    brushed = _selection(key, WINDOW_BRUSH)
    ranges = [v for v in (brushed or {}).values() if isinstance(v, list) and len(v) == 2] if isinstance(
        brushed, dict) else []
    if ranges:
        state.set_window(*window_from_brush(*ranges[0]), months)


def _picked_relation(key: str, months: Months) -> None:
    """Clicking a bar or point selects its relation and moves "as of" to the month it starts."""
    picked = _selection(key, RELATION_PICK)
    if isinstance(picked, list) and picked and picked[0].get("id"):
        state.select_relation(str(picked[0]["id"]))
        if picked[0].get("start_month"):
            state.set_as_of(str(picked[0]["start_month"]), months)


def _picked_moment(key: str, months: Months) -> None:
    """Clicking a cell of the bloc river sets "as of" to that step."""
    picked = _selection(key, MOMENT_PICK)
    if isinstance(picked, list) and picked and picked[0].get("as_of"):
        state.set_as_of(str(picked[0]["as_of"]), months)


def timeline(loaded: Loaded, view: View) -> None:
    index = loaded.index
    months = months_of(index)
    session = st.session_state
    start, end = sorted((session[state.FROM], session[state.TO]))
    as_of = "" if session[state.AS_OF] == state.ANY else session[state.AS_OF]
    selected = session.get(state.RELATION) or ""
    domain = (month_start(months.first), month_start(month_after(months.last)))
    window = (month_start(start), month_start(month_after(end)))
    shaded = window if window != domain else None
    as_of_day = month_start(as_of) if as_of else None
    # The whole time span, other filters kept: the window and "as of" are drawn on it, not cut from it.
    everything = cached_view(index, loaded.key, replace(view.filter, start="", end="", as_of=""))
    st.subheader("Relations through time")
    counts = relations_per_month(index, everything)
    if counts.empty:
        st.info("No relations in this view.")
        return
    st.caption("Relations starting each month. **Drag across this strip to choose the date window.**")
    key = f"timeline_window_{start}_{end}"
    chart = overview_chart(counts, domain, shaded, as_of_day)
    st.altair_chart(chart, key=key, width="stretch", height=int(chart.height),
                    on_select=partial(_brushed_window, key, months), selection_mode=[WINDOW_BRUSH])
    spans = relation_spans(index, everything, until=int((domain[1] - pd.Timestamp(0)).days) - 1)
    shown = f"the {len(spans):,} most recent of {len(everything.relations):,} relations" if len(
        spans) < len(everything.relations) else f"{len(spans):,} relations"
    st.caption(f"Each line one relation ({shown}), stacked by polarity: bars are states, from start to end (to the "
               "right edge while ongoing); diamonds are events. **Click one to read its evidence and set “as of” "
               "to its start.** The shaded band is the date window, the dashed line “as of”.")
    key = f"timeline_relations_{as_of}_{selected}"
    chart = relations_chart(spans, domain, shaded, as_of_day, selected)
    with st.container(height=min(560, int(chart.height) + 30)):
        st.altair_chart(chart, key=key, width="stretch", height=int(chart.height),
                        on_select=partial(_picked_relation, key, months), selection_mode=[RELATION_PICK])
    if selected:
        with st.expander("Evidence of the selected relation", expanded=True):
            evidence_of(loaded, everything, selected)  # drawn on the whole span, so readable outside the window
    _bloc_history(loaded, view, start, end, as_of_day, months)


def _bloc_history(loaded: Loaded, view: View, start: str, end: str, as_of_day: pd.Timestamp | None,
                  months: Months) -> None:
    """The bloc river over the date window and, below it, the blocs at each year's end with who joined or left."""
    st.subheader("Blocs through time")
    if len(view.actors) > MAX_RIVER_ACTORS:
        st.info(f"{len(view.actors):,} actors in this view: choose actors or filters that leave at most "
                f"{MAX_RIVER_ACTORS} to follow their blocs through time.")
        return
    steps = time_steps(start, end)
    k = int(st.session_state[state.BLOCS_K]) or None
    history = cached_bloc_history(loaded, replace(view.filter, as_of=""), steps.months, k)
    slots = match_blocs([result.blocs for _, result in history])
    name = names(loaded)
    river = bloc_river(steps.months, slots, name, start)
    if river.empty:
        st.info("No signed ties in the window: no blocs to follow.")
        return
    blocs_k = f"{k} blocs" if k else "the fewest blocs that reach the minimum frustration (up to 4)"
    st.caption(f"Blocs as of each {steps.unit} in the window ({blocs_k}, as in the Blocs view), matched from one "
               "date to the next by shared members so a bloc keeps its colour. A dark outline marks an actor that "
               "changed bloc; a blank means no signed tie then. **Click a cell to set “as of” to that date.**")
    key = f"bloc_river_{as_of_day}"
    window = (month_start(start), month_start(month_after(end)))
    chart = bloc_river_chart(river, window, as_of_day)
    st.altair_chart(chart, key=key, width="stretch", height=int(chart.height),
                    on_select=partial(_picked_moment, key, months), selection_mode=[MOMENT_PICK])
    yearly = [i for i, month in enumerate(steps.months) if month.endswith("-12") or i == len(steps.months) - 1]
    st.subheader("Blocs at the end of each year")
    st.caption("Every member of each bloc (numbered as in the river), and who joined or left it since the row "
               "of the year before. The last row is as of the end of the window.")
    changes = bloc_changes([steps.months[i] for i in yearly], [slots[i] for i in yearly], name)
    changes["as of"] = [m[:4] if m.endswith("-12") else m for m in changes["as of"]]  # a year's end is its year
    changes["bloc"] = changes["bloc"].str.removeprefix("Bloc ")  # the column says it; narrow columns stay legible
    st.table(changes.map(md), hide_index=True)


def paths(loaded: Loaded, view: View) -> None:
    index = loaded.index
    left, right, length = st.columns([2, 2, 1])
    actor_picker(left, "From", index, state.PATH_A, empty=True, placeholder="actor")
    actor_picker(right, "To", index, state.PATH_B, empty=True, placeholder="actor")
    length.number_input("Max hops", state.NUMBERS["length"].lo, state.NUMBERS["length"].hi, key=state.PATH_LENGTH)
    a, b = st.session_state[state.PATH_A], st.session_state[state.PATH_B]
    if not a or not b:
        st.info("Choose two actors.")
        return
    st.caption(md(analysis_basis(index, view.filter)))
    if _said_empty(loaded, view):
        return
    found = find_paths(signed_ties(index, view), a, b, int(st.session_state[state.PATH_LENGTH]))
    name = names(loaded)
    if not found:
        st.info("No path within that many hops in this view.")
    for path in found:
        with st.expander(" → ".join(md(name[x]) for x in path.actors) + f" — {md(path.reading)}"):
            for hop in path.hops:
                st.markdown(f"**{md(name[hop.a])} ~ {md(name[hop.b])}** ({hop.weight:+g})")
                for rid in hop.relations:
                    evidence_of(loaded, view, rid)

"""One function per view: read its widgets, call the pure layers, show the result. No logic of their own."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer.app import state
from explorer.app.data import Loaded, cached_blocs, cached_network
from explorer.app.graph_component import show_graph
from explorer.graph import View, find_axis, find_paths, relation_detail, relations_table, signed_ties
from explorer.graph.timeline import blocs_over_time, relations_per_month
from explorer.render import Emphasis, evidence_panel_html
from explorer.render.html import LEGEND_CSS, md
from explorer.tables.schema import vocabulary

PANEL_CSS = LEGEND_CSS + """
.evidence-panel h3 { margin: 0 0 4px; }
.evidence-panel .chip { color: #fff; padding: 1px 8px; border-radius: 10px; font-size: 12px; }
.evidence-panel .warn { color: #b45309; }
.evidence-panel .stances { display: flex; gap: 12px; flex-wrap: wrap; }
.evidence-panel .stance { flex: 1 1 260px; min-width: 240px; }
.evidence-panel .stance-disputes h4 { color: #c62828; }
.evidence-panel .stance-qualifies h4 { color: #8d6e63; }
.evidence-panel blockquote { margin: 6px 0; padding: 6px 10px; border-left: 4px solid #888; background: #f6f6f6;
  white-space: pre-wrap; }
.evidence-panel figure { margin: 0 0 12px; }
.evidence-panel figcaption { font-size: 13px; color: #444; }
"""


def show_panel(html: str) -> None:
    st.html(f"<style>{PANEL_CSS}</style>{html}")


def names(loaded: Loaded) -> pd.Series:
    return loaded.index.dataset.actors["name"]


def evidence_of(loaded: Loaded, view: View, relation_id: str) -> None:
    """The evidence panel of one relation, or why there is none."""
    detail = relation_detail(loaded.index, view, relation_id)
    if detail is None:
        st.info("This relation is not in the current view: widen the filters to read it.")
        return
    show_panel(evidence_panel_html(detail))


def explore(loaded: Loaded, view: View) -> None:
    index = loaded.index
    selected = st.session_state.get(state.RELATION) or ""
    graph_column, panel_column = st.columns([3, 2], gap="medium")
    with graph_column:
        data = cached_network(loaded, view, int(st.session_state[state.CAP]), Emphasis(selected_relation=selected))
        show_graph(data, selected)
        st.subheader("Visible relations")
        table = relations_table(index, data.drawn)  # the same relations the graph draws
        event = st.dataframe(
            table, key="relations_table", hide_index=True, on_select="rerun", selection_mode="single-row",
            column_config={"id": None, "single_perspective": st.column_config.CheckboxColumn("single perspective")},
            width="stretch", height=320,
        )
        rows = event.selection.rows if event and event.selection else []
        if rows:
            chosen = str(table.iloc[rows[0]]["id"])
            if chosen != selected:
                state.select_relation(chosen)
                st.rerun()
    with panel_column:
        st.subheader("Evidence")
        if selected:
            evidence_of(loaded, view, selected)
        else:
            st.info("Click a line in the graph, or a row of the table, to read its evidence.")


def axes(loaded: Loaded, view: View) -> None:
    index = loaded.index
    options = state.actor_options(index)
    if not options:
        st.info("No actors to choose from.")
        return
    st.selectbox("Target actor", options, key=state.TARGET, format_func=state.actor_label(index))
    target = st.session_state[state.TARGET]
    axis = find_axis(index, view, signed_ties(index, view), target)
    emphasis = Emphasis(actors=frozenset(axis.actors), relations=frozenset(axis.relations), target=target)
    show_graph(cached_network(loaded, view, int(st.session_state[state.CAP]), emphasis),
               st.session_state.get(state.RELATION) or "")
    name = names(loaded)
    if not axis.adversaries:
        st.info(f"No actor has a net adversarial tie to {md(name[target])} in this view.")

    def claims(member) -> str:
        return ", ".join(md(name.get(c, c)) if c else "sources' own reporting" for c in member.claimants)

    st.subheader(f"Against {md(name[target])}")
    for member in axis.adversaries:
        with st.expander(f"{md(name[member.actor])} — weight {member.weight:+g}; claimed by: {claims(member)}"):
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


def blocs(loaded: Loaded, view: View) -> None:
    st.selectbox("Number of blocs", state.NUMBERS["k"].choices, key=state.BLOCS_K,
                 format_func=lambda k: "automatic (fewest that reach the minimum, up to 4)" if k == 0 else str(k))
    k = int(st.session_state[state.BLOCS_K]) or None
    result = cached_blocs(loaded, view, k)
    show_graph(cached_network(loaded, view, int(st.session_state[state.CAP]), Emphasis(blocs=result.blocs)),
               st.session_state.get(state.RELATION) or "")
    name = names(loaded)
    proof = "proven optimal" if result.optimal else "best found by local search (not proven optimal)"
    balance = "n/a (no signed triangles)" if result.balance is None else f"{result.balance:.2f}"
    st.markdown(f"**Frustration {result.frustration:g}** — {proof}; {len(result.blocs)} blocs; "
                f"balance index {balance}")
    for number, bloc in enumerate(result.blocs, start=1):
        st.markdown(f"**Bloc {number}:** " + ", ".join(md(name[a]) for a in bloc))
    if result.unaligned:
        st.caption("Unaligned (no signed tie in view): " + ", ".join(md(name[a]) for a in result.unaligned))
    if result.frustrated:
        st.subheader("Frustrated ties")
        for tie in result.frustrated:
            kind = "cooperative tie across blocs" if tie.sign > 0 else "adversarial tie inside a bloc"
            with st.expander(f"{md(name[tie.a])} ~ {md(name[tie.b])} ({tie.weight:+g}): {kind}"):
                for rid in tie.relations:
                    evidence_of(loaded, view, rid)


def timeline(loaded: Loaded, view: View) -> None:
    index = loaded.index
    counts = relations_per_month(index, view)
    polarity = vocabulary("polarity")
    st.caption("Relations by the month they start, coloured by polarity; the sidebar's date window and "
               "“as of” slider drive it.")
    if counts.empty:
        st.info("No relations in this view.")
    else:
        chart = alt.Chart(counts).mark_bar().encode(
            x=alt.X("month:O", title="month"), y=alt.Y("relations:Q", stack=True),
            color=alt.Color("polarity:N", scale=alt.Scale(domain=[t.label for t in polarity.values()],
                                                          range=[t.colour for t in polarity.values()])),
            tooltip=["month", "polarity", "relations"],
        )
        st.altair_chart(chart, width="stretch")
    years = sorted({m[:4] for m in counts["month"]}) if not counts.empty else []
    if years:
        st.subheader("Blocs as of the end of each year")
        history = blocs_over_time(index, view.filter, [f"{y}-12-31" for y in years])
        name = names(loaded)
        st.dataframe(pd.DataFrame([{
            "as of": date[:4], "blocs": " | ".join(", ".join(str(name[a]) for a in b) for b in result.blocs),
            "frustration": result.frustration, "optimal": result.optimal,
        } for date, result in history]), hide_index=True, width="stretch")


def paths(loaded: Loaded, view: View) -> None:
    index = loaded.index
    options = state.actor_options(index)
    label = state.actor_label(index)
    left, right, length = st.columns([2, 2, 1])
    left.selectbox("From", options, key=state.PATH_A, format_func=label, index=None, placeholder="actor")
    right.selectbox("To", options, key=state.PATH_B, format_func=label, index=None, placeholder="actor")
    length.number_input("Max hops", state.NUMBERS["length"].lo, state.NUMBERS["length"].hi, key=state.PATH_LENGTH)
    a, b = st.session_state[state.PATH_A], st.session_state[state.PATH_B]
    if not a or not b:
        st.info("Choose two actors.")
        return
    found = find_paths(signed_ties(index, view), a, b, int(st.session_state[state.PATH_LENGTH]))
    name = names(loaded)
    if not found:
        st.info("No path within that many hops in this view.")
    for path in found:
        verdict = "aligned (the enemy of my enemy…)" if path.sign > 0 else "opposed"
        with st.expander(" → ".join(md(name[x]) for x in path.actors) + f" — {verdict}"):
            for hop in path.hops:
                st.markdown(f"**{md(name[hop.a])} ~ {md(name[hop.b])}** ({hop.weight:+g})")
                for rid in hop.relations:
                    evidence_of(loaded, view, rid)

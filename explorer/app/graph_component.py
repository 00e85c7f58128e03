"""The graph as a Streamlit components-v2 element: vis-network in the page (no iframe), clicks back to Python."""

from __future__ import annotations

import streamlit as st

from explorer.app import state
from explorer.render import LEGEND_CSS, NetworkData, component_js, legend_html
from explorer.render.html import asset, md

GRAPH_KEY = "graph"

_graph = st.components.v2.component(
    "axis_explorer_graph", js=component_js(), css=asset("graph.css"), isolate_styles=False,
)


def _on_click() -> None:
    """Runs before the next script run: a clicked line selects its relation, a clicked actor becomes the focus."""
    value = st.session_state.get(GRAPH_KEY)
    clicked = getattr(value, "click", None) if value is not None else None
    if clicked is None and isinstance(value, dict):
        clicked = value.get("click")
    if not isinstance(clicked, dict):
        return
    kind, identifier = clicked.get("kind"), str(clicked.get("id", ""))[:200]
    if kind == "relation":
        state.select_relation(identifier)
    elif kind == "actor":
        state.focus_actor(identifier)


def show_graph(data: NetworkData, selected: str = "", height: int = 640) -> None:
    """Draw the network, its caption and legend; the page's vis-network is `window.explorerNetwork`."""
    payload = {**data.as_component_data(), "selected": selected, "height": f"{height}px"}
    _graph(key=GRAPH_KEY, data=payload, on_click_change=_on_click, height=height + 4)
    st.caption(md(data.description[:1].upper() + data.description[1:]))
    capped = []
    if data.shown_actors < data.total_actors:
        capped.append(f"showing {data.shown_actors} of {data.total_actors} actors")
    if data.shown_relations < data.total_relations:
        capped.append(f"{data.shown_relations} of {data.total_relations} relations drawn (the best-evidenced)")
    st.caption(" · ".join([*capped, f"{data.shown_actors} actors · {data.shown_relations} relations"])
               + " — click a line to read its evidence, click an actor to focus on it")
    st.html(f"<style>{LEGEND_CSS}</style>{legend_html()}")

"""Streamlit entry point (`streamlit run explorer/app/main.py`): sidebar filters, URL state, one view at a time."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

# `streamlit run` puts this file's folder on sys.path, not the project root: make `explorer` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st

from explorer.app import auth, pages, state
from explorer.app.curation import curate_page
from explorer.app.data import Loaded, cached_event_layer, cached_view, date_months, load_bundled
from explorer.app.leave_guard import warn_before_leaving
from explorer.app.pickers import actors_picker
from explorer.app.transfer import data_page, sources_page, suggest_page
from explorer.events.layer import LAYERS
from explorer.graph.filters import FIELD_BY_KEY
from explorer.graph.timerule import DECAYS, MAX_LOOKBACK_MONTHS
from explorer.graph.views import VIEWS, Months, lens_options, lens_words
from explorer.render.html import md
from explorer.tables.load import problems_frame
from explorer.tables.schema import vocabulary

VIEW_PAGES = {"Explore": pages.explore, "Axes": pages.axes, "Check axis": pages.check, "Realignment": pages.realignment,
              "Blocs": pages.blocs, "Timeline": pages.timeline,
              "Paths": pages.paths, "Sources": sources_page, "Suggest": suggest_page, "Data": data_page,
              "Curate": curate_page}


def current_data() -> Loaded:
    uploaded = st.session_state.get(state.UPLOADED)
    return uploaded if uploaded is not None else load_bundled()


def _layer_changed(loaded: Loaded, before: Months) -> None:
    """The layer switch moved: the date sliders offer the months of what is now shown (`date_months`)."""
    state.move_dates(before, date_months(loaded, state.layer()))


def sidebar(loaded: Loaded, months: Months) -> None:
    index = loaded.index
    bar = st.sidebar
    bar.title("Axis Explorer")
    bar.radio("View", VIEWS, key=state.VIEW, horizontal=True)
    if cached_event_layer(loaded)[0] is not None:
        bar.radio("Layer", LAYERS, key=state.LAYER, horizontal=True, on_change=partial(_layer_changed, loaded, months),
                  help="curated: hand-checked relations, each with its quotes; events: machine-coded event data "
                       "(GDELT, ICEWS), not verified; both: the two graphs one above the other, never mixed")
    actors_picker(bar, "Actors", index, state.ACTORS, placeholder="all actors — type a name or alias")
    bar.slider("Hops from the chosen actors", *FIELD_BY_KEY["hops"].bounds, key=state.HOPS)
    if len(months.options) > 1:
        bar.select_slider("From", months.options, key=state.FROM, help="Relations that overlap the window")
        bar.select_slider("To", months.options, key=state.TO)
        bar.select_slider("As of", [state.ANY, *months.options], key=state.AS_OF,
                          help="Only relations in force at the end of that month: states until their end, events "
                               "for the look-back window after their date")
    bar.multiselect("Relation types", list(vocabulary("type")), key=state.TYPES, placeholder="all types",
                    format_func=lambda t: vocabulary("type")[t].label)
    bar.multiselect("Polarity", list(state.POLARITY_LABELS), key=state.POLARITY, placeholder="all polarities")
    bar.selectbox("Minimum confidence", state.CONFIDENCES, key=state.MIN_CONFIDENCE)
    bar.checkbox("Hide single-perspective relations", key=state.HIDE_SINGLE,
                 help="Hide relations whose evidence comes from one side's voice only")
    bar.selectbox("Lens", lens_options(index), key=state.LENS, format_func=lens_words(index),
                  help="Whose word counts: all voices; evidence (claims excluded: only what outlets report in "
                       "their own voice); or according to one actor (its claims plus neutral reporting)")
    with bar.expander("Time rule and roles"):
        st.number_input("Look-back (months)", 1, MAX_LOOKBACK_MONTHS, key=state.LOOKBACK,
                        help="How long an event (clash, visit, statement) counts after its date; states hold "
                             "until they end")
        st.selectbox("Decay of events", DECAYS, key=state.DECAY,
                     help="linear: fades to 0 at the end of the look-back; exponential: halves every quarter "
                          "of it; none: full weight, then nothing")
        st.checkbox("Organisations take sides", key=state.ORGANISATIONS,
                    help="By default organisations and corridors are venues: shared memberships are shown, "
                         "not counted as alignment")
    with bar.expander("Sources and claims"):
        actors_picker(st, "Hide claims of", index, state.EXCLUDED, placeholder="nobody's claims hidden",
                      actors=index.claimants)
        st.multiselect("Only evidence from outlets", index.outlets, key=state.OUTLETS,
                       placeholder="all outlets")
        st.number_input("Minimum independent origins", *FIELD_BY_KEY["min_sources"].bounds, key=state.MIN_SOURCES)
        cap = state.NUMBERS["cap"]
        st.number_input("Most actors drawn", cap.lo, cap.hi, step=10, key=state.CAP)
    bar.button("Reset all filters", on_click=state.reset, width="stretch")
    bar.caption(f"Data: {md(loaded.label)}")
    auth.sign_in_panel()


def problems_notice(loaded: Loaded) -> None:
    problems = loaded.result.problems
    if not problems:
        return
    st.warning(f"The data has {len(problems)} problems; only valid rows are shown. "
               "Details below and from `python -m explorer validate`.")
    with st.expander("Validation report"):
        st.dataframe(problems_frame(problems), hide_index=True, width="stretch")


def main() -> None:
    st.set_page_config(page_title="Axis Explorer", layout="wide", initial_sidebar_state="auto")
    loaded = current_data()
    if not st.session_state.get(state.URL_READ):
        state.read_url(loaded.index, date_months(loaded, state.url_layer(loaded.index)))
    months = date_months(loaded, state.layer())
    sidebar(loaded, months)
    warn_before_leaving()
    chosen = state.current_filter(months)
    state.write_url(chosen, loaded.index)
    notices = st.session_state.pop(state.NOTICES, [])
    if notices:
        st.info("Some URL parameters were ignored: " + "; ".join(md(n) for n in notices))
    problems_notice(loaded)
    view = cached_view(loaded.index, loaded.key, chosen)
    VIEW_PAGES[st.session_state[state.VIEW]](loaded, view)


main()

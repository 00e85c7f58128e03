"""Suggest you can correct: media and venues are not offered as alignment ties, a candidate is edited before
it is accepted, and the date window widens to show what was just added."""

from __future__ import annotations

import pytest

from explorer.tables import load_dataset
from explorer.tables.suggest import Review, SourceInfo, accept_reviews, offered_candidates, reviewed_tables, suggest
from tests.test_app import run_app

SOURCE = SourceInfo("doc-x", "https://example.org/x", "example.org", "2025-07")


def test_media_are_claimants_and_venues_are_joined_not_aligned_with():
    actors = load_dataset(None).dataset.actors
    found = suggest("China mediated talks with Press TV reporters about Iran.", actors)
    assert {(c.source, c.target) for c in found.candidates} >= {("china", "press_tv"), ("press_tv", "iran")}
    offered, held_back = offered_candidates(found.candidates, actors)
    assert [(c.source, c.target, c.claimed_by) for c in offered] == [("china", "iran", "press_tv")]
    assert held_back == 2
    joined, held_back = offered_candidates(suggest("Iran joined the Shanghai Cooperation Organisation.",
                                                   actors).candidates, actors)
    assert [(c.source, c.target, c.type, c.polarity) for c in joined] == [("iran", "sco", "membership", 1)]
    assert held_back == 0


def test_reviewed_tables_keep_the_curators_dates_and_confidence():
    actors = load_dataset(None).dataset.actors
    candidate = suggest("Iran and Azerbaijan signed a trade deal.", actors).candidates[0]
    tables = reviewed_tables([Review(candidate, start="2024-05", end="2024-06", confidence="medium"),
                              Review(candidate)], SOURCE)
    relations = tables["relations.csv"]
    assert list(relations["start"]) == ["2024-05", "2025-07"]  # empty start: the document's date
    assert list(relations["end"]) == ["2024-06", ""]
    assert list(relations["confidence"]) == ["medium", "low"]


def fill_source(app, text: str, published: str = "2025-07"):
    app.text_area(key="suggest_text").set_value(text).run()
    app.text_input(key="suggest_url").set_value("https://example.org/story").run()
    app.text_input(key="suggest_outlet").set_value("example.org").run()
    app.text_input(key="suggest_published").set_value(published).run()


def test_a_candidate_is_corrected_before_it_is_accepted():
    app = run_app({"view": "Suggest"})
    fill_source(app, "Iran and Azerbaijan signed a trade deal.")
    app.checkbox(key="accept_0").check().run()
    app.toggle(key="edit_0_swap").set_value(True).run()
    app.selectbox(key="edit_0_type").set_value("sanction").run()
    app.selectbox(key="edit_0_polarity").set_value(-1).run()
    app.selectbox(key="edit_0_confidence").set_value("medium").run()
    app.text_input(key="edit_0_start").set_value("2025-06").run()
    app.text_input(key="edit_0_end").set_value("2025-07").run()
    app.selectbox(key="edit_0_claimant").set_value("iraf").run()
    assert not app.exception and not app.error
    app.button(key="suggest_add").click().run()
    assert not app.exception
    assert any("Added" in s.value for s in app.success)
    dataset = app.session_state["uploaded"].index.dataset
    bundled = load_dataset(None).dataset
    added = dataset.relations.loc[sorted(set(dataset.relations.index) - set(bundled.relations.index))]
    assert len(added) == 1
    relation = added.iloc[0]
    assert (relation["source"], relation["target"], relation["type"], int(relation["polarity"])) == \
        ("azerbaijan", "iran", "sanction", -1)
    assert (relation["start"], relation["end"], relation["confidence"]) == ("2025-06", "2025-07", "medium")
    evidence = dataset.evidence[dataset.evidence["relation"] == relation.name]
    assert list(evidence["claimed_by"]) == ["iraf"]
    assert any("kept in this session only" in c.value for c in app.sidebar.caption)  # the leave guard is on


def test_no_leave_guard_without_unsaved_additions():
    app = run_app({"view": "Suggest"})
    assert not any("kept in this session only" in c.value for c in app.sidebar.caption)


def test_a_bad_edited_date_is_reported_not_added():
    app = run_app({"view": "Suggest"})
    fill_source(app, "Iran and Azerbaijan signed a trade deal.")
    app.checkbox(key="accept_0").check().run()
    app.text_input(key="edit_0_end").set_value("2020").run()  # before the start
    assert any("problems" in e.value for e in app.error)
    assert all(b.key != "suggest_add" for b in app.button)


def test_the_window_widens_with_a_notice_to_show_what_was_added():
    app = run_app({"view": "Suggest", "to": "2023-06"})
    assert app.session_state["f_to"] == "2023-06"
    fill_source(app, "Iran and Azerbaijan signed a trade deal.", published="2025-08")
    app.checkbox(key="accept_0").check().run()
    app.button(key="suggest_add").click().run()
    assert not app.exception
    assert app.session_state["f_to"] >= "2025-08"
    assert any("window now ends" in s.value for s in app.success)


def test_accepted_reviews_join_the_tables_validated_without_streamlit():
    """The acceptance pipeline (source named by the text's digest, tables joined, re-validated) is one function."""
    dataset = load_dataset(None).dataset
    text = "Iran and Azerbaijan signed a trade deal."
    candidate = suggest(text, dataset.actors).candidates[0]
    joined = accept_reviews([Review(candidate, confidence="medium")], text, dataset, " https://example.org/x ",
                            "example.org", "2025-07")
    assert not joined.result.problems and joined.new_relations == 1
    assert joined.source.id.startswith("doc-") and joined.source.url == "https://example.org/x"
    assert joined.source.document == ""  # the bundled seeds do not hold this text
    assert len(joined.result.dataset.relations) == len(dataset.relations) + 1
    again = accept_reviews([Review(candidate, confidence="medium")], text, dataset, "https://example.org/x",
                           "example.org", "2025-07")
    assert again.source.id == joined.source.id and again.key == joined.key  # same text, same source, same data
    unchecked = accept_reviews([Review(candidate, start="2025-13")], text, dataset, "https://example.org/x",
                               "example.org", "2025-07")
    assert any("2025-13" in p.message and p.column == "start" for p in unchecked.result.problems)
    stored, body = next(iter(dataset.documents.items()))
    assert accept_reviews([], body, dataset, "https://example.org/x", "o", "2025").source.document == stored
    with pytest.raises(ValueError):
        accept_reviews([Review(candidate)], text, dataset, "https://example.org/x", "o", "soon")

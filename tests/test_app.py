"""AppTest: every view and control of the Streamlit script, the URL state, broken data and bad parameters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import TINY, write_tables

APP = str(Path(__file__).resolve().parent.parent / "explorer" / "app" / "main.py")


def run_app(params: dict[str, str] | None = None, view: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    if view:
        app.sidebar.radio(key="view").set_value(view).run()
        assert not app.exception, app.exception
    return app


def html_text(app: AppTest) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))


def captions(app: AppTest) -> str:
    return "\n".join(c.value for c in app.caption)


def graph_payload(app: AppTest) -> dict:
    """The data the graph element receives: nodes, relations, the selection and the evidence panels."""
    element = app.get("bidi_component")[0]
    return json.loads(element.proto.json)


def test_default_view_shows_the_whole_graph():
    app = run_app()
    assert "actors ·" in captions(app) and "relations" in captions(app)
    assert dict(app.query_params) == {}
    assert "click a line or an actor" in captions(app)
    assert graph_payload(app)["selected"] == ""


def test_url_with_actor_and_relation_restores_filter_and_evidence():
    app = run_app({"actor": "Iran", "hops": "1", "relation": "taliban-iran-hostility-2025-07"})
    assert app.sidebar.multiselect(key="f_actors").value == ["iran"]
    assert "10 actors · 55 relations" in captions(app)
    payload = graph_payload(app)
    assert payload["selected"] == "relation:taliban-iran-hostility-2025-07"
    panel = payload["panels"]["taliban-iran-hostility-2025-07"]
    quotes = [item["quote"] for group in panel["evidence"] for item in group["items"]]
    assert any("It argued that the Taliban’s overtures could create an emerging axis hostile" in q for q in quotes)
    assert panel["claimants"] == ["IRAF"]
    assert panel["claim_status"] == "claimed by IRAF" and "a party to this relation" in panel["perspective_note"]
    assert any("4 July 2025 was a Friday" in item["note"] for group in panel["evidence"] for item in group["items"])
    assert app.query_params["relation"] == "taliban-iran-hostility-2025-07"


def test_every_sidebar_filter_changes_the_url_and_the_view():
    app = run_app()
    base = captions(app)
    app.sidebar.multiselect(key="f_actors").set_value(["iran"]).run()
    app.sidebar.slider(key="f_hops").set_value(0).run()
    assert app.query_params["actor"] == "iran" and app.query_params["hops"] == "0"
    app.sidebar.slider(key="f_hops").set_value(2).run()
    app.sidebar.select_slider(key="f_from").set_value("2024-01").run()
    app.sidebar.select_slider(key="f_to").set_value("2025-06").run()
    assert app.query_params["from"] == "2024-01" and app.query_params["to"] == "2025-06"
    app.sidebar.select_slider(key="f_as_of").set_value("2025-06").run()
    assert app.query_params["as_of"] == "2025-06"
    app.sidebar.multiselect(key="f_types").set_value(["armed_clash", "hostility"]).run()
    app.sidebar.multiselect(key="f_polarity").set_value(["Adversarial"]).run()
    app.sidebar.selectbox(key="f_min_confidence").set_value("medium").run()
    app.sidebar.checkbox(key="f_hide_single").check().run()
    app.sidebar.multiselect(key="f_exclude").set_value(["iraf"]).run()
    app.sidebar.multiselect(key="f_outlets").set_value(["lbc.co.uk"]).run()
    app.sidebar.number_input(key="f_min_sources").set_value(2).run()  # 1 is the default: it would change nothing
    app.sidebar.number_input(key="cap").set_value(50).run()
    assert not app.exception
    params = {k: app.query_params.get(k) for k in ("type", "polarity", "min_confidence", "hide_single", "outlet",
                                               "exclude_claimant", "min_sources", "cap")}
    assert params == {"type": ["armed_clash", "hostility"], "polarity": "-1", "min_confidence": "medium",
                      "hide_single": "1", "outlet": "lbc.co.uk", "exclude_claimant": "iraf", "min_sources": "2",
                      "cap": "50"}
    assert captions(app) != base
    app.sidebar.button[0].click().run()  # reset
    assert app.sidebar.multiselect(key="f_actors").value == []
    assert "hops" not in app.query_params and "actor" not in app.query_params


def test_date_window_changes_the_graph():
    app = run_app({"actor": "iran", "hops": "1"})
    wide = captions(app)
    app.sidebar.select_slider(key="f_from").set_value("2025-06").run()
    assert captions(app) != wide


def test_axes_view_lists_the_seed_axis_with_claimants():
    app = run_app({"view": "Axes", "target": "iran", "lookback": "240", "decay": "none"})
    headings = [s.value for s in app.subheader]
    assert any(h.startswith("Against Iran") for h in headings)
    labels = [e.label for e in app.expander]
    assert any(label.startswith("Taliban") and "IRAF" in label for label in labels)
    assert any(label.startswith("Azerbaijan — via") for label in labels)
    app.selectbox(key="target").set_value("israel").run()
    assert any(s.value.startswith("Against Israel") for s in app.subheader)
    assert app.query_params["target"] == "israel"


def test_blocs_view_reports_frustration_and_optimality():
    app = run_app({"view": "Blocs", "actor": "iran", "hops": "1"})
    text = "\n".join(m.value for m in app.markdown)
    # the exact sentence, so "not proven optimal" or "best found by local search" cannot pass
    assert re.search(r"\*\*Frustration [\d.]+\*\* — proven optimal; \d+ blocs", text), text
    assert "not proven" not in text
    blocs = "\n".join(element.proto.body for element in app.get("html") if "class='legend blocs'" in element.proto.body)
    assert "<b>Bloc 1:</b>" in blocs and "<b>Bloc 2:</b>" in blocs, blocs
    captions = "\n".join(c.value for c in app.caption)
    assert "cooperative ties across blocs plus adversarial ties inside one" in captions
    assert "Triangle balance" in captions and "Weak triangle balance" in captions
    app.selectbox(key="blocs_k").set_value(2).run()
    assert app.query_params["k"] == "2"
    app.number_input(key="blocs_time").set_value(5).run()
    assert app.query_params["time"] == "5" and not app.exception
    frustrated = [e.label for e in app.expander if e.label.endswith(("inside a bloc", "across blocs"))]
    assert frustrated, "the Iran ego view cannot split into two blocs without frustration"


def test_timeline_view_has_chart_and_bloc_history():
    app = run_app(view="Timeline")
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")
    assert any("Blocs at the end of each year" in s.value for s in app.subheader)
    assert len(app.table) >= 1


def test_paths_view_lists_signed_paths_with_evidence():
    app = run_app({"view": "Paths", "a": "iran", "b": "azerbaijan"})
    labels = [e.label for e in app.expander if e.label not in {"Sources and claims", "Time rule and roles"}]
    assert labels and all(label.startswith("Iran →") for label in labels)
    assert any("aligned" in label for label in labels) and any("opposed" in label for label in labels)
    app.number_input(key="path_length").set_value(1).run()
    assert app.query_params["length"] == "1"


def test_sources_view_highlights_and_links_every_quote_in_the_seed():
    from explorer.tables import load_dataset

    dataset = load_dataset(Path(APP).parents[2] / "data").dataset
    seed = dataset.sources.index[dataset.sources["document"] == "000_ff18c378545b59ec.txt"]
    quoted = dataset.evidence[dataset.evidence["source"].isin(list(seed))]
    app = run_app(view="Sources")
    assert app.dataframe[0].value.shape[0] >= 50
    body = html_text(app)
    assert body.count("<mark>") >= 10
    linked = set(re.findall(r"class='quote-link' href='\?relation=([^'&]+)'", body))
    assert linked == set(quoted["relation"])  # every relation quoted in the seed can be opened from it
    relations = len(set(quoted["relation"]))
    assert f"{len(quoted)} evidence quotes of {relations} relations highlighted" in captions(app)


def test_data_view_offers_every_download():
    app = run_app({"actor": "iran"}, view="Data")
    labels = [b.label for b in app.get("download_button")]
    assert len(labels) == 8 and any("HTML" in label for label in labels)


@pytest.mark.parametrize("params", [
    {"actor": "Atlantis", "hops": "9", "as_of": "2025-02-30"},
    {"relation": "no-such-relation", "view": "Nowhere", "k": "99", "cap": "-3"},
    {"type": "<script>alert(1)</script>", "min_sources": "many", "target": "Mars", "a": "x"},
])
def test_bad_url_parameters_give_a_notice_not_a_crash(params):
    app = run_app(params)
    assert any("ignored" in i.value for i in app.info)


def test_broken_data_folder_shows_the_report_and_the_valid_rows(tmp_path, monkeypatch):
    tables = {name: [dict(r) for r in rows] for name, rows in TINY.items()}
    tables["relations.csv"][1]["type"] = "friendship"
    monkeypatch.setenv("EXPLORER_DATA", str(write_tables(tmp_path, tables)))
    app = run_app()
    assert any("problems" in w.value for w in app.warning)
    report = app.dataframe[0].value
    assert list(report.columns) == ["file", "row", "column", "message", "code"]
    located = set(zip(report["file"], report["row"], report["column"], strict=True))
    assert ("relations.csv", 3, "type") in located
    assert "2 actors · 1 relations" in captions(app)


def test_missing_data_folder_does_not_crash(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_DATA", str(tmp_path / "nowhere"))
    app = run_app()
    assert any("problems" in w.value for w in app.warning)


@pytest.mark.parametrize("view", ["Explore", "Axes", "Blocs", "Timeline", "Paths", "Sources", "Data"])
def test_hostile_data_runs_every_view_with_escaped_labels(tmp_path, monkeypatch, view):
    from tests.hostile import write_hostile

    monkeypatch.setenv("EXPLORER_DATA", str(write_hostile(tmp_path)))
    app = run_app({"view": view, "target": "evil", "a": "evil", "b": "third", "relation": "r1"})
    labels = [e.label for e in app.expander] + [m.value for m in app.markdown] + [c.value for c in app.caption]
    for text in labels:
        assert "](javascript" not in text and "<script>" not in text


def sign_in(app: AppTest, monkeypatch, name: str = "ana", token: str = "test-token-1") -> None:
    """Switch writing on with a shared token and sign in through the sidebar form."""
    monkeypatch.setenv("EXPLORER_WRITING", "1")
    monkeypatch.setenv("EXPLORER_CURATOR_TOKEN", token)
    app.run()
    app.sidebar.text_input(key="sign_in_name").set_value(name)
    app.sidebar.text_input(key="sign_in_password").set_value(token)
    app.sidebar.button(key="sign_in").click().run()
    assert not app.exception, app.exception
    assert any(f"Signed in as **{name}**" in c.value for c in app.sidebar.caption)


def test_writing_is_off_by_default_and_needs_a_signed_in_curator(monkeypatch):
    monkeypatch.delenv("EXPLORER_WRITING", raising=False)
    app = run_app({"view": "Suggest"})
    app.text_area(key="suggest_text").set_value("Iran and Azerbaijan signed a trade deal.").run()
    app.text_input(key="suggest_url").set_value("https://example.org/a").run()
    app.text_input(key="suggest_outlet").set_value("example.org").run()
    app.text_input(key="suggest_published").set_value("2025-07").run()
    app.checkbox(key="accept_0").check().run()
    keys = {b.key for b in app.button}
    assert "suggest_add" in keys and "suggest_save" not in keys and "sign_in" not in keys
    assert not [e for e in app.sidebar.expander if e.label == "Curator sign-in"]
    monkeypatch.setenv("EXPLORER_WRITING", "1")
    monkeypatch.setenv("EXPLORER_CURATOR_TOKEN", "right-token")
    app.run()
    assert "suggest_save" not in {b.key for b in app.button}  # writing on, nobody signed in
    app.sidebar.text_input(key="sign_in_name").set_value("ana")
    app.sidebar.text_input(key="sign_in_password").set_value("wrong-token")
    app.sidebar.button(key="sign_in").click().run()
    assert any("Wrong name or password" in e.value for e in app.sidebar.error)
    assert "suggest_save" not in {b.key for b in app.button}
    sign_in(app, monkeypatch, token="right-token")
    assert "suggest_save" in {b.key for b in app.button}
    app.sidebar.button(key="sign_out").click().run()
    assert "suggest_save" not in {b.key for b in app.button}


def test_password_hashes_in_secrets_sign_a_curator_in(monkeypatch):
    from explorer.system.credentials import hash_password

    monkeypatch.delenv("EXPLORER_CURATOR_TOKEN", raising=False)
    app = AppTest.from_file(APP, default_timeout=90)
    app.secrets["curation"] = {"writing": True, "passwords": {"ana": hash_password("correct horse")}}
    app.query_params["view"] = "Suggest"
    app.run()
    app.sidebar.text_input(key="sign_in_name").set_value("ana")
    app.sidebar.text_input(key="sign_in_password").set_value("correct horse")
    app.sidebar.button(key="sign_in").click().run()
    assert any("Signed in as **ana**" in c.value for c in app.sidebar.caption)


def test_suggest_accept_and_save_flow(tmp_path, monkeypatch):
    import shutil

    from explorer.tables import load_dataset

    shutil.copytree(Path(APP).parents[2] / "data", tmp_path / "data")
    shutil.copytree(Path(APP).parents[2] / "seeds", tmp_path / "seeds")
    monkeypatch.setenv("EXPLORER_DATA", str(tmp_path / "data"))
    before = {p.name: p.read_bytes() for p in (tmp_path / "data").glob("*.csv")}
    app = run_app({"view": "Suggest"})
    seed = (tmp_path / "seeds" / "000_ff18c378545b59ec.txt").read_text(encoding="utf-8")
    app.text_area(key="suggest_text").set_value(seed).run()
    assert any("candidate relations" in c.value for c in app.caption)
    app.text_input(key="suggest_url").set_value("https://khyberchronicles.pk/iranian-media-warns-of-taliban-"
                                                "azerbaijan-axis-as-emerging-security-threat-to-tehran").run()
    app.text_input(key="suggest_outlet").set_value("khyberchronicles.pk").run()
    app.text_input(key="suggest_published").set_value("2025-07").run()
    app.checkbox(key="accept_0").check().run()
    app.checkbox(key="accept_3").check().run()
    app.button(key="suggest_add").click().run()
    assert not app.exception and any("Added" in s.value for s in app.success)
    assert {p.name: p.read_bytes() for p in (tmp_path / "data").glob("*.csv")} == before  # nothing written yet
    assert all(b.key != "suggest_save" for b in app.button)  # read-only until a curator signs in
    sign_in(app, monkeypatch)
    app.button(key="suggest_save").click().run()
    assert not app.exception and any("Saved" in s.value for s in app.success)
    result = load_dataset(tmp_path / "data")
    assert result.problems == ()
    assert len(result.dataset.relations) == len(load_dataset(Path(APP).parents[2] / "data").dataset.relations) + 2
    original = load_dataset(Path(APP).parents[2] / "data").dataset
    new_ids = set(result.dataset.relations.index) - set(original.relations.index)
    evidence = result.dataset.evidence[result.dataset.evidence["relation"].isin(list(new_ids))]
    assert len(new_ids) == 2 and set(result.dataset.relations.loc[list(new_ids), "confidence"]) == {"low"}
    sources = result.dataset.sources.loc[evidence["source"].unique()]
    assert list(sources["document"]) == ["000_ff18c378545b59ec.txt"]  # the pasted text is the stored seed


def test_suggest_with_a_bad_date_explains_instead_of_adding(monkeypatch):
    app = run_app({"view": "Suggest"})
    app.text_area(key="suggest_text").set_value("Iran and Azerbaijan signed a trade deal.").run()
    app.checkbox(key="accept_0").check().run()
    app.text_input(key="suggest_published").set_value("next spring").run()
    assert any("Published" in e.value for e in app.error)
    assert not app.get("button") or all(b.key != "suggest_save" for b in app.button)


def _csv(name: str) -> tuple[str, bytes, str]:
    """A TINY table as an upload; its source document is not stored with the app's data, so it is dropped."""
    import pandas as pd

    frame = pd.DataFrame(TINY[name])
    if name == "sources.csv":
        frame["document"] = ""
    return name, frame.to_csv(index=False).encode("utf-8"), "text/csv"


def test_upload_valid_tables_then_explore_them_and_go_back():
    app = run_app(view="Data")
    app.get("file_uploader")[0].set_value([_csv(name) for name in TINY]).run()
    assert not app.exception
    assert any("Valid: 3 actors, 2 relations" in m.value for m in app.markdown)
    app.button(key="use_upload").click().run()
    assert "uploaded tables" in captions(app)
    assert "3 actors · 2 relations" in captions(app)
    app.sidebar.radio(key="view").set_value("Data").run()
    app.button(key="drop_upload").click().run()
    assert "Data: bundled data" in captions(app)


def test_broken_uploads_are_reported_and_nothing_is_used():
    app = run_app(view="Data")
    bad = [("actors.csv", "id,name\nx,T\xfcrkiye\n".encode("latin-1"), "text/csv"),
           ("relations.xlsx", b"not a workbook", "application/octet-stream")]
    app.get("file_uploader")[0].set_value(bad).run()
    assert not app.exception and any("problems" in e.value for e in app.error)
    report = app.dataframe[-1].value
    messages = " ".join(report["message"])
    assert "not UTF-8" in messages and "not a readable XLSX workbook" in messages and "file not found" in messages
    assert app.button(key="use_upload").disabled


def test_suggest_reads_an_uploaded_text_file():
    app = run_app(view="Suggest")
    app.get("file_uploader")[0].set_value(("doc.txt", b"Iran condemned Israel's strikes.", "text/plain"))
    app.run()
    assert app.text_area(key="suggest_text").value == "Iran condemned Israel's strikes."
    assert any("1 candidate relations" in c.value for c in app.caption)


def copy_data(tmp_path, monkeypatch) -> Path:
    import shutil

    shutil.copytree(Path(APP).parents[2] / "data", tmp_path / "data")
    shutil.copytree(Path(APP).parents[2] / "seeds", tmp_path / "seeds")
    monkeypatch.setenv("EXPLORER_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_curate_edit_conflict_keeps_the_change_and_can_save_it_over(tmp_path, monkeypatch):
    from explorer.tables.changes import read_history

    folder = copy_data(tmp_path, monkeypatch)
    rid = "israel-azerbaijan-military-2021"
    ana, bo = run_app({"view": "Curate"}), run_app({"view": "Curate"})
    assert all(b.key != "edit_save" for b in ana.button)  # nobody signed in: no edit form
    sign_in(ana, monkeypatch, "ana")
    sign_in(bo, monkeypatch, "bo")
    for app in (ana, bo):
        app.selectbox(key="edit_relation").set_value(rid).run()
    bo.text_area(key=f"edit_summary_{rid}").set_value("Bo's summary.")
    bo.button(key="edit_save").click().run()
    assert any("Saved (1 edited)" in s.value for s in bo.success)
    ana.text_area(key=f"edit_summary_{rid}").set_value("Ana's summary.")
    ana.button(key="edit_save").click().run()
    assert any("changed by someone else" in e.value for e in ana.error)
    assert b"Bo's summary." in (folder / "relations.csv").read_bytes()
    assert any(b.label == "Download my change (JSON)" for b in ana.get("download_button"))
    ana.button(key="refused_retry").click().run()
    assert any("Saved (1 edited)" in s.value for s in ana.success)
    assert b"Ana's summary." in (folder / "relations.csv").read_bytes()
    assert [e.by for e in read_history(folder)] == ["bo", "ana"]


def test_curate_history_lists_saves_and_undo_restores(tmp_path, monkeypatch):
    folder = copy_data(tmp_path, monkeypatch)
    original = (folder / "relations.csv").read_bytes()
    rid = "israel-azerbaijan-military-2021"
    app = run_app({"view": "Curate"})
    assert any("No saved changes yet" in c.value for c in app.caption)
    sign_in(app, monkeypatch, "ana")
    app.selectbox(key="edit_relation").set_value(rid).run()
    app.selectbox(key=f"edit_confidence_{rid}").set_value("low")
    app.button(key="edit_save").click().run()
    assert (folder / "relations.csv").read_bytes() != original
    assert any("1 saved changes" in c.value for c in app.caption)
    undo = next(b for b in app.button if b.key.startswith("undo_"))
    undo.click().run()
    assert (folder / "relations.csv").read_bytes() == original
    assert any("2 saved changes" in c.value for c in app.caption)
    from explorer.render.html import md

    assert any(md("Undo: Edited relation") in e.label and md("[1 edited]") in e.label for e in app.expander)


def test_with_openid_connect_configured_the_sidebar_offers_the_provider_sign_in(monkeypatch):
    monkeypatch.delenv("EXPLORER_CURATOR_TOKEN", raising=False)
    monkeypatch.delenv("EXPLORER_WRITING", raising=False)
    app = AppTest.from_file(APP, default_timeout=90)
    app.secrets["curation"] = {"writing": True, "curators": ["ana@example.org"]}
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "id", "client_secret": "secret",
                           "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}
    app.query_params["view"] = "Curate"
    app.run()
    assert not app.exception, app.exception
    keys = {b.key for b in app.sidebar.button}
    assert "sign_in_oidc" in keys and "sign_in" not in keys  # no password form without passwords or a token
    assert not any(s.value == "Edit a relation" for s in app.subheader)


def test_the_graph_element_names_its_script_file_instead_of_carrying_it():
    """The graph's JS (vis-network and ours, ~0.5 MB) is served once from the component's asset route; every rerun
    sent it again inside the element when it was inline."""
    element = run_app().get("bidi_component")[0].proto
    assert element.js_content == ""
    assert element.js_source_path.startswith("graph-") and element.js_source_path.endswith(".js")
    assert len(element.SerializeToString()) < 400_000  # the bundled view's data (~0.2 MB), not the script too

"""Curators in two browsers: read-only without sign-in, concurrent saves that both land, conflicts that lose nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.system.credentials import hash_password
from explorer.tables import load_dataset
from explorer.tables.changes import read_history
from tests.browser.conftest import ROOT, StreamlitServer

pytestmark = pytest.mark.browser

PASSWORDS = {"ana": "ana-test-password-1", "bo": "bo-test-password-2"}
RELATION = "israel-azerbaijan-military-2021"
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def curation_server(tmp_path_factory) -> Iterator[tuple[StreamlitServer, Path]]:
    """A server on a copy of the data, writing on, two curators with salted hashes in a secrets file."""
    root = tmp_path_factory.mktemp("curation")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    secrets = root / "secrets.toml"
    lines = ["[curation]", "writing = true", "", "[curation.passwords]"]
    lines += [f'{name} = "{hash_password(password)}"' for name, password in PASSWORDS.items()]
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    running = StreamlitServer(root / "data", args=("--secrets.files", str(secrets)))
    yield running, root / "data"
    running.stop()


def open_view(page, server: StreamlitServer, view: str) -> None:
    page.goto(f"{server.url}?view={view}")
    page.get_by_text("Axis Explorer").first.wait_for(timeout=TIMEOUT)


def sign_in(page, name: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Curator sign-in").click()
    sidebar.get_by_label("Curator name").fill(name)
    sidebar.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
    sidebar.get_by_role("button", name="Sign in").click()
    sidebar.get_by_text(f"Signed in as {name}").wait_for(timeout=TIMEOUT)


def wait_idle(page) -> None:
    """The script run that drew what we waited for has finished: everything it shows is on the page."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT)


def main_area(page):
    return page.get_by_test_id("stMain")


def fill(page, label: str, value: str) -> None:
    field = main_area(page).get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")  # Streamlit takes a text field's value when it loses focus


def prepare_suggestion(page, text: str, url: str) -> None:
    """Paste a text, say where it comes from, accept its first candidate."""
    fill(page, "Document text", text)
    fill(page, "Source URL (http or https)", url)
    fill(page, "Outlet", "example.org")
    fill(page, "Published (YYYY, YYYY-MM or YYYY-MM-DD)", "2025-07")
    main_area(page).get_by_test_id("stCheckbox").first.click()
    main_area(page).get_by_role("button", name="Add 1 accepted to this session").wait_for(timeout=TIMEOUT)


def test_without_sign_in_there_is_no_write_control(server, page):
    for view in ("Suggest", "Curate"):
        open_view(page, server, view)
        main_area(page).get_by_role("heading").first.wait_for(timeout=TIMEOUT)
    assert page.get_by_text("Curator sign-in").count() == 0  # writing is off by default
    open_view(page, server, "Suggest")
    prepare_suggestion(page, "Iran and Azerbaijan signed a trade deal.", "https://example.org/a")
    wait_idle(page)
    assert main_area(page).get_by_role("button", name="Save into the data folder").count() == 0


def test_writing_on_but_signed_out_shows_no_write_control(curation_server, page):
    server, _ = curation_server
    open_view(page, server, "Curate")
    main_area(page).get_by_text("History").first.wait_for(timeout=TIMEOUT)
    page.get_by_text("Curator sign-in").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    assert main_area(page).get_by_text("Edit a relation").count() == 0
    assert main_area(page).get_by_role("button", name="Undo this change").count() == 0


def test_two_curators_saving_at_once_both_land(curation_server, page, other_page):
    server, folder = curation_server
    relations_before = set(load_dataset(folder).dataset.relations.index)
    for user, name, text in ((page, "ana", "Iran and Azerbaijan signed a trade deal."),
                             (other_page, "bo", "Israel and Azerbaijan held talks on a pipeline.")):
        open_view(user, server, "Suggest")
        sign_in(user, name)
        prepare_suggestion(user, text, f"https://example.org/{name}")
    main_area(page).get_by_role("button", name="Save into the data folder").click()
    main_area(other_page).get_by_role("button", name="Save into the data folder").click()
    for user in (page, other_page):
        main_area(user).get_by_text("Saved (").wait_for(timeout=TIMEOUT)
    result = load_dataset(folder)
    assert result.problems == ()
    added = set(result.dataset.relations.index) - relations_before
    assert {tuple(sorted(result.dataset.relations.loc[r, ["source", "target"]])) for r in added} == \
        {("azerbaijan", "iran"), ("azerbaijan", "israel")}
    assert sorted(e.by for e in read_history(folder)[-2:]) == ["ana", "bo"]
    open_view(page, server, "Curate")
    main_area(page).get_by_text("suggested relations from example.org").first.wait_for(timeout=TIMEOUT)


def choose_relation(page) -> None:
    box = main_area(page).get_by_test_id("stSelectbox").filter(has_text="Relation")
    box.click()
    page.keyboard.type(RELATION)
    page.keyboard.press("Enter")
    main_area(page).get_by_label("Summary").wait_for(timeout=TIMEOUT)


def test_a_curator_whose_row_changed_underneath_gets_a_conflict_and_keeps_the_edit(curation_server, page,
                                                                                    other_page, tmp_path):
    server, folder = curation_server
    for user, name in ((page, "ana"), (other_page, "bo")):
        open_view(user, server, "Curate")
        sign_in(user, name)
        choose_relation(user)
    main_area(other_page).get_by_label("Summary").fill("Bo's reading of the arms ties.")
    main_area(other_page).get_by_role("button", name="Save this relation").click()
    main_area(other_page).get_by_text("Saved (1 edited)").wait_for(timeout=TIMEOUT)
    main_area(page).get_by_label("Summary").fill("Ana's reading of the arms ties.")
    main_area(page).get_by_role("button", name="Save this relation").click()
    main_area(page).get_by_text("was changed by someone else since you read it").wait_for(timeout=TIMEOUT)
    assert b"Bo's reading" in (folder / "relations.csv").read_bytes()
    with page.expect_download() as download:
        main_area(page).get_by_role("button", name="Download my change (JSON)").click()
    saved = tmp_path / "change.json"
    download.value.save_as(saved)
    change = json.loads(saved.read_text(encoding="utf-8"))
    assert change["rows"][0]["after"]["summary"] == "Ana's reading of the arms ties."
    main_area(page).get_by_role("button", name="Save mine over the current rows").click()
    main_area(page).get_by_text("Saved (1 edited)").wait_for(timeout=TIMEOUT)
    assert b"Ana's reading" in (folder / "relations.csv").read_bytes()
    assert load_dataset(folder).problems == ()

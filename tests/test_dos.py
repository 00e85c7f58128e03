"""Hostile input that once starved or crashed the server: Unicode digits, leaks of server paths, URL ranges,
quadratic text processing, exploding uploads. Every input is small and generated here."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.cli import main as cli
from explorer.model import DateError, fold, partial_date_bounds, whole_number
from explorer.tables import load_dataset
from explorer.tables.suggest import (
    Limits,
    TextTooLarge,
    cue_table,
    find_mentions,
    guess_type,
    split_sentences,
    suggest,
)
from tests.conftest import TINY, write_tables

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "explorer" / "app" / "main.py")
ARABIC_YEAR, FULL_WIDTH_YEAR = "٢٠٢٥", "２０２５"


def run_app(params: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def notices(app: AppTest) -> str:
    return " ".join(i.value for i in app.info).replace("\\", "")  # markdown escapes dropped


# ---- ASCII digits only ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [ARABIC_YEAR, FULL_WIDTH_YEAR, "2025-٠٦", "2025-06-٠١", "२०२५"])
def test_a_date_in_other_digits_is_not_a_date(text):
    with pytest.raises(DateError):
        partial_date_bounds(text)


@pytest.mark.parametrize("text", ["٣", "１０", "1e3", "", "1_000", "10000000000"])
def test_a_whole_number_is_ascii_digits_only(text):
    with pytest.raises(ValueError):
        whole_number(text)


def test_validate_names_file_row_and_column_of_a_unicode_digit_date(tmp_path, capsys):
    tables = {name: [dict(r) for r in rows] for name, rows in TINY.items()}
    tables["relations.csv"][0]["start"] = ARABIC_YEAR
    tables["sources.csv"][1]["published"] = FULL_WIDTH_YEAR
    data = write_tables(tmp_path, tables)
    assert cli(["validate", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert f"relations.csv:2:start: malformed or impossible date '{ARABIC_YEAR}'" in out
    assert f"sources.csv:3:published: malformed or impossible date '{FULL_WIDTH_YEAR}'" in out
    assert "r1" not in load_dataset(data).dataset.relations.index


@pytest.mark.parametrize("argv", [["export", "--format", "csv", "--from", ARABIC_YEAR],
                                  ["export", "--format", "csv", "--as-of", FULL_WIDTH_YEAR],
                                  ["export", "--format", "csv", "--hops", "٢"],
                                  ["blocs", "--k", "٣"], ["path", "iran", "israel", "--max-length", "３"]])
def test_cli_refuses_unicode_digits_and_writes_nothing(tmp_path, capsys, argv):
    output = tmp_path / "out.csv"
    extra = ["-o", str(output)] if argv[0] == "export" else []
    assert cli([*argv, *extra]) == 2
    assert "error:" in capsys.readouterr().err
    assert not output.exists()


def test_unicode_digit_dates_in_the_url_get_a_notice_not_a_traceback():
    app = run_app({"from": ARABIC_YEAR, "as_of": ARABIC_YEAR, "to": FULL_WIDTH_YEAR, "hops": "٢", "k": "٣"})
    said = notices(app)
    for key in ("from", "to", "as_of", "hops", "k"):
        assert f"{key}:" in said, (key, said)


# ---- nothing of the server in the page -----------------------------------------------------------------------


def test_shipped_config_caps_uploads_and_hides_error_details():
    from explorer.tables.upload import MAX_UPLOAD_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES
    assert config["client"]["showErrorDetails"] == "none"  # False would mean "stacktrace"
    assert config["client"]["toolbarMode"] == "minimal"


def test_sidebar_names_the_data_set_not_its_server_path(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_DATA", str(write_tables(tmp_path / "secret-place", TINY)))
    app = run_app()
    shown = " ".join(c.value for c in app.sidebar.caption)
    assert "data set “data”" in shown
    assert str(tmp_path) not in shown and "secret-place" not in shown


# ---- linear text processing with a budget ----------------------------------------------------------------------

SUGGEST_ACTORS = pd.DataFrame([
    {"id": "pakistan", "name": "Pakistan", "kind": "state", "aliases": ""},
    {"id": "china", "name": "China", "kind": "state", "aliases": "Beijing"},
    {"id": "turkiye", "name": "Türkiye", "kind": "state", "aliases": "Turkey"},
    {"id": "iraf", "name": "IRAF", "kind": "media", "aliases": ""},
])


def test_80_kb_of_abbreviations_finishes_within_the_budget():
    found = suggest("Gen. " * 16_000, SUGGEST_ACTORS, Limits())  # was 123 s: each "Gen." rescanned the text
    assert found.stopped == ""


def test_a_mebibyte_of_sentences_finishes_within_the_budget():
    text = "Pakistan and China met. " * (2**20 // 24)  # was 154 s for 0.4 MiB: sentences × mentions
    found = suggest(text, SUGGEST_ACTORS, Limits(max_candidates=10**9))
    assert found.stopped == ""
    assert len(found.mentions) == 2 * (2**20 // 24) and len(found.candidates) == 2**20 // 24


@pytest.mark.parametrize("text", ["." * 2**20, "!?" * 2**19, "\n" + " " * (2**20 - 1), ("A" + " " * (2**16 - 1)) * 16,
                                  "A. " * (2**20 // 3), "Bank of " * (2**20 // 8)])
def test_hostile_punctuation_and_whitespace_run_within_the_budget(text):
    assert suggest(text, SUGGEST_ACTORS, Limits()).stopped == ""


def test_the_time_budget_stops_the_work_and_says_so():
    text = "Pakistan and China met. " * (2**20 // 24)
    found = suggest(text, SUGGEST_ACTORS, Limits(seconds=0.01, max_candidates=10**9))
    assert "time budget" in found.stopped
    assert len(found.candidates) < 2**20 // 24


def test_the_candidate_cap_stops_the_list_and_says_so():
    found = suggest("Pakistan and China met. " * 50, SUGGEST_ACTORS, Limits(max_candidates=7))
    assert len(found.candidates) == 7 and "first 7 candidate" in found.stopped


def test_a_text_over_the_size_cap_is_refused_before_any_work():
    with pytest.raises(TextTooLarge, match=r"at most 1,048,576 bytes \(1 MiB\)"):
        suggest("x" * (2**20 + 1), SUGGEST_ACTORS, Limits())
    assert Limits(max_bytes=10).refusal("ü" * 6)  # bytes, not characters


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("EXPLORER_SUGGEST_MAX_BYTES", "2048")
    monkeypatch.setenv("EXPLORER_SUGGEST_SECONDS", "9")
    assert Limits.from_environment() == Limits(max_bytes=2048, seconds=9.0, max_candidates=500)


def test_offsets_survive_characters_that_fold_into_several_or_none():
    text = "Straße … ﬁne: TÜRKİYE and Beijing, ½ way; Pakistan."
    mentions = find_mentions(text, SUGGEST_ACTORS)
    assert [(m.text, m.actor) for m in mentions] == [("TÜRKİYE", "turkiye"), ("Beijing", "china"),
                                                      ("Pakistan", "pakistan")]
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_the_cue_automaton_finds_what_each_cue_pattern_finds():
    sentences = [s.text for text in (ROOT / "seeds").glob("*.txt") for s in split_sentences(text.read_text("utf-8"))]
    sentences += ["Bangladesh bank banned the ban.", "They recognised the recognition; sanctions-hit allies."]
    for sentence in sentences:
        folded = fold(sentence)
        hits = sorted((m.start(), rank) for rank, cue in enumerate(cue_table()) for m in cue.pattern.finditer(folded))
        total = sum(cue_table()[rank].polarity for _, rank in hits)
        _type, sign, cues = guess_type(sentence)
        assert cues == tuple(dict.fromkeys(cue_table()[rank].cue for _, rank in hits)), sentence
        assert sign == (total > 0) - (total < 0), sentence


def suggest_app() -> AppTest:
    app = run_app({"view": "Suggest"})
    return app


def test_the_suggest_page_refuses_an_over_cap_text_with_a_clear_message():
    app = suggest_app()
    app.text_area(key="suggest_text").set_value("Iran and Israel met. " * (2**20 // 21 + 1)).run()
    assert not app.exception
    assert any("Not read: the text is" in e.value and "1,048,576 bytes" in e.value for e in app.error)
    assert not any(c.key.startswith("accept_") for c in app.checkbox)


def test_the_suggest_page_refuses_an_over_cap_upload_before_decoding_it():
    app = suggest_app()
    app.get("file_uploader")[0].set_value(("big.txt", b"\xff" * (2**20 + 1), "text/plain")).run()
    assert not app.exception
    assert any("Not read: the file is 1,048,577 bytes" in e.value for e in app.error)
    assert not any("UTF-8" in e.value for e in app.error)  # refused before decoding


def test_the_suggest_page_handles_80_kb_of_abbreviations(monkeypatch):
    app = suggest_app()
    app.text_area(key="suggest_text").set_value("Gen. " * 16_000).run()
    assert not app.exception and not app.warning
    assert any("0 candidate relations" in c.value for c in app.caption)


def test_the_suggest_page_says_when_the_budget_stopped_the_work(monkeypatch):
    monkeypatch.setenv("EXPLORER_SUGGEST_SECONDS", "0")
    app = suggest_app()
    app.text_area(key="suggest_text").set_value("Iran and Israel met. " * 20_000).run()
    assert not app.exception
    assert any("stopped early" in w.value and "time budget" in w.value for w in app.warning)

"""Hostile input that once starved or crashed the server: Unicode digits, leaks of server paths, URL ranges,
quadratic text processing, exploding uploads. Every input is small and generated here."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import time
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.cli import main as cli
from explorer.model import DateError, fold, partial_date_bounds, whole_number
from explorer.system.worker import NICENESS, NewestWork, WorkerError, run_isolated
from explorer.tables import load_dataset, upload
from explorer.tables.suggest import (
    Limits,
    TextTooLarge,
    cue_table,
    find_mentions,
    guess_type,
    split_sentences,
    suggest,
)
from explorer.tables.upload import check_uploads, read_workbook, tables_from_uploads
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
    # a full paste of four-byte characters fits in one message, and little more does
    assert 4 * Limits().max_bytes + 2**20 <= config["server"]["maxWidgetStateSize"] * 10**6 < 25 * 10**6
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
    app = suggest_app()  # under the character cap, over the byte cap: "—" takes three bytes
    app.text_area(key="suggest_text").set_value("Iran — Israel met. " * (2**20 // 19)).run()
    assert not app.exception
    assert any("Not read: the text is" in e.value and "1,048,576 bytes" in e.value for e in app.error)
    assert not any(c.key.startswith("accept_") for c in app.checkbox)


def test_the_suggest_page_cuts_a_paste_at_the_cap_and_says_so():
    app = suggest_app()
    app.text_area(key="suggest_text").set_value("Iran and Israel met. " * (2**20 // 21 + 1)).run()
    assert not app.exception
    assert len(app.text_area(key="suggest_text").value) == 2**20
    assert any("reached the cap of 1,048,576 characters" in w.value for w in app.warning)


def test_the_suggest_page_refuses_an_over_cap_upload_before_decoding_it():
    app = suggest_app()
    app.get("file_uploader")[0].set_value(("big.txt", b"\xff" * (2**20 + 1), "text/plain")).run()
    assert not app.exception
    assert any("Not read: the file is 1,048,577 bytes" in e.value for e in app.error)
    assert not any("UTF-8" in e.value for e in app.error)  # refused before decoding


def test_the_suggest_page_reads_a_text_in_a_worker_process(monkeypatch):
    from explorer.app import transfer

    workers: list[str] = []

    def watched(function, *args, **options):
        workers.append(function.__name__)
        return run_isolated(function, *args, **options)

    monkeypatch.setattr(transfer, "run_isolated", watched)
    app = suggest_app()
    app.text_area(key="suggest_text").set_value("Iran and Azerbaijan signed a trade deal.").run()
    assert workers == ["suggest"]
    assert any("1 candidate relations" in c.value for c in app.caption)
    app.checkbox(key="accept_0").check().run()
    assert workers == ["suggest"]  # ticking a candidate does not read the text again


def test_the_suggest_page_says_when_its_worker_gave_up(monkeypatch):
    from explorer.app import transfer

    def gave_up(function, *args, **options):
        raise WorkerError("stopped after 60 s")

    monkeypatch.setattr(transfer, "run_isolated", gave_up)
    app = suggest_app()
    app.text_area(key="suggest_text").set_value("Iran and Azerbaijan signed a trade deal.").run()
    assert not app.exception
    assert [e.value for e in app.error] == ["Not read: stopped after 60 s."]


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


# ---- uploads that cannot explode ---------------------------------------------------------------------------------


def workbook(rows: list[list[str]], title: str = "actors", far_rows: int = 0) -> bytes:
    """A small XLSX; `far_rows` rows with one cell in the last column Excel has (XFD)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for number in range(far_rows):
        sheet.cell(row=len(rows) + number + 1, column=16384, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, name: str, body: bytes | None) -> bytes:
    """The workbook with one zip member replaced (or dropped when `body` is None), deflated at level 9."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        if body is not None:
            target.writestr(name, body)
    return out.getvalue()


ACTOR_ROWS = [["id", "name", "kind"], ["a", "Alpha", "state"]]


def shared_string_bomb(mib: int = 64) -> bytes:
    strings = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               b'count="1" uniqueCount="1"><si><t>' + b"A" * (mib * 2**20) + b"</t></si></sst>")
    return with_member(workbook(ACTOR_ROWS), "xl/sharedStrings.xml", strings)


@pytest.fixture
def no_parsing(monkeypatch):
    """Parsing a workbook fails the test: what is refused must be refused before it."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def upload_messages(files: list[tuple[str, bytes]]) -> str:
    raw, problems = tables_from_uploads(files)
    assert not raw
    return " ".join(str(p) for p in problems)


def upload_codes(files: list[tuple[str, bytes]]) -> list[str]:
    return [p.code for p in tables_from_uploads(files)[1]]


def test_a_workbook_declaring_a_far_column_is_refused_before_parsing(no_parsing):
    data = workbook(ACTOR_ROWS, far_rows=100)
    assert len(data) < 10_000
    assert "declares 16,384 columns (up to XFD); at most 64 are read" in upload_messages([("actors.xlsx", data)])


def test_a_far_column_without_a_declaration_is_cut_at_the_column_cap():
    sheet = workbook(ACTOR_ROWS, far_rows=1000)
    body = zipfile.ZipFile(io.BytesIO(sheet)).read("xl/worksheets/sheet1.xml")
    data = with_member(sheet, "xl/worksheets/sheet1.xml", re.sub(rb"<dimension[^>]*/>", b"", body))
    started = time.perf_counter()
    sheets = read_workbook(data)
    assert time.perf_counter() - started < 10  # was 236 s and 885 MB in the server
    assert list(sheets["actors"].columns) == ["id", "name", "kind"]


def test_a_shared_string_bomb_is_refused_before_parsing(no_parsing):
    data = shared_string_bomb()
    assert len(data) < 200_000
    messages = upload_messages([("actors.xlsx", data)])
    assert "xl/sharedStrings.xml unpacks" in messages and "compression bomb" in messages


def test_big_shared_strings_are_refused_even_when_they_compress_poorly(no_parsing, monkeypatch):
    monkeypatch.setattr(upload, "MAX_SHARED_STRINGS_BYTES", 1000)
    strings = b"<sst>" + bytes(range(256)) * 8 + b"</sst>"
    data = with_member(workbook(ACTOR_ROWS), "xl/sharedStrings.xml", strings)
    assert "the shared strings unpack to 2,059 bytes; at most 1,000 are read" in upload_messages(
        [("actors.xlsx", data)])


def test_a_file_over_the_cap_is_refused_before_parsing(no_parsing):
    data = b"PK" + b"\\0" * upload.MAX_UPLOAD_BYTES
    assert "file is larger than 20 MiB" in upload_messages([("actors.xlsx", data), ("relations.csv", data)])


def test_a_csv_over_the_row_cap_is_refused_unparsed(monkeypatch):
    monkeypatch.setattr(upload, "MAX_ROWS", 1000)
    data = ("id,name,kind\n" + "a,A,state\n" * 1001).encode()
    assert "has 1,001 lines after the header; at most 1,000 rows are read" in upload_messages(
        [("actors.csv", data)])


def test_problems_are_listed_up_to_a_cap_and_counted_beyond():
    rows = "".join(f"r{i},nobody,nowhere,alliance,1,2025,,high,x\n" for i in range(5000))
    checked = check_uploads([("relations.csv", ("id,source,target,type,polarity,start,end,confidence,summary\n"
                                                + rows).encode())], {})
    about_source = [p for p in checked.problems if p.file == "relations.csv" and p.column == "source"]
    assert len(about_source) == 101
    assert about_source[-1].message == ("… and 4,900 more rows with this problem (5,000 in all; the first 100 "
                                        "are listed)")


def test_an_upload_cannot_make_the_reader_open_an_uncited_seed_file():
    sources = [{**TINY["sources.csv"][0], "document": "README.md"}]
    frame = pd.DataFrame(sources).to_csv(index=False).encode()
    checked = check_uploads([("sources.csv", frame)], {"doc.txt": "text"})
    assert any("document 'README.md' is not one of the stored documents this data may cite" in p.message
               for p in checked.problems)
    assert "README.md" not in checked.result.dataset.documents


@pytest.mark.parametrize("name", ["a\0b.txt", "x" * 300, "/etc/passwd", "../data/actors.csv", "seeds/../../x",
                                  "C:\\\\windows", "a//b"])
def test_a_document_name_is_checked_before_any_file_system_call(tmp_path, monkeypatch, name):
    tables = {n: [dict(r) for r in rows] for n, rows in TINY.items()}
    tables["sources.csv"][0]["document"] = name
    data = write_tables(tmp_path, tables)
    touched = []
    monkeypatch.setattr(Path, "resolve", lambda self, *a, **k: touched.append(self) or self)
    problems = [p for p in load_dataset(data).problems if p.column == "document"]
    assert [p.message.split(" must be")[0] for p in problems] == [f"document {name[:80]!r}"]
    assert str(tmp_path) not in problems[0].message
    assert not [t for t in touched if "seeds" in str(t)]


def slow_work(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def greedy_work(mib: int) -> int:
    return len(bytearray(mib * 2**20))


def test_the_worker_returns_what_the_function_returns():
    assert run_isolated(slow_work, 0, seconds=30) == "done"


def test_the_worker_is_killed_at_its_time_limit():
    started = time.perf_counter()
    with pytest.raises(WorkerError, match="stopped after 1 s"):
        run_isolated(slow_work, 60, seconds=1)
    assert time.perf_counter() - started < 15


def test_the_worker_stops_when_its_session_ends():
    ended = iter([False, False, True])
    with pytest.raises(WorkerError, match="session ended"):
        run_isolated(slow_work, 60, seconds=30, cancelled=lambda: next(ended, True))


def niceness() -> int:
    return os.nice(0)


def test_the_worker_runs_behind_the_server_in_the_scheduler():
    assert run_isolated(niceness, seconds=30) == os.nice(0) + NICENESS


def test_a_job_waiting_for_a_slot_gives_up_as_soon_as_it_is_cancelled():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        busy = [pool.submit(run_isolated, slow_work, 6, seconds=30) for _ in range(2)]  # both slots taken
        while len(multiprocessing.active_children()) < 2:  # both children started
            time.sleep(0.01)
        started = time.perf_counter()
        with pytest.raises(WorkerError, match="newer work"):
            run_isolated(slow_work, 0, seconds=30, cancelled=lambda: time.perf_counter() - started > 0.2)
        waited = time.perf_counter() - started
        assert [job.result() for job in busy] == ["done", "done"]
    assert waited < 2  # not until a slot came free, 6 s later


def test_a_sessions_newer_job_makes_its_older_one_stale():
    newest = NewestWork()
    active = {"a", "b"}
    first = newest.start("a", active.__contains__)
    other = newest.start("b", active.__contains__)
    assert not first() and not other()
    second = newest.start("a", active.__contains__)
    assert first() and not second() and not other()  # a's older job stops; b's is not a's business
    active.discard("b")
    assert other()  # its tab closed
    newest.start("a", active.__contains__)
    assert "b" not in newest._newest  # forgotten once gone


def test_the_worker_has_a_memory_ceiling_of_its_own():
    with pytest.raises(WorkerError, match="more than 64 MiB"):
        run_isolated(greedy_work, 512, seconds=30, memory_bytes=64 * 2**20)


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("actors.xlsx", "far", "declares 16,384 columns"),
    ("actors.xlsx", "bomb", "compression bomb"),
    ("relations.xlsx", "not a workbook", "not a readable XLSX workbook"),
])
def test_the_data_page_reports_refused_workbooks_without_a_traceback(name, data, expected):
    body = {"far": workbook(ACTOR_ROWS, far_rows=100), "bomb": shared_string_bomb()}.get(data, data.encode())
    app = run_app({"view": "Data"})
    app.get("file_uploader")[0].set_value([(name, body, "application/octet-stream")]).run()
    assert not app.exception
    report = " ".join(app.dataframe[-1].value["message"])
    assert expected in report
    assert app.button(key="use_upload").disabled


# ---- every dropped URL value gets its notice ---------------------------------------------------------------------


@pytest.mark.parametrize(("params", "expected"), [
    ({"k": "7"}, "k: 7 is outside 0–6"),
    ({"k": "8"}, "k: 8 is outside 0–6"),
    ({"min_sources": "11"}, "min_sources: minimum sources must be 1 to 10"),
    ({"min_sources": "100"}, "min_sources: minimum sources must be 1 to 10"),
    ({"outlet": "nowhere.example"}, "outlet: unknown outlet(s) ignored: nowhere.example"),
    ({"exclude_claimant": "armenia"}, "exclude_claimant: no claims to hide from: armenia"),
    ({"document": "README.md", "view": "Sources"}, "document: no stored document 'README.md'"),
    ({"hops": ["1", "2"]}, "hops: given 2 times; only the last, '2', is used"),
    ({"view": ["Axes", "Blocs"]}, "view: given 2 times; only the last, 'Blocs', is used"),
    ({"colour": "red"}, "colour: not a parameter of this app (ignored)"),
    ({"lines": "all"}, "lines: 'all' is neither ties nor relations (ignored)"),
])
def test_every_dropped_url_value_gets_its_notice(params, expected):
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    assert expected in notices(app)


def test_every_parameter_the_app_writes_reads_back_without_a_notice():
    app = run_app({"actor": "taliban", "view": "Explore", "lines": "relations", "embed": "true",
                   "relation": "taliban-azerbaijan-diplomatic-2025-07"})
    url = dict(app.query_params)
    again = AppTest.from_file(APP, default_timeout=90)
    for key, values in url.items():
        again.query_params[key] = values
    again.run()
    assert not again.exception and not notices(again), notices(again)


def test_the_parser_accepts_exactly_the_range_each_widget_offers():
    from explorer.app.state import NUMBERS
    from explorer.graph.filters import FIELDS
    from explorer.graph.index import build_index

    app = run_app({"view": "Blocs"})
    widgets = {"hops": app.sidebar.slider(key="f_hops"), "min_sources": app.number_input(key="f_min_sources"),
               "cap": app.number_input(key="cap")}
    bounded = {f.key: f.bounds for f in FIELDS if f.bounds}
    assert set(bounded) == {"hops", "min_sources"}
    assert (widgets["hops"].min, widgets["hops"].max) == bounded["hops"]
    assert (widgets["min_sources"].min, widgets["min_sources"].max) == bounded["min_sources"]
    assert (widgets["cap"].min, widgets["cap"].max) == (NUMBERS["cap"].lo, NUMBERS["cap"].hi)
    assert len(app.selectbox(key="blocs_k").options) == len(NUMBERS["k"].choices) == 7
    index = build_index(load_dataset(ROOT / "data").dataset)
    for key, (lo, hi) in bounded.items():
        field = {f.key: f for f in FIELDS}[key]
        assert field.parse([str(lo)], index) == lo and field.parse([str(hi)], index) == hi
        for outside in (lo - 1, hi + 1):
            with pytest.raises(ValueError):
                field.parse([str(outside)], index)


def test_each_refusal_names_its_limit_with_a_reason_code(no_parsing, monkeypatch):
    """Every refused upload carries the code of the limit it broke, as load problems carry theirs."""
    assert upload_codes([("actors.xlsx", shared_string_bomb())]) == ["compression_bomb"]
    assert upload_codes([("actors.xlsx", workbook(ACTOR_ROWS, far_rows=100))]) == ["too_many_columns"]
    assert upload_codes([("actors.xlsx", b"PK" + b"\\0" * upload.MAX_UPLOAD_BYTES)]) == ["file_too_large"]
    monkeypatch.setattr(upload, "MAX_SHARED_STRINGS_BYTES", 1000)
    strings = b"<sst>" + bytes(range(256)) * 8 + b"</sst>"
    shared = with_member(workbook(ACTOR_ROWS), "xl/sharedStrings.xml", strings)
    assert upload_codes([("actors.xlsx", shared)]) == ["shared_strings_too_large"]
    monkeypatch.setattr(upload, "MAX_ROWS", 1000)
    assert upload_codes([("actors.csv", ("id,name,kind\n" + "a,A,state\n" * 1001).encode())]) == ["too_many_rows"]
    monkeypatch.setattr(upload, "MAX_UNCOMPRESSED_BYTES", 100)
    assert upload_codes([("actors.xlsx", workbook(ACTOR_ROWS))]) == ["unpacks_too_large"]


def test_every_problem_of_a_checked_upload_has_a_reason_code():
    """The files' own problems and the validation's alike."""
    checked = check_uploads([("notes.txt", b"x"), ("people.xlsx", workbook(ACTOR_ROWS, title="people")),
                             ("relations.csv", b"id,source\nr1,nobody\n")], {})
    codes = {(p.file, p.code) for p in checked.problems}
    assert {("notes.txt", "file_type"), ("people.xlsx", "no_table_sheet"),
            ("relations.csv", "column_not_in_dataframe"), ("actors.csv", "file_not_found")} <= codes, codes
    assert all(p.code for p in checked.problems), [str(p) for p in checked.problems if not p.code]

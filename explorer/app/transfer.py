"""Data in and out, and the sources: downloads of the view, uploads for this session, the source reader."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from explorer.app import curation, state
from explorer.app.auth import current_curator
from explorer.app.data import Loaded, loaded_from_result
from explorer.app.leave_guard import UNSAVED_PREFIX
from explorer.graph import View
from explorer.graph.filters import describe_filter
from explorer.model import DateError, month_of
from explorer.render import is_http_url
from explorer.render.exports import MIME, export_bytes
from explorer.render.html import md
from explorer.render.reader import highlighted_document, highlights_for
from explorer.system.worker import NewestWork, WorkerError, run_isolated
from explorer.tables import LoadResult
from explorer.tables.changes import change_from_suggestions
from explorer.tables.imports import (
    ImportSource,
    UnreadableFile,
    checked_tables,
    combined_tables,
    import_file,
)
from explorer.tables.load import problems_frame
from explorer.tables.schema import vocabulary
from explorer.tables.suggest import (
    Candidate,
    Limits,
    Review,
    Suggestions,
    TextTooLarge,
    accept_reviews,
    offered_candidates,
    suggest,
)
from explorer.tables.upload import MAX_UPLOAD_BYTES, CheckedUpload, check_uploads
from explorer.tables.words import OWN_REPORTING, claimed_by
from explorer.tables.write import table_bytes, table_frames

LOG = logging.getLogger(__name__)
# A 20 MiB table set checks, and 1 MiB of text is read, in a few seconds; beyond a minute something is wrong.
WORKER_SECONDS = 60.0

SUGGEST_NOTICE = "suggest_notice"  # what adding did, shown once after the rerun it causes
DOWNLOADS = (("csv", "CSV (one row per evidence)"), ("xlsx", "Excel workbook (a sheet per table)"),
             ("json", "JSON"), ("graphml", "GraphML (Gephi, yEd)"), ("gexf", "GEXF 1.3 (Gephi, Gephi Lite)"),
             ("html", "standalone HTML graph (works offline)"), ("svg", "SVG picture"), ("png", "PNG picture (2×)"))


def data_page(loaded: Loaded, view: View) -> None:
    st.subheader("Download the current view")
    st.caption(f"{md(describe_filter(view.filter, loaded.index))} — {len(view.actors)} actors · "
               f"{len(view.relations)} relations, with their evidence. Every file names this filter; GEXF and "
               "GraphML carry the drawn positions and colours.")
    safe = st.toggle("Safe for spreadsheets", value=True, key="export_spreadsheet_safe",
                     help="CSV: a cell starting with = + - @ tab or CR gets a leading apostrophe, so Excel or "
                          "LibreOffice shows it as text instead of running it as a formula. The workbook always "
                          "stores text as text; JSON, GEXF and GraphML stay verbatim.")
    columns = st.columns(4)
    for number, (fmt, label) in enumerate(DOWNLOADS):
        # A callable: the file is made when clicked, not on every rerun of the page.
        columns[number % 4].download_button(
            label, partial(export_bytes, loaded.index, view, fmt, safe=safe, data_label=loaded.label),
            file_name=f"axis-explorer-view.{fmt}", mime=MIME[fmt], key=f"download_{fmt}")

    st.subheader("Use your own tables for this session")
    st.caption("Upload actors, relations, sources and evidence as CSV files named after their table, XLSX files, "
               f"or one workbook with a sheet per table (at most {MAX_UPLOAD_BYTES // 2**20} MiB each). They are "
               "validated first and kept only in this browser session: nothing is written to `data/`.")
    mode = st.radio("Uploads", ["replace", "add"], horizontal=True, key="upload_mode",
                    format_func=lambda m: {"add": "Add to the current data (ids checked for clashes)",
                                           "replace": "Replace the current data"}[m])
    files = st.file_uploader("Tables", type=["csv", "xlsx"], accept_multiple_files=True, key="upload_files",
                             max_upload_size=MAX_UPLOAD_BYTES // 2**20)
    if files:
        checked = checked_upload([(f.name, f.getvalue()) for f in files], loaded, mode)
        if checked is None:
            return
        result, problems = checked.result, checked.problems
        if problems:
            st.error(f"{len(problems)} problems; rows with problems are left out.")
            st.dataframe(problems_frame(problems), hide_index=True, width="stretch")
        dataset = result.dataset
        st.write(f"Valid: {len(dataset.actors)} actors, {len(dataset.relations)} relations, "
                 f"{len(dataset.sources)} sources, {len(dataset.evidence)} evidence rows.")
        if st.button("Explore the uploaded tables", disabled=len(dataset.relations) == 0, key="use_upload"):
            st.session_state[state.UPLOADED] = loaded_from_result(result, f"upload:{checked.digest}",
                                                                  "uploaded tables")
            _restart_view()
    import_section(loaded, mode)
    if st.session_state.get(state.UPLOADED) is not None and st.button("Back to the bundled data", key="drop_upload"):
        st.session_state[state.UPLOADED] = None
        _restart_view()


def checked_upload(files: list[tuple[str, bytes]], loaded: Loaded, mode: str) -> CheckedUpload | None:
    """Uploads parsed and validated in a worker process, once per set of files, data and mode in this session;
    None (after telling the user) when the worker was stopped."""
    key = hashlib.sha256(f"{loaded.key}|{mode}".encode() + b"".join(
        hashlib.sha256(name.encode() + b"\0" + data).digest() for name, data in files))
    memo = st.session_state.get(state.CHECKED_UPLOAD)
    if memo is not None and memo[0] == key.hexdigest():
        return memo[1]
    try:
        with st.spinner("Checking the uploaded tables…"):
            checked = run_isolated(check_uploads, files, dict(loaded.result.dataset.documents),
                                   table_frames(loaded.index.dataset) if mode == "add" else None,
                                   seconds=WORKER_SECONDS, cancelled=superseded())
    except WorkerError as error:
        LOG.warning("upload of %s not checked: %s", [name for name, _ in files], error)
        st.error(f"The upload was not read: {md(error)}. Smaller files, or one table at a time, will go through.")
        return None
    st.session_state[state.CHECKED_UPLOAD] = (key.hexdigest(), checked)
    return checked


_NEWEST_WORK = NewestWork()


def superseded() -> Callable[[], bool]:
    """A test for the worker: true once this browser session is gone (tab closed) or has started newer work (a
    new upload while the last is still being read), so its work stops too."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None or not Runtime.exists():
        return lambda: False
    return _NEWEST_WORK.start(context.session_id, Runtime.instance().is_active_session)


def import_section(loaded: Loaded, mode: str) -> None:
    """A network from Gephi, Kumu, Onodo or the signed-network literature, for this session."""
    st.subheader("Import a network")
    st.caption("GEXF or GraphML (Gephi), a signed edge list (`source,target,sign[,date]`), Pajek `.net` with "
               "signed arcs, or a Kumu (Elements + Connections) or Onodo (Nodes + Relations) workbook. The file "
               "becomes the source of every relation it holds, each quoting its line or row; `python -m explorer "
               "import` does the same into a data folder.")
    upload = st.file_uploader("Network file", type=["gexf", "graphml", "csv", "tsv", "txt", "net", "paj", "xlsx"],
                              key="import_file")
    left, middle, right = st.columns([3, 2, 1])
    url = left.text_input("Where it was published (http or https)", key="import_url")
    outlet = middle.text_input("Published by", key="import_outlet")
    published = right.text_input("Its date (dates undated ties)", key="import_published")
    if upload is None:
        return
    if not url.strip() or not outlet.strip():
        st.info("Say where the file comes from (address and publisher): it is the source of its relations.")
        return
    try:  # parsed in a worker process, like the table uploads: a hostile file cannot hold the server
        imported = run_isolated(import_file, upload.name, upload.getvalue(),
                                ImportSource(url.strip(), outlet.strip(), published.strip()),
                                seconds=WORKER_SECONDS, cancelled=superseded())
    except (UnreadableFile, DateError, WorkerError) as error:
        st.error(md(error))
        return
    dataset = loaded.index.dataset
    tables, clashes = combined_tables(table_frames(dataset), imported, mode)
    documents = {**(dataset.documents if mode == "add" else {}), **imported.documents}
    result = checked_tables(tables, documents)
    problems = [*imported.problems, *clashes, *result.problems]
    if problems:
        st.error(f"{len(problems)} problems; rows with problems are left out.")
        st.dataframe(problems_frame(problems), hide_index=True, width="stretch")
    for line in imported.decisions:  # what the import inferred, as the command line prints it
        st.caption(md(line.replace("use --kind or a kind column", "give the file a kind column")))
    st.write(f"{imported.format}: {len(imported.tables['relations.csv'])} relations read; valid after "
             f"{'adding' if mode == 'add' else 'replacing'}: {len(result.dataset.actors)} actors, "
             f"{len(result.dataset.relations)} relations.")
    digest = hashlib.sha256(upload.getvalue()).hexdigest()[:16]
    if st.button("Explore with the imported network", disabled=bool(clashes) or len(result.dataset.relations) == 0,
                 key="use_import"):
        st.session_state[state.UPLOADED] = loaded_from_result(result, f"import:{mode}:{digest}",
                                                              f"{loaded.label} + {upload.name}" if mode == "add"
                                                              else upload.name)
        _restart_view()


def _restart_view() -> None:
    """New data: forget filters that named its actors, read the (now cleared) URL afresh."""
    uploaded = st.session_state.get(state.UPLOADED)
    state.reset()
    st.session_state[state.UPLOADED] = uploaded
    st.rerun()


def sources_page(loaded: Loaded, view: View) -> None:
    dataset = loaded.index.dataset
    cited = dataset.evidence.groupby("source")["relation"].nunique()
    table = pd.DataFrame({
        "source": dataset.sources["id"], "outlet": dataset.sources["outlet"], "title": dataset.sources["title"],
        "published": dataset.sources["published"],
        "link": [url if is_http_url(url) else "" for url in dataset.sources["url"]],
        "relations": dataset.sources["id"].map(cited).fillna(0).astype(int),
        "stored document": dataset.sources["document"],
    }).sort_values(["relations", "source"], ascending=[False, True])
    st.subheader("Sources")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"link": st.column_config.LinkColumn("link")})
    documents = sorted({d for d in dataset.sources["document"] if d})
    if not documents:
        st.info("No source document is stored with this data.")
        return
    st.subheader("Read a stored document")
    if st.session_state.get(state.DOCUMENT) not in documents:
        st.session_state[state.DOCUMENT] = documents[0]
    document = st.selectbox("Document", documents, key=state.DOCUMENT)
    text = dataset.documents.get(document)
    if text is None:  # the validation report says why; the server's folders are nobody's business here
        st.error(f"{md(document)} is not available: see the validation report above.")
        return
    reading = highlighted_document(text, highlights_for(loaded.index.dataset, document))
    relations = len({h.relation for h in reading.found})
    st.caption(f"{len(reading.found)} evidence quotes of {relations} relations highlighted; click a quote, or a "
               "number beside it where quotes overlap, to open its relation.")
    if reading.missing:
        st.warning("Quotes not found in this document: " + "; ".join(md(h.quote[:80]) for h in reading.missing))
    st.html(reading.html)


def suggestions_for(text: str, loaded: Loaded, limits: Limits) -> Suggestions:
    """Suggestions for this text and data, worked out once per session (ticking a box must not redo them), in a
    worker process like the uploads: a long text cannot hold the interpreter every other page needs."""
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), loaded.key, limits)
    memo = st.session_state.get(state.SUGGESTED)
    if memo is None or memo[0] != key:
        if refusal := limits.refusal(text):  # before the text is copied to a worker
            raise TextTooLarge(refusal)
        with st.spinner("Reading the text…"):
            found = run_isolated(suggest, text, loaded.index.dataset.actors, limits,
                                 seconds=WORKER_SECONDS, cancelled=superseded())
        memo = (key, found)
        st.session_state[state.SUGGESTED] = memo
    return memo[1]


def suggest_page(loaded: Loaded, view: View) -> None:
    """Turn a document into candidate relations, review them, add the accepted ones, save only on request."""
    dataset = loaded.index.dataset
    st.subheader("Suggest relations from a document")
    st.caption("Paste or upload a text. Known actors are found by name or alias; every sentence naming two or "
               "more of them becomes a low-confidence candidate, with the sentence as its verbatim quote and a "
               "type and polarity guessed from cue words. Nothing joins the data until you accept it.")
    limits = Limits.from_environment()
    upload = st.file_uploader("Text file", type=["txt"], key="suggest_file",
                              max_upload_size=max(1, math.ceil(limits.max_bytes / 2**20)))
    if upload is not None:
        if upload.size > limits.max_bytes:
            st.error(f"Not read: the file is {upload.size:,} bytes; at most {limits.max_bytes:,} bytes are read "
                     "at once: split it into parts.")
        else:
            try:
                st.session_state["suggest_text"] = upload.getvalue().decode("utf-8")
            except UnicodeDecodeError:
                st.error("The file is not UTF-8 text.")
    # The browser stops a paste at the cap, so an over-long text never travels to the server; the byte check in
    # `suggestions_for` still holds for characters of several bytes and for clients that are not our page.
    text = st.text_area("Document text", key="suggest_text", height=160, max_chars=limits.max_bytes)
    left, middle, right = st.columns([3, 2, 1])
    url = left.text_input("Source URL (http or https)", key="suggest_url")
    outlet = middle.text_input("Outlet", key="suggest_outlet")
    published = right.text_input("Published (YYYY, YYYY-MM or YYYY-MM-DD)", key="suggest_published")
    title = st.text_input("Title (optional)", key="suggest_title")
    if not text.strip():
        return
    if len(text) >= limits.max_bytes:
        st.warning(f"The text reached the cap of {limits.max_bytes:,} characters: anything pasted beyond it was cut "
                   "off. Split a longer document into parts.")
    try:
        found = suggestions_for(text, loaded, limits)
    except (TextTooLarge, WorkerError) as error:
        st.error(f"Not read: {md(error)}.")
        return
    if found.stopped:
        st.warning(f"Suggestions stopped early: {md(found.stopped)}.")
    st.caption(f"{len(found.mentions)} mentions of {len({m.actor for m in found.mentions})} known actors · "
               f"{len(found.candidates)} candidate relations")
    if found.new_names:
        with st.expander(f"{len(found.new_names)} names that match no actor (possible new actors)"):
            st.dataframe(pd.DataFrame([{"name": n.name, "occurrences": n.count, "first offset": n.first}
                                       for n in found.new_names]), hide_index=True, width="stretch")
    offered, held_back = offered_candidates(found.candidates, dataset.actors)
    if held_back:
        st.caption(f"{held_back} candidates not offered: a media actor is a claimant, not a side, and an "
                   "organisation or initiative is offered only as what an actor joins (membership).")
    accepted = [review for number, candidate in enumerate(offered)
                if (review := review_candidate(number, candidate, dataset.actors)) is not None]
    if notice := st.session_state.pop(SUGGEST_NOTICE, None):
        st.success(notice)
    if not accepted:
        return
    try:
        joined = accept_reviews(accepted, text, dataset, url, outlet, published, title)
    except ValueError as error:
        st.error(f"Published: {md(error)}")
        return
    result, added, new_relations, folder = joined.result, joined.added, joined.new_relations, dataset.folder
    if result.problems:
        st.error(f"{len(result.problems)} problems: fix the fields above before adding.")
        st.dataframe(problems_frame(result.problems), hide_index=True, width="stretch")
        return
    columns = st.columns(4)
    columns[0].button(f"Add {new_relations} accepted to this session", key="suggest_add",
                      disabled=new_relations == 0, on_click=_add_suggestions,
                      args=(result, f"{UNSAVED_PREFIX}{joined.key}",
                            f"{loaded.label} + {new_relations} accepted suggestions",
                            list(added["relations.csv"]["start"])))
    for column, name in zip(columns[1:], added, strict=True):
        column.download_button(f"Download {name}", table_bytes(added[name]), file_name=f"suggested-{name}",
                               mime="text/csv", key=f"suggest_download_{name}")
    if folder is None or not current_curator():
        return
    if st.button("Save into the data folder", key="suggest_save", type="primary",
                 help="Adds the accepted rows to the tables as they are on disk now, all or nothing, logged"):
        source = joined.source
        origin = source.outlet or source.url or "a pasted text"
        change = change_from_suggestions(added, text, source.document, f"{len(accepted)} suggested relations from "
                                                                       f"{origin}")
        entry = curation.save(folder, change)
        if entry is not None:
            st.success(curation.saved_message(entry))
    curation.refused_panel(folder)


def review_candidate(number: int, candidate: Candidate, actors: pd.DataFrame) -> Review | None:
    """One candidate with its checkbox and, once ticked, what a curator may correct before accepting it:
    direction, type, polarity, dates, confidence and whose claim it is."""
    names = actors["name"]
    claim = f" · {claimed_by([md(names.get(candidate.claimed_by, candidate.claimed_by))])}" if candidate.claimed_by \
        else ""
    label = (f"{md(names[candidate.source])} → {md(names[candidate.target])}: {candidate.type} "
             f"{candidate.polarity:+d}{claim}")
    ticked = st.checkbox(label, key=f"accept_{number}", help=candidate.quote)
    st.caption(md(candidate.quote))
    if not ticked:
        return None
    types, polarities = list(vocabulary("type")), [1, 0, -1]
    claimants = ["", *sorted(actors.index, key=lambda a: str(names[a]).casefold())]
    with st.container(border=True):
        first, second, third, fourth = st.columns(4)
        swap = first.toggle("Swap direction", key=f"edit_{number}_swap",
                            help=f"{names[candidate.target]} → {names[candidate.source]} instead")
        kind = second.selectbox("Type", types, index=types.index(candidate.type) if candidate.type in types else 0,
                                key=f"edit_{number}_type", format_func=lambda t: vocabulary("type")[t].label)
        polarity = third.selectbox("Polarity", polarities, index=polarities.index(candidate.polarity),
                                   key=f"edit_{number}_polarity",
                                   format_func=lambda p: vocabulary("polarity")[str(p)].label)
        confidence = fourth.selectbox("Confidence", list(vocabulary("confidence")), key=f"edit_{number}_confidence")
        first, second, third = st.columns([1, 1, 2])
        start = first.text_input("Start (empty: published)", key=f"edit_{number}_start")
        end = second.text_input("End (empty: ongoing)", key=f"edit_{number}_end")
        claimant = third.selectbox("Claimed by", claimants, key=f"edit_{number}_claimant",
                                   index=claimants.index(candidate.claimed_by)
                                   if candidate.claimed_by in claimants else 0,
                                   format_func=lambda a: str(names[a]) if a else OWN_REPORTING)
    source, target = (candidate.target, candidate.source) if swap else (candidate.source, candidate.target)
    corrected = replace(candidate, source=source, target=target, type=kind, polarity=int(polarity),
                        claimed_by=claimant)
    return Review(corrected, start=start, end=end, confidence=confidence)


def _add_suggestions(result: LoadResult, key: str, label: str, starts: list[str]) -> None:
    """Button callback (runs before the sidebar exists): the session gets the accepted relations, and the date
    window widens to include them rather than hiding them behind its old end."""
    st.session_state[state.UPLOADED] = loaded_from_result(result, key, label)
    latest = max(month_of(s, first=False) for s in starts)
    earliest = min(month_of(s) for s in starts)
    widened = []
    session = st.session_state
    if session.get(state.TO) and session[state.TO] < latest:
        session[state.TO] = latest
        widened.append(f"the window now ends in {latest}")
    if session.get(state.FROM) and session[state.FROM] > earliest:
        session[state.FROM] = earliest
        widened.append(f"the window now starts in {earliest}")
    if session.get(state.AS_OF) not in (None, state.ANY) and not earliest <= session[state.AS_OF] <= latest:
        session[state.AS_OF] = state.ANY
        widened.append("'as of' is cleared")
    session[SUGGEST_NOTICE] = "Added: the graph now includes them for this session" + (
        f"; {' and '.join(widened)} to show what you just added." if widened else ".")

"""Saving for signed-in curators: one save path, conflicts that lose nothing, the history with undo, edits."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.app import state
from explorer.app.auth import current_curator
from explorer.app.data import Loaded
from explorer.graph import View
from explorer.render.html import md
from explorer.tables.changes import (
    ChangeSet,
    Conflict,
    Entry,
    FolderProblem,
    RowChange,
    current_rows,
    history_frame,
    read_history,
    rebased,
    save_change,
    undo_of,
)
from explorer.tables.schema import vocabulary
from explorer.tables.write import WriteRefused, write_error_words

LOG = logging.getLogger(__name__)
REFUSED = "curation_refused"  # (ChangeSet, reasons): a save that was refused, kept until retried or dropped
FLASH = "curation_flash"  # a message to show after the rerun that follows a save
READ = "curation_read"  # relation id -> the row as it was on disk when the curator began editing it
HISTORY_SHOWN = 50


def save(folder: Path, change: ChangeSet) -> Entry | None:
    """Save for the signed-in curator; a refused change is kept in the session with the reasons."""
    curator = current_curator()
    if curator is None:
        st.error("Sign in as a curator to save.")
        return None
    try:
        entry = save_change(folder, change, curator)
    except Conflict as conflict:
        st.session_state[REFUSED] = (change, conflict.reasons)
        return None
    except (FolderProblem, WriteRefused) as error:
        st.session_state[REFUSED] = (change, [str(error)])
        return None
    except OSError as error:  # a full disk, a read-only folder: nothing was written (the commit cleans up)
        LOG.warning("save refused by the file system: %s", error)
        st.session_state[REFUSED] = (change, [f"{write_error_words(error)}."])
        return None
    st.session_state.pop(REFUSED, None)
    st.session_state[state.UPLOADED] = None  # the folder now holds the change: read it afresh
    return entry


def saved_message(entry: Entry) -> str:
    counts = ", ".join(f"{n} {kind}" for kind, n in entry.counts().items() if n) or "nothing new"
    return f"Saved ({counts}) as change {entry.id}."


def refused_panel(folder: Path) -> None:
    """A refused save: why, the rows as they are now, and the curator's change to retry or download."""
    pending = st.session_state.get(REFUSED)
    if pending is None or current_curator() is None:
        return
    change, reasons = pending
    st.error("Not saved, nothing was written. " + " ".join(md(r) for r in reasons))
    conflicted = [r for r in change.rows if any(r.key in reason for reason in reasons)]
    if conflicted:
        now = {(r.file, r.key): current_rows(folder, r.file, [r.key]).get(r.key) for r in conflicted}
        st.caption("Rows that changed since you read them: what you read, what is there now, your version.")
        st.dataframe(pd.DataFrame([{"table": r.file, "row": r.key, "version": version, **(row or {})}
                                   for r in conflicted
                                   for version, row in (("you read", r.before), ("now on disk", now[r.file, r.key]),
                                                        ("yours", r.after))]).astype(str),
                     hide_index=True, width="stretch")
    left, middle, right = st.columns(3)
    left.download_button("Download my change (JSON)", change.to_json().encode("utf-8"),
                         file_name="axis-explorer-change.json", mime="application/json", key="refused_download")
    if middle.button("Save mine over the current rows", key="refused_retry",
                     help="Apply your version to the rows as they are now"):
        entry = save(folder, rebased(folder, change))
        if entry is not None:
            st.session_state[FLASH] = saved_message(entry)
            st.rerun()
    if right.button("Drop my change", key="refused_drop"):
        st.session_state.pop(REFUSED, None)
        st.rerun()


def _flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)  # built from counts and an id, no data


def curate_page(loaded: Loaded, view: View) -> None:
    """Edit a relation (curators), and the history of every save with undo."""
    folder = loaded.result.dataset.folder
    if folder is None:
        st.info("These tables live in this session only: they have no history.")
        return
    _flash()
    curator = current_curator()
    if curator:
        refused_panel(folder)
        edit_relation(loaded, folder)
    history_list(folder, can_undo=curator is not None)


def edit_relation(loaded: Loaded, folder: Path) -> None:
    relations = loaded.index.dataset.relations
    names = loaded.index.dataset.actors["name"]
    st.subheader("Edit a relation")
    chosen = st.selectbox("Relation", list(relations.index), index=None, key="edit_relation",
                          placeholder="choose a relation to edit",
                          format_func=lambda r: f"{names.get(relations.loc[r, 'source'])} → "
                                                f"{names.get(relations.loc[r, 'target'])}: {relations.loc[r, 'type']}"
                                                f" ({r})")
    if chosen is None:
        return
    read = st.session_state.setdefault(READ, {})
    if chosen not in read:  # what the curator starts from: a save refuses if it changes underneath
        read[chosen] = current_rows(folder, "relations.csv", [chosen]).get(chosen)
    before = read[chosen]
    if before is None:
        st.warning("This relation is no longer in the data folder.")
        return
    with st.form(f"edit_{chosen}"):
        left, middle, right = st.columns(3)
        types, confidences, polarities = list(vocabulary("type")), list(vocabulary("confidence")), \
            list(vocabulary("polarity"))
        after = dict(before)
        after["type"] = left.selectbox("Type", types, index=_position(types, before["type"]), key=f"edit_type_{chosen}")
        after["polarity"] = middle.selectbox("Polarity", polarities, index=_position(polarities, before["polarity"]),
                                             key=f"edit_polarity_{chosen}")
        after["confidence"] = right.selectbox("Confidence", confidences,
                                              index=_position(confidences, before["confidence"]),
                                              key=f"edit_confidence_{chosen}")
        after["start"] = left.text_input("Start", before["start"], key=f"edit_start_{chosen}")
        after["end"] = middle.text_input("End (empty while ongoing)", before["end"], key=f"edit_end_{chosen}")
        after["summary"] = st.text_area("Summary", before["summary"], key=f"edit_summary_{chosen}")
        submitted = st.form_submit_button("Save this relation", key="edit_save", type="primary")
    if not submitted:
        return
    if after == before:
        st.info("Nothing changed.")
        return
    entry = save(folder, ChangeSet((RowChange("relations.csv", before, after),), f"Edited relation {chosen}"))
    if entry is not None:
        read.pop(chosen, None)
        st.session_state[FLASH] = saved_message(entry)
    st.rerun()


def _position(options: list[str], value: str) -> int:
    return options.index(value) if value in options else 0


def history_list(folder: Path, can_undo: bool) -> None:
    st.subheader("History")
    try:
        entries = read_history(folder)
    except FolderProblem as error:
        st.error(md(error))
        return
    if not entries:
        st.caption(f"No saved changes yet. The log lives in {md(folder)}/history.jsonl.")
        return
    st.caption(f"{len(entries)} saved changes, newest first; the log is {md(folder)}/history.jsonl. "
               "Undo restores the rows a change touched (refused if they changed since) and is itself logged.")
    st.dataframe(history_frame(entries), hide_index=True, width="stretch", key="history_table")
    for entry in list(reversed(entries))[:HISTORY_SHOWN]:
        with st.expander(md(entry.describe())):
            st.dataframe(pd.DataFrame([{"table": r.file, "row": r.key, "change": r.kind, "version": version,
                                        **(row or {})}
                                       for r in entry.rows
                                       for version, row in (("before", r.before), ("after", r.after)) if row]
                                      ).astype(str), hide_index=True, width="stretch")
            if can_undo and st.button("Undo this change", key=f"undo_{entry.id}"):
                undone = save(folder, undo_of(entry))
                if undone is not None:
                    st.session_state[FLASH] = saved_message(undone)
                st.rerun()

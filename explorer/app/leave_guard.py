"""Warn before leaving or reloading while the session holds additions that exist nowhere else."""

from __future__ import annotations

import streamlit as st

from explorer.app import state
from explorer.render.html import asset

UNSAVED_PREFIX = "suggested:"  # the data key of a session that accepted suggestions and has not saved them

_guard = st.components.v2.component("axis_explorer_leave_guard", js=asset("leave_guard.js"))


def has_unsaved_additions() -> bool:
    """Accepted suggestions live only in this session until saved (saving drops the session copy)."""
    uploaded = st.session_state.get(state.UPLOADED)
    return uploaded is not None and str(uploaded.key).startswith(UNSAVED_PREFIX)


def warn_before_leaving() -> None:
    """Mount the browser's "Leave site?" prompt while there is something to lose; a note says so."""
    if has_unsaved_additions():
        _guard(key="leave_guard", data={}, height=0)
        st.sidebar.caption("Accepted suggestions are kept in this session only: download or save them before "
                           "leaving (the browser asks before a reload).")

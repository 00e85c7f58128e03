"""Rendering: styles as data, pyvis networks, and every piece of HTML (escaping lives here). No streamlit.

Names load on first use (PEP 562): a data export does not pay for pyvis and the HTML templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.model import lazy_names

if TYPE_CHECKING:
    from explorer.render.html import (
        LEGEND_CSS,
        component_js,
        evidence_panel_html,
        is_http_url,
        legend_html,
        safe_link,
        standalone_html,
    )
    from explorer.render.network import DEFAULT_CAP, Emphasis, NetworkData, network_data

_HOMES = {
    "DEFAULT_CAP": "network",
    "Emphasis": "network",
    "LEGEND_CSS": "html",
    "NetworkData": "network",
    "component_js": "html",
    "evidence_panel_html": "html",
    "is_http_url": "html",
    "legend_html": "html",
    "network_data": "network",
    "safe_link": "html",
    "standalone_html": "html",
}
__all__ = [
    "DEFAULT_CAP",
    "LEGEND_CSS",
    "Emphasis",
    "NetworkData",
    "component_js",
    "evidence_panel_html",
    "is_http_url",
    "legend_html",
    "network_data",
    "safe_link",
    "standalone_html",
]

__getattr__ = lazy_names(__name__, _HOMES)

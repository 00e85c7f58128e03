"""Rendering: styles as data, pyvis networks, and every piece of HTML (escaping lives here). No streamlit."""

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

__all__ = [
    "DEFAULT_CAP", "LEGEND_CSS", "Emphasis", "NetworkData", "component_js", "evidence_panel_html", "is_http_url",
    "legend_html", "network_data", "safe_link", "standalone_html",
]

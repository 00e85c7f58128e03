"""HTML out of data: evidence panels, the legend, the standalone page. Escaping lives here and only here."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from explorer.graph.evidence import EvidenceItem, RelationDetail, relation_detail
from explorer.graph.filters import View
from explorer.graph.index import Index
from explorer.render.network import DEFAULT_CAP, Emphasis, network_data
from explorer.render.panels import period
from explorer.render.style import MAX_EDGE_WIDTH, PRESSURED_COLOUR, bloc_colour, polarity_colour, polarity_label
from explorer.tables.load import HTTP_URL
from explorer.tables.schema import vocabulary
from explorer.tables.words import NOT_REPORTED, ORIGINS_MEANING, capital, claim_text, origins_words, stances

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = Path(__file__).resolve().parent / "assets"


def is_http_url(url: str) -> bool:
    return bool(HTTP_URL.match(url or ""))


def safe_link(url: str, text: str | None = None) -> Markup:
    """An <a> for http(s) URLs only; anything else is shown as plain text."""
    label = escape(text if text is not None else url)
    if not is_http_url(url):
        return Markup("<span class='no-link'>{}</span>").format(label)
    return Markup("<a href='{}' target='_blank' rel='noopener noreferrer'>{}</a>").format(url, label)


MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")


def md(text: object) -> str:
    """Text for Streamlit's markdown (labels, captions, notices): every character that could start a link,
    an image, emphasis, HTML or a formula is backslash-escaped, so data is shown exactly as written."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in str(text))


def json_for_script(value: object) -> str:
    """JSON that is safe inside <script>: no `</script>`, no HTML comment or line-separator tricks."""
    text = json.dumps(value, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@cache
def vis_network_js() -> str:
    """vis-network 9.1.2 as shipped inside the pyvis package: bundled, never fetched."""
    return resources.files("pyvis").joinpath("lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")


@cache
def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


@cache
def component_js() -> str:
    """One ES module: vis-network (sets globalThis.vis), the shared drawing code, the table's keys, the entry."""
    return "\n".join([vis_network_js(), asset("graph.js"), asset("table_keys.js"), asset("component.js")])


def evidence_panel_html(detail: RelationDetail) -> str:
    """The evidence of one relation: every value escaped, disputing evidence beside supporting evidence, whose
    word it rests on, how many independent origins, whose perspective, and each source's caveat."""
    polarity = polarity_label(detail.polarity)
    claim = (Markup("<p class='claim-status warn'><b>{}</b>: {}.</p>").format(
        capital(detail.claim_label), NOT_REPORTED) if detail.claimed_only_by else "")
    header = Markup(
        "<div class='evidence-panel' data-relation='{rid}'>"
        "<h3>{source} → {target}</h3>"
        "<p><span class='chip' style='background:{colour}'>{polarity}</span> "
        "<b>{type}</b> · {period} · confidence <b>{confidence}</b></p>"
        "<p class='summary'>{summary}</p>{claim}"
        "<p class='support'>{support} <span class='explain'>— {meaning}</span></p>"
        "<p class='perspective{warn}' data-perspective='{perspective}'>{note}</p>"
    ).format(rid=detail.id, source=detail.source_name, target=detail.target_name,
             colour=polarity_colour(detail.polarity), polarity=polarity, type=detail.type.replace("_", " "),
             period=period(detail.start, detail.end), confidence=detail.confidence, summary=detail.summary,
             claim=claim, support=origins_words(detail.independent_origins, detail.origins), meaning=ORIGINS_MEANING,
             warn=" warn" if detail.single_perspective else "", perspective=detail.perspective,
             note=detail.perspective_note)
    columns = []
    for stance_name in stances():
        items = [item for item in detail.evidence if item.stance == stance_name]
        if not items:
            continue
        cards = Markup("").join(_evidence_card(item) for item in items)
        columns.append(Markup("<div class='stance stance-{}'><h4>{}</h4>{}</div>").format(
            stance_name, vocabulary("stance")[stance_name].label, cards))
    body = Markup("<div class='stances'>{}</div>").format(Markup("").join(columns))
    return str(header + body + Markup("</div>"))


def _evidence_card(item: EvidenceItem) -> Markup:
    claim = Markup("<span class='claim{}'>{}</span>").format(" is-claim" if item.is_claim else "",
                                                                claim_text(item.claimed_by, item.claimed_by_name,
                                                                           item.is_claim))
    document = (Markup(" · <a class='document-link' href='?{}' target='_self'>read the stored document</a>").format(
        urlencode({"view": "Sources", "document": item.document})) if item.document else "")
    via = Markup(" (relays {})").format(item.via) if item.via else ""
    note = Markup("<br><span class='source-note'>Source note: {}</span>").format(item.note) if item.note else ""
    return Markup(
        "<figure class='evidence'><blockquote>{quote}</blockquote>"
        "<figcaption>{outlet}{via}{title} · published {published} · {claim}<br>{link}{document}{note}"
        "</figcaption></figure>"
    ).format(quote=item.quote, outlet=item.outlet, via=via, title=Markup(" — <i>{}</i>").format(item.title)
             if item.title else "", published=item.published or "date unknown", claim=claim,
             link=safe_link(item.url), document=document, note=note)


def legend_html() -> str:
    """Colours and shapes by kind, line colours by polarity, what widths and dashes mean."""
    kinds = Markup("").join(
        Markup("<span class='item'><span class='dot' style='background:{}'></span>{} ({})</span>").format(
            term.colour, term.label, term.shape) for term in vocabulary("kind").values())
    polarities = Markup("").join(
        Markup("<span class='item'><span class='line' style='background:{}'></span>{}</span>").format(
            term.colour, term.label) for term in vocabulary("polarity").values())
    return str(Markup(
        "<div class='legend' aria-label='Legend'><div><b>Actors:</b> {}</div><div><b>Lines:</b> {} · "
        "thicker with more evidence (up to {:g} px) · dashed = low confidence or single perspective · "
        "arrow from the actor who acts or speaks first</div></div>"
    ).format(kinds, polarities, MAX_EDGE_WIDTH))


def blocs_html(blocs: list[tuple[int, list[str]]]) -> str:
    """Blocs numbered 1…k, each with the colour of its slot on the graph: [(colour slot, member names)]."""
    return str(Markup("<div class='legend blocs'>{}</div>").format(Markup("").join(
        Markup("<div class='bloc' data-bloc='{}'><span class='dot' style='background:{}'></span><b>Bloc {}:</b> "
               "{}</div>").format(shown, bloc_colour(slot), shown, ", ".join(members))
        for shown, (slot, members) in enumerate(blocs, start=1))))


def pressure_legend_html(target: str) -> str:
    """The one line that says what the Axes view's amber actors are."""
    return str(Markup(
        "<div class='legend' aria-label='Cross-pressure legend'><span><span class='dot' "
        "style='background:{};border:2px dashed #111'></span><b>Cross-pressured</b>: cooperates with {} and with "
        "one or more of its adversaries, an unbalanced triangle (Heider 1946; Cartwright &amp; Harary 1956); "
        "▶ play turns an actor amber only while it is</span></div>").format(PRESSURED_COLOUR, target))


LEGEND_CSS = """
.legend { font: 13px/1.6 sans-serif; margin: 6px 0; }
.legend .item { margin-right: 12px; white-space: nowrap; }
.legend .dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 4px; }
.legend .line { display: inline-block; width: 22px; height: 4px; margin: 0 4px 3px 0; vertical-align: middle; }
"""


def _evidence_map(index: Index, view: View) -> dict[str, dict]:
    found = {}
    for rid in view.relation_ids(index):
        detail = relation_detail(index, view, rid)
        if detail is None:
            continue
        found[rid] = {
            "heading": f"{detail.source_name} → {detail.target_name}: {detail.type.replace('_', ' ')} "
                       f"({polarity_label(detail.polarity).lower()}, {period(detail.start, detail.end)})",
            "summary": detail.summary + (f" ({detail.claim_label})" if detail.claimed_only_by else ""),
            "evidence": [{"quote": e.quote, "url": e.url,
                          "meta": f"{e.outlet} · {e.published or 'date unknown'} · "
                                  f"{claim_text(e.claimed_by, e.claimed_by_name, e.is_claim)} · {e.stance}"
                                  + (f" · source note: {e.note}" if e.note else "")}
                         for e in detail.evidence],
        }
    return found


def standalone_html(index: Index, view: View, cap: int = DEFAULT_CAP, heading: str = "Axis Explorer view",
                    emphasis: Emphasis | None = None) -> str:
    """A single offline HTML file: pyvis's generate_html() on our own template, vis-network inlined."""
    data = network_data(index, view, cap, emphasis)
    net = data.network  # built for this call alone, so setting its page details here touches nothing shared
    net.heading, net.height = heading, "720px"
    net.set_template_dir(str(TEMPLATES), "standalone.html")
    # Our own environment: autoescape on; the template never uses pyvis's innerHTML tooltip code.
    net.templateEnv = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    net.templateEnv.globals.update(
        evidence=_evidence_map(index, data.drawn), vis_js=vis_network_js(), graph_js=asset("graph.js"),
        explorer_css=asset("graph.css") + LEGEND_CSS, legend=Markup(legend_html()),
        options_json=json_for_script(data.options),
        caption=f"{data.shown_actors} of {data.total_actors} actors · {data.shown_relations} relations. "
                "Click a line to read its evidence.",
    )
    return net.generate_html()

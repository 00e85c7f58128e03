"""A new user's first minutes in a real browser: the first page's question lands on its Check axis answer, every
actor picker takes exactly the actor typed and shows names only, the picture fills its canvas with no label over
another label or actor, a phone sees the graph and a tapped tie's heading, and blocs are numbered 1…k. No fixed
sleeps: each step waits for the URL or the page to say it happened."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Offline, wait_for_app_idle, wait_for_graph

pytestmark = pytest.mark.browser


def url_values(page, key: str) -> list[str]:
    return page.evaluate("key => new URLSearchParams(location.search).getAll(key)", key)


def pick(page, box, typed: str) -> None:
    """Type into a picker and press Enter once the list is filtered for what was typed."""
    field = box.locator("input")
    field.click()
    field.fill(typed)
    page.wait_for_function("""typed => { const first = document.querySelector('[role=option]');
        return first && first.innerText.toLowerCase().includes(typed.toLowerCase()); }""", arg=typed)
    field.press("Enter")


def shown(box) -> list[str]:
    """What a picker shows: its chips, or the text of its box."""
    chips = box.locator(".react-aria-ComboBox [data-tag]").all_inner_texts()
    return [chip.strip() for chip in chips] or [box.locator(".react-aria-ComboBox input").input_value()]


def wait_for_url(page, key: str, wanted: list[str]) -> None:
    page.wait_for_function("([key, want]) => new URLSearchParams(location.search).getAll(key).join() === want",
                           arg=[key, ",".join(wanted)], timeout=30_000)


def picker(page, label: str):
    """The select box or multiselect whose label is `label`."""
    return page.locator("[data-testid=stMultiSelect], [data-testid=stSelectbox]").filter(
        has=page.get_by_text(label, exact=True)).first


TALIBAN = "Taliban (Islamic Emirate of Afghanistan)"
# (view URL, picker label, typed, URL key, value before, value after, name shown last): Enter adds the one best
# match, never more ("Israel" once also added the Islamic Republic of Afghanistan), and the box shows its name.
PICKS = [
    ("", "Actors", "Israel", "actor", [], ["israel"], "Israel"),
    ("?view=Check+axis", "Members (should cooperate)", "Israel", "members", ["taliban", "azerbaijan"],
     ["taliban", "azerbaijan", "israel"], "Israel"),
    ("?view=Check+axis", "Against (should be their adversary)", "Tel Aviv", "target", ["iran"], ["israel"], "Israel"),
    ("?view=Axes", "Target actor", "Ankara", "target", ["iran"], ["turkiye"], "Türkiye"),
    ("?view=Paths", "From", "Baku", "a", [], ["azerbaijan"], "Azerbaijan"),
    ("?view=Paths&a=iran", "To", "Kabul", "b", [], ["taliban"], TALIBAN),
]


@pytest.mark.parametrize(("query", "label", "typed", "key", "before", "after", "name"), PICKS,
                         ids=[f"{p[1]}:{p[2]}" for p in PICKS])
def test_enter_in_every_actor_picker_picks_exactly_one_actor(server, page, query, label, typed, key, before, after,
                                                             name):
    page.goto(server.url + query)
    wait_for_app_idle(page)
    assert url_values(page, key) == before
    box = picker(page, label)
    pick(page, box, typed)
    wait_for_url(page, key, after)
    wait_for_app_idle(page)
    assert shown(box)[-1] == name


def test_chips_show_names_not_aliases(server, page):
    page.goto(server.url + "?view=Check+axis&members=taliban&members=azerbaijan&members=israel&target=iran")
    wait_for_app_idle(page)
    assert shown(picker(page, "Members (should cooperate)")) == [TALIBAN, "Azerbaijan", "Israel"]
    assert shown(picker(page, "Against (should be their adversary)")) == ["Iran"]


def test_blocs_are_numbered_one_to_k_with_a_reading(server, page):
    page.goto(server.url + "?view=Blocs")
    wait_for_app_idle(page)
    page.locator(".blocs .bloc").first.wait_for(timeout=30_000)
    numbers = [int(n) for n in page.locator(".blocs .bloc").evaluate_all("all => all.map(b => b.dataset.bloc)")]
    labels = page.locator(".blocs .bloc b").all_inner_texts()
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
    assert labels == [f"Bloc {n}:" for n in numbers]
    assert page.get_by_text(f"{len(numbers)} blocs: the split of these actors that best keeps partners together",
                            exact=False).count() == 1


def test_the_first_pages_question_opens_its_check_axis_answer(server, page):
    page.goto(server.url)
    wait_for_graph(page)
    assert page.get_by_text("bundled data: 25 actors, 88 relations").count() == 1
    page.get_by_role("button", name="Question: Is a Taliban–Azerbaijan axis").click()
    wait_for_url(page, "view", ["Check axis"])
    wait_for_url(page, "members", ["taliban", "azerbaijan", "israel"])
    wait_for_url(page, "target", ["iran"])
    wait_for_app_idle(page)
    sentence = r"the evidence is \w+ on an axis of Taliban \+ Azerbaijan \+ Israel against Iran:"
    answer = page.get_by_text(re.compile(sentence))
    answer.first.wait_for(timeout=30_000)
    assert answer.count() == 2  # the answer's sentence under each lens


def test_a_contested_pair_on_the_first_page_opens_its_evidence(server, page):
    page.goto(server.url)
    wait_for_graph(page)
    page.get_by_role("button", name="Contested: Pakistan – Taliban").click()
    page.locator(".tie-panel[data-tie='pakistan~taliban']").wait_for(timeout=30_000)
    wait_for_url(page, "tie", ["pakistan~taliban"])


# Every drawn actor's shape and label box as vis-network measured them, the drawn network's extent as a share of
# the canvas, and every label that overlaps another label or another actor's shape.
PICTURE = """() => {
  const net = window.explorerNetwork;
  const canvas = net.canvas.frame.canvas;
  const shapes = [], labels = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id];
    const size = 2 * (node.options.size || 0);
    const w = node.shape.width || size, h = node.shape.height || size;
    shapes.push({ id, left: node.x - w / 2, top: node.y - h / 2, right: node.x + w / 2, bottom: node.y + h / 2 });
    const s = node.labelModule.size;
    if (node.labelModule.elementOptions.label) {
      labels.push({ id, left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height });
    }
  }
  const all = [...shapes, ...labels];
  const lo = net.canvasToDOM({ x: Math.min(...all.map(r => r.left)), y: Math.min(...all.map(r => r.top)) });
  const hi = net.canvasToDOM({ x: Math.max(...all.map(r => r.right)), y: Math.max(...all.map(r => r.bottom)) });
  const cut = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const overlaps = [];
  labels.forEach((label, i) => {
    labels.slice(i + 1).forEach((other) => {
      if (cut(label, other)) { overlaps.push(["label", label.id, other.id]); } });
    shapes.forEach((shape) => {
      if (shape.id !== label.id && cut(label, shape)) { overlaps.push(["shape", label.id, shape.id]); } });
  });
  const kind = (s) => window.explorerGraph.nodeInfo.get(s.id).info.kind;
  const widths = (k) => shapes.filter((s) => kind(s) === k).map((s) => s.right - s.left);
  return { width: (hi.x - lo.x) / canvas.clientWidth, height: (hi.y - lo.y) / canvas.clientHeight, overlaps,
           person: Math.max(...widths("Person")), smallestState: Math.min(...widths("State")),
           labels: labels.length, actors: shapes.length };
}"""


@pytest.mark.parametrize("width", [1400, 390])
def test_the_picture_fills_its_canvas_and_no_label_overlaps(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 1000 if width > 500 else 844})
    context.route("**/*", Offline())
    page = context.new_page()
    try:
        page.goto(server.url)
        wait_for_graph(page)
        page.wait_for_function("window.explorerGraph && window.explorerGraph.labelSize")
        picture = page.evaluate(PICTURE)
        assert picture["actors"] == 22 and picture["labels"] == 22
        assert max(picture["width"], picture["height"]) >= 0.85, picture
        assert picture["overlaps"] == [], picture["overlaps"]
        assert picture["person"] <= picture["smallestState"], picture  # Baradar no bigger than any state
    finally:
        context.close()


def test_at_phone_width_the_graph_shows_and_a_tapped_ties_heading_is_in_view(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    context.route("**/*", Offline())
    page = context.new_page()
    try:
        page.goto(server.url)
        wait_for_graph(page)
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.get_attribute("aria-expanded") == "false" or sidebar.bounding_box()["x"] + \
            sidebar.bounding_box()["width"] <= 0
        page.locator(".explorer-graph").scroll_into_view_if_needed()
        box = page.locator(".explorer-graph").bounding_box()
        # what a finger at the graph's centre touches is the graph, not a sidebar over it
        assert page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.explorer-graph')",
                             [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        point = page.evaluate("window.explorerTiePoint('iran', 'taliban')")
        page.touchscreen.tap(point["x"], point["y"])
        heading = page.locator(".tie-panel[data-tie='iran~taliban'] h3")
        heading.wait_for(timeout=10_000)
        page.wait_for_function("""() => { const h = document.querySelector(".tie-panel h3");
            const r = h.getBoundingClientRect(), x = r.left + Math.min(r.width / 2, 40), y = r.top + r.height / 2;
            return r.top >= 0 && r.bottom <= innerHeight && h.contains(document.elementFromPoint(x, y)); }""",
                               timeout=10_000)
    finally:
        context.close()

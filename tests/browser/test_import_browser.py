"""A folder made by `explorer import` from a plain signed edge list, opened in the app: the Blocs view colours
each actor by its bloc (the actors take sides), where the import used to make them grey venues."""

from __future__ import annotations

import pytest

from explorer.cli import main
from explorer.render.style import BLOC_COLOURS, node_style
from tests.browser.conftest import StreamlitServer, wait_for_app_idle, wait_for_graph
from tests.browser.test_graph_interaction import DRAWN_COLOURS

pytestmark = pytest.mark.browser

TIES = "source,target,sign\n" + "".join(
    f"{a},{b},{'+1' if (a < 'm') == (b < 'm') else '-1'}\n"
    for a, b in [("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("m1", "m2"), ("m2", "m3"), ("m1", "m3"),
                 ("a1", "m1"), ("a2", "m2"), ("a3", "m3")])


def test_the_blocs_view_of_an_imported_folder_colours_its_blocs(tmp_path, page):
    source = tmp_path / "signed.csv"
    source.write_text(TIES, encoding="utf-8")
    data = tmp_path / "out" / "data"
    assert main(["import", str(source), "-o", str(data), "--published", "1954", "--url", "https://example.org/s",
                 "--outlet", "example.org"]) == 0
    server = StreamlitServer(data)
    try:
        page.goto(server.url + "?view=Blocs")
        wait_for_graph(page)
        wait_for_app_idle(page)
        colours = page.evaluate(DRAWN_COLOURS)
        page.screenshot(path=str(tmp_path / "blocs.png"))
    finally:
        server.stop()
    assert set(colours) == {"a1", "a2", "a3", "m1", "m2", "m3"}
    grey = node_style("other").colour
    assert grey not in colours.values() and set(colours.values()) <= set(BLOC_COLOURS)
    assert colours["a1"] == colours["a2"] == colours["a3"] != colours["m1"] == colours["m2"] == colours["m3"]

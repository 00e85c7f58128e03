"""AppTest of the Check axis view: the seed's axis under two lenses, side by side, and its URL state."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.graph import Filter, build_index
from explorer.graph.check import check_axis, check_filter
from explorer.render.html import md
from explorer.tables import load_dataset
from tests.test_app import run_app

SEED = ("taliban", "azerbaijan")
NOT_IN_VIEW = "This relation is not in the current view"


@pytest.fixture(scope="module")
def bundled():
    return build_index(load_dataset(Path(__file__).resolve().parent.parent / "data").dataset)


def sentences(app) -> list[str]:
    """The bold overall verdicts, one per lens column, in column order."""
    return [m.value for m in app.markdown if m.value.startswith("**As of ")]


def expected(index, lens: str, members=SEED, target: str = "iran") -> str:
    return f"**{md(check_axis(index, members, target, check_filter(Filter(), lens)).sentence)}**"


def test_check_view_shows_the_seed_axis_under_iraf_and_evidence_side_by_side(bundled):
    app = run_app({"view": "Check axis"})
    assert app.multiselect(key="members").value == list(SEED)
    assert app.selectbox(key="target").value == "iran"
    assert (app.selectbox(key="lens_a").value, app.selectbox(key="lens_b").value) == ("iraf", "evidence")
    shown = sentences(app)
    assert shown == [expected(bundled, "iraf"), expected(bundled, "evidence")]
    assert shown[0] != shown[1]  # IRAF's claims move the answer, as on the CLI
    assert app.query_params == {"view": "Check axis", "members": list(SEED), "target": "iran",
                                "lens_a": "iraf", "lens_b": "evidence"}
    results = [check_axis(bundled, SEED, "iran", check_filter(Filter(), lens)) for lens in ("iraf", "evidence")]
    rows = [m.value for m in app.markdown if "\nshould " in m.value]
    assert rows == ["**Taliban – Azerbaijan**  \nshould cooperate", "**Taliban – Iran**  \nshould be adversaries",
                    "**Azerbaijan – Iran**  \nshould be adversaries"]  # short labels in running text
    cells = {b.key: b.label for b in app.button if (b.key or "").startswith("matrix_")}
    assert len(cells) == sum(len(r.pairs) for r in results) == 6
    assert cells["matrix_2_1"].startswith("contradicted · 100%")  # Azerbaijan–Iran on reported evidence
    panels = lambda: [h for h in app.get("html") if "evidence-panel" in h.proto.body]  # noqa: E731
    assert panels() == []  # evidence opens from the matrix, one cell at a time
    app.button(key="matrix_2_1").click().run()
    # one evidence panel per relation of the pair, opened from the lens's own view
    assert len(panels()) == len(results[1].pairs[2].relations) > 0
    assert not [i for i in app.info if NOT_IN_VIEW in i.value]


def test_check_view_reads_members_target_and_lenses_from_the_url(bundled):
    app = run_app({"view": "Check axis", "members": ["Taliban", "iran"], "target": "azerbaijan", "lens_a": "all",
                   "lens_b": "evidence"})
    assert app.multiselect(key="members").value == ["taliban", "iran"]
    members = ("taliban", "iran")
    assert sentences(app) == [expected(bundled, "", members, "azerbaijan"),
                              expected(bundled, "evidence", members, "azerbaijan")]
    app.selectbox(key="lens_a").set_value("iraf").run()
    assert sentences(app)[0] == expected(bundled, "iraf", members, "azerbaijan")
    assert app.query_params["lens_a"] == "iraf" and app.query_params["target"] == "azerbaijan"


def test_bad_check_parameters_get_a_notice_and_the_defaults(bundled):
    app = run_app({"view": "Check axis", "lens_a": "nobody-at-all", "lens_b": "azerbaijan", "members": "atlantis"})
    notice = " ".join(i.value for i in app.info)
    assert "lens\\_a" in notice and "nobody" in notice
    assert "lens\\_b" in notice and "members" in notice and "atlantis" in notice
    assert (app.selectbox(key="lens_a").value, app.selectbox(key="lens_b").value) == ("iraf", "evidence")
    assert app.multiselect(key="members").value == []
    assert any("Choose one or more members" in i.value for i in app.info)

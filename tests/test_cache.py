"""The curated tables' columnar cache: a hit reads what validation produced, any change or damage is a miss."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from explorer import store
from explorer.graph import Filter, apply_filter, build_index
from explorer.graph.index import relations_among
from explorer.tables import cache, load_dataset
from explorer.tables.load import PACKAGE_ROOT
from tests.conftest import DOCUMENT, TINY

FRAMES = ("actors", "relations", "sources", "evidence")


def entries(data):
    home = store.curated_home(data)
    return sorted(home.iterdir()) if home.exists() else []


def assert_same(a, b):
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a.dataset, name), getattr(b.dataset, name))
    assert [(p, p.code) for p in a.problems] == [(p, p.code) for p in b.problems]  # codes too (compare=False)
    assert a.dataset.documents == b.dataset.documents


def spy_validation(monkeypatch) -> list[int]:
    """Count calls of the validator behind load_dataset: a hit must not call it."""
    import explorer.tables.load as load

    calls: list[int] = []
    real = load.load_tables
    monkeypatch.setattr(load, "load_tables", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_a_second_load_is_a_hit_with_the_same_result_as_the_csv_path(make_data, monkeypatch):
    data = make_data(relations_csv=[*TINY["relations.csv"], {**TINY["relations.csv"][0], "id": "r3",
                                                                 "start": "2024-13"}])  # one problem kept
    truth = load_dataset(data, cached=False)
    assert truth.problems
    calls = spy_validation(monkeypatch)
    first = load_dataset(data)
    assert calls == [1] and len(entries(data)) == 1
    second = load_dataset(data)
    assert calls == [1]  # read from the cache: no validation
    assert_same(truth, first)
    assert_same(truth, second)
    assert build_index(second.dataset).relation_ids.tolist() == build_index(truth.dataset).relation_ids.tolist()


def test_a_changed_file_is_a_miss_and_validated_again(make_data, monkeypatch):
    data = make_data()
    load_dataset(data)
    calls = spy_validation(monkeypatch)
    relations = (data / "relations.csv").read_text(encoding="utf-8")
    (data / "relations.csv").write_text(relations.replace("Pact.", "Pact renewed."), encoding="utf-8")
    changed = load_dataset(data)
    assert calls == [1]
    assert changed.dataset.relations.loc["r1", "summary"] == "Pact renewed."
    load_dataset(data)
    assert calls == [1]
    assert_same(load_dataset(data, cached=False), changed)


def test_a_changed_document_is_a_miss(make_data, monkeypatch):
    data = make_data()
    assert not load_dataset(data).problems
    (data.parent / "seeds" / DOCUMENT).write_text("Nothing quoted here.\n", encoding="utf-8")
    calls = spy_validation(monkeypatch)
    result = load_dataset(data)
    assert calls == [1]
    assert any("not found verbatim" in p.message for p in result.problems)
    assert_same(load_dataset(data, cached=False), result)


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "manifest"])
def test_a_damaged_cache_is_rebuilt_never_trusted(make_data, monkeypatch, damage):
    data = make_data()
    truth = load_dataset(data)
    entry = entries(data)[0]
    target = entry / "relations.arrow"
    raw = bytearray(target.read_bytes())
    if damage == "flip":  # one byte inside a summary: the file still parses, only its hash tells
        at = bytes(raw).index(b"Pact.")
        raw[at] = ord("X")
        target.write_bytes(bytes(raw))
    elif damage == "truncate":
        target.write_bytes(bytes(raw[: len(raw) // 2]))
    elif damage == "delete":
        target.unlink()
    else:
        (entry / cache.MANIFEST).write_text("{not json", encoding="utf-8")
    calls = spy_validation(monkeypatch)
    result = load_dataset(data)
    assert calls == [1]
    assert_same(truth, result)
    assert result.dataset.relations.loc["r1", "summary"] == "Pact."
    load_dataset(data)
    assert calls == [1]  # rewritten whole: the next load is a hit again


def test_the_cache_is_written_through_the_locked_path_and_old_entries_are_pruned(make_data):
    data = make_data()
    for summary in ("One.", "Two.", "Three."):
        relations = pd.read_csv(data / "relations.csv", dtype=str, keep_default_na=False)
        relations.loc[0, "summary"] = summary
        relations.to_csv(data / "relations.csv", index=False)
        load_dataset(data)
    assert len(entries(data)) == cache.KEEP_ENTRIES
    assert not list(data.glob(".explorer.journal*")) and not list(data.rglob("*.pending"))
    manifest = json.loads((entries(data)[0] / cache.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(FRAMES)


def test_a_read_only_folder_loads_uncached(make_data, monkeypatch):
    data = make_data()
    monkeypatch.setattr(cache, "write_together", lambda *a, **k: (_ for _ in ()).throw(PermissionError("read-only")))
    assert not load_dataset(data).problems
    assert entries(data) == []


def test_a_nearly_full_disk_is_left_to_the_curators(make_data, monkeypatch):
    """The cache never takes the room a save needs: with little space free it is not written."""
    import shutil
    from collections import namedtuple

    data = make_data()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**6, 10**6 - 2000, 2000))
    assert not load_dataset(data).problems
    assert entries(data) == []
    monkeypatch.undo()
    load_dataset(data)
    assert len(entries(data)) == 1


def test_the_cache_is_gitignored():
    ignored = (PACKAGE_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "**/store/curated/" in ignored


def test_relations_among_answers_as_a_scan_would(tmp_path):
    """Both ways of finding relations inside a set of actors (pair lookups, incident scan) agree."""
    from explorer.bench import synthetic_tables

    data = tmp_path / "data"
    data.mkdir()
    for name, frame in synthetic_tables(3000).items():
        frame.to_csv(data / name, index=False)
    index = build_index(load_dataset(data).dataset)
    rng = np.random.default_rng(0)
    for size in (1, 2, 5, 40, 200):
        codes = np.unique(rng.choice(len(index.actor_ids), size=size, replace=False))
        inside = np.isin(index.source_code, codes) & np.isin(index.target_code, codes)
        assert relations_among(index, codes).tolist() == np.flatnonzero(inside).tolist()
    hub = index.actor_ids[np.argmax(np.diff(index.incident_ptr))]
    view = apply_filter(index, Filter(actors=(str(hub),), hops=1))
    assert len(view.relations) > 0
    shutil.rmtree(store.home(data))


def test_per_index_lists_and_data_defaults_match_a_count_by_hand(tmp_path):
    """What the pickers and view defaults read from the index (computed once) equals counting row by row."""
    from collections import Counter

    from explorer.bench import write_synthetic
    from explorer.graph.views import most_connected, most_opposed

    for data in (PACKAGE_ROOT / "data", write_synthetic(tmp_path / "data", 2000)):
        index = build_index(load_dataset(data, cached=False).dataset)
        actors = index.dataset.actors
        relations = index.dataset.relations
        assert index.outlets == sorted(set(index.evidence_outlet.tolist()))
        assert index.claimants == sorted({c for c in index.evidence_claimant if c})
        claims = Counter(c for c, claim in zip(index.evidence_claimant, index.evidence_is_claim, strict=True) if claim)
        assert index.claim_counts == dict(claims)
        assert index.actors_by_name == sorted(actors["id"], key=lambda a: actors.loc[a, "name"].casefold())
        assert {index.actor_labels[a] for a in actors["id"]} >= set(actors["name"][actors["aliases"] == ""])
        hostile = relations[relations["polarity"] < 0]
        counts = Counter([*hostile["source"], *hostile["target"]])
        best = max(counts.values())
        assert most_opposed(index) == next(a for a in actors["id"] if counts[a] == best)
        degree = Counter([*relations["source"], *relations["target"]])
        order = {a: n for n, a in enumerate(actors["id"])}
        ranked = sorted((a for a in degree if a != "a0"), key=lambda a: (-degree[a], order[a]))
        assert most_connected(index, 3, leaving_out=["a0"]) == ranked[:3]


def test_names_degrees_positions_and_picker_options_kept_per_index_equal_a_count_by_hand(tmp_path):
    """What the first page reads once per index (names, degrees, relation positions, every picker option) equals
    building it row by row, and handing the cached options out never lets a caller change them."""
    from collections import Counter

    from explorer.bench import write_synthetic
    from explorer.model import aliases_of
    from explorer.render.pickers import ALIAS_MARK, option_label, picker_options

    for data in (PACKAGE_ROOT / "data", write_synthetic(tmp_path / "data", 2000)):
        index = build_index(load_dataset(data, cached=False).dataset)
        actors, relations = index.dataset.actors, index.dataset.relations
        assert index.actor_names == {str(a): str(actors.loc[a, "name"]) for a in actors["id"]}
        assert index.relation_position == {str(r): n for n, r in enumerate(relations["id"])}
        degree = Counter([*relations["source"], *relations["target"]])
        hostile = relations[relations["polarity"] < 0]
        adversarial = Counter([*hostile["source"], *hostile["target"]])
        assert index.degree.tolist() == [degree[a] for a in index.actor_ids]
        assert index.adversarial_degree.tolist() == [adversarial[a] for a in index.actor_ids]
        ids = sorted(actors["id"], key=lambda a: actors.loc[a, "name"].casefold())
        expected = [*ids, *(f"{a}{ALIAS_MARK}{alias}" for a in ids for alias in aliases_of(actors.loc[a, "aliases"])
                            if alias.casefold() != actors.loc[a, "name"].casefold())]
        first = picker_options(index)
        assert first == expected
        first.append("changed by a caller")
        assert picker_options(index) == expected
        some = list(actors["id"][:3])
        assert picker_options(index, some) == [o for o in expected if o.partition(ALIAS_MARK)[0] in some]
        label = option_label(index)
        assert [label(o) for o in expected[: len(ids)]] == [actors.loc[a, "name"] for a in ids]
        for option in expected[len(ids):]:
            actor, _, alias = option.partition(ALIAS_MARK)
            assert label(option) == f"{alias} → {actors.loc[actor, 'name']}"


def test_ego_views_equal_a_walk_by_hand(tmp_path):
    """An ego filter (hops 1 and 2, a hub and small actors) keeps what walking the passing relations by hand keeps:
    the same relations, sorted and each once, and the same actors in code order."""
    from explorer.bench import write_synthetic

    index = build_index(load_dataset(write_synthetic(tmp_path / "data", 3000), cached=False).dataset)
    passing = set(apply_filter(index, Filter()).relations.tolist())  # the relation conditions alone
    hub = int(np.argmax(np.diff(index.incident_ptr)))
    for code in (hub, 0, 7, len(index.actor_ids) - 1):
        for hops in (1, 2):
            visited, frontier = {code}, {code}
            for _ in range(hops):
                reached = {end for r in passing if index.source_code[r] in frontier or index.target_code[r] in frontier
                           for end in (int(index.source_code[r]), int(index.target_code[r]))}
                frontier = reached - visited
                visited |= frontier
            kept = sorted(r for r in passing if index.source_code[r] in visited and index.target_code[r] in visited)
            ends = {int(index.source_code[r]) for r in kept} | {int(index.target_code[r]) for r in kept}
            shown = sorted({code} | ends)
            view = apply_filter(index, Filter(actors=(str(index.actor_ids[code]),), hops=hops))
            assert view.relations.tolist() == kept
            assert view.actors == tuple(str(index.actor_ids[c]) for c in shown)

"""Benchmark on seeded synthetic data: load, index, ego filters, a view's graph and blocs, printed as one table.

Lives beside the CLI, outside the pure layers: it writes its data sets to temporary folders.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from explorer.graph.blocs import find_blocs
from explorer.graph.build import build_graph
from explorer.graph.filters import Filter, apply_filter
from explorer.graph.index import build_index
from explorer.graph.signed import Tie, signed_ties
from explorer.tables import load_dataset
from explorer.tables.schema import vocabulary

HIDDEN_BLOCS = 4
WORDS = np.array([
    "the", "ministry", "said", "talks", "on", "trade", "and", "security", "would", "resume", "next", "week",
    "after", "border", "incidents", "officials", "signed", "an", "agreement",
])


def synthetic_tables(relations: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Tables with planted blocs and hub actors (Zipf-like degrees), valid by construction."""
    rng = np.random.default_rng(seed)
    n_actors = int(min(10_000, max(50, relations // 10)))
    n_sources = max(20, relations // 10)
    actor_ids = np.array([f"a{i}" for i in range(n_actors)])
    bloc = rng.integers(0, HIDDEN_BLOCS, size=n_actors)
    weights = 1.0 / np.arange(1, n_actors + 1) ** 0.8
    weights /= weights.sum()
    source = rng.choice(n_actors, size=relations, p=weights)
    target = rng.choice(n_actors, size=relations, p=weights)
    clash = source == target
    target[clash] = (target[clash] + 1) % n_actors
    same = bloc[source] == bloc[target]
    agree = rng.random(relations) < 0.85
    polarity = np.where(same == agree, 1, -1)
    types = np.array(list(vocabulary("type")))
    year = rng.integers(2000, 2026, size=relations)
    month = rng.integers(1, 13, size=relations)
    start = np.char.add(np.char.add(year.astype(str), "-"), np.char.zfill(month.astype(str), 2))
    relation_ids = np.array([f"r{i}" for i in range(relations)])
    actors = pd.DataFrame({"id": actor_ids, "name": [f"Actor {i}" for i in range(n_actors)], "kind": "state",
                           "country": "", "aliases": "", "description": ""})
    relation_table = pd.DataFrame({
        "id": relation_ids, "source": actor_ids[source], "target": actor_ids[target],
        "type": rng.choice(types, size=relations), "polarity": polarity, "start": start, "end": "",
        "confidence": rng.choice(["low", "medium", "high"], size=relations), "summary": "Synthetic relation.",
    })
    sources = pd.DataFrame({"id": [f"s{i}" for i in range(n_sources)], "title": "", "outlet":
                            [f"outlet{i % 300}.example" for i in range(n_sources)],
                            "url": [f"https://outlet{i % 300}.example/{i}" for i in range(n_sources)],
                            "published": "", "document": ""})
    per_relation = rng.integers(1, 3, size=relations)
    owner = np.repeat(np.arange(relations), per_relation)
    quotes = [" ".join(rng.choice(WORDS, size=12)) for _ in range(min(len(owner), 5000))]
    evidence = pd.DataFrame({"relation": relation_ids[owner],
                             "source": sources["id"].to_numpy()[rng.integers(0, n_sources, size=len(owner))],
                             "quote": [quotes[i % len(quotes)] for i in range(len(owner))], "claimed_by": ""})
    return {"actors.csv": actors, "relations.csv": relation_table, "sources.csv": sources, "evidence.csv": evidence}


def planted_signed_ties(actors: int, blocs: int, seed: int = 0, noise: float = 0.1,
                        ties_per_actor: tuple[int, int] = (6, 8),
                        inside: float | None = 0.75) -> tuple[dict[str, int], list[Tie]]:
    """A signed graph with planted blocs, sized like a snapshot of the state system, and the planted blocs.

    Each actor gets 6-8 ties on average; a tie stays inside the actor's bloc with probability `inside` (most
    ties of real alliance and dispute networks are cooperative ones among partners; None: endpoints drawn
    uniformly, the hard case), is cooperative inside a bloc and adversarial across, then flips sign with
    probability `noise`. Weights are 0.5, 1 or 1.5 like the confidence weights.
    """
    rng = np.random.default_rng(seed)
    label = rng.integers(0, blocs, size=actors)
    members = [np.flatnonzero(label == b) for b in range(blocs)]
    wanted = int(actors * rng.uniform(*ties_per_actor) / 2)
    weights: dict[tuple[int, int], float] = {}
    while len(weights) < wanted:
        a = int(rng.integers(0, actors))
        if inside is None:
            b = int(rng.integers(0, actors))
        else:
            pool = members[label[a]] if rng.random() < inside else np.flatnonzero(label != label[a])
            b = int(rng.choice(pool))
        pair = (min(a, b), max(a, b))
        if a == b or pair in weights:
            continue
        sign = (1 if label[a] == label[b] else -1) * (-1 if rng.random() < noise else 1)
        weights[pair] = sign * float(rng.choice([0.5, 1.0, 1.5]))
    name = [f"s{i:03d}" for i in range(actors)]
    ties = [Tie(name[a], name[b], w, ()) for (a, b), w in sorted(weights.items())]
    return {name[i]: int(label[i]) for i in range(actors)}, ties


def _timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def _best_of(repeats: int, function: Callable[[], object]) -> tuple[float, object]:
    runs = [_timed(function) for _ in range(repeats)]
    return min(r[0] for r in runs), runs[-1][1]


def write_synthetic(folder: Path, relations: int, seed: int = 0) -> Path:
    """`synthetic_tables` written as CSV files into `folder` (made if missing); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in synthetic_tables(relations, seed).items():
        frame.to_csv(folder / name, index=False)
    return folder


def write_states(folder: Path, states: int = 200, seed: int = 0) -> Path:
    """`write_synthetic` with `states` real states as its actors (names, ISO-3 codes in `country`), so the country
    codes of event files map to them: the curated side of a many-pairs event layer (`tools/event_bench.py`)."""
    from explorer.tables.countries import current_states

    known = current_states()
    if not 50 <= states <= len(known):
        raise ValueError(f"states: between 50 and {len(known)}, not {states}")
    tables = synthetic_tables(states * 10, seed)  # ten relations per actor: `states` actors, a0 … a{states-1}
    chosen = known[:states]
    ids = {f"a{i}": state.id for i, state in enumerate(chosen)}
    tables["actors.csv"] = tables["actors.csv"].assign(
        id=[s.id for s in chosen], name=[s.name for s in chosen], country=[s.iso3 for s in chosen])
    relations = tables["relations.csv"]
    tables["relations.csv"] = relations.assign(source=relations["source"].map(ids), target=relations["target"].map(ids))
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / name, index=False)
    return folder


def measure(size: int, views: int = 30) -> dict:
    """Figures for one synthetic dataset of `size` relations.

    The first load validates the CSVs and writes the columnar cache; every later load (a restart, a CLI call)
    reads the cache, which is what the ratio to a bare `pandas.read_csv` of the same files compares.
    """
    with tempfile.TemporaryDirectory() as folder:
        data = write_synthetic(Path(folder) / "data", size)
        repeats = 3 if size <= 20_000 else 2
        files = ("actors.csv", "relations.csv", "sources.csv", "evidence.csv")
        bare, _ = _best_of(repeats, lambda: [pd.read_csv(data / n) for n in files])
        first, _ = _timed(lambda: load_dataset(data))
        load, result = _best_of(repeats, lambda: load_dataset(data))
        assert not result.problems, result.problems[:3]
        index_time, index = _timed(lambda: build_index(result.dataset))
        rng = np.random.default_rng(1)
        hubs = index.actor_ids[np.argsort(-np.diff(index.incident_ptr))]
        chosen = [Filter(actors=(str(actor),)) for actor in rng.choice(index.actor_ids, size=views)]
        filter_times, filter_cpu = [], []
        for c in chosen:  # wall and CPU: on a shared machine the CPU time is what the filter itself costs
            cpu = time.process_time()
            filter_times.append(_timed(lambda c=c: apply_filter(index, c))[0])
            filter_cpu.append(time.process_time() - cpu)
        ego = [apply_filter(index, c) for c in chosen]
        graph_times = [_timed(lambda v=v: build_graph(index, v))[0] for v in ego]
        blocs = {}
        for count in (10, 20, 50):
            view = apply_filter(index, Filter(actors=tuple(hubs[:count]), hops=0))
            blocs[count] = _timed(lambda v=view: find_blocs(signed_ties(index, v), v.actors, k=2))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "relations": size, "actors": len(index.actor_ids), "evidence": len(index.evidence_of),
        "bare_read_s": bare, "first_load_s": first, "load_s": load, "ratio": load / bare, "index_s": index_time,
        "filter_median_ms": 1000 * statistics.median(filter_times),
        "filter_median_cpu_ms": 1000 * statistics.median(filter_cpu),
        "view_graph_median_ms": 1000 * statistics.median(graph_times),
        "blocs10_s": blocs[10][0], "blocs20_s": blocs[20][0], "blocs20_exact": blocs[20][1].optimal,
        "blocs50_s": blocs[50][0], "peak_rss_mib": peak,
    }


def run_benchmark(sizes: list[int], views: int = 30, out: Callable[[str], None] = print) -> list[dict]:
    """Measure every size and print one table; returns the rows for callers that want the figures."""
    rows = [measure(size, views) for size in sizes]
    header = ("relations", "actors", "evidence", "bare read s", "first load (validate + cache) s", "load (cache) s",
              "ratio", "index s", "filter median ms", "filter median CPU ms", "view graph median ms", "blocs@10 s",
              "blocs@20 s", "@20 exact", "blocs@50 s", "peak RSS MiB")
    out(" | ".join(header))
    for row in rows:
        out(" | ".join([f"{row['relations']}", f"{row['actors']}", f"{row['evidence']}", f"{row['bare_read_s']:.3f}",
                        f"{row['first_load_s']:.2f}", f"{row['load_s']:.3f}", f"{row['ratio']:.2f}",
                        f"{row['index_s']:.3f}", f"{row['filter_median_ms']:.1f}", f"{row['filter_median_cpu_ms']:.1f}",
                        f"{row['view_graph_median_ms']:.1f}", f"{row['blocs10_s']:.3f}",
                        f"{row['blocs20_s']:.3f}", str(row["blocs20_exact"]), f"{row['blocs50_s']:.3f}",
                        f"{row['peak_rss_mib']:.0f}"]))
    out("targets: load (cache) <= 2x a bare read at 100k and 1M; filter median <= 150 ms at 100k, <= 5 ms at 1M; "
        "exact blocs at 20 actors <= 1 s")
    return rows


def news_like_text(size: int, seed: int = 0) -> str:
    """About `size` bytes of news-like prose: sentences of the stored seed and the research quotes, shuffled
    into paragraphs with a fixed seed (real sentences, so real densities of names, cue words and full stops)."""
    import csv

    from explorer.tables.load import PACKAGE_ROOT
    from explorer.tables.suggest import split_sentences

    seeds = PACKAGE_ROOT / "seeds"
    sentences = [s.text for path in sorted(seeds.glob("*.txt")) for s in split_sentences(path.read_text("utf-8"))]
    research = seeds / "research_relations_evidence.csv"
    if research.exists():
        with research.open(encoding="utf-8", newline="") as handle:
            sentences += [row["quote"] for row in csv.DictReader(handle) if row.get("quote")]
    rng = np.random.default_rng(seed)
    parts, total = [], 0
    while total < size:
        paragraph = " ".join(sentences[i] for i in rng.integers(0, len(sentences), size=int(rng.integers(2, 7))))
        parts.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(parts).encode("utf-8")[:size].decode("utf-8", "ignore")


def measure_suggest(size: int, repeats: int = 3) -> dict:
    """Suggestions from `size` bytes of news-like text on the bundled actors: median time of `repeats` runs,
    then one run under tracemalloc for the peak of Python allocations (tracemalloc slows the run it watches)."""
    import tracemalloc

    from explorer.tables.suggest import Limits, suggest

    actors = load_dataset().dataset.actors
    text = news_like_text(size)
    nbytes = len(text.encode("utf-8"))
    unbounded = Limits(max_bytes=nbytes, seconds=600, max_candidates=10**9)  # the whole work, nothing cut
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        found = suggest(text, actors, unbounded)
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    suggest(text, actors, unbounded)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"bytes": nbytes, "median_s": statistics.median(seconds), "peak_mib": peak / 2**20,
            "peak_ratio": peak / nbytes, "mentions": len(found.mentions), "candidates": len(found.candidates),
            "new_names": len(found.new_names)}


def run_suggest_benchmark(sizes: list[int], repeats: int = 3, out: Callable[[str], None] = print) -> list[dict]:
    """Time and memory of suggestions per text size, printed as one table."""
    rows = [measure_suggest(size, repeats) for size in sizes]
    out(f"text KiB | suggest median s (of {repeats}) | peak MiB | peak / text | mentions | candidates | new names")
    for row in rows:
        out(f"{row['bytes'] / 1024:.0f} | {row['median_s']:.2f} | {row['peak_mib']:.1f} | {row['peak_ratio']:.1f}x"
            f" | {row['mentions']} | {row['candidates']} | {row['new_names']}")
    out("target at 1 MiB: suggestions <= 2 s, peak memory <= 20x the text")
    return rows


BLOC_BENCH_ACTORS = (60, 100, 160)


def measure_exact_blocs(actors: int, seeds: int = 5, planted: int = 3) -> list[dict]:
    """Exact blocs on `seeds` planted graphs of `actors` actors: k = 2 and automatic k, wall and CPU seconds
    (CPU: what the search cost, whatever else the machine was running), proven or the gap left."""
    rows = []
    for k in (2, None):
        runs = []
        for seed in range(seeds):
            _, ties = planted_signed_ties(actors, planted, seed=seed)
            started, cpu = time.perf_counter(), time.process_time()
            result = find_blocs(ties, k=k)
            runs.append((time.perf_counter() - started, time.process_time() - cpu, result, len(ties)))
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        rows.append({
            "actors": actors, "ties": int(statistics.median(r[3] for r in runs)), "k": "2" if k else "automatic",
            "blocs": ",".join(str(r[2].k) for r in runs), "median_s": statistics.median(walls), "max_s": max(walls),
            "median_cpu_s": statistics.median(cpus), "max_cpu_s": max(cpus),
            "proven": sum(r[2].optimal for r in runs), "runs": len(runs),
            "max_gap": max(r[2].gap or 0.0 for r in runs),
        })
    return rows


def run_bloc_benchmark(sizes: Sequence[int] = BLOC_BENCH_ACTORS, seeds: int = 5,
                       out: Callable[[str], None] = print) -> list[dict]:
    """Exact-bloc figures per size, printed as one table."""
    rows = [row for size in sizes for row in measure_exact_blocs(size, seeds)]
    out(f"actors | ties (median) | k | blocs returned | median s | max s | median CPU s | max CPU s | "
        f"proven | max gap   ({seeds} planted graphs per size: 3 blocs, 10 % sign noise, 6-8 ties per actor)")
    for row in rows:
        out(f"{row['actors']} | {row['ties']} | {row['k']} | {row['blocs']} | {row['median_s']:.2f} | "
            f"{row['max_s']:.2f} | {row['median_cpu_s']:.2f} | {row['max_cpu_s']:.2f} | "
            f"{row['proven']}/{row['runs']} | {row['max_gap']:g}")
    out("targets: k = 2 and automatic k proven optimal, median <= 1 s, max <= 20 s (the default time limit)")
    return rows

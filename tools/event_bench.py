"""`explorer bench --events`: the event layer's cost on generated GDELT 2.0 files, beside the floor.

For each size it writes GDELT 2.0 export files under a scratch folder (never in the repository), then times, each
in its own process so its peak memory is its own:

- the **floor**: one bare DuckDB query that reads the same files and groups them by actor pair and month;
- **ingest + aggregate**: `events import` (typed reading, bad-row report, ids kept once, Parquet) and the build of
  the layer (actor mapping, dyad-months, top events, unmapped codes);
- the **app's work** over that layer: first load (layer read, the view's ties, network and every panel), a
  filter change ("as of"), and the query behind a panel (a pair's top events).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script (each phase in its own process): make `explorer` importable

FILE_EVENTS = 1_000_000  # events per generated file (GDELT's own 15-minute files hold a few thousand)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.export.CSV"))


def generate(folder: Path, events: int) -> list[Path]:
    from explorer.events.generate import write_gdelt

    folder.mkdir(parents=True, exist_ok=True)
    if sum(1 for _ in _files(folder)) == 0:
        for number, first in enumerate(range(0, events, FILE_EVENTS)):
            write_gdelt(folder / f"{number:04d}.export.CSV", min(FILE_EVENTS, events - first), seed=number + 1,
                        first_id=first + 1)
    return _files(folder)


DECADES = ("1979-01-01", "2026-06-30")  # GDELT's span: its back file from 1979, its 15-minute files to now


def many_pairs(root: Path, events: int, states: int = 200, first: str = DECADES[0], last: str = DECADES[1],
               skew: float = 1.0) -> Path:
    """A data folder of `states` state actors (`explorer.bench.write_states`) whose event layer holds `events`
    generated GDELT 2.0 events between any two of them, dated uniformly from `first` to `last`: many pairs over
    decades of months, as real GDELT over an imported network of states would give (`skew` > 1: a few states in
    most events, as in real news, so their pairs have events in most months). Generated once under `root`
    (files, then `root/data`: import and layer build), reused after; returns the data folder."""
    import datetime as dt

    from explorer.bench import write_states
    from explorer.events.formats import GDELT2
    from explorer.events.generate import write_gdelt
    from explorer.events.ingest import import_events, stored_parts
    from explorer.events.layer import event_layer
    from explorer.tables import load_dataset

    data = root / "data"
    if not (data / "actors.csv").is_file():
        write_states(data, states)
        (data / "events").mkdir(parents=True, exist_ok=True)  # its own code table: states map by country alone
        (data / "events" / "actors.csv").write_text("code,actor,from,until,note\n", encoding="utf-8")
    actors = load_dataset(data).dataset.actors
    if not stored_parts(data):
        countries = tuple(actors["country"])
        days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
        files = []
        for number, at in enumerate(range(0, events, FILE_EVENTS)):
            path = root / f"{number:04d}.export.CSV"
            if not path.is_file():
                write_gdelt(path.with_suffix(".part"), min(FILE_EVENTS, events - at), seed=number + 1,
                            first_id=at + 1, start=first, days=days, countries=countries, skew=skew)
                path.with_suffix(".part").rename(path)
            files.append(path)
        import_events(files, GDELT2, data)
    event_layer(data, actors)
    return data


# The floor: one bare DuckDB query that reads the files and groups them by actor pair and month.
FLOOR_SQL = ("SELECT Actor1CountryCode, Actor2CountryCode, left(SQLDATE, 6) AS month, count(*) "
             "FROM read_csv($files, delim='\t', header=false, quote='', escape='', auto_detect=false, "
             "columns=$columns) GROUP BY ALL")


def floor_rows(con, files: list[Path]) -> list[tuple]:
    """The floor query (`FLOOR_SQL`) over `files` on the DuckDB connection `con`."""
    from explorer.events.formats import GDELT2_COLUMNS

    return con.execute(FLOOR_SQL, {"files": [str(p) for p in files],
                                   "columns": {c: "VARCHAR" for c in GDELT2_COLUMNS}}).fetchall()


def phase_floor(folder: Path) -> dict:
    import duckdb

    start, cpu = time.perf_counter(), time.process_time()
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        rows = floor_rows(con, _files(folder))
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "groups": len(rows)}


def phase_ours(folder: Path, data: Path) -> dict:
    from explorer.events.formats import GDELT2
    from explorer.events.ingest import import_events
    from explorer.events.layer import build_layer
    from explorer.tables import load_dataset

    actors = load_dataset().dataset.actors
    start, cpu = time.perf_counter(), time.process_time()  # process time: every thread's CPU (DuckDB's too)
    report = import_events(_files(folder), GDELT2, data)
    imported = time.perf_counter()
    layer = build_layer(data, actors)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "import": imported - start,
            "aggregate": time.perf_counter() - imported, "events": report.stored, "dyad_months": len(layer.dyads)}


def phase_app(data: Path) -> dict:
    """The app's work over a built layer, as a fresh server process does it (nothing cached): first load (the layer
    opened in the store, the default view's ties drawn with every panel), an "as of" change and a date-window change
    (each a view not seen before), and a panel's query (a pair's top events)."""
    from explorer.events.layer import event_layer
    from explorer.graph import Filter, apply_filter, build_index
    from explorer.model import months_between
    from explorer.render.event_network import event_view
    from explorer.render.network import DEFAULT_CAP
    from explorer.tables import load_dataset

    dataset = load_dataset(data if (data / "actors.csv").is_file() else None).dataset  # the folder's own actors
    index = build_index(dataset)
    start, cpu = time.perf_counter(), time.process_time()
    layer = event_layer(data, dataset.actors)
    view = apply_filter(index, Filter())
    drawn, panels, _ = event_view(index, layer, view, DEFAULT_CAP)
    first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    months = months_between(*layer.span)
    start, cpu = time.perf_counter(), time.process_time()
    changed = event_view(index, layer, apply_filter(index, Filter(as_of=months[-1])), DEFAULT_CAP)
    change, change_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    window = event_view(index, layer, apply_filter(index, Filter(start=months[len(months) // 2])), DEFAULT_CAP)
    window_change, window_cpu = time.perf_counter() - start, time.process_time() - cpu
    shipped = len(json.dumps(window[0].as_component_data())) + len(json.dumps(window[1]))
    pair = layer.pair_events().iloc[0]
    start = time.perf_counter()
    top = layer.top_events(str(pair["source"]), str(pair["target"]))
    panel = time.perf_counter() - start
    return {"first_load": first, "first_load_cpu": first_cpu, "filter_change": change, "filter_change_cpu": change_cpu,
            "window_change": window_change, "window_change_cpu": window_cpu, "window_mb": shipped / 1e6,
            "panel_query": panel, "ties": len(drawn.edges),
            "ties_as_of": len(changed[0].edges), "ties_window": len(window[0].edges), "panels": len(panels),
            "top_rows": len(top), "dyad_months": layer.dyad_count, "pairs": len(layer.pair_events()),
            "months": len(months), "events": layer.events}


def run_many_pairs(events: int, states: int, skew: float = 1.0, scratch: Path | None = None) -> dict:
    """Print and return the app's figures over a many-pairs layer (`many_pairs`) with the load average: the
    layer generated, imported and built first when missing (in a process of its own), then the app phase in
    another."""
    root = Path(scratch or tempfile.gettempdir()) / f"explorer-event-decades-{states}-{events}-{skew:g}"
    data = Path(_measured("many", str(root), str(events), str(states), str(skew))["data"])
    load = os.getloadavg()
    app = _measured("app", str(data))
    after = os.getloadavg()
    print(f"many pairs over decades: {app['events']:,} generated GDELT 2.0 events among {states} states, "
          f"{DECADES[0]} to {DECADES[1]}, skew {skew:g}, under {root}: {app['dyad_months']:,} dyad-months, "
          f"{app['pairs']:,} pairs, "
          f"{app['months']} months; load average {load[0]:.2f} before, {after[0]:.2f} after; {os.cpu_count()} cores")
    print("| first load s (CPU s) | as-of change s (CPU s) | window change s (CPU s) | its graph and panels MB | "
          "panel query s | ties drawn | peak MiB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {app['first_load']:.2f} ({app['first_load_cpu']:.2f}) | {app['filter_change']:.3f} "
          f"({app['filter_change_cpu']:.3f}) | {app['window_change']:.3f} ({app['window_change_cpu']:.3f}) | "
          f"{app['window_mb']:.1f} | {app['panel_query']:.3f} | {app['ties']:,} | {app['peak_mib']:.0f} |")
    return app


EVIDENCE_COLUMNS = ("source_code", "source_name", "target_code", "target_name", "event_code", "url")


def phase_breakdown(folder: Path, files: int = 2, repeats: int = 3) -> dict:
    """Where the import's CPU goes, against the floor's, on the first `files` files: the CPU seconds (all threads,
    best of `repeats`) of the floor query, the import's typed read alone, the read with the Parquet write (the
    import's own statement), the same without the evidence columns the top events show (`EVIDENCE_COLUMNS`), the
    whole import (write and id check) and the build."""
    import shutil

    import duckdb

    from explorer.events.formats import EVENT_COLUMNS, GDELT2
    from explorer.events.ingest import MEMORY_LIMIT, _enum, _scan, import_events
    from explorer.events.layer import build_layer
    from explorer.tables import load_dataset

    chosen = _files(folder)[:files]
    names = [p.name for p in chosen]
    read = _scan(chosen, GDELT2, GDELT2.columns, GDELT2.dataset, "\t", names, _enum(names))
    narrow = ", ".join(c for c in EVENT_COLUMNS if c not in EVIDENCE_COLUMNS)
    scratch = Path(tempfile.mkdtemp(prefix="explorer-breakdown-"))
    actors = load_dataset().dataset.actors

    def cpu(run) -> float:
        times = []
        for _ in range(repeats):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
        return min(times)

    def fresh() -> Path:
        shutil.rmtree(scratch / "data", ignore_errors=True)
        return scratch / "data"

    with duckdb.connect() as con:
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.execute("SET preserve_insertion_order = false")
        part = str(scratch / "part.parquet")
        figures = {
            "floor": cpu(lambda: floor_rows(con, chosen)),
            "typed read": cpu(lambda: con.execute(
                f"SELECT {', '.join(f'count({c})' for c in EVENT_COLUMNS)} FROM ({read})").fetchall()),
            "read + write": cpu(lambda: con.execute(f"COPY ({read}) TO '{part}' (FORMAT PARQUET, "
                                                    "COMPRESSION LZ4_RAW)")),
            "read + write, no evidence": cpu(lambda: con.execute(
                f"COPY (SELECT {narrow} FROM ({read})) TO '{part}' (FORMAT PARQUET, COMPRESSION LZ4_RAW)")),
        }
    figures["import (write + id check)"] = cpu(lambda: import_events(chosen, GDELT2, fresh()))
    figures["build"] = cpu(lambda: build_layer(scratch / "data", actors))
    shutil.rmtree(scratch, ignore_errors=True)
    return {"events_files": len(chosen), **figures}


def print_breakdown(folder: Path, files: int = 2) -> dict:
    """Run `phase_breakdown` in its own process and print it as a table, each step against the floor."""
    load = os.getloadavg()
    figures = _measured("breakdown", str(folder), str(files))
    floor = figures["floor"]
    print(f"CPU seconds on {files} file(s) of {folder} (best of 3; load average {load[0]:.2f}):")
    print("| step | CPU s | × floor |\n| --- | --- | --- |")
    for step, seconds in figures.items():
        if step not in ("events_files", "peak_mib", "process_cpu"):
            print(f"| {step} | {seconds:.2f} | {seconds / floor:.2f} |")
    return figures


def _measured(*args: str) -> dict:
    """Run one phase in a fresh interpreter; its figures, its own peak resident memory (MiB) and the CPU time of
    all its threads (user + system, s, start-up included; each phase also times its own work's CPU)."""
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *args], stdout=subprocess.PIPE,
                               cwd=ROOT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"benchmark phase {args[0]} failed (status {status})")
    return {**json.loads(output.decode().strip().splitlines()[-1]), "peak_mib": usage.ru_maxrss / 1024,
            "process_cpu": usage.ru_utime + usage.ru_stime}


REPEATS = 3  # runs of the floor and of ours per size; the median of each is reported


def _median(runs: list[dict]) -> dict:
    """The run of median wall time."""
    return dict(sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2])


def run_event_benchmark(sizes: list[int], scratch: Path | None = None) -> list[dict]:
    """Print and return one row per size: the floor, ours (each the median of `REPEATS` runs), the ratio, peak
    memory (the highest of our runs), and the app's figures."""
    import shutil

    root = Path(scratch or tempfile.gettempdir()) / "explorer-event-bench"
    load = os.getloadavg()
    print(f"event layer benchmark: generated GDELT 2.0 files under {root}; load average {load[0]:.2f}, "
          f"{load[1]:.2f}, {load[2]:.2f}; {os.cpu_count()} cores")
    print("| events | TSV MB | floor s (CPU s) | floor MiB | ingest + aggregate s (import / build) | CPU s | ratio "
          "(CPU ratio) | peak MiB | first load s | as-of change s | panel query s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = []
    for events in sizes:
        folder = root / f"gdelt-{events}"
        files = generate(folder, events)
        size = sum(p.stat().st_size for p in files) / 1e6
        data = folder / "data"
        # The floor and ours alternate, REPEATS times each, and the median run of each is kept: one run of the
        # floor was seen 20 % slower than the next three on an idle machine, which moved the ratio by 0.4.
        floors, ourses = [], []
        for _ in range(REPEATS):
            floors.append(_measured("floor", str(folder)))
            if data.exists():
                shutil.rmtree(data)
            ourses.append(_measured("ours", str(folder), str(data)))
        floor, ours = _median(floors), _median(ourses)
        ours["peak_mib"] = max(run["peak_mib"] for run in ourses)
        app = _measured("app", str(data))
        row = {"events": events, "tsv_mb": size, "floor": floor, "ours": ours, "app": app,
               "ratio": ours["seconds"] / floor["seconds"], "cpu_ratio": ours["cpu"] / floor["cpu"]}
        rows.append(row)
        print(f"| {events:,} | {size:,.0f} | {floor['seconds']:.2f} ({floor['cpu']:.1f}) | {floor['peak_mib']:.0f} | "
              f"{ours['seconds']:.2f} ({ours['import']:.2f} / {ours['aggregate']:.2f}) | {ours['cpu']:.1f} | "
              f"{row['ratio']:.2f} ({row['cpu_ratio']:.2f}) | {ours['peak_mib']:.0f} | {app['first_load']:.2f} | "
              f"{app['filter_change']:.3f} | {app['panel_query']:.3f} |", flush=True)
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    return rows


if __name__ == "__main__":  # one phase, in its own process: `python tools/event_bench.py PHASE ARGS`
    phase, *rest = sys.argv[1:]
    if phase == "decades":  # `python tools/event_bench.py decades EVENTS STATES [SKEW [SCRATCH]]`: the table above
        run_many_pairs(int(rest[0]), int(rest[1]), float(rest[2]) if len(rest) > 2 else 1.0,
                       Path(rest[3]) if len(rest) > 3 else None)
        raise SystemExit(0)
    figures = {"many": lambda: {"data": str(many_pairs(Path(rest[0]), int(rest[1]), int(rest[2]),
                                                       skew=float(rest[3])))},
               "floor": lambda: phase_floor(Path(rest[0])), "ours": lambda: phase_ours(Path(rest[0]), Path(rest[1])),
               "app": lambda: phase_app(Path(rest[0])),
               "breakdown": lambda: phase_breakdown(Path(rest[0]), int(rest[1]) if len(rest) > 1 else 2)}[phase]()
    print(json.dumps(figures))

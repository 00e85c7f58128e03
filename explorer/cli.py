"""Command-line interface over the pure layers: validate, blocs, axis, check-axis, path, export, suggest, history,
bench."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

# Only what every command needs: NetworkX, SciPy and HiGHS load inside the commands that use them.
from explorer.graph.filters import FIELDS, View, analysis_basis, apply_filter, parse_filter
from explorer.graph.index import Index, build_index
from explorer.graph.signed import aligned_actors, empty_reason, signed_ties
from explorer.model import listed, whole_number
from explorer.tables import load_dataset
from explorer.tables.load import data_folder
from explorer.tables.words import claimants_text, claimed_by

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
IMPORT_FORMATS = ("gexf", "graphml", "edgelist", "pajek", "kumu", "onodo")  # explorer.tables.imports.FORMATS
DEFAULT_BENCH_SIZES = "1000,10000,100000"
EVENT_FORMATS = ("gdelt1", "gdelt2", "icews", "polecat", "csv")  # explorer.events.formats.FORMATS
EXPORT_FORMATS = ("csv", "json", "xlsx", "graphml", "gexf", "html", "svg", "png")  # explorer.render.exports


class UsageError(Exception):
    """Bad arguments: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump: the message says what to fix
        raise UsageError(message)


def _whole_number(text: str) -> int:
    try:
        return whole_number(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="data folder (default: $EXPLORER_DATA or the bundled data/)")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (the same keys as the app's URL parameters)")
    for spec in FIELDS:
        flag = "--" + spec.key.replace("_", "-")
        group.add_argument(flag, dest=f"filter_{spec.key}", action="append" if spec.many else "store",
                           help=spec.help, metavar="VALUE")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m explorer", description="Axis Explorer: sourced alignments between actors.")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser, metavar="VERB")

    validate = verbs.add_parser("validate", help="check the tables: one FILE:ROW:COLUMN: message per problem")
    _add_data(validate)

    blocs = verbs.add_parser("blocs", help="partition actors into blocs that minimise frustration")
    _add_data(blocs)
    blocs.add_argument("--k", type=_whole_number, help="number of blocs (default: the fewest up to --max-blocs)")
    blocs.add_argument("--max-blocs", type=_whole_number, default=4, help="upper bound when choosing k (default 4)")
    blocs.add_argument("--unweighted", action="store_true", help="count frustrated ties instead of weighing them")
    blocs.add_argument("--time-limit", type=float,
                       help="seconds the exact search may run; then the best partition, bound and gap (default 20)")
    blocs.add_argument("--json", action="store_true", help="print JSON")
    _add_filters(blocs)

    axis = verbs.add_parser("axis", help="adversaries of TARGET, their cooperative ties and second ring")
    axis.add_argument("target", help="actor id, name or alias")
    _add_data(axis)
    axis.add_argument("--json", action="store_true", help="print JSON")
    _add_filters(axis)

    check = verbs.add_parser("check-axis", help="is there an axis of MEMBERS against TARGET? a verdict per pair")
    check.add_argument("members", nargs="+", help="two or more actors (id, name or alias)")
    check.add_argument("--against", required=True, help="the target actor")
    _add_data(check)
    check.add_argument("--json", action="store_true", help="print JSON")
    _add_filters(check)  # --lens events: the event layer's verdicts beside the curated ones

    path = verbs.add_parser("path", help="signed paths between two actors")
    path.add_argument("a")
    path.add_argument("b")
    _add_data(path)
    path.add_argument("--max-length", type=_whole_number, default=3, help="most hops per path (default 3)")
    path.add_argument("--limit", type=_whole_number, default=25, help="most paths (default 25)")
    path.add_argument("--json", action="store_true", help="print JSON")
    _add_filters(path)

    export = verbs.add_parser("export", help="write the filtered view to a file (written atomically)")
    _add_data(export)
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("-o", "--output", required=True, help="file to write")
    export.add_argument("--spreadsheet-safe", action="store_true",
                        help="CSV: prefix cells starting with = + - @ tab or CR with an apostrophe")
    _add_filters(export)

    suggest = verbs.add_parser("suggest", help="actor mentions and candidate relations found in a text document")
    suggest.add_argument("file", help="a UTF-8 text document")
    _add_data(suggest)
    suggest.add_argument("-o", "--output", help="folder to write the candidate rows to (relations.csv, "
                                                "evidence.csv, sources.csv), for review")
    suggest.add_argument("--url", help="the document's http(s) address (needed with -o)")
    suggest.add_argument("--outlet", help="who published it (needed with -o)")
    suggest.add_argument("--published", help="partial ISO date of publication (needed with -o)")
    suggest.add_argument("--title", default="", help="headline")
    suggest.add_argument("--source-id", help="id of the new source row (default: from the file name)")
    suggest.add_argument("--json", action="store_true", help="print JSON")

    history = verbs.add_parser("history", help="the change log: every save, who, when, what, newest first")
    _add_data(history)
    history.add_argument("--json", action="store_true", help="one JSON object per change, rows before/after")

    undo = verbs.add_parser("undo", help="undo one change of the history (itself logged, as the local user)")
    _add_data(undo)
    undo.add_argument("change", help="id of the change, as `history` prints it")

    curator = verbs.add_parser("curator-hash", help="print a secrets.toml line with a salted hash of a password")
    curator.add_argument("name", help="the curator's sign-in name")
    imports = verbs.add_parser("import", help="a GEXF, GraphML, signed edge list, Pajek .net, Kumu or Onodo "
                                              "workbook into the four tables (validated, written atomically)")
    imports.add_argument("file", help="the file to import")
    imports.add_argument("--format", choices=IMPORT_FORMATS, help="default: from the file name (and sheets)")
    imports.add_argument("-o", "--output", required=True, help="data folder to write (documents go to seeds/ "
                                                                "beside it)")
    imports.add_argument("--mode", choices=("add", "replace"), default="add",
                         help="add to the tables already in -o (a new folder starts empty), ids checked for "
                              "clashes; or replace them (default add). Either way one change in the history")
    imports.add_argument("--kind", help="the kind of every actor of the file (e.g. state); default: the file's "
                                        "kind/type/category column, a recognised state, else `actor`")
    imports.add_argument("--kinds", metavar="FILE", help="a CSV of id,kind for some or all actors (wins over --kind)")
    imports.add_argument("--url", required=True, help="where the file was published (http or https)")
    imports.add_argument("--outlet", required=True, help="who published it")
    imports.add_argument("--published", default="", help="partial ISO date of the file; dates ties it leaves "
                                                          "undated")
    imports.add_argument("--title", default="", help="title of the file")

    _add_events(verbs)

    bench = verbs.add_parser("bench", help="time load, graph build, filters and blocs on synthetic data")
    bench.add_argument("--sizes", default=DEFAULT_BENCH_SIZES, help="relation counts (default 1000,10000,100000)")
    bench.add_argument("--views", type=_whole_number, default=30, help="ego views timed per size (default 30)")
    bench.add_argument("--blocs", action="store_true",
                       help="only the exact-bloc figures (--sizes in actors; default 60,100,160)")
    bench.add_argument("--seeds", type=_whole_number, default=5, help="planted graphs per bloc size (default 5)")
    bench.add_argument("--events", action="store_true",
                       help="time the event layer on generated GDELT 2.0 files beside a bare DuckDB query "
                            "(--sizes in events; default 1000000,10000000; files under $TMPDIR)")
    bench.add_argument("--suggest", action="store_true",
                       help="time suggestions on news-like text instead (--sizes in bytes; default 64, 256, 1024 KiB)")
    return parser


def _add_thresholds(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("which events count (explorer/events/dyads.py)")
    group.add_argument("--all-events", action="store_true", help="count every event, not only root events")
    group.add_argument("--min-mentions", type=_whole_number, default=1, help="mentions an event needs (default 1)")
    group.add_argument("--min-sources", type=_whole_number, default=1, help="sources an event needs (default 1)")
    _add_engine(group)


def _add_engine(parser) -> None:
    parser.add_argument("--engine", choices=("duckdb", "pyspark", "bigquery"), default="duckdb",
                        help="query engine for the aggregation (default duckdb, in-process; pyspark: the running or "
                             "a local Spark session; bigquery: see the README); every engine writes the same tables")


def _add_events(verbs: argparse._SubParsersAction) -> None:
    events = verbs.add_parser("events", help="machine-coded event data (GDELT, ICEWS, POLECAT): import, ties")
    actions = events.add_subparsers(dest="events_verb", required=True, parser_class=_Parser, metavar="ACTION")
    imports = actions.add_parser("import", help="add event files to a data folder's event store")
    imports.add_argument("files", nargs="+", metavar="FILE", help="event files (plain, .gz or .zip)")
    imports.add_argument("--format", required=True, choices=EVENT_FORMATS)
    imports.add_argument("-o", "--output", required=True, help="data folder whose store receives the events")
    imports.add_argument("--map", help="csv: KEY=COLUMN,... with keys event_id, date, source, target, and quad or "
                                       "code (optional: source_group, target_group, goldstein, mentions, sources, url)")
    imports.add_argument("--date-format", default="%Y-%m-%d", help="csv: strftime format of the date column")
    imports.add_argument("--name", help="csv: the dataset's name, shown beside its ties (default CSV)")
    imports.add_argument("--json", action="store_true", help="print the report as JSON")
    imports.add_argument("--build", action="store_true",
                         help="build the layer's tables now (dyad-months, top events), not on first use")
    _add_engine(imports)
    ties = actions.add_parser("ties", help="signed dyad-months between actors, each with its top events' URLs")
    _add_data(ties)
    when = ties.add_mutually_exclusive_group()
    when.add_argument("--month", help="one month, YYYY-MM")
    when.add_argument("--as-of", help="the dyad-months in force on this (partial) date under the time rule")
    ties.add_argument("--actor", help="only pairs with this actor (id, name or alias)")
    ties.add_argument("--lookback", type=_whole_number, help="with --as-of: months a dyad-month counts (default 12)")
    ties.add_argument("--decay", choices=("linear", "exponential", "none"), default="linear",
                      help="with --as-of: how its weight fades (default linear)")
    ties.add_argument("--json", action="store_true", help="print JSON")
    _add_thresholds(ties)
    unmapped = actions.add_parser("unmapped", help="actor codes that map to no actor, with their event counts")
    _add_data(unmapped)
    unmapped.add_argument("--json", action="store_true", help="print JSON")
    _add_thresholds(unmapped)


def _load(args: argparse.Namespace) -> Index:
    result = load_dataset(args.data)
    if result.problems:
        print(f"warning: {len(result.problems)} problems in the data; run `python -m explorer validate`",
              file=sys.stderr)
    return build_index(result.dataset)


def _view(args: argparse.Namespace, index: Index) -> View:
    params = {spec.key: value for spec in FIELDS
              if (value := getattr(args, f"filter_{spec.key}", None)) is not None}
    chosen, notices = parse_filter(params, index)
    if notices:
        raise UsageError("; ".join(notices))
    return apply_filter(index, chosen)


def _actor(index: Index, text: str) -> str:
    actor = index.resolve_actor(text)
    if actor is None:
        raise UsageError(f"unknown actor {text!r}")
    return actor


def _name(index: Index, actor: str) -> str:
    return str(index.dataset.actors["name"].get(actor, actor))


def _said_empty(args: argparse.Namespace, index: Index, view: View, ties: list | None = None,
                extra: dict | None = None) -> bool:
    """Print why the view leaves the analysis nothing to work on (JSON: status empty, reason, counts by role);
    False when it has signed ties between actors that take sides."""
    empty = empty_reason(index, view, ties)
    if empty is None:
        return False
    if args.json:
        print(json.dumps({**empty.as_dict(), **(extra or {})}, ensure_ascii=False))
    else:
        print(analysis_basis(index, view.filter))
        print(empty.reason)
    return True


def run_validate(args: argparse.Namespace) -> int:
    result = load_dataset(args.data)
    for problem in result.problems:
        print(problem)
    data = result.dataset
    print(f"{len(result.problems)} problems; {len(data.actors)} actors, {len(data.relations)} relations, "
          f"{len(data.sources)} sources, {len(data.evidence)} evidence rows valid")
    return EXIT_PROBLEMS if result.problems else EXIT_OK


def run_blocs(args: argparse.Namespace) -> int:
    from explorer.graph.blocs import DEFAULT_TIME_LIMIT, find_blocs, proof_in_words

    if args.time_limit is None:
        args.time_limit = DEFAULT_TIME_LIMIT
    if not 0 < args.time_limit <= 3600:
        raise UsageError("--time-limit must be more than 0 and at most 3600 seconds")
    if args.k is not None and not 1 <= args.k <= 12:
        raise UsageError("--k must be 1 to 12")
    if not 1 <= args.max_blocs <= 12:
        raise UsageError("--max-blocs must be 1 to 12")
    index = _load(args)
    view = _view(args, index)
    ties = signed_ties(index, view)
    if _said_empty(args, index, view, ties, {"blocs": [], "optimal": False, "frustration": None}):
        return EXIT_OK
    result = find_blocs(ties, aligned_actors(index, view), k=args.k, max_blocs=args.max_blocs,
                        weighted=not args.unweighted, time_limit=args.time_limit)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return EXIT_OK
    print(analysis_basis(index, view.filter))
    for number, bloc in enumerate(result.blocs, start=1):
        print(f"bloc {number}: {', '.join(_name(index, a) for a in bloc)}")
    if result.unaligned:
        print(f"unaligned: {', '.join(_name(index, a) for a in result.unaligned)}")
    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}"

    asked = "automatic" if result.requested_k is None else result.requested_k
    print(f"frustration {result.frustration:g} ({proof_in_words(result)}; {result.method}, k={result.k}, "
          f"asked {asked}); triangle balance {share(result.triangle_balance)}, weak "
          f"{share(result.weak_triangle_balance)}")
    for tie in result.frustrated:
        print(f"  frustrated: {_name(index, tie.a)} ~ {_name(index, tie.b)} ({tie.weight:+g}): "
              f"{', '.join(tie.relations)}")
    return EXIT_OK


def run_axis(args: argparse.Namespace) -> int:
    from explorer.graph.axis import find_axis
    from explorer.graph.balance import BALANCE_IN_WORDS, balance_through_time, history_for
    from explorer.graph.evidence import relation_brief

    index = _load(args)
    target = _actor(index, args.target)
    view = _view(args, index)
    ties = signed_ties(index, view)
    if _said_empty(args, index, view, ties, {"target": target}):
        return EXIT_OK
    history = history_for(index, view.filter, len(view.relations), ties)
    axis = find_axis(index, view, ties, target, history)
    balance = balance_through_time(history, target)
    evidence = {r: relation_brief(index, view, r) for r in sorted(axis.triangle_relations)}
    if args.json:
        print(json.dumps({"status": "ok", **axis.as_dict(evidence), "balance": {
            "as_of": balance[-1].as_dict(), "through_time": [b.as_dict() for b in balance],
            "meaning": BALANCE_IN_WORDS}}, ensure_ascii=False))
        return EXIT_OK
    claims = lambda m: claimants_text(m.claimants, lambda c: _name(index, c))  # noqa: E731
    print(analysis_basis(index, view.filter))
    print(f"axis against {_name(index, target)}")
    for member in axis.adversaries:
        courts = (f"; courts {_name(index, target)}'s partners {', '.join(_name(index, c) for c in member.courts)}"
                  if member.courts else "")
        print(f"  adversary {_name(index, member.actor)} ({member.weight:+g}); claimed by: {claims(member)}{courts}")
    for tie in axis.ties:
        print(f"  tie {_name(index, tie.a)} + {_name(index, tie.b)} ({tie.weight:+g}): {', '.join(tie.relations)}")
    for member in axis.second_ring:
        via = ", ".join(_name(index, v) for v in member.via)
        print(f"  second ring {_name(index, member.actor)} via {via}; claimed by: {claims(member)}")
    names = index.dataset.actors["name"].to_dict()
    for pressured in axis.cross_pressured:
        print(f"  cross-pressured {_name(index, pressured.actor)}: cooperates with {_name(index, target)} and with "
              f"its adversaries {', '.join(_name(index, a) for a in pressured.adversaries)}")
        for triangle in pressured.triangles:
            print(f"    triangle {' – '.join(_name(index, a) for a in triangle.actors)}: {triangle.since_words()}; "
                  f"weakest tie {triangle.weakest:g}")
            for (a, b), weight, relations in zip(triangle.pairs, triangle.weights, triangle.relations, strict=True):
                print(f"      {_name(index, a)} ~ {_name(index, b)} ({weight:+g})")
                for relation in relations:
                    brief = evidence[relation]
                    quote = next((e for e in brief.get("evidence", [])), None)
                    said = (f" — \"{_shortened(quote['quote'])}\" ({quote['outlet']}"
                            f"{', claimed by ' + quote['claimed_by'] if quote['claimed_by'] else ''})"
                            if quote else "")
                    print(f"        {relation}: {brief.get('summary', '(not in view)')}{said}")
        if trend := pressured.trend_words(names):
            print(f"    trend: {trend}")
    now = balance[-1]
    share = "n/a" if now.balanced_weight_share is None else f"{now.balanced_weight_share:.0%}"
    print(f"balance around {_name(index, target)} ({now.actors} actors, {now.ties} signed ties):")
    print(f"  triangles {now.triangles}: {now.balanced} balanced, {now.unbalanced} unbalanced "
          f"({now.three_adversaries} of three adversaries) — {BALANCE_IN_WORDS['unbalanced']}")
    print(f"  balanced share by weight {share} — {BALANCE_IN_WORDS['balanced_weight_share']}")
    print(f"  frustration index {now.frustration_index} of {now.ties} ties (weight {now.frustration_weight:g}"
          f"{', proven optimal' if now.optimal else ', not proven optimal'}) — {BALANCE_IN_WORDS['frustration_index']}")
    walk = "n/a" if now.walk_balance is None else f"{now.walk_balance:.2f}"
    print(f"  walk balance {walk} — {BALANCE_IN_WORDS['walk_balance']}")
    if len(balance) > 1:
        print("  through time (month: unbalanced/triangles, frustration index): " + ", ".join(
            f"{b.month}: {b.unbalanced}/{b.triangles}, {b.frustration_index}" for b in balance))
    return EXIT_OK


def _shortened(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def run_check_axis(args: argparse.Namespace) -> int:
    from explorer.graph.check import EVENTS_LENS, NotAnAligner, check_axis, check_filter, share_behind

    events = args.filter_lens == EVENTS_LENS  # the event layer's verdicts beside the curated ones (all voices)
    if events:
        args.filter_lens = None
    index = _load(args)
    members = tuple(dict.fromkeys(_actor(index, m) for m in args.members))
    target = _actor(index, args.against)
    if len(members) < 1 or target in members:
        raise UsageError("give one or more members, none of them the target")
    view = _view(args, index)
    chosen = view.filter
    try:
        result = check_axis(index, members, target, chosen)
    except NotAnAligner as error:
        raise UsageError(str(error)) from None
    if events:
        from explorer.graph.event_ties import check_axis_events

        args.engine, args.all_events, args.min_mentions, args.min_sources = "duckdb", False, 1, 1
        found = check_axis_events(_event_layer(args), result.members, result.target,
                                  replace(chosen, as_of=result.as_of))  # the day the curated verdicts answer for
        if args.json:
            print(json.dumps({"status": "ok", **result.as_dict(), "events": found}, ensure_ascii=False))
            return EXIT_OK
    if not events and _said_empty(args, index, apply_filter(index, check_filter(chosen)), None,
                                  {"members": list(members), "target": target}):
        return EXIT_OK
    if args.json:
        print(json.dumps({"status": "ok", **result.as_dict()}, ensure_ascii=False))
        return EXIT_OK
    names = index.dataset.actors["name"].to_dict()
    print(result.basis)
    for pair in result.pairs:
        should = "should cooperate" if pair.expected > 0 else "should be adversaries"
        print(f"{_name(index, pair.a)} – {_name(index, pair.b)} ({should}): "
              f"{pair.reading(names)}; net tie {pair.net:+g}")
        for relation in pair.relations:
            claim = f"  [{claimed_by(names.get(c, c) for c in relation.claimed_by)}]" if relation.claimed_by else ""
            print(f"    {relation.weight:+.3f} {relation.id}: {relation.summary}{claim}")
        if pair.venues:
            print(f"    shared venues (shown, not counted): {', '.join(_name(index, v) for v in pair.venues)}")
    print(result.sentence)
    if events:
        print(f"Machine-coded event data (not verified; {found['basis']}): {found['verdict']}")
        for pair in found["pairs"]:
            tie = pair["tie"]
            figures = (f" ({share_behind(pair['verdict'], pair['share_expected_way']):.0%} of weighted events); "
                       f"{tie['events']} "
                       f"events, {tie['cooperative'] / tie['events']:.0%} cooperative, weight {tie['weight']:+.2f}"
                       if tie else "; no event tie")
            print(f"  {_name(index, pair['a'])} – {_name(index, pair['b'])} (should be {pair['expected']}): "
                  f"{pair['verdict']}{figures}")
        if found["reason"]:
            print(f"  No machine-coded verdict on any pair: {found['reason']}.")
    return EXIT_OK


def run_path(args: argparse.Namespace) -> int:
    from explorer.graph.paths import find_paths

    if not 1 <= args.max_length <= 6 or not 1 <= args.limit <= 500:
        raise UsageError("--max-length must be 1 to 6 and --limit 1 to 500")
    index = _load(args)
    a, b = _actor(index, args.a), _actor(index, args.b)
    view = _view(args, index)
    ties = signed_ties(index, view)
    if _said_empty(args, index, view, ties, {"paths": []}):
        return EXIT_OK
    paths = find_paths(ties, a, b, args.max_length, args.limit)
    if args.json:
        print(json.dumps({"status": "ok", "paths": [p.as_dict() for p in paths]}, ensure_ascii=False))
        return EXIT_OK
    print(analysis_basis(index, view.filter))
    if not paths:
        print(f"no path from {_name(index, a)} to {_name(index, b)} within {args.max_length} hops")
    for path in paths:
        print(f"{' -> '.join(_name(index, x) for x in path.actors)}  [{path.reading}]")
        for hop in path.hops:
            print(f"    {_name(index, hop.a)} ~ {_name(index, hop.b)} ({hop.weight:+g}): {', '.join(hop.relations)}")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from explorer.render.exports import export_bytes
    from explorer.tables.write import atomic_write

    index = _load(args)
    view = _view(args, index)
    data = export_bytes(index, view, args.format, safe=args.spreadsheet_safe,
                        data_label=f"data folder {args.data or 'data/'}")
    path = atomic_write(Path(args.output), data)
    print(f"wrote {path} ({len(data)} bytes, {len(view.actors)} actors, {len(view.relations)} relations)")
    return EXIT_OK


def run_suggest(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from explorer.tables.load import data_folder, seeds_folder
    from explorer.tables.suggest import SourceInfo, suggest, suggestion_tables
    from explorer.tables.write import atomic_write, table_bytes

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path} as UTF-8 text: {error}") from None
    result = load_dataset(args.data)
    found = suggest(text, result.dataset.actors)
    names = result.dataset.actors["name"]
    if args.output:
        missing = [flag for flag in ("url", "outlet", "published") if not getattr(args, flag)]
        if missing:
            raise UsageError(f"-o needs --{', --'.join(missing)}: say where the document comes from")
        seeds = seeds_folder(data_folder(args.data)).resolve()
        resolved = path.resolve()
        document = str(resolved.relative_to(seeds)) if resolved.is_relative_to(seeds) else ""
        source_id = args.source_id or re.sub(r"[^a-z0-9]+", "-", f"doc-{path.stem}".casefold()).strip("-")
        info = SourceInfo(source_id, args.url, args.outlet, args.published, args.title, document)
        try:
            tables = suggestion_tables(found.candidates, info)
        except ValueError as error:
            raise UsageError(str(error)) from None
        for name, frame in tables.items():
            atomic_write(Path(args.output) / name, table_bytes(frame))
        print(f"wrote {len(found.candidates)} candidate relations to {args.output} "
              f"({'quotes checkable against seeds/' + document if document else 'document not stored in seeds/'})")
    if args.json:
        print(json.dumps({"mentions": [asdict(m) for m in found.mentions],
                          "new_names": [asdict(n) for n in found.new_names],
                          "candidates": [asdict(c) for c in found.candidates]}, ensure_ascii=False))
        return EXIT_OK
    if not args.output:
        print(f"{len(found.mentions)} mentions of {len({m.actor for m in found.mentions})} known actors")
        for mention in found.mentions:
            print(f"  {mention.start}-{mention.end} {mention.text!r} -> {mention.actor}")
        print(f"{len(found.new_names)} names that match no actor")
        for name in found.new_names:
            print(f"  {name.name!r} x{name.count} (first at {name.first})")
        print(f"{len(found.candidates)} candidate relations (low confidence, for review)")
        for candidate in found.candidates:
            claim = f" {claimed_by([candidate.claimed_by])}" if candidate.claimed_by else ""
            print(f"  {names.get(candidate.source)} -> {names.get(candidate.target)}: {candidate.type} "
                  f"{candidate.polarity:+d}{claim} [{', '.join(candidate.cues)}]")
    return EXIT_OK


def run_history(args: argparse.Namespace) -> int:
    from explorer.tables.changes import read_history

    entries = read_history(data_folder(args.data))
    if args.json:
        for entry in entries:
            print(json.dumps({"id": entry.id, "at": entry.at, "by": entry.by, "summary": entry.summary,
                              "document": entry.document, "undoes": entry.undoes,
                              "rows": [{"file": r.file, "key": r.key, "before": r.before, "after": r.after}
                                       for r in entry.rows]}, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        print("no saved changes")
    for entry in reversed(entries):
        print(f"{entry.id}  {entry.describe()}")
        for row in entry.rows:
            print(f"    {row.kind} {row.file} {row.key}")
    return EXIT_OK


def run_undo(args: argparse.Namespace) -> int:
    import getpass

    from explorer.tables.changes import Conflict, read_history, save_change, undo_of

    folder = data_folder(args.data)
    entry = next((e for e in read_history(folder) if e.id == args.change), None)
    if entry is None:
        raise UsageError(f"no change {args.change!r} in the history of {folder}")
    try:
        undone = save_change(folder, undo_of(entry), getpass.getuser())
    except Conflict as conflict:
        print(f"not undone: {conflict}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{undone.id}  {undone.describe()}")
    return EXIT_OK


def run_curator_hash(args: argparse.Namespace) -> int:
    import getpass

    from explorer.system.credentials import hash_password

    password = getpass.getpass(f"Password for {args.name}: ")
    if len(password) < 12 or password != getpass.getpass("Again: "):
        raise UsageError("passwords differ or are shorter than 12 characters")
    print(f"# in .streamlit/secrets.toml, under [curation.passwords]\n{json.dumps(args.name)} = "
          f"{json.dumps(hash_password(password))}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    import getpass

    from explorer.model import DateError
    from explorer.tables.changes import TABLE_FILES, Conflict, FolderProblem, save_change
    from explorer.tables.imports import ImportSource, UnreadableFile, import_change, import_file, read_kinds

    path, output = Path(args.file), Path(args.output).resolve()
    try:
        kinds = read_kinds(args.kinds, Path(args.kinds).read_bytes()) if args.kinds else {}
        imported = import_file(path.name, path.read_bytes(), ImportSource(args.url, args.outlet, args.published,
                                                                          args.title), args.format,
                               kinds=kinds, kind=args.kind or "")
    except (OSError, UnreadableFile, DateError) as error:
        raise UsageError(str(error)) from None
    for line in imported.decisions:
        print(line)
    fresh = not any((output / name).is_file() for name in TABLE_FILES)
    change, problems = import_change(output, imported, args.mode, path.name)
    problems = [*imported.problems, *problems]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"not written: {len(problems)} problems", file=sys.stderr)
        return EXIT_PROBLEMS
    try:  # the curators' save: locked, journaled, all or nothing, logged in the history, undoable
        entry = save_change(output, change, getpass.getuser(), fresh=fresh)
    except (Conflict, FolderProblem) as error:
        print(f"not written: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    relations = len(imported.tables["relations.csv"])
    print(f"imported {relations} relations and {len(imported.tables['actors.csv'])} actors from {path.name} "
          f"({imported.format}, {args.mode}) into {args.output}; document seeds/{next(iter(imported.documents))}; "
          f"change {entry.id} (`explorer undo {entry.id} --data {args.output}` takes it back)")
    return EXIT_OK


def _event_thresholds(args: argparse.Namespace):
    from explorer.events.dyads import Thresholds

    return Thresholds(root_only=not args.all_events, min_mentions=args.min_mentions, min_sources=args.min_sources)


def _event_layer(args: argparse.Namespace):
    from explorer.events.layer import LayerError, build_layer, event_layer

    folder = data_folder(args.data)
    actors = load_dataset(folder).dataset.actors
    try:
        layer = (build_layer(folder, actors, _event_thresholds(args), engine=args.engine)
                 if args.engine != "duckdb" else event_layer(folder, actors, _event_thresholds(args)))
    except LayerError as error:
        raise UsageError(str(error)) from None
    if layer is None:
        raise UsageError(f"no events in {folder}: add some with `python -m explorer events import FILE... "
                         f"--format gdelt2 -o {folder}`")
    return layer


def run_events(args: argparse.Namespace) -> int:
    if args.events_verb == "import":
        return _run_events_import(args)
    if args.events_verb == "unmapped":
        layer = _event_layer(args)
        rows = [{"code": str(c), "events": int(n)} for c, n in layer.unmapped[["code", "events"]].itertuples(
            index=False, name=None)]
        if args.json:
            print(json.dumps({"unmapped": rows}, ensure_ascii=False))
        else:
            print(f"{len(rows)} codes map to no actor (add them to events/actors.csv to count their events)")
            for row in rows:
                print(f"  {row['code']}\t{row['events']}")
        return EXIT_OK
    from explorer.graph.event_ties import event_ties

    layer = _event_layer(args)
    actor = None
    if args.actor:
        index = _load(args)
        actor = _actor(index, args.actor)
    try:
        result = event_ties(layer, month=args.month, as_of=args.as_of, actor=actor, lookback=args.lookback,
                            decay=args.decay)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    print(result["basis"])
    if result["credit"]:
        print(result["credit"])
    for tie in result["ties"]:
        share = tie["cooperative"] / tie["events"] if tie["events"] else 0
        print(f"{tie['month']}  {tie['source']} ~ {tie['target']}: {tie['events']} events, {share:.0%} cooperative, "
              f"Goldstein {tie['goldstein']:+g}, weight {tie['weight']:+.2f}")
    return EXIT_OK


def _run_events_import(args: argparse.Namespace) -> int:
    from explorer.events.formats import LAYOUTS, csv_layout
    from explorer.events.ingest import EventFileError, import_events

    if args.format == "csv":
        if not args.map:
            raise UsageError("--format csv needs --map KEY=COLUMN,... (e.g. event_id=ID,date=Date,source=A,target=B,"
                             "code=CAMEO)")
        try:
            pairs = dict(part.split("=", 1) for part in args.map.split(",") if part.strip())
            layout = csv_layout({k.strip(): v.strip() for k, v in pairs.items()}, args.name or "CSV",
                                args.date_format)
        except ValueError as error:
            raise UsageError(f"--map: {error}") from None
    else:
        layout = LAYOUTS[args.format]
    try:
        report = import_events(args.files, layout, Path(args.output))
    except EventFileError as error:
        raise UsageError(str(error)) from None
    if args.build or args.engine != "duckdb":  # the store is DuckDB's; the layer's tables come from the engine
        from explorer.events.dyads import Thresholds
        from explorer.events.layer import LayerError, build_layer

        try:
            build_layer(Path(args.output), load_dataset(data_folder(args.output)).dataset.actors, Thresholds(),
                        engine=args.engine)
        except LayerError as error:
            raise UsageError(f"the events are stored, the layer is not built: {error}") from None
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        for problem in report.bad:
            print(problem, file=sys.stderr)
        print(f"{report.read} events read from {len(report.files)} files ({report.dataset}): {report.added} added, "
              f"{report.repeated} already stored or repeated, {len(report.bad)} bad rows not stored; "
              f"{report.stored} events in {args.output}")
    return EXIT_OK


def run_bench(args: argparse.Namespace) -> int:
    from explorer.bench import BLOC_BENCH_ACTORS, run_benchmark, run_bloc_benchmark

    if args.blocs:
        sizes_text = args.sizes if args.sizes != DEFAULT_BENCH_SIZES else ",".join(map(str, BLOC_BENCH_ACTORS))
        try:
            actors = [whole_number(s) for s in listed([sizes_text])]
        except ValueError as error:
            raise UsageError(f"--sizes takes comma-separated whole numbers: {error}") from None
        if not actors or any(not 10 <= s <= 200 for s in actors) or not 1 <= args.seeds <= 100:
            raise UsageError("--sizes for --blocs must be between 10 and 200 actors, --seeds between 1 and 100")
        run_bloc_benchmark(actors, seeds=args.seeds)
        return EXIT_OK

    if args.events:
        import importlib.util

        spec = importlib.util.spec_from_file_location(  # the benchmarks' home is tools/, beside the package
            "event_bench", Path(__file__).resolve().parent.parent / "tools" / "event_bench.py")
        if spec is None or spec.loader is None:
            raise UsageError("tools/event_bench.py is missing: run from a checkout of the project")
        bench_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench_module)
        run_event_benchmark = bench_module.run_event_benchmark
        sizes_text = args.sizes if args.sizes != DEFAULT_BENCH_SIZES else "1000000,10000000"
        try:
            event_sizes = [whole_number(s) for s in sizes_text.split(",") if s.strip()]
        except ValueError as error:
            raise UsageError(f"--sizes takes comma-separated whole numbers: {error}") from None
        if not event_sizes or any(not 1000 <= s <= 100_000_000 for s in event_sizes):
            raise UsageError("--sizes for --events must be between 1000 and 100000000 events")
        run_event_benchmark(event_sizes)
        return EXIT_OK

    if args.suggest:
        from explorer.bench import run_suggest_benchmark

        sizes_text = args.sizes if args.sizes != DEFAULT_BENCH_SIZES else "65536,262144,1048576"
        try:
            text_sizes = [whole_number(s) for s in listed([sizes_text])]
        except ValueError as error:
            raise UsageError(f"--sizes takes comma-separated whole numbers: {error}") from None
        if not text_sizes or any(not 1024 <= s <= 2**24 for s in text_sizes):
            raise UsageError("--sizes for --suggest must be between 1024 and 16777216 bytes")
        run_suggest_benchmark(text_sizes)
        return EXIT_OK
    try:
        sizes = [whole_number(s) for s in listed([args.sizes])]
    except ValueError as error:
        raise UsageError(f"--sizes takes comma-separated whole numbers: {error}") from None
    if not sizes or any(not 10 <= s <= 1_000_000 for s in sizes):
        raise UsageError("--sizes must be between 10 and 1000000")
    run_benchmark(sizes, views=args.views)
    run_bloc_benchmark(seeds=args.seeds)
    return EXIT_OK


VERBS = {"validate": run_validate, "blocs": run_blocs, "axis": run_axis, "check-axis": run_check_axis,
         "path": run_path, "export": run_export, "suggest": run_suggest, "import": run_import, "history": run_history,
         "undo": run_undo, "curator-hash": run_curator_hash, "events": run_events, "bench": run_bench}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return VERBS[args.verb](args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # a full disk or a read-only folder: say what to do, as the app does
        from explorer.tables.write import WRITE_ERRORS, write_error_words

        words = write_error_words(error) if error.errno in WRITE_ERRORS else f"{type(error).__name__}: {error}"
        print(f"error: {words}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # the CLI never shows a traceback; the message says what went wrong
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_USAGE

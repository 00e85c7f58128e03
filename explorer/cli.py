"""Command-line interface over the pure layers: validate, and (with the graph engine) analyse and export."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from explorer.tables import load_dataset

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and a traceback-free exit; keep one line
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m explorer", description="Axis Explorer command line.")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    validate = verbs.add_parser("validate", help="check the tables; print FILE:ROW:COLUMN: message per problem")
    validate.add_argument("--data", help="data folder (default: $EXPLORER_DATA or the bundled data/)")
    return parser


def run_validate(args: argparse.Namespace) -> int:
    result = load_dataset(args.data)
    for problem in result.problems:
        print(problem)
    data = result.dataset
    print(f"{len(result.problems)} problems; {len(data.actors)} actors, {len(data.relations)} relations, "
          f"{len(data.sources)} sources, {len(data.evidence)} evidence rows valid")
    return EXIT_PROBLEMS if result.problems else EXIT_OK


VERBS = {"validate": run_validate}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return VERBS[args.verb](args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the CLI never shows a traceback; the message says what went wrong
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_USAGE

"""`coopgraph check`: run the quality-check queries of queries/checks/ (ROBOT verify style).

Each rule prints ``Rule NAME: N violation(s) [SEVERITY]`` and, when it has any, the violating
rows (with the source file where the rule knows the graph). Exit 1 when an ERROR rule (or,
with ``--fail-on warn``, a WARN rule) returned rows, 0 otherwise, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys

from rdflib import Literal

from coopgraph.checks import select_rules
from coopgraph.commands.common import load_from_args
from coopgraph.commands.output import format_table
from coopgraph.commands.validate import quiet_literal_warnings
from coopgraph.errors import EXIT_CHECK_FAILED, EXIT_OK
from coopgraph.loader import open_layout
from coopgraph.resources import data_root
from coopgraph.results import QueryResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register --fail-on, --rule, --format and --list."""
    parser.add_argument(
        "--fail-on",
        choices=("error", "warn"),
        default="error",
        help="exit 1 when a rule of this severity or worse has violations (default: error)",
    )
    parser.add_argument(
        "--rule", action="append", metavar="NAME", help="run only this rule (repeatable; default: every rule)"
    )
    parser.add_argument("-f", "--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--list", action="store_true", help="list the rules with their severity and description, and exit")


def run(args: argparse.Namespace) -> int:
    """Run the rules, print each with its rows, and return the exit code."""
    layout = open_layout(args.data if args.data is not None else data_root())
    rules = select_rules(layout, args.rule)
    if args.list:
        for rule in rules:
            print(f"{rule.name} [{rule.severity}]: {rule.description}")
        return EXIT_OK
    with quiet_literal_warnings():  # date-bounds-mismatch reports an ill-typed date better
        if any(rule.reasoning for rule in rules):
            kg = load_from_args(args)  # reasoned, from the cache when the inputs did not change
        else:
            kg = load_from_args(args, reason=False)  # no rule needs the inferences: skip reasoning
        report = kg.check(rules=[rule.name for rule in rules])
    if args.format == "json":
        sys.stdout.write(report.to_json())
    else:
        out: list[str] = []
        for result in report.results:
            out.append(f"Rule {result.name}: {len(result)} violation(s) [{result.severity}]")
            if len(result):
                out.append(_indent(format_table(_with_files(result.result, result.source_files))))
        out.append(report.summary())
        sys.stdout.write("\n".join(out) + "\n")
    return EXIT_CHECK_FAILED if report.failed(args.fail_on) else EXIT_OK


def _with_files(result: QueryResult, files: list[str | None]) -> QueryResult:
    """The rows with a ``source_file`` column first, when the rule binds the graph."""
    if not any(files):
        return result
    return QueryResult(
        kind="SELECT",
        variables=["source_file"] + [v for v in result.variables],
        bindings=[(Literal(f) if f else None,) + tuple(row) for row, f in zip(result.bindings, files)],
    )


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else line for line in text.rstrip("\n").split("\n"))

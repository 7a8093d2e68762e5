"""`coopgraph sparql`: run an ad-hoc SPARQL query given as text, a file, or ``-`` (stdin)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coopgraph.commands.common import load_from_args
from coopgraph.commands.output import FORMATS, write_result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the query text argument and the output format."""
    parser.add_argument("text", metavar="QUERY", help="SPARQL text, a .rq file, or - to read stdin")
    parser.add_argument("-f", "--format", choices=FORMATS, default="table", help="output format (default: table)")


def read_query_text(value: str) -> str:
    """Return the SPARQL text for ``value``: stdin for ``-``, a file's content, or the text itself."""
    if value == "-":
        return sys.stdin.read()
    path = Path(value)
    if len(value) < 4096 and "\n" not in value and path.suffix in (".rq", ".sparql") and path.is_file():
        return path.read_text(encoding="utf-8")
    return value


def run(args: argparse.Namespace) -> int:
    """Run the query over the union of all graphs and print the answer."""
    text = read_query_text(args.text)
    kg = load_from_args(args)
    write_result(kg.sparql(text), args.format, sys.stdout)
    return 0

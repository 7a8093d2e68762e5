"""`coopgraph query NAME -p key=value ...`: run a stored query."""

from __future__ import annotations

import argparse
import sys

from coopgraph.commands.common import load_from_args
from coopgraph.commands.output import FORMATS, write_result
from coopgraph.errors import ParameterError
from coopgraph.loader import open_layout
from coopgraph.queries import QueryCatalog
from coopgraph.resources import data_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the query name, its parameters and the output format."""
    parser.add_argument("name", help="the stored query (see `coopgraph queries`)")
    parser.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE",
        help="a parameter value; repeat for several (IRIs as cgr:name, <https://...> or bare name)",
    )
    parser.add_argument("-f", "--format", choices=FORMATS, default="table", help="output format (default: table)")


def parse_params(pairs: list[str]) -> dict[str, str]:
    """Turn ``["key=value", ...]`` into a dict; a pair without ``=`` is a :class:`ParameterError`."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"parameter {pair!r} is not KEY=VALUE")
        if key.strip() in params:
            raise ParameterError(f"parameter {key.strip()!r} is given twice")
        params[key.strip()] = value
    return params


def run(args: argparse.Namespace) -> int:
    """Check the name and parameters before loading the graph, then run and print the answer."""
    params = parse_params(args.param)
    layout = open_layout(args.data if args.data else data_root())
    stored = QueryCatalog(layout.queries_dir).get(args.name)
    stored.bindings(params)  # fail fast on a bad parameter, before the graph is loaded
    kg = load_from_args(args)
    write_result(kg.query(args.name, **params), args.format, sys.stdout)
    return 0

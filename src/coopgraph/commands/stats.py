"""`coopgraph stats`: triples per named graph and resources per class."""

from __future__ import annotations

import argparse
import sys

from coopgraph.commands.common import load_from_args
from coopgraph.commands.output import FORMATS, write_result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the output format."""
    parser.add_argument("-f", "--format", choices=FORMATS, default="table", help="output format (default: table)")


def run(args: argparse.Namespace) -> int:
    """Print the two statistics tables."""
    kg = load_from_args(args)
    if args.format == "table":
        print("Triples per named graph")
    write_result(kg.query("stats-graphs"), args.format, sys.stdout)
    if args.format == "table":
        print("\nResources per class (asserted)")
    else:
        sys.stdout.write("\n")
    write_result(kg.query("stats-classes"), args.format, sys.stdout)
    if args.format == "table":
        print(f"\nInferences (cgg:inferred) by: {kg.reasoner or 'unknown (not recorded by this store)'}")
    return 0

"""`coopgraph sources`: list the source documents of the corpus."""

from __future__ import annotations

import argparse
import sys

from coopgraph.commands.common import load_from_args
from coopgraph.commands.output import FORMATS, write_result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the output format."""
    parser.add_argument("-f", "--format", choices=FORMATS, default="table", help="output format (default: table)")


def run(args: argparse.Namespace) -> int:
    """Print the catalog: one row per source document."""
    kg = load_from_args(args)
    write_result(kg.query("sources"), args.format, sys.stdout)
    return 0

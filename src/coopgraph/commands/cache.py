"""`coopgraph cache`: not built yet."""

from __future__ import annotations

import argparse

from coopgraph.errors import NotBuiltYet


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the options of this subcommand (none yet)."""


def run(args: argparse.Namespace) -> int:
    """Say plainly that this subcommand is not built yet (exit 2)."""
    raise NotBuiltYet("'coopgraph cache' is not built yet")

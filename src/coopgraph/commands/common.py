"""Helpers shared by the subcommands: loading the graph the global options ask for."""

from __future__ import annotations

import argparse

from coopgraph.kg import KnowledgeGraph, load


def load_from_args(args: argparse.Namespace) -> KnowledgeGraph:
    """Load the knowledge graph named by the global ``--data`` option (packaged data by default)."""
    return load(args.data, cache=not args.no_cache)

"""Helpers shared by the subcommands: loading the graph the global options ask for."""

from __future__ import annotations

import argparse

from coopgraph.kg import KnowledgeGraph, load


def load_from_args(args: argparse.Namespace, *, reason: bool = True) -> KnowledgeGraph:
    """Load the graph named by the global options (``--data``, ``--no-cache``; the store is set by ``cli.main``).

    ``reason=False`` skips OWL-RL reasoning, for commands that only need the asserted graphs.
    """
    return load(args.data, reason=reason, cache=not args.no_cache)

"""Helpers shared by the subcommands: loading the graph the global options ask for."""

from __future__ import annotations

import argparse

from coopgraph.kg import KnowledgeGraph, load


def load_from_args(args: argparse.Namespace, *, reason: bool = True, reasoner: str | None = None) -> KnowledgeGraph:
    """Load the graph the global options name (``--data``, ``--no-cache``, ``--reasoner``,
    ``--store``, ``--store-path``, ``--endpoint``).

    ``reason=False`` skips OWL-RL reasoning, for commands that only need the asserted graphs;
    ``reasoner`` overrides the global ``--reasoner``.
    """
    return load(
        args.data,
        reason=reason,
        cache=not args.no_cache,
        reasoner=reasoner or getattr(args, "global_reasoner", None) or "auto",
        store=getattr(args, "store", None),
        store_path=getattr(args, "store_path", None),
        endpoint=getattr(args, "endpoint", None),
    )

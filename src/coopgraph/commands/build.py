"""`coopgraph build --store oxigraph DIR`: load and reason once into a persistent Oxigraph store.

Later commands open the store without parsing anything::

    coopgraph build --store oxigraph ~/cg-store
    coopgraph --store oxigraph --store-path ~/cg-store query timeline -p about=dresden-jinan-office

A build with unchanged inputs does nothing (``--force`` rebuilds).
"""

from __future__ import annotations

import argparse
import sys

from coopgraph.loader import open_layout
from coopgraph.resources import data_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the store kind, the target folder, the reasoner and --force."""
    parser.add_argument("--store", dest="build_store", choices=("oxigraph",), default="oxigraph",
                        help="the kind of store to build (default: oxigraph)")
    parser.add_argument("directory", metavar="DIR", help="the folder of the store (created if missing)")
    parser.add_argument("--reasoner", choices=("fast", "owlrl", "none"), default="fast",
                        help="fast: the rule-based path (default); owlrl: the full OWL 2 RL reference (slow); none")
    parser.add_argument("--force", action="store_true", help="rebuild even when the inputs did not change")


def run(args: argparse.Namespace) -> int:
    """Build the store and print what it holds."""
    from coopgraph.stores.oxigraph_store import build_oxigraph

    layout = open_layout(args.data if args.data else data_root())
    meta = build_oxigraph(layout, args.directory, reasoner=args.reasoner, force=args.force)
    if not meta.get("rebuilt"):
        why = "; its graphs are unchanged, only the shapes or source texts changed" if meta.get("graphs_unchanged") else ""
        print(f"{args.directory}: up to date ({meta['triples']} triples, built {meta.get('built', '?')}{why})")
        return 0
    seconds = meta.get("seconds", {})
    print(
        f"{args.directory}: {len(meta['graphs'])} named graphs, {meta['triples']} triples "
        f"({meta['inferred']} inferred by {meta['reasoner']}, {meta.get('corroborated', 0)} facts in the "
        f"corroboration index); load {seconds.get('load', 0):.2f} s, reasoning {seconds.get('reason', 0):.2f} s, "
        f"corroboration index {seconds.get('corroboration', 0):.2f} s, "
        f"graph statistics {seconds.get('count', 0):.2f} s, compaction {seconds.get('optimize', 0):.2f} s",
        file=sys.stdout,
    )
    return 0

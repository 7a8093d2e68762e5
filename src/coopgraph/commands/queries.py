"""`coopgraph queries`: list the stored queries with their summaries and parameters."""

from __future__ import annotations

import argparse
import json
import sys

from coopgraph.kg import KnowledgeGraph
from coopgraph.loader import open_layout
from coopgraph.queries import QueryCatalog
from coopgraph.resources import data_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the output options."""
    parser.add_argument("-v", "--verbose", action="store_true", help="also show descriptions and tags")
    parser.add_argument("--json", action="store_true", help="print the metadata as JSON")


def run(args: argparse.Namespace) -> int:
    """Print one line per stored query (name, summary, parameters); no graph needs loading."""
    layout = open_layout(args.data if args.data else data_root())
    stored = QueryCatalog(layout.queries_dir).all()
    if args.json:
        document = [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "params": [
                    {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                     "example": p.example, "description": p.description}
                    for p in q.params
                ],
            }
            for q in stored
        ]
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max((len(q.name) for q in stored), default=0)
    for q in stored:
        print(f"{q.name.ljust(width)}  {q.summary}")
        for p in q.params:
            detail = "required" if p.required else (f"default {p.default}" if p.default else "optional")
            print(f"{'':{width}}    -p {p.name}=<{p.type}>  ({detail}) {p.description}")
        if args.verbose:
            print(f"{'':{width}}    {q.description}")
            if q.tags:
                print(f"{'':{width}}    tags: {', '.join(q.tags)}")
    return 0


__all__ = ["KnowledgeGraph", "add_arguments", "run"]

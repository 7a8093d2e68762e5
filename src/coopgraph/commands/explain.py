"""`coopgraph explain LABEL_OR_IRI`: every fact about a resource, grouped by source, with quotes."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

from rdflib import URIRef

from coopgraph.commands.common import load_from_args
from coopgraph.namespaces import prefixed_name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the resource argument and the output format."""
    parser.add_argument("resource", help="an IRI, a prefixed name (cgr:dresden-jinan-office) or a label in any language")
    parser.add_argument("--json", action="store_true", help="print the facts as JSON")


def _show(value: object) -> str:
    text = str(value)
    return prefixed_name(text) if text.startswith(("http://", "https://")) else text


def run(args: argparse.Namespace) -> int:
    """Print the facts grouped by source graph; each fact once, with the quotes behind it."""
    kg = load_from_args(args)
    rows = kg.provenance(args.resource)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    resource = kg.resolve(args.resource)[0]
    print(f"{prefixed_name(resource)}")
    facts: dict[str, dict[tuple[str, str, str], list[tuple[int, int, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        key = (row["subject"], row["predicate"], str(row["object"]))
        quotes = facts[row["g"]][key]
        if row["quote"] is not None and (row["start"], row["end"], row["quote"]) not in quotes:
            quotes.append((row["start"], row["end"], row["quote"]))
    for graph in sorted(facts):
        print(f"\n== {_show(graph)}")
        shown_quotes: set[str] = set()
        for (subject, predicate, obj), quotes in sorted(facts[graph].items()):
            who = "" if URIRef(subject) == resource else f"{_show(subject)} "
            print(f"  {who}{_show(predicate)} {_show(obj)}")
            for start, end, quote in sorted(quotes):
                if quote not in shown_quotes:
                    shown_quotes.add(quote)
                    # code-point offsets into the source text, start inclusive, end exclusive
                    print(f"      \u201c{quote}\u201d  [chars {start}\u2013{end}]")
    return 0

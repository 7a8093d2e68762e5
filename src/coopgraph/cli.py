"""The ``coopgraph`` command line.

Exit codes: 0 success; 1 the data or the answer failed a check (validation, quality rules);
2 usage or input error (unknown query, bad parameter, unparsable file, missing folder).

argparse (standard library) keeps the install small and the start-up fast; each subcommand
lives in its own module under :mod:`coopgraph.commands` with ``add_arguments`` and ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from typing import Sequence

from coopgraph import __version__
from coopgraph.errors import EXIT_USAGE, CoopgraphError
from coopgraph.kg import AUTO_OWLRL_BYTES, REASONERS

#: subcommand -> (module under coopgraph.commands, one-line description)
COMMANDS: dict[str, tuple[str, str]] = {
    "queries": ("queries", "list the stored queries with their summaries and parameters"),
    "query": ("query", "run a stored query by name, with -p NAME=VALUE parameters"),
    "sparql": ("sparql", "run an ad-hoc SPARQL query (text, file, or - for stdin)"),
    "explain": ("explain", "every fact about a resource, grouped by source, with its quote"),
    "sources": ("sources", "list the source documents of the corpus"),
    "stats": ("stats", "summary statistics: triples per graph, resources per class"),
    "validate": ("validate", "validate the data against the SHACL shapes"),
    "check": ("check", "run the quality-check queries (ROBOT verify style)"),
    "export": ("export", "export the graph as Turtle, TriG, N-Quads or JSON-LD"),
    "cache": ("cache", "show or clear the cache of reasoned datasets"),
    "build": ("build", "build a persistent on-disk store (Oxigraph) from the data"),
    "push": ("push", "upload the named graphs to a SPARQL 1.1 Graph Store endpoint"),
}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="coopgraph",
        description="Query, check and export the coopgraph knowledge graph of Sino-German and "
        "Sino-European industrial cooperation.",
        epilog="Exit codes: 0 ok, 1 a check failed, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"coopgraph {__version__}")
    parser.add_argument("--data", metavar="DIR", help="use this data folder instead of the packaged data")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the reasoning cache")
    parser.add_argument(
        "--reasoner", dest="global_reasoner", choices=REASONERS, default="auto",
        help="the reasoner of the memory store: owlrl (the reference), fast (the entailments the "
        "ontology relies on; the same rows for every stored query) or auto (default: owlrl while "
        f"the data files hold at most {AUTO_OWLRL_BYTES / 1e6:g} MB, else fast)",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    parser.add_argument(
        "--store", choices=("memory", "oxigraph", "sparql"), default=None,
        help="where the graph lives: memory (rdflib, default), oxigraph (a folder made by "
        "`coopgraph build`, see --store-path) or sparql (an endpoint filled by `coopgraph push`, see --endpoint)",
    )
    parser.add_argument("--store-path", metavar="DIR", help="the Oxigraph store folder (with --store oxigraph)")
    parser.add_argument("--endpoint", metavar="URL", help="the SPARQL 1.1 query endpoint (with --store sparql)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (module_name, summary) in COMMANDS.items():
        module = importlib.import_module(f"coopgraph.commands.{module_name}")
        sub = subparsers.add_parser(name, help=summary, description=summary)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``coopgraph`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.store is None and (args.store_path or args.endpoint):
            args.store = "oxigraph" if args.store_path else "sparql"
        return int(args.run(args) or 0)
    except CoopgraphError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"coopgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. `coopgraph query ... | head`
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""`coopgraph push URL`: upload every named graph to a SPARQL 1.1 Graph Store endpoint.

Each graph goes up with ``PUT URL?graph=<graph IRI>`` as N-Triples (replacing what the
endpoint held in that graph), the inferences included. Example with Oxigraph's server::

    oxigraph serve --location /tmp/cg --bind 127.0.0.1:7878 --union-default-graph
    coopgraph push http://127.0.0.1:7878/store
    coopgraph --store sparql --endpoint http://127.0.0.1:7878/query query timeline
"""

from __future__ import annotations

import argparse
import sys

from coopgraph.commands.common import load_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the Graph Store URL and the options."""
    parser.add_argument("url", metavar="URL", help="the Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store")
    parser.add_argument(
        "--default-graph", action="store_true",
        help="also copy every triple into the endpoint's default graph (for endpoints whose "
        "default graph is not the union of the named graphs)",
    )
    parser.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                        help="timeout of each HTTP request (default: 300)")
    parser.add_argument("--reasoner", choices=("fast", "owlrl"), default="fast",
                        help="the inferences to push when the graph is loaded from files (default: fast)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    """Load the graph (reasoned, from the cache, or from the --store given) and upload it graph by graph."""
    from coopgraph.stores.sparql_store import push

    kg = load_from_args(args, reasoner=args.reasoner)
    names = kg.graph_names()

    def progress(name, size):
        if not args.quiet:
            print(f"PUT {name} ({size} bytes)", file=sys.stderr)

    count = push(((name, kg.store.ntriples(name)) for name in names), args.url,
                 default_graph=args.default_graph, timeout=args.timeout, progress=progress)
    if not args.quiet:
        print(f"pushed {count} named graphs to {args.url}")
    return 0

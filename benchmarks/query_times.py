"""Time every stored query on a built Oxigraph store (opened read-only) or on the memory store.

    python benchmarks/query_times.py --store-path /tmp/bench/store1m            # all queries, 5 runs
    python benchmarks/query_times.py --store-path DIR --only zones,figures --runs 3
    python benchmarks/query_times.py --memory                                     # shipped data, rdflib
    python benchmarks/query_times.py --store-path DIR --save rows.json            # also keep the rows
    python benchmarks/query_times.py --memory --examples -p figures:about=cgr:x   # other parameters

The queries are read from ``--queries`` (default: this repository's ``queries/``), not from
the corpus the store was built from, so an edited query is timed as it is now. Each run goes
the way of the command line: ``KnowledgeGraph.query`` (the QueryCatalog, engine-bound
parameters) and the conversion of every row to plain Python values (``QueryResult.rows``).
Parameters: BENCH_PARAMS of ``benchmarks/run.py`` for the synthetic corpora (``--memory``:
the header examples of the required parameters). Prints a Markdown table of the median
seconds and the row counts. ``--save`` writes each query's rows as a sorted list (for
before/after comparisons: ``--compare OTHER.json``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from run import BENCH_PARAMS  # noqa: E402


def _key(row: dict) -> str:
    return json.dumps([[k, None if v is None else f"{type(v).__name__}:{v}"] for k, v in row.items()], ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-path", help="a store built by `coopgraph build --store oxigraph`")
    parser.add_argument("--memory", action="store_true", help="the shipped data in the memory store (rdflib)")
    parser.add_argument("--queries", default=str(HERE.parent / "queries"), help="folder of the stored queries")
    parser.add_argument("--only", help="comma-separated query names")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--save", help="write the sorted rows of each query to this JSON file")
    parser.add_argument("--compare", help="compare the rows with those saved in this JSON file")
    parser.add_argument("--examples", action="store_true",
                        help="bind every parameter that has an example to it (default: BENCH_PARAMS / required only)")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="QUERY:NAME=VALUE",
                        help="bind a parameter of one query (repeatable; replaces that query's other parameters)")
    args = parser.parse_args(argv)

    import coopgraph
    from coopgraph.kg import KnowledgeGraph
    from coopgraph.queries import QueryCatalog

    if args.memory:
        kg = coopgraph.load()
        params_of = lambda q: {p.name: p.example for p in q.params if p.required}  # noqa: E731
    elif args.store_path:
        from coopgraph.loader import open_layout
        from coopgraph.resources import data_root
        from coopgraph.stores.oxigraph_store import OxigraphStore

        kg = KnowledgeGraph(None, open_layout(data_root()), OxigraphStore(args.store_path))
        params_of = lambda q: BENCH_PARAMS.get(q.name) or {p.name: p.example for p in q.params if p.required}  # noqa: E731
    else:
        parser.error("give --store-path DIR or --memory")
    kg.__dict__["catalog"] = QueryCatalog(Path(args.queries))
    given: dict[str, dict[str, str]] = {}
    for item in args.param:
        query, _, assignment = item.partition(":")
        name, _, value = assignment.partition("=")
        given.setdefault(query, {})[name] = value
    if args.examples:
        params_of = lambda q: {p.name: p.example for p in q.params if p.example}  # noqa: E731
    names = args.only.split(",") if args.only else kg.catalog.names()
    saved: dict[str, list[str]] = {}
    print("| query | median s | rows |\n|---|---:|---:|", flush=True)
    for name in names:
        stored = kg.catalog.get(name)
        params = given[name] if name in given else params_of(stored)
        times = []
        rows: list[dict] = []
        for _ in range(args.runs):
            start = time.perf_counter()
            rows = kg.query(name, **params).rows
            times.append(time.perf_counter() - start)
        saved[name] = sorted(_key(r) for r in rows)
        print(f"| {name} | {statistics.median(times):.3f} | {len(rows)} |", flush=True)
    if args.save:
        Path(args.save).write_text(json.dumps(saved, indent=0, ensure_ascii=False), encoding="utf-8")
    status = 0
    if args.compare:
        other = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        for name in names:
            if name not in other:
                continue
            same = other[name] == saved[name]
            status |= not same
            print(f"{name}: {'same rows' if same else 'ROWS DIFFER'} ({len(other[name])} vs {len(saved[name])})")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark coopgraph on synthetic corpora: load, reasoning, validation, stored queries, export, memory.

    python benchmarks/run.py --sizes 10k,100k,1m

For every size a corpus is generated (benchmarks/corpora/<size>/, reused when present) and
three pipelines run, each in its own process (so peak memory is its own and a hung phase can
be stopped), phases in this order:

* ``plain``    - the plain rdflib + owlrl + pyshacl pipeline: rdflib parses the Turtle,
                 owlrl closes it (skipped above --owlrl-cap asserted triples, where it does
                 not finish: the skip is reported), rdflib answers the queries;
* ``memory``   - coopgraph's memory store with the fast reasoner (coopgraph.fastreason);
* ``oxigraph`` - coopgraph's on-disk store: ``build_oxigraph`` (pyoxigraph parse + bulk load,
                 fast reasoner, compaction), queries on the built store opened read-only;
                 its "load" is the whole build but the reasoning (the corroboration
                 index included; the memory pipeline's "load" includes it too);
* ``sparql``   - the oxigraph pipeline's build, then ``push`` of every named graph (Graph
                 Store Protocol) to a real Oxigraph server started on 127.0.0.1 (PyPI
                 package ``oxigraph``; "load" includes the push), then validation, export and
                 queries through coopgraph's sparql store over HTTP.

The plain and memory pipelines then validate with pyshacl (the union of the asserted graphs
against ontology/shapes.ttl, inference none); the oxigraph pipeline validates on the store
with coopgraph's SPARQL engine (the shapes compiled to SPARQL, per-file passes, the same
results as pyshacl), the sparql pipeline the same on a copy of the data files' graphs read
from the endpoint. Each pipeline exports
N-Quads (oxigraph and sparql: ``coopgraph.export`` of the asserted graphs to a file, read
graph by graph from the store or the endpoint), and answers each stored query (median of --repeat runs,
parameters from BENCH_PARAMS, else only the required ones; a single run when the first takes over 10 s, a run stopped after --query-cap seconds, none
once --query-budget seconds are spent). "pipeline" = load + reason + validate. Results go to benchmarks/out/ as JSON and
Markdown. A pipeline that runs past --timeout is stopped and reported with the phases it
finished.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

PIPELINES = ("plain", "memory", "oxigraph", "sparql")
SKIP: set[str] = set()  # --skip: stored queries not to run (SIGALRM cannot stop a query inside Oxigraph)

#: parameters for the synthetic corpus (the examples in the .rq headers name real resources);
#: optional parameters are left out, so every query answers over the whole graph
BENCH_PARAMS = {
    "events-of-agent": {"agent": "synth-person-1"},
    "provenance": {"resource": "synth-zone-1"},
    "search-label": {"text": "Company 1"},
    "timeline": {"about": "synth-zone-1"},
    "figures": {"about": "synth-zone-1"},
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- worker (one pipeline, in its own process) -----------------------------------------------
class Recorder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict = {"phases": {}, "queries": {}, "notes": []}
        self.started = time.perf_counter()

    def save(self) -> None:
        self.data["peak_mb"] = round(peak_mb(), 1)
        self.data["elapsed"] = round(time.perf_counter() - self.started, 3)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, default=str))
        os.replace(tmp, self.path)

    def phase(self, name: str, seconds: float | None, note: str | None = None) -> None:
        self.data["phases"][name] = None if seconds is None else round(seconds, 3)
        if note:
            self.data["notes"].append(f"{name}: {note}")
        self.save()


def _validate(graph, layout) -> tuple[float, bool]:
    import pyshacl
    from rdflib import Graph

    shapes = Graph().parse(layout.shapes_file, format="turtle")
    start = time.perf_counter()
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    return time.perf_counter() - start, bool(conforms)


def _union_of_asserted(dataset):
    from rdflib import Graph

    from coopgraph.namespaces import DERIVED_GRAPHS

    union = Graph()
    for ctx in dataset.contexts():
        if ctx.identifier not in DERIVED_GRAPHS:
            union += ctx
    return union


class QueryTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise QueryTimeout()


def _queries(rec: Recorder, kg, repeat: int, budget: float, cap: float) -> None:
    import signal

    signal.signal(signal.SIGALRM, _alarm)
    spent = 0.0
    for stored in kg.queries():
        params = BENCH_PARAMS.get(stored.name) or {p.name: p.example for p in stored.params if p.required}
        if stored.name in SKIP:
            rec.data["queries"][stored.name] = {"median": None, "note": "skipped (--skip)"}
            continue
        if spent > budget:
            rec.data["queries"][stored.name] = {"median": None, "note": "skipped: query budget spent"}
            continue
        times = []
        rows = 0
        stopped = False
        for _ in range(repeat):
            start = time.perf_counter()
            signal.alarm(int(cap))
            try:
                rows = len(kg.query(stored.name, **params))
            except QueryTimeout:
                stopped = True
            finally:
                signal.alarm(0)
            times.append(time.perf_counter() - start)
            spent += times[-1]
            if stopped or times[0] > 10:
                break
        if stopped:
            rec.data["queries"][stored.name] = {"median": None, "note": f"stopped after {cap:.0f} s"}
            rec.data["notes"].append(f"{stored.name} stopped after {cap:.0f} s")
        else:
            rec.data["queries"][stored.name] = {"median": round(statistics.median(times), 4), "runs": len(times),
                                                "rows": rows}
        rec.save()


def worker(pipeline: str, data: Path, result: Path, repeat: int, owlrl_cap: int, budget: float, cap: float) -> None:
    import coopgraph
    from coopgraph.kg import KnowledgeGraph
    from coopgraph.loader import open_layout, read_dataset

    rec = Recorder(result)
    rec.data["pipeline"] = pipeline
    layout = open_layout(data)
    if pipeline in ("plain", "memory"):
        start = time.perf_counter()
        dataset = read_dataset(layout)
        rec.phase("load", time.perf_counter() - start)
        asserted = sum(len(c) for c in dataset.contexts())
        rec.data["asserted"] = asserted
        start = time.perf_counter()
        if pipeline == "memory":
            from coopgraph.fastreason import add_fast_inferences

            inferred = add_fast_inferences(dataset)
            rec.data["inferred"] = inferred
            rec.phase("reason", time.perf_counter() - start)
        elif asserted > owlrl_cap:
            rec.phase("reason", None, f"owlrl not run: {asserted} asserted triples > cap {owlrl_cap}")
        else:
            from coopgraph.reasoning import add_inferences

            # said before owlrl starts, so that a stopped run shows how far it got and when
            rec.data["notes"].append(f"owlrl started {time.perf_counter() - rec.started:.1f} s into the pipeline")
            rec.save()
            rec.data["inferred"] = add_inferences(dataset)
            rec.phase("reason", time.perf_counter() - start)
        if pipeline == "memory":
            # coopgraph's memory store also computes the corroboration index and the graph
            # statistics when it loads; counted in "load", as the oxigraph build counts them (the
            # plain stack has neither: its corroborated-facts, sources and stats-graphs count from
            # the graphs, and stats-graphs lists two graphs less)
            from coopgraph.kg import add_derived_graphs

            start = time.perf_counter()
            add_derived_graphs(dataset)
            index_seconds = time.perf_counter() - start
            rec.data["index_seconds"] = round(index_seconds, 3)
            rec.phase("load", rec.data["phases"]["load"] + index_seconds)
        start = time.perf_counter()
        union = _union_of_asserted(dataset)
        seconds, conforms = _validate(union, layout)
        rec.data["conforms"] = conforms
        rec.phase("validate", time.perf_counter() - start)
        del union
        start = time.perf_counter()
        dataset.serialize(format="nquads")
        rec.phase("export", time.perf_counter() - start)
        _queries(rec, KnowledgeGraph(dataset, layout), repeat, budget, cap)
        return
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        kg = _build(rec, layout, data, Path(tmp) / "store")
        if pipeline == "oxigraph":
            from coopgraph.export import export

            _validate_store(rec, kg, Path(tmp) / "cache")
            start = time.perf_counter()
            # coopgraph's canonical export of the asserted graphs to a file, as `coopgraph export
            # -o FILE` writes it (graph by graph; until 2026-12-06 this was the store's own dump)
            export(kg, format="nquads", destination=Path(tmp) / "export.nq")
            rec.phase("export", time.perf_counter() - start)
            _queries(rec, kg, repeat, budget, cap)
            kg.store.close()
            return
        _sparql_endpoint(rec, kg, data, Path(tmp), repeat, budget, cap)


def _build(rec: Recorder, layout, data: Path, store_path: Path):
    """``build_oxigraph``, load and reason timed apart; return the built store opened."""
    import coopgraph
    from coopgraph.namespaces import DERIVED_GRAPHS, GRAPH_INFERRED
    from coopgraph.stores.oxigraph_store import build_oxigraph

    start = time.perf_counter()
    meta = build_oxigraph(layout, store_path, reasoner="fast")
    build = time.perf_counter() - start
    computed = sum(meta["graphs"].get(str(g), 0) for g in DERIVED_GRAPHS if g != GRAPH_INFERRED)
    rec.data["asserted"] = meta["triples"] - meta["inferred"] - computed
    rec.data["inferred"] = meta["inferred"]
    # the whole build is counted: "load" is everything but the reasoning (parse, bulk
    # load, compaction, graph counts, swapping the folder in)
    rec.phase("load", build - meta["seconds"]["reason"])
    rec.phase("reason", meta["seconds"]["reason"])
    rec.data["build_seconds"] = {k: v for k, v in sorted(meta["seconds"].items())}
    return coopgraph.load(data, store="oxigraph", store_path=store_path)


def _validate_store(rec: Recorder, kg, cache_dir: Path | None = None) -> None:
    """coopgraph's own validation on ``kg``'s store: the SPARQL engine, per-file passes.

    The shapes compiled to SPARQL, the same results as pyshacl (tests/test_fast_validation.py):
    on an Oxigraph store the queries run in the store, on an endpoint in an in-memory copy of
    the data files' graphs read from it. "validate" is a run without the validation cache (a
    corpus validated for the first time). With ``cache_dir`` (an Oxigraph store) three runs
    through the cache follow, kept in that folder (``revalidate_seconds``): filling it, again
    with nothing changed, and with one source file changed (the digest the build recorded for
    it replaced, as after an edit of the file and a build: its pass and the cross-source pass run).
    """
    import hashlib

    start = time.perf_counter()
    report = kg.validate(engine="sparql", cache=False)
    rec.data["conforms"] = report.conforms
    rec.data["validation_results"] = len(report)
    rec.phase("validate", time.perf_counter() - start)
    if cache_dir is None:
        return
    os.environ["COOPGRAPH_CACHE_DIR"] = str(cache_dir)
    figures: dict[str, float] = {}
    for what in ("filling the cache", "nothing changed", "one source changed"):
        if what == "one source changed":
            files = kg.store.meta["files"]
            edited = next(name for name in sorted(files) if name.startswith("data/sources/"))
            files[edited] = hashlib.sha256(f"edited {files[edited]}".encode()).hexdigest()
        start = time.perf_counter()
        again = kg.validate(engine="sparql")
        figures[what] = round(time.perf_counter() - start, 3)
        if len(again) != len(report):
            rec.data["notes"].append(f"validation {what}: {len(again)} results, {len(report)} without the cache")
    rec.data["revalidate_seconds"] = figures
    rec.data["notes"].append("validation through the cache: " + ", ".join(f"{k} {v:.2f} s" for k, v in figures.items()))
    rec.save()


def _sparql_endpoint(rec: Recorder, local, data: Path, tmp: Path, repeat: int, budget: float, cap: float) -> None:
    """The sparql pipeline after the local build: push to an Oxigraph server; validate, export and query there.

    As a user would: ``coopgraph --store oxigraph --store-path DIR push --default-graph URL``
    (every named graph, the derived ones included, by the Graph Store Protocol), then
    ``coopgraph --store sparql --endpoint URL validate|export|query``. "load" is the local
    build's load plus the push; the server's own peak memory is reported apart (``server_peak_mb``).
    """
    import coopgraph
    from coopgraph.export import export
    from coopgraph.stores.sparql_store import push
    from oxigraph_server import oxigraph_server

    with oxigraph_server(tmp / "server") as server:
        base = server.url
        start = time.perf_counter()
        pushed = push(((name, local.store.ntriples(name)) for name in local.graph_names()), f"{base}/store",
                      default_graph=True)
        seconds = time.perf_counter() - start
        local.store.close()
        rec.data["pushed_graphs"] = pushed
        rec.data["push_seconds"] = round(seconds, 3)
        rec.phase("load", rec.data["phases"]["load"] + seconds,
                  f"{pushed} named graphs pushed in {seconds:.1f} s (counted in load)")
        kg = coopgraph.load(data, store="sparql", endpoint=f"{base}/query")
        _validate_store(rec, kg)
        start = time.perf_counter()
        export(kg, format="nquads", destination=tmp / "export.nq")  # coopgraph's export: the asserted graphs
        rec.phase("export", time.perf_counter() - start)
        _queries(rec, kg, repeat, budget, cap)
        # read from the server process itself (getrusage's children figure counts the forked
        # copy of this process as well)
        peak = server.peak_mb()
    if peak is not None:
        rec.data["server_peak_mb"] = round(peak, 1)
        rec.data["notes"].append(f"the server's peak memory {peak:.0f} MB")
    rec.save()


# -- driver -----------------------------------------------------------------------------------
def corpus(size: str, folder: Path) -> Path:
    from generate import generate, parse_size

    target = folder / size
    if (target / "SIZE").is_file():
        # a reused corpus gets the current ontology, shapes and stored queries: only the
        # synthetic data is worth keeping between runs, and stale queries would mislead
        for part in ("ontology", "queries"):
            shutil.rmtree(target / part, ignore_errors=True)
            shutil.copytree(HERE.parent / part, target / part)
        return target
    start = time.perf_counter()
    generate(parse_size(size), target)
    print(f"[{size}] generated corpus in {time.perf_counter() - start:.1f} s", flush=True)
    return target


def run_pipeline(pipeline: str, data: Path, out: Path, args) -> dict:
    result = out / f"{data.name}-{pipeline}.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--worker", pipeline, "--data", str(data), "--result", str(result),
           "--repeat", str(args.repeat), "--owlrl-cap", str(args.owlrl_cap), "--query-budget", str(args.query_budget),
           "--query-cap", str(args.query_cap), "--skip", args.skip]
    start = time.perf_counter()
    status = "ok"
    try:
        proc = subprocess.run(cmd, timeout=args.timeout, capture_output=True, text=True)
        if proc.returncode != 0:
            status = f"failed (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ''}"
    except subprocess.TimeoutExpired:
        status = f"stopped after {args.timeout:.0f} s"
    data_out = json.loads(result.read_text()) if result.is_file() else {"phases": {}, "queries": {}, "notes": []}
    data_out["status"] = status
    data_out["wall"] = round(time.perf_counter() - start, 1)
    return data_out


def fmt(value, digits=2) -> str:
    if value is None:
        return "–"
    if isinstance(value, (int, float)):
        return f"{value:.{digits}f}" if value < 100 else f"{value:.0f}"
    return str(value)


def pipeline_total(result: dict) -> float | None:
    phases = result.get("phases", {})
    if any(phases.get(k) is None for k in ("load", "reason", "validate")):
        return None
    return phases["load"] + phases["reason"] + phases["validate"]


def markdown(results: dict) -> str:
    lines = ["| size | pipeline | asserted | inferred | load s | reason s | validate s | load+reason+validate s | "
             "queries: max median s | queries: sum of medians s | export s | peak MB | status |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for size, by_pipeline in results.items():
        for pipeline, r in by_pipeline.items():
            medians = [q["median"] for q in r.get("queries", {}).values() if q.get("median") is not None]
            ph = r.get("phases", {})
            lines.append(
                f"| {size} | {pipeline} | {r.get('asserted', '–')} | {r.get('inferred', '–')} | {fmt(ph.get('load'))} | "
                f"{fmt(ph.get('reason'))} | {fmt(ph.get('validate'))} | {fmt(pipeline_total(r))} | "
                f"{fmt(max(medians) if medians else None, 3)} | {fmt(sum(medians) if medians else None, 3)} | "
                f"{fmt(ph.get('export'))} | {fmt(r.get('peak_mb'), 0)} | {r.get('status')}"
                + ("; " + "; ".join(r["notes"]) if r.get("notes") else "") + " |"
            )
    lines.append("")
    for size, by_pipeline in results.items():
        names = sorted({q for r in by_pipeline.values() for q in r.get("queries", {})})
        lines.append(f"Stored queries at {size} (median seconds; rows):")
        lines.append("")
        lines.append("| query | " + " | ".join(by_pipeline) + " |")
        lines.append("|---|" + "---:|" * len(by_pipeline))
        for name in names:
            cells = []
            for r in by_pipeline.values():
                q = r.get("queries", {}).get(name, {})
                cells.append(f"{fmt(q.get('median'), 3)} ({q.get('rows', '–')})" if q else "–")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
        plain, ox = by_pipeline.get("plain"), by_pipeline.get("oxigraph")
        if plain and ox and pipeline_total(ox):
            if pipeline_total(plain):
                lines.append(f"Ratio plain / oxigraph (load+reason+validate) at {size}: "
                             f"{pipeline_total(plain) / pipeline_total(ox):.1f}x")
            elif str(plain.get("status", "")).startswith("stopped"):
                lines.append(f"Ratio at {size}: the plain pipeline was stopped after {plain['wall']:.0f} s "
                             f"(see status/notes) before validating, so it takes longer than that: "
                             f">= {plain['wall'] / pipeline_total(ox):.1f}x")
            else:
                lines.append(f"Ratio at {size}: the plain pipeline did not finish (see status/notes).")
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated corpus sizes in asserted triples (10k,100k,1m)")
    parser.add_argument("--pipelines", default=",".join(PIPELINES))
    parser.add_argument("--repeat", type=int, default=5, help="runs per stored query (median)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per pipeline and size")
    parser.add_argument("--owlrl-cap", type=int, default=150_000, help="largest asserted size owlrl is run on")
    parser.add_argument("--query-budget", type=float, default=300, help="seconds of query time per pipeline")
    parser.add_argument("--query-cap", type=float, default=60, help="seconds after which one query run is stopped")
    parser.add_argument("--skip", default="", help="comma-separated stored queries not to run")
    parser.add_argument("--corpora", type=Path, default=HERE / "corpora")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    SKIP.update(q.strip() for q in args.skip.split(",") if q.strip())
    if args.worker:
        worker(args.worker, args.data, args.result, args.repeat, args.owlrl_cap, args.query_budget, args.query_cap)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        data = corpus(size, args.corpora)
        results[size] = {}
        for pipeline in [p.strip() for p in args.pipelines.split(",") if p.strip()]:
            print(f"[{size}] {pipeline} ...", flush=True)
            results[size][pipeline] = run_pipeline(pipeline, data, args.out, args)
            r = results[size][pipeline]
            print(f"[{size}] {pipeline}: {r['status']}, phases {r.get('phases')}, peak {r.get('peak_mb')} MB, "
                  f"wall {r['wall']} s", flush=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.out / f"results-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    table = markdown(results)
    (args.out / f"results-{stamp}.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()

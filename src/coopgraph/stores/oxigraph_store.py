"""The ``oxigraph`` store: pyoxigraph, persistent on disk.

``coopgraph build --store oxigraph DIR`` (or :func:`build_oxigraph`) parses every input file
once into its own named graph, adds the inferences into ``cgg:inferred`` and records what it
was built from in ``DIR/coopgraph-store.json``; later runs open ``DIR`` read-only and query
it without parsing anything. A second build with unchanged inputs does nothing.

Layout of ``DIR``::

    DIR/oxigraph/               the RocksDB files of the pyoxigraph store
    DIR/coopgraph-store.json    data folder, input hash, reasoner, graph sizes, timings

Queries see the union of the graphs by default, as on the memory store: the build also
writes every triple once into Oxigraph's default graph. (``use_default_graph_as_union=True``
would be cheaper on disk, but Oxigraph then repeats a triple once per graph that holds it,
and a query without GROUP BY/DISTINCT would return duplicate rows.) Parameters go in as
``substitutions`` where pyoxigraph accepts them (projected variables), else substituted as
terms at the token level (:mod:`coopgraph.stores.binding`): terms, never user text.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Mapping

from rdflib import Dataset, URIRef
from rdflib.term import Node

from coopgraph.errors import ParseError, SparqlSyntaxError, StoreError
from coopgraph.loader import DataLayout, new_dataset
from coopgraph.namespaces import GRAPH_INFERRED
from coopgraph.results import QueryResult
from coopgraph.sparql import INIT_NS
from coopgraph.stores.binding import substitute
from coopgraph.stores.terms import from_oxigraph, to_oxigraph

META_FILE = "coopgraph-store.json"
STORE_SUBDIR = "oxigraph"
REASONERS = ("fast", "owlrl", "none")


def _pyoxigraph():
    try:
        import pyoxigraph
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise StoreError("the oxigraph store needs pyoxigraph: pip install 'coopgraph[oxigraph]'") from exc
    return pyoxigraph


def input_key(layout: DataLayout, reasoner: str) -> str:
    """Hash of every input file, the reasoner and the software versions that shape the store."""
    from coopgraph.cache import cache_key

    ox = _pyoxigraph()
    return hashlib.sha256(f"{cache_key(layout)} {reasoner} pyoxigraph={ox.__version__}".encode()).hexdigest()


def read_meta(directory: str | Path) -> dict | None:
    """The metadata of a built store, or ``None`` when ``directory`` holds none."""
    try:
        return json.loads((Path(directory) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_oxigraph(layout: DataLayout, directory: str | Path, *, reasoner: str = "fast",
                   force: bool = False) -> dict:
    """Build (or leave alone, when up to date) an Oxigraph store of ``layout`` in ``directory``.

    Returns the metadata, with ``"rebuilt": False`` when nothing had to be done. The new
    store is written next to the old one and swapped in only when complete.
    """
    if reasoner not in REASONERS:
        raise StoreError(f"unknown reasoner {reasoner!r} (choose from {', '.join(REASONERS)})")
    ox = _pyoxigraph()
    directory = Path(directory).expanduser()
    key = input_key(layout, reasoner)
    meta = read_meta(directory)
    if meta and meta.get("key") == key and (directory / STORE_SUBDIR).is_dir() and not force:
        return {**meta, "rebuilt": False}
    if directory.exists() and not directory.is_dir():
        raise StoreError(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and meta is None:
        raise StoreError(f"{directory} is not empty and holds no coopgraph store; choose an empty or new folder")
    directory.mkdir(parents=True, exist_ok=True)
    staging = directory / f".{STORE_SUBDIR}-building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    store = ox.Store(str(staging))
    try:
        # Each file is parsed once (blank nodes renamed apart per file) and every triple is
        # written twice in one bulk pass: into the file's named graph and into the default
        # graph, which thereby holds the union as a set.
        store.bulk_extend(_quads(ox, layout))
        timings["load"] = time.perf_counter() - start
        start = time.perf_counter()
        inferred = reason_oxigraph(store, reasoner)
        timings["reason"] = time.perf_counter() - start
        store.flush()
        sizes = {str(g): n for g, n in _graph_sizes(store).items()}
    except BaseException:
        store = None
        shutil.rmtree(staging, ignore_errors=True)
        raise
    store = None  # closes the RocksDB files before the folder is renamed
    target = directory / STORE_SUBDIR
    old = directory / f".{STORE_SUBDIR}-old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    meta = {
        "format": 1,
        "key": key,
        "data": str(layout.root),
        "reasoner": reasoner,
        "inferred": inferred,
        "graphs": sizes,
        "triples": sum(sizes.values()),
        "seconds": {k: round(v, 3) for k, v in timings.items()},
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    tmp = directory / f".{META_FILE}.tmp"
    tmp.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, directory / META_FILE)
    return {**meta, "rebuilt": True}


def _quads(ox, layout: DataLayout):
    default = ox.DefaultGraph()
    for graph_file in layout.graph_files():
        graph = ox.NamedNode(str(graph_file.graph))
        try:
            for triple in ox.parse(path=str(graph_file.path), format=ox.RdfFormat.TURTLE,
                                   base_iri=graph_file.path.resolve().as_uri(), rename_blank_nodes=True):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)
                yield ox.Quad(triple.subject, triple.predicate, triple.object, default)
        except SyntaxError as exc:
            raise ParseError(str(graph_file.path), getattr(exc, "lineno", None), f"Turtle syntax error: {exc}") from exc


def reason_oxigraph(store, reasoner: str) -> int:
    """Put the inferences of ``reasoner`` into graph ``cgg:inferred`` of a pyoxigraph store."""
    ox = _pyoxigraph()
    target = ox.NamedNode(str(GRAPH_INFERRED))
    if store.contains_named_graph(target):
        raise StoreError("the store already holds inferences; build a new store instead")
    if reasoner == "none":
        return 0
    if reasoner == "fast":
        from coopgraph.fastreason import oxigraph_inferences

        triples = oxigraph_inferences(store, exclude=str(GRAPH_INFERRED))
    else:
        from coopgraph.reasoning import compute_inferences

        inferred = compute_inferences(_to_dataset(store))
        triples = {(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in inferred}
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(s, p, o, graph) for s, p, o in triples for graph in (target, default))
    return len(triples)


def _graph_sizes(store) -> dict[URIRef, int]:
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {URIRef(row["g"].value): int(row["n"].value) for row in result}


def _to_dataset(store) -> Dataset:
    dataset = new_dataset()
    for quad in store.quads_for_pattern(None, None, None, None):
        graph = from_oxigraph(quad.graph_name) if not _is_default(quad.graph_name) else None
        if graph is None:
            continue
        dataset.graph(graph).add((from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    return dataset


def _is_default(graph_name) -> bool:
    return type(graph_name).__name__ == "DefaultGraph"


class OxigraphStore:
    """A pyoxigraph store: opened from a built folder (read-only) or wrapping a given ``pyoxigraph.Store``."""

    kind = "oxigraph"

    def __init__(self, directory: str | Path | None = None, *, store=None, read_only: bool = True) -> None:
        ox = _pyoxigraph()
        self.directory = Path(directory).expanduser() if directory is not None else None
        if store is not None:
            self._store = store
            self.meta: dict = {}
            return
        if self.directory is None:
            raise StoreError("the oxigraph store needs a folder (--store-path DIR), built with `coopgraph build`")
        meta = read_meta(self.directory)
        if meta is None or not (self.directory / STORE_SUBDIR).is_dir():
            raise StoreError(
                f"{self.directory} holds no coopgraph Oxigraph store; build one with "
                f"`coopgraph build --store oxigraph {self.directory}`"
            )
        self.meta = meta
        path = str(self.directory / STORE_SUBDIR)
        try:
            self._store = ox.Store.read_only(path) if read_only else ox.Store(path)
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store in {path}: {exc}") from exc

    @property
    def raw(self):
        """The underlying ``pyoxigraph.Store``."""
        return self._store

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *, origin: str = "query",
              prepared=None) -> QueryResult:
        ox = _pyoxigraph()
        substitutions = {ox.Variable(name): to_oxigraph(term) for name, term in (bindings or {}).items()}
        try:
            try:
                result = self._store.query(text, prefixes=INIT_NS, substitutions=substitutions or None)
            except RuntimeError as exc:
                if not substitutions or "projection" not in str(exc):
                    raise StoreError(f"{origin}: the Oxigraph store failed: {exc}") from exc
                # pyoxigraph substitutes only projected variables; substitute the terms at the
                # token level instead (same SEP-0007 semantics, see coopgraph.stores.binding)
                result = self._store.query(substitute(text, bindings), prefixes=INIT_NS)
        except SyntaxError as exc:
            raise SparqlSyntaxError(f"{origin}: invalid SPARQL: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{origin}: the Oxigraph store failed: {exc}") from exc
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(kind="ASK", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            from rdflib import Graph

            graph = Graph()
            for triple in result:
                graph.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)))
            return QueryResult(kind="CONSTRUCT", graph=graph)
        variables = [v.value for v in result.variables]
        rows = [tuple(from_oxigraph(solution[i]) for i in range(len(variables))) for solution in result]
        return QueryResult(kind="SELECT", variables=variables, bindings=rows)

    def graph_names(self) -> list[URIRef]:
        return sorted(_graph_sizes(self._store))

    def graph_size(self, name: URIRef) -> int:
        return _graph_sizes(self._store).get(URIRef(name), 0)

    def ntriples(self, name: URIRef) -> bytes:
        ox = _pyoxigraph()
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))

    def to_dataset(self) -> Dataset:
        return _to_dataset(self._store)

    def close(self) -> None:
        self._store = None

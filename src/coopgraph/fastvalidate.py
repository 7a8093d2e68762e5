"""SHACL validation inside Oxigraph: the shapes compiled to SPARQL (:mod:`coopgraph.shacl_sparql`).

The same passes, results and report as :func:`coopgraph.validation.validate` with pyshacl,
which stays the reference (``tests/test_fast_validation.py`` compares the two on the shipped
data, on an Oxigraph store of it and on seeded random mutations of the data). This
engine answers at corpus scale: the compiled queries run over all graphs at once in Oxigraph
instead of one pyshacl run per file in Python.

On an Oxigraph store (``--store oxigraph``) the queries run on the store itself when every
file is validated; otherwise, and on a memory store or a SPARQL endpoint (``--store
sparql``), the graphs to check and the reference graphs are first copied into an in-memory
Oxigraph store. The results of each pass are kept in the validation cache
(:mod:`coopgraph.validation_cache`): a pass whose graphs did not change does not run again.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from coopgraph.errors import StoreError
from coopgraph.loader import GraphFile, parse_turtle
from coopgraph.namespaces import GRAPH_CATALOG, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_PLACES, SH
from coopgraph.shacl_sparql import Check, ShapeQuery, UnsupportedShape, compile_shapes
from coopgraph.stores.terms import from_oxigraph, to_oxigraph
from coopgraph.validation import (
    SEVERITY_NAMES,
    ValidationReport,
    ValidationResult,
    _build_report_graph,
    _dedupe,
    _pick_label,
    _relative,
    _select,
    load_shapes,
    short,
)

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.kg import KnowledgeGraph

__all__ = ["validate_fast", "compiled_checks", "UnsupportedShape"]


def compiled_checks(shapes_file: Path, ontology_file: Path) -> list[ShapeQuery]:
    """The compiled queries of a shapes file (raises :class:`UnsupportedShape` for constructs it cannot compile)."""
    shapes = load_shapes(shapes_file)
    return compile_shapes(shapes.graph, parse_turtle(ontology_file), shapes.scopes)


def _oxigraph_store(kg: "KnowledgeGraph", graphs: set[URIRef]):
    """An in-memory pyoxigraph copy of ``graphs`` of ``kg``'s store.

    An Oxigraph store's graphs are copied quad by quad; a memory store's term by term (its blank
    nodes keep their labels); a SPARQL endpoint's graph by graph as N-Triples (each response
    has its own blank nodes, as each graph pushed had).
    """
    if kg.store.kind not in ("oxigraph", "memory", "sparql"):
        raise StoreError(f"the sparql validation engine does not run on the {kg.store.kind} store")
    try:
        import pyoxigraph as ox
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise StoreError("the sparql validation engine needs pyoxigraph: pip install 'coopgraph[oxigraph]'") from exc
    from coopgraph.stores.oxigraph_store import copy_from_endpoint, copy_graphs

    if kg.store.kind == "oxigraph":
        return copy_graphs(kg.store.raw, sorted(graphs, key=str))
    if kg.store.kind == "sparql":
        return copy_from_endpoint(kg.store, sorted(graphs & set(kg.graph_names()), key=str))
    store = ox.Store()
    quads = []
    for graph in kg.dataset.graphs():
        name = graph.identifier
        if name not in graphs:
            continue
        target = ox.NamedNode(str(name))
        quads.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target) for s, p, o in graph)
    store.bulk_extend(quads)
    return store


#: the graphs every pass takes its types from (never the derived graphs, which are not validated)
_REFERENCE = frozenset({GRAPH_ONTOLOGY, GRAPH_CATALOG, GRAPH_PLACES})


def _stores(kg: "KnowledgeGraph", todo: list[GraphFile], union_over: set[URIRef] | None, every_file: bool,
            selected: int) -> tuple[object | None, object | None]:
    """The pyoxigraph stores to run the per-file checks of ``todo`` and the cross-source checks
    over ``union_over`` (``None``: not to run) in: (files' store, union's store).

    The queries read the files they check plus the reference graphs, so a copy of those
    answers the same as the whole store, and checking one file of a large corpus costs that file.
    An Oxigraph store is queried in place when every file is validated and the cross-source pass,
    or more than a quarter of the files, are to run (a copy of every source took 15 s at 1M
    triples, the cross-source queries in place 4.5 s); the copy keeps the cross-source pass to
    the chosen sources otherwise, as pyshacl's is.
    """
    todo_graphs = {gf.graph for gf in todo}
    if kg.store.kind == "oxigraph" and every_file:
        raw = kg.store.raw
        union_store = raw if union_over is not None else None
        if not todo:
            return None, union_store
        return (raw if 4 * len(todo) > selected else _oxigraph_store(kg, todo_graphs | _REFERENCE)), union_store
    shared = _oxigraph_store(kg, todo_graphs | (union_over or set()) | _REFERENCE)
    return (shared if todo else None), (shared if union_over is not None else None)


def validate_fast(kg: "KnowledgeGraph", *, sources: Iterable[str] | None = None, cache: bool = True) -> ValidationReport:
    """Validate ``kg`` with the compiled SPARQL checks; same passes and results as pyshacl.

    With ``cache``, the results of the passes whose graphs are unchanged come from the
    validation cache (:mod:`coopgraph.validation_cache`), and only the others run.

    Raises :class:`UnsupportedShape` when the shapes use a construct that is not compiled, or
    when a data graph declares ``rdfs:subClassOf`` axioms (the class hierarchy is taken from
    the ontology): use the pyshacl engine then.
    """
    from coopgraph.validation_cache import PassCache

    layout = kg.layout
    checks = compiled_checks(layout.shapes_file, layout.ontology_file)
    graph_files = [gf for gf in layout.graph_files() if gf.kind != "ontology"]
    selected = _select(graph_files, sources)
    selected_sources = [gf for gf in selected if gf.kind == "source"]
    kept = PassCache.open(kg, "sparql") if cache else None

    results: list[ValidationResult] = []
    todo: list[GraphFile] = []
    for gf in selected:
        found = kept.get(kept.pass_name([gf]), kept.pass_key([gf])) if kept else None
        if found is None:
            todo.append(gf)
        else:
            results.extend(found)
    union_todo = False
    if len(selected_sources) > 1:
        found = kept.get(kept.pass_name(selected_sources, union=True), kept.pass_key(selected_sources, union=True)) \
            if kept else None
        union_todo = found is None
        results.extend(found or [])

    if todo or union_todo:
        by_file, union_results = _run_checks(kg, checks, todo, selected_sources if union_todo else None,
                                             every_file=sources is None, selected=len(selected))
        for gf in todo:
            results.extend(by_file[gf.graph])
            if kept:
                kept.put(kept.pass_name([gf]), kept.pass_key([gf]), by_file[gf.graph])
        if union_todo:
            results.extend(union_results)
            if kept:
                kept.put(kept.pass_name(selected_sources, union=True), kept.pass_key(selected_sources, union=True),
                         union_results)
        if kept:
            kept.save()

    results.sort(key=ValidationResult.sort_key)
    results = _dedupe(results)
    return ValidationReport(
        results=results,
        files=[_relative(gf.path, layout.root) for gf in selected],
        report_graph=_build_report_graph(results),
    )


def _run_checks(kg: "KnowledgeGraph", checks: list[ShapeQuery], todo: list[GraphFile],
                union_sources: list[GraphFile] | None, *, every_file: bool,
                selected: int) -> tuple[dict[URIRef, list[ValidationResult]], list[ValidationResult]]:
    """Run the per-file checks of the files ``todo`` and, unless ``union_sources`` is ``None``,
    the cross-source checks over those sources: (results by file graph, cross-source results)."""
    import pyoxigraph as ox

    root = kg.layout.root
    union_over = {gf.graph for gf in union_sources} if union_sources is not None else None
    file_store, union_store = _stores(kg, todo, union_over, every_file, selected)
    for store in {id(s): s for s in (file_store, union_store) if s is not None}.values():
        # the compiled class tests take the hierarchy from the ontology: a validated graph that
        # adds to it (the inferred graph is not validated) needs pyshacl
        if bool(store.query(
            f"ASK {{ GRAPH ?g {{ ?a <{RDFS.subClassOf}> ?b }} FILTER(?g NOT IN (<{GRAPH_ONTOLOGY}>, <{GRAPH_INFERRED}>)) }}"
        )):
            raise UnsupportedShape("a data graph declares rdfs:subClassOf axioms; validate with the pyshacl engine")

    runs = [(union_store if q.union else file_store, q) for q in checks]
    runs = [(store, q) for store, q in runs if store is not None]
    # Oxigraph evaluates queries without holding the GIL: one thread per core runs them in
    # parallel; the rows are then read in the compiled order, so the report does not depend on it
    with ThreadPoolExecutor(max_workers=max(1, min(os.cpu_count() or 1, 8))) as pool:
        answers = list(pool.map(lambda run: _violations(*run), runs))

    by_graph = {gf.graph: gf for gf in todo}
    by_file: dict[URIRef, list[ValidationResult]] = {gf.graph: [] for gf in todo}
    union_results: list[ValidationResult] = []
    sources_by_graph = {gf.graph: gf for gf in union_sources or []}
    for (store, shape_query), rows in zip(runs, answers):
        union = shape_query.union
        check = shape_query.check
        for row in rows:
            graph = from_oxigraph(row["g"]) if not union else None
            focus = from_oxigraph(row["focus"])
            value = (from_oxigraph(row["v"]) if shape_query.binds_value else focus) if check.has_value else None
            if union:
                member_graphs = sorted(g for g in _graphs_with_subject(store, ox, row["focus"]) if g in sources_by_graph)
                if not member_graphs:
                    continue
                files = [sources_by_graph[g] for g in member_graphs]
            else:
                if graph not in by_graph:
                    continue
                files = [by_graph[graph]]
                member_graphs = [graph]
            if check.path is None and value == focus:
                value = None  # a node-level constraint (as pyshacl reports it: see validation._collect)
            display, label = _describe(store, ox, row["focus"], focus, member_graphs)
            found = _result(check, focus, value, files, root, display, label, graph)
            (union_results if union else by_file[graph]).append(found)
    return by_file, union_results


def _violations(store, shape_query: ShapeQuery) -> list:
    """The rows of one compiled query (each a violation)."""
    try:
        return list(store.query(shape_query.query))
    except (SyntaxError, OSError, RuntimeError) as exc:  # a compiler bug, not a data problem
        raise StoreError(f"compiled SHACL check of {shape_query.shape} failed in Oxigraph: {exc}") from exc


def _graphs_with_subject(store, ox, subject) -> set[URIRef]:
    return {URIRef(q.graph_name.value) for q in store.quads_for_pattern(subject, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode)}


def _describe(store, ox, raw_focus, focus: Node, graphs: list[URIRef]) -> tuple[str, str | None]:
    """As :func:`coopgraph.validation._describe`: blank nodes via the node linking them, IRIs with a label."""
    names = [ox.NamedNode(str(g)) for g in graphs]
    rdf_type, label = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.label))
    if isinstance(focus, BNode):
        for name in names:
            quads = store.quads_for_pattern(None, None, raw_focus, name)
            links = sorted(((from_oxigraph(q.subject), from_oxigraph(q.predicate)) for q in quads),
                           key=lambda sp: (str(sp[0]), str(sp[1])))
            if links:
                kinds = sorted((from_oxigraph(q.object) for q in store.quads_for_pattern(raw_focus, rdf_type, None, name)),
                               key=str)
                inner = f"a {short(kinds[0])}" if kinds else ""
                return f"{short(links[0][0])} {short(links[0][1])} [ {inner} ]".replace("[  ]", "[]"), None
        return "[]", None
    if isinstance(focus, Literal):
        return short(focus), None
    labels: list[Node] = []
    for name in names:
        labels.extend(from_oxigraph(q.object) for q in store.quads_for_pattern(raw_focus, label, None, name))
    return short(focus), _pick_label(labels)


def _result(check: Check, focus: Node, value: Node | None, files: list[GraphFile], root: Path,
            display: str, label: str | None, graph: URIRef | None) -> ValidationResult:
    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.focusNode, focus))
    report.add((node, SH.resultSeverity, check.severity))
    report.add((node, SH.sourceShape, check.shape))
    report.add((node, SH.sourceConstraintComponent, check.component))
    if check.message:
        report.add((node, SH.resultMessage, Literal(check.message)))
    if value is not None:
        report.add((node, SH.value, value))
    if check.path is not None:
        if check.inverse:
            path = BNode()
            report.add((node, SH.resultPath, path))
            report.add((path, SH.inversePath, check.path))
        else:
            report.add((node, SH.resultPath, check.path))
    return ValidationResult(
        focus_node=focus,
        path=check.path_text,
        value=value,
        message=check.message or f"{short(check.component)} failed",
        severity=SEVERITY_NAMES.get(check.severity, "Violation"),
        shape=check.shape,
        source_file=", ".join(sorted({_relative(gf.path, root) for gf in files})),
        component=check.component,
        focus=display,
        focus_label=label,
        graph=graph,
        report_node=node,
        _pyshacl_report=report,
    )

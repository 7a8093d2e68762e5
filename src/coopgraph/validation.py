"""SHACL validation of the coopgraph data, one source file at a time.

The shapes live in ``ontology/shapes.ttl``. Each input file is validated on its own, so that
a report names the file to fix and so that "every resource a source file uses is typed and
labelled in that file" (docs/modelling.md) is what gets checked:

* each source graph ``cgg:<stem>``: data graph = that graph + the ontology graph (so that
  ``sh:class``/``sh:targetClass`` follow the ontology's ``rdfs:subClassOf`` axioms without
  running any inference) + the ``rdf:type cg:SourceDocument`` triples of the catalog (so that
  ``oa:hasSource`` can be checked against the catalog);
* the catalog and the gazetteer: the same, with the shapes scoped to them;
* the union of the source graphs, once, with the few shapes that need the cross-source view
  (an evidence or claim IRI reused by two files).

Which pass runs a shape is given in the shapes file by ``cgsh:scope`` (default: every
single-graph pass). A result is kept only when its focus node belongs to the graph under
validation, so the ontology's own nodes never produce results.

pyshacl runs with ``inference="none"`` on a data graph built here (it is then validated in
place, without a clone): RDFS inference over the ontology would cost far more and add
nothing that the subclass axioms in the data graph do not already give ``sh:class``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from coopgraph.errors import DataFolderError, UnknownGraphError, ValidationFailed
from coopgraph.loader import GraphFile, parse_turtle
from coopgraph.namespaces import CG, GRAPH_CATALOG, GRAPH_ONTOLOGY, PREFIXES, SH
from coopgraph.suggest import known_names_hint
from coopgraph.validation_cache import PassCache

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.kg import KnowledgeGraph
    from coopgraph.loader import DataLayout

CGSH = Namespace("https://w3id.org/coopgraph/shapes#")

#: scopes a node shape may declare with cgsh:scope
SCOPE_SOURCE = CGSH.SourceGraph
SCOPE_CATALOG = CGSH.CatalogGraph
SCOPE_PLACES = CGSH.PlacesGraph
SCOPE_UNION = CGSH.UnionOfSources
DEFAULT_SCOPES = frozenset({SCOPE_SOURCE, SCOPE_CATALOG, SCOPE_PLACES})

SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

_TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


_SORTED_NAMESPACES = sorted(
    ((str(ns), prefix) for prefix, ns in list(PREFIXES.items()) + [("cgsh", CGSH)]), key=lambda item: -len(item[0])
)


def short(term: Node | None) -> str:
    """A term as a human reads it: a prefixed name for known namespaces, Turtle syntax otherwise."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for namespace, prefix in _SORTED_NAMESPACES:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return "[]"
    if isinstance(term, Literal):
        return _one_line(term)
    return str(term)


def _one_line(literal: Literal) -> str:
    """A literal in Turtle syntax on one line (line breaks escaped), for reports."""
    text = str(literal).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if literal.language:
        return f'"{text}"@{literal.language}'
    if literal.datatype is not None and literal.datatype != XSD.string:
        if literal.datatype in (XSD.integer, XSD.decimal, XSD.boolean) and not literal.ill_typed:
            return str(literal)
        return f'"{text}"^^{short(literal.datatype)}'
    return f'"{text}"'


# ------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node, which property, what value, why, how bad, in which file."""

    focus_node: Node
    path: str | None  # the property path in prefixed form ("cg:place", "^cg:hasEvidence")
    value: Node | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    shape: URIRef | BNode | None
    source_file: str  # path relative to the data folder, e.g. data/sources/003_....ttl
    component: URIRef | None = None  # the SHACL constraint component (sh:MinCountConstraintComponent ...)
    focus: str = ""  # the focus node as printed: prefixed name, or the owner of a blank node
    focus_label: str | None = None  # its rdfs:label in the graph under validation
    graph: URIRef | None = None  # the named graph validated (None for the cross-source pass)
    report_node: Node | None = field(default=None, compare=False, repr=False)  # in report_graph
    _pyshacl_report: Graph | None = field(default=None, compare=False, repr=False)

    @property
    def is_violation(self) -> bool:
        return self.severity == "Violation"

    def focus_text(self) -> str:
        """The focus node as printed in reports: ``cgr:x ("Label"@en)``."""
        text = self.focus or short(self.focus_node)
        return f"{text} ({self.focus_label})" if self.focus_label else text

    def sort_key(self) -> tuple:
        return (
            self.source_file,
            SEVERITY_ORDER.get(self.severity, 9),
            self.focus,
            self.path or "",
            short(self.shape) if isinstance(self.shape, URIRef) else "",
            self.message,
            short(self.value),
            short(self.component),  # of two results that differ only here, _dedupe keeps the first
        )

    def to_dict(self) -> dict:
        return {
            "source_file": self.source_file,
            "severity": self.severity,
            "focus_node": _json_term(self.focus_node),
            "focus": self.focus,
            "focus_label": self.focus_label,
            "path": self.path,
            "value": None if self.value is None else short(self.value),
            "message": self.message,
            "shape": short(self.shape) if isinstance(self.shape, URIRef) else None,
            "component": short(self.component) if self.component is not None else None,
        }


def _json_term(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: conformance, the results, and the SHACL report graph."""

    results: list[ValidationResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file validated, relative paths
    report_graph: Graph = field(default_factory=Graph)

    @property
    def conforms(self) -> bool:
        """True when no result has severity Violation (warnings and infos do not fail)."""
        return not any(r.is_violation for r in self.results)

    def __iter__(self) -> Iterator[ValidationResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __bool__(self) -> bool:  # a report object is always truthy, whatever its length
        return True

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    def counts(self) -> dict[str, int]:
        out = {"Violation": 0, "Warning": 0, "Info": 0}
        for r in self.results:
            out[r.severity] = out.get(r.severity, 0) + 1
        return out

    def by_file(self) -> dict[str, list[ValidationResult]]:
        grouped: dict[str, list[ValidationResult]] = {}
        for r in self.results:
            grouped.setdefault(r.source_file, []).append(r)
        return grouped

    def summary(self) -> str:
        c = self.counts()
        with_results = len(self.by_file())
        verdict = "conforms" if self.conforms else "does not conform"
        return (
            f"Summary: {c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} info(s) "
            f"in {with_results} of {len(self.files)} file(s); the data {verdict}."
        )

    def raise_for_violations(self) -> "ValidationReport":
        """Raise :class:`~coopgraph.errors.ValidationFailed` naming the first violations; else return self.

        For pipelines: ``coopgraph.load(path).validate().raise_for_violations()``.
        """
        if not self.conforms:
            first = "; ".join(
                f"{r.source_file}: {r.focus_text()}: {r.message}" for r in self.violations[:3]
            )
            raise ValidationFailed(f"{self.summary()} First: {first}")
        return self

    def to_text(self, kg: "KnowledgeGraph | None" = None) -> str:
        """A report grouped by source file, then a summary line with the counts."""
        lines: list[str] = []
        for source_file, results in self.by_file().items():
            lines.append(source_file)
            for r in results:
                label = r.focus_label
                if label is None and r.graph is None and kg is not None:  # cross-source result
                    label = _label_in(kg, r.focus_node)
                focus = r.focus or short(r.focus_node)
                lines.append(f"  {r.severity}: {focus}" + (f" ({label})" if label else ""))
                if r.path:
                    lines.append(f"    path:    {r.path}")
                if r.value is not None:
                    lines.append(f"    value:   {short(r.value)}")
                lines.append(f"    message: {r.message}")
                if isinstance(r.shape, URIRef):
                    lines.append(f"    shape:   {short(r.shape)}")
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self, indent: int | None = 2) -> str:
        document = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "files": self.files,
            "results": [r.to_dict() for r in self.results],
        }
        return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


#: the labels a node has in any graph
_LABELS_OF = "SELECT ?label WHERE { GRAPH ?g { ?_node rdfs:label ?label } }"


def _label_in(kg: "KnowledgeGraph", node: Node) -> str | None:
    """The label of a cross-source result's focus, asked of the store (not of an rdflib copy of it).

    An Oxigraph store or an endpoint cannot be asked about a blank node (its label is the
    store's own): None then, as for a literal.
    """
    if isinstance(node, Literal) or (isinstance(node, BNode) and kg.store.kind != "memory"):
        return None
    rows = kg.store.query(_LABELS_OF, {"_node": node}, origin="validation report").bindings
    return _pick_label(row[0] for row in rows)


def _pick_label(labels: Iterable[Node]) -> str | None:
    literals = [l for l in labels if isinstance(l, Literal)]
    if not literals:
        return None
    preferred = sorted(literals, key=lambda l: (l.language != "en", l.language is None, l.language or "", str(l)))
    return _one_line(preferred[0])


# ------------------------------------------------------------------------------------------
# shapes
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shapes:
    """The parsed shapes file and the node shapes each validation pass uses."""

    graph: Graph
    scopes: dict[URIRef, frozenset[URIRef]]

    def for_scope(self, scope: URIRef) -> list[str]:
        """The shapes to hand to pyshacl's ``use_shapes`` for one pass.

        pyshacl only runs named (IRI) shapes that are listed, even when a listed shape points
        at them with ``sh:property`` or ``sh:node``: so the list holds the targeted shapes of
        the scope and every named shape they reach.
        """
        roots = [s for s, scopes in self.scopes.items() if scope in scopes]
        return sorted(str(s) for s in _reachable_shapes(self.graph, roots))


_SHAPE_LINKS = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)


def _reachable_shapes(graph: Graph, roots: Iterable[URIRef]) -> set[URIRef]:
    named: set[URIRef] = set()
    stack: list[Node] = list(roots)
    seen: set[Node] = set()
    while stack:
        shape = stack.pop()
        if shape in seen:
            continue
        seen.add(shape)
        if isinstance(shape, URIRef):
            named.add(shape)
        for link in _SHAPE_LINKS:
            stack.extend(graph.objects(shape, link))
        for link in _SHAPE_LISTS:
            for head in graph.objects(shape, link):
                stack.extend(graph.items(head))
    return named


def load_shapes(path: Path) -> Shapes:
    """Parse the shapes file (a syntax error is a :class:`ParseError` naming file and line)."""
    if not path.is_file():
        raise DataFolderError(f"shapes file not found: {path}")
    graph = parse_turtle(path)
    scopes: dict[URIRef, frozenset[URIRef]] = {}
    for predicate in _TARGET_PREDICATES:
        for shape in graph.subjects(predicate, None):
            if isinstance(shape, URIRef) and shape not in scopes:
                declared = frozenset(o for o in graph.objects(shape, CGSH.scope) if isinstance(o, URIRef))
                scopes[shape] = declared or DEFAULT_SCOPES
    return Shapes(graph, scopes)


# ------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------


@dataclass
class _Pass:
    """One pyshacl run: the graph(s) under validation and the shapes to use."""

    name: str
    scope: URIRef
    members: list[GraphFile]  # the input files whose graphs are validated together


#: validation engines: pyshacl (the reference), sparql (the shapes compiled to SPARQL, run in
#: Oxigraph: coopgraph.fastvalidate), auto (sparql on an Oxigraph store, an endpoint or a large
#: memory store, else pyshacl)
ENGINES = ("auto", "pyshacl", "sparql")


def validate(kg: "KnowledgeGraph", *, sources: Iterable[str] | None = None, cache: bool = True,
             engine: str = "auto") -> ValidationReport:
    """Validate ``kg`` against ``ontology/shapes.ttl`` of its data folder.

    ``sources`` limits the run to some source files (file stems like
    ``003_5681c03170b8ac75``, their 3-digit numbers, file paths or graph IRIs; ``catalog`` and
    ``places`` name the two reference files). By default every file is validated, plus the
    cross-source pass over the union of the source graphs.

    With ``cache`` (the default) the results of each pass are kept in the user's cache,
    keyed by what the graphs it reads hold (the digests of the files they were read from),
    the shapes, the ontology, the engine and the software (:mod:`coopgraph.validation_cache`):
    a curator who edits one source file waits only for that file's pass and the cross-source
    one, with either engine, on a memory or an Oxigraph store (not on an endpoint, whose
    content is not known from files; nor for a graph changed in memory after loading).

    ``engine`` picks who evaluates the shapes (:data:`ENGINES`): the results are the same
    (``tests/test_fast_validation.py``); ``sparql`` is the one that scales to large corpora,
    ``auto`` uses it on an Oxigraph store, on a SPARQL endpoint and on a memory store of more than
    :data:`AUTO_SPARQL_TRIPLES` triples, and falls back to pyshacl when the shapes use a
    construct it does not compile.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "sparql" or (engine == "auto" and _sparql_pays(kg)):
        from coopgraph.fastvalidate import UnsupportedShape, validate_fast

        try:
            return validate_fast(kg, sources=sources, cache=cache)
        except UnsupportedShape:
            if engine == "sparql":
                raise
    return _validate_pyshacl(kg, sources=sources, cache=cache)


#: above this many triples in a memory store, ``auto`` validates with the SPARQL engine: at
#: 100k triples it takes 2-3 s where pyshacl takes 15 s (benchmarks/README.md); below, the
#: reference engine wins
AUTO_SPARQL_TRIPLES = 50_000


def _sparql_pays(kg: "KnowledgeGraph") -> bool:
    """Whether ``auto`` picks the SPARQL engine: on an Oxigraph store, an endpoint, or a large memory store."""
    if kg.store.kind == "oxigraph":
        return True
    from importlib.util import find_spec

    if find_spec("pyoxigraph") is None:
        return False
    if kg.store.kind == "sparql":
        # pyshacl would read the endpoint into one rdflib copy (the 100k corpus: 379 s in all)
        return True
    return kg.store.kind == "memory" and len(kg.dataset) > AUTO_SPARQL_TRIPLES


def _validate_pyshacl(kg: "KnowledgeGraph", *, sources: Iterable[str] | None, cache: bool) -> ValidationReport:
    from pyshacl import validate as pyshacl_validate  # imported here: it is slow to import

    layout = kg.layout
    shapes = load_shapes(layout.shapes_file)
    graph_files = [gf for gf in layout.graph_files() if gf.kind != "ontology"]
    selected = _select(graph_files, sources)

    passes: list[_Pass] = []
    for gf in selected:
        scope = {"catalog": SCOPE_CATALOG, "places": SCOPE_PLACES}.get(gf.kind, SCOPE_SOURCE)
        passes.append(_Pass(gf.path.stem if gf.kind == "source" else gf.kind, scope, [gf]))
    selected_sources = [gf for gf in selected if gf.kind == "source"]
    if len(selected_sources) > 1:
        passes.append(_Pass("union of sources", SCOPE_UNION, selected_sources))

    # What the shapes need from the ontology: the classes and individuals (rdf:type) and the
    # class hierarchy (rdfs:subClassOf). Labels and definitions would only slow pyshacl down.
    ontology = kg.dataset.graph(GRAPH_ONTOLOGY)
    skeleton = [t for t in ontology.triples((None, RDF.type, None))]
    skeleton += [t for t in ontology.triples((None, RDFS.subClassOf, None))]
    catalog = kg.dataset.graph(GRAPH_CATALOG)
    document_types = [(doc, RDF.type, CG.SourceDocument) for doc in catalog.subjects(RDF.type, CG.SourceDocument)]

    results: list[ValidationResult] = []
    kept = PassCache.open(kg, "pyshacl") if cache else None
    for run in passes:
        use_shapes = shapes.for_scope(run.scope)
        if not use_shapes:
            continue
        union = run.scope == SCOPE_UNION
        name = kept.pass_name(run.members, union=union) if kept else ""
        key = kept.pass_key(run.members, union=union) if kept else None
        cached = kept.get(name, key) if kept else None
        if cached is not None:
            results.extend(cached)
            continue
        members = [kg.dataset.graph(gf.graph) for gf in run.members]
        data = Graph()
        for member in members:
            for triple in member:
                data.add(triple)
        context_subjects = set()
        for triple in skeleton:
            data.add(triple)
            context_subjects.add(triple[0])
        if run.scope != SCOPE_CATALOG:
            for triple in document_types:
                data.add(triple)
                context_subjects.add(triple[0])
        _conforms, report, _text = pyshacl_validate(
            data,
            shacl_graph=shapes.graph,
            inference="none",
            advanced=False,
            allow_warnings=True,
            allow_infos=True,
            use_shapes=use_shapes,
        )
        found = _collect(report, run, members, context_subjects, layout.root)
        if kept:
            kept.put(name, key, found)
        results.extend(found)
    if kept:
        kept.save()

    results.sort(key=ValidationResult.sort_key)
    results = _dedupe(results)
    files = [_relative(gf.path, layout.root) for gf in selected]
    return ValidationReport(
        results=results, files=files, report_graph=_build_report_graph(results)
    )


def _select(graph_files: list[GraphFile], sources: Iterable[str] | None) -> list[GraphFile]:
    if sources is None:
        return graph_files
    chosen: list[GraphFile] = []
    for name in sources:
        text = str(name)
        matches = [gf for gf in graph_files if _names(gf, text)]
        if not matches:
            known = [gf.path.stem if gf.kind == "source" else gf.kind for gf in graph_files]
            raise UnknownGraphError(f"no source file {text!r} to validate ({known_names_hint(text, known)})")
        for gf in matches:
            if gf not in chosen:
                chosen.append(gf)
    return [gf for gf in graph_files if gf in chosen]  # keep the stable order


def _names(gf: GraphFile, text: str) -> bool:
    if text in (gf.kind, str(gf.graph), gf.path.stem, gf.path.name, str(gf.path)):
        return gf.kind != "source" or text != "source"
    if gf.kind == "source" and len(text) == 3 and text.isdigit():
        return gf.path.stem.startswith(text + "_")
    try:
        return Path(text).resolve() == gf.path.resolve()
    except OSError:  # pragma: no cover
        return False


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _collect(
    report: Graph,
    run: _Pass,
    members: list[Graph],
    context_subjects: set[Node],
    root: Path,
) -> list[ValidationResult]:
    """Turn pyshacl's report graph into results, keeping those whose focus belongs to the pass."""
    subject_files: dict[Node, list[str]] = {}
    for gf, member in zip(run.members, members):
        rel = _relative(gf.path, root)
        for s in set(member.subjects()):
            subject_files.setdefault(s, []).append(rel)
    object_only: set[Node] = set()
    for member in members:
        for o in member.objects():
            if not isinstance(o, Literal) and o not in subject_files and o not in context_subjects:
                object_only.add(o)

    kept: list[ValidationResult] = []
    single = run.members[0] if len(run.members) == 1 else None
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        if focus is None:
            continue
        if focus in subject_files:
            files = subject_files[focus]
        elif focus in object_only and single is not None:
            files = [_relative(single.path, root)]
        else:
            continue  # a node of the ontology or the catalog: not this pass's business
        severity = SEVERITY_NAMES.get(report.value(node, SH.resultSeverity), "Violation")
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        shape = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        value = report.value(node, SH.value)
        path = _path_text(report, report.value(node, SH.resultPath))
        if path is None and value == focus:
            value = None  # a node-level constraint: pyshacl repeats the focus node as the value
        display, label = _describe(focus, members)
        source_file = ", ".join(sorted(set(files)))
        kept.append(
            ValidationResult(
                focus_node=focus,
                path=path,
                value=value,
                message="; ".join(messages) or f"{short(component)} failed",
                severity=severity,
                shape=shape,
                source_file=source_file,
                component=component if isinstance(component, URIRef) else None,
                focus=display,
                focus_label=label,
                graph=single.graph if single is not None else None,
                report_node=node,
                _pyshacl_report=report,
            )
        )
    return kept


def _describe(focus: Node, members: list[Graph]) -> tuple[str, str | None]:
    """The printed form of a focus node and its label (blank nodes: via the node that links them)."""
    if isinstance(focus, BNode):
        for member in members:  # the first link and type in a fixed order, so that reports are stable
            for subject, predicate in sorted(member.subject_predicates(focus), key=lambda sp: (str(sp[0]), str(sp[1]))):
                kinds = sorted(member.objects(focus, RDF.type), key=str)
                inner = f"a {short(kinds[0])}" if kinds else ""
                return f"{short(subject)} {short(predicate)} [ {inner} ]".replace("[  ]", "[]"), None
        return "[]", None
    labels: list[Node] = []
    for member in members:
        labels.extend(member.objects(focus, RDFS.label))
    return short(focus), _pick_label(labels)


def _path_text(report: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return short(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (_path_text(report, inverse) or "")
    for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = report.value(path, key)
        if inner is not None:
            return f"({_path_text(report, inner)}){mark}"
    items = list(report.items(path)) if report.value(path, RDF.first) is not None else []
    if items:
        return "/".join(_path_text(report, item) or "" for item in items)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(report, i) or "" for i in report.items(alternatives)) + ")"
    return "[]"


def _dedupe(results: list[ValidationResult]) -> list[ValidationResult]:
    """Drop exact repeats (pyshacl reports a focus node once per target that selects it)."""
    out: list[ValidationResult] = []
    seen: set[tuple] = set()
    for r in results:
        key = (r.source_file, r.severity, r.focus_node, r.path, r.value, r.message, r.shape)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _build_report_graph(results: list[ValidationResult]) -> Graph:
    """One sh:ValidationReport with every kept result, copied from pyshacl's per-pass reports.

    Each result also carries ``cgsh:sourceFile``, the file to fix.
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("cgsh", CGSH, override=True, replace=True)
    report = BNode("coopgraphValidationReport")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not any(r.is_violation for r in results))))
    for r in results:
        if r.report_node is None or r._pyshacl_report is None:
            continue
        _copy_description(r._pyshacl_report, r.report_node, graph)
        graph.add((report, SH.result, r.report_node))
        graph.add((r.report_node, CGSH.sourceFile, Literal(r.source_file)))
    return graph


def _copy_description(source: Graph, node: Node, target: Graph, seen: set[Node] | None = None) -> None:
    """Copy the triples of ``node`` and, recursively, of the blank nodes it links to."""
    seen = seen if seen is not None else set()
    if node in seen:
        return
    seen.add(node)
    for predicate, obj in source.predicate_objects(node):
        target.add((node, predicate, obj))
        if isinstance(obj, BNode):
            _copy_description(source, obj, target, seen)

"""Deterministic exports of the knowledge graph: Turtle, TriG, N-Quads and JSON-LD.

rdflib's own serialisers do not promise byte-identical output from one run to the next
(blank-node labels are random, and set/dict iteration order follows object identity and
``PYTHONHASHSEED``). Data consumers diff one release against the next, so this module writes
every format itself, canonically:

* **Named graphs** are written in the order of their IRIs.
* **Blank nodes** get labels derived from their content, never from rdflib's random ids
  (see :func:`canonical_bnode_labels`): the same data gives the same labels, and a blank node
  whose surroundings do not change keeps its label from one release to the next.
* **Subjects** are sorted (IRIs by IRI, then labelled blank nodes by label), ``rdf:type`` comes
  first, the other predicates by IRI, and the objects of one predicate in a fixed order
  (IRIs, blank nodes, literals).
* **Turtle and TriG** are pretty-printed: the project prefixes (only those used), one block per
  subject with ``;`` and ``,``, and a blank node that is the object of exactly one triple
  (and occurs in no other graph) is written inline as ``[ ... ]`` — this is how the evidence
  selectors read. Every other blank node is written ``_:b<hash>``.
* **N-Quads** are the sorted lines of canonical N-Quads (full IRIs, ``_:b<hash>`` labels).
* **JSON-LD** uses the compact context of :func:`jsonld_context` (the project prefixes plus a
  few term definitions; the same context is shipped as ``ontology/context.jsonld``) and puts
  each named graph in the top-level ``@graph`` as an object with ``@id`` and ``@graph``.

Every export parses back (rdflib, or any RDF 1.1 parser) into a dataset isomorphic to the one
exported, graph by graph, blank nodes included.

Writing to a file is atomic: the text is produced completely first, written to a temporary
file in the destination folder, flushed to disk and moved over the destination in one step,
so a failed export never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import warnings
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from coopgraph.errors import ExportError, UnknownGraphError
from coopgraph.namespaces import CGG, CGSRC, GRAPH_INFERRED, PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.kg import KnowledgeGraph

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "FILE_EXTENSIONS",
    "ExportWarning",
    "export",
    "export_graphs",
    "serialize",
    "resolve_graph",
    "canonical_bnode_labels",
    "jsonld_context",
    "jsonld_context_document",
    "jsonld_context_path",
    "write_atomically",
]

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, "URIRef | None"]
#: a graph to write: its name (``None`` for the default graph) and its triples
GraphPart = tuple["URIRef | None", Iterable[Triple]]

#: the export formats, in the order help texts list them
FORMATS: tuple[str, ...] = ("turtle", "trig", "nquads", "jsonld")

#: other spellings users type, mapped to the format name
FORMAT_ALIASES: dict[str, str] = {
    "ttl": "turtle",
    "nq": "nquads",
    "n-quads": "nquads",
    "json-ld": "jsonld",
    "json": "jsonld",
}

MEDIA_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
}

FILE_EXTENSIONS: dict[str, str] = {
    "turtle": ".ttl",
    "trig": ".trig",
    "nquads": ".nq",
    "jsonld": ".jsonld",
}

#: nested ``[ ]`` blocks deeper than this are written as labelled blank nodes instead
_MAX_NESTING = 24
#: how many candidate labellings the canonicaliser may try for one highly symmetric,
#: cyclic blank-node structure before it settles for the best found so far
_SEARCH_BUDGET = 512


class ExportWarning(UserWarning):
    """Something about an export the user should know (e.g. graph names dropped in Turtle)."""


# ======================================================================================
# Public entry points
# ======================================================================================


def normalise_format(format: str) -> str:
    """Return the canonical name of ``format`` (aliases such as ``ttl`` accepted).

    Raises :class:`~coopgraph.errors.ExportError` listing the valid formats.
    """
    name = (format or "").strip().lower()
    name = FORMAT_ALIASES.get(name, name)
    if name not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; valid formats: {', '.join(FORMATS)}")
    return name


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file name's extension suggests (``.ttl`` -> turtle ...), or ``None``."""
    suffix = Path(path).suffix.lower()
    for name, extension in FILE_EXTENSIONS.items():
        if suffix == extension:
            return name
    return {".json": "jsonld", ".turtle": "turtle"}.get(suffix)


def export(
    kg: "KnowledgeGraph",
    *,
    format: str = "trig",
    graph: str | URIRef | None = None,
    inferred: bool = False,
    destination: str | os.PathLike[str] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> str | None:
    """Serialise the knowledge graph deterministically.

    :param format: ``turtle``, ``trig``, ``nquads`` or ``jsonld``.
    :param graph: export only this named graph: a source file stem
        (``004_2d85bd7537e4600b``), a prefixed name (``cgg:004_2d85bd7537e4600b``,
        ``cgsrc:004_2d85bd7537e4600b``), a full graph IRI, or ``catalog``, ``places``,
        ``ontology``, ``inferred``; only that graph is exported (its name kept in TriG,
        N-Quads and JSON-LD). Without it TriG, N-Quads and JSON-LD carry every named graph,
        and Turtle the union of them (graph names are dropped: a warning says so).
    :param inferred: also export the OWL-RL inferences (graph ``cgg:inferred``); the graph
        is reasoned first if it is not yet.
    :param destination: a file to write (atomically); the text is returned when ``None``.
    :param on_warning: called with each warning message; by default warnings go through
        :mod:`warnings` as :class:`ExportWarning`.
    :returns: the serialised text, or ``None`` when it was written to ``destination``.
    :raises ExportError: unknown format, or the destination cannot be written.
    :raises UnknownGraphError: ``graph`` names no graph of the dataset.
    """
    fmt = normalise_format(format)
    warn = _warner(on_warning)
    names = select_graphs(kg, graph=graph, inferred=inferred)
    if graph is not None and inferred and names != [GRAPH_INFERRED]:
        warn("--inferred has no effect with --graph: only the graph named is exported")
    parts: list[GraphPart]
    if fmt == "turtle" and graph is None:
        if len(names) > 1:
            warn(
                f"Turtle holds a single graph: the union of {len(names)} named graphs is written "
                "and the graph names (which source says what) are dropped; use --format trig, "
                "nquads or jsonld to keep them, or --graph to export one graph"
            )
        union: set[Triple] = set()
        for name in names:
            union.update(kg.dataset.graph(name))
        parts = [(None, union)]
    elif fmt == "turtle":
        parts = [(None, kg.dataset.graph(names[0]))]
    else:
        parts = [(name, kg.dataset.graph(name)) for name in names]
    text = serialize(parts, fmt, on_warning=warn)
    if destination is None:
        return text
    write_atomically(destination, text)
    return None


def export_graphs(
    parts: Sequence[GraphPart],
    *,
    format: str = "trig",
    destination: str | os.PathLike[str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> str | None:
    """Serialise arbitrary graphs (e.g. a dataset description) like :func:`export` does."""
    fmt = normalise_format(format)
    text = serialize(parts, fmt, prefixes=prefixes, on_warning=_warner(on_warning))
    if destination is None:
        return text
    write_atomically(destination, text)
    return None


def select_graphs(kg: "KnowledgeGraph", *, graph: str | URIRef | None = None, inferred: bool = False) -> list[URIRef]:
    """The named graphs an export covers, sorted by IRI (reasons first when inferences are asked)."""
    if graph is not None:
        name = resolve_graph(kg, graph)
        if name == GRAPH_INFERRED:
            kg.ensure_reasoned()
        return [name]
    if inferred:
        kg.ensure_reasoned()
    names = [n for n in _asserted_graphs(kg)]
    if inferred and GRAPH_INFERRED not in names:
        names.append(GRAPH_INFERRED)
    return sorted(names, key=str)


def resolve_graph(kg: "KnowledgeGraph", graph: str | URIRef) -> URIRef:
    """Turn what a user typed into the IRI of a named graph of ``kg``.

    Accepts a source file stem (``004_2d85bd7537e4600b``, also with ``.ttl``), a prefixed
    name (``cgg:…``, or ``cgsrc:…`` for the graph of that source document), a full IRI (also
    in ``<>``), and the special graphs by name (``catalog``, ``places``, ``ontology``,
    ``inferred``). Raises :class:`UnknownGraphError` listing the known graphs.
    """
    known = _asserted_graphs(kg)
    known_set = set(known) | {GRAPH_INFERRED}
    for candidate in _graph_candidates(str(graph)):
        if candidate in known_set:
            return candidate
    listing = ", ".join(_short(g) for g in sorted(known_set, key=str))
    raise UnknownGraphError(f"unknown graph {str(graph)!r}; known graphs: {listing}")


def _asserted_graphs(kg: "KnowledgeGraph") -> list[URIRef]:
    return [
        g
        for g in kg.graph_names()
        if g != GRAPH_INFERRED and g != DATASET_DEFAULT_GRAPH_ID and isinstance(g, URIRef)
    ]


def _graph_candidates(text: str) -> list[URIRef]:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    candidates: list[URIRef] = []
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", text):
        prefix, _, local = text.partition(":")
        if prefix in PREFIXES and not local.startswith("//"):
            candidates.append(URIRef(str(PREFIXES[prefix]) + local))
        else:
            candidates.append(URIRef(text))
    else:
        stem = text[:-4] if text.endswith(".ttl") else text
        candidates.append(CGG[stem])
    more = []
    for c in candidates:
        if str(c).startswith(str(CGSRC)):
            more.append(CGG[str(c)[len(str(CGSRC)) :]])
    return candidates + more


def _short(iri: URIRef) -> str:
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if str(iri).startswith(ns) and _PN_LOCAL.match(str(iri)[len(ns) :]):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return f"<{iri}>"


def _warner(on_warning: Callable[[str], None] | None) -> Callable[[str], None]:
    if on_warning is not None:
        return on_warning

    def warn(message: str) -> None:
        warnings.warn(message, ExportWarning, stacklevel=3)

    return warn


# ======================================================================================
# Serialisation dispatch
# ======================================================================================


def serialize(
    parts: Sequence[GraphPart],
    format: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> str:
    """Serialise ``parts`` (graph name or ``None`` for the default graph, triples) canonically."""
    fmt = normalise_format(format)
    warn = _warner(on_warning)
    prefix_map = {p: str(ns) for p, ns in (prefixes if prefixes is not None else PREFIXES).items()}
    graphs: list[tuple[URIRef | None, list[Triple]]] = []
    skipped = 0
    for name, triples in sorted(parts, key=lambda part: "" if part[0] is None else "\x01" + str(part[0])):
        kept = []
        for s, p, o in triples:
            if isinstance(s, (URIRef, BNode)) and isinstance(p, URIRef) and isinstance(o, (URIRef, BNode, Literal)):
                kept.append((s, p, o))
            else:
                skipped += 1
        graphs.append((name, kept))
    if skipped:
        warn(f"{skipped} triple(s) that are not valid RDF (literal subject or non-IRI predicate) were not written")
    quads = [(s, p, o, name) for name, triples in graphs for (s, p, o) in triples]
    labels = canonical_bnode_labels(quads, on_warning=warn)
    if fmt == "nquads":
        return _write_nquads(quads, labels)
    if fmt == "jsonld":
        return _write_jsonld(graphs, labels)
    writer = _TurtleWriter(prefix_map, labels, graphs)
    return writer.write(trig=(fmt == "trig"))


# ======================================================================================
# Canonical blank-node labels
# ======================================================================================


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical_bnode_labels(
    quads: Iterable[Quad], *, on_warning: Callable[[str], None] | None = None
) -> dict[BNode, str]:
    """Give every blank node of ``quads`` a label that depends only on the data.

    The blank nodes linked to each other form connected components (an evidence selector is
    a component of one node). Each component is labelled on its own:

    1. colour refinement (1-dimensional Weisfeiler–Lehman): a node's colour is a hash of its
       previous colour and the sorted multiset of its edges — direction, predicate, graph,
       and the other end (an IRI or literal verbatim, a blank node by its colour) — repeated
       until the partition of the component into colours stops splitting;
    2. nodes that are still indistinguishable are told apart by individualising one of them
       and refining again. When the component's blank nodes form a tree (the usual case:
       nested ``[ ]``), indistinguishable nodes are interchangeable (an automorphism maps one
       onto the other), so any choice gives the same output. When they form a cycle, every
       choice is tried and the one giving the smallest canonical text wins (bounded search);
    3. the component's canonical text (its sorted quads written with the colours) is hashed;
       each node's label is ``b`` + a hash of that, its colour, and the occurrence number
       among identical components (identical components are interchangeable too).

    Labels are 16 hex digits after ``b``, longer only if two would collide.
    """
    # edges[node] = list of (code, neighbour): code describes the edge and, for an IRI or
    # literal at the other end, that term; neighbour is the blank node at the other end.
    edges: dict[BNode, list[tuple[str, BNode | None]]] = defaultdict(list)
    parent: dict[BNode, BNode] = {}

    def find(node: BNode) -> BNode:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    cyclic_roots: set[BNode] = set()
    pairs: set[frozenset[BNode]] = set()
    for s, p, o, g in quads:
        gk = _nt(g) if g is not None else "-"
        pk = _nt(p)
        s_blank = isinstance(s, BNode)
        o_blank = isinstance(o, BNode)
        if s_blank:
            parent.setdefault(s, s)
            edges[s].append((f">{pk}{gk}", o) if o_blank else (f">{pk}{gk}{_nt(o)}", None))
        if o_blank:
            parent.setdefault(o, o)
            edges[o].append((f"<{pk}{gk}", s) if s_blank else (f"<{pk}{gk}{_nt(s)}", None))
        if s_blank and o_blank and s != o:
            pair = frozenset((s, o))
            if pair in pairs:
                continue
            pairs.add(pair)
            rs, ro = find(s), find(o)
            if rs == ro:
                cyclic_roots.add(rs)
            else:
                parent[rs] = ro
                if rs in cyclic_roots:
                    cyclic_roots.discard(rs)
                    cyclic_roots.add(ro)
    components: dict[BNode, list[BNode]] = defaultdict(list)
    for node in parent:
        components[find(node)].append(node)

    state = {"exhausted": False}
    results: list[tuple[str, dict[BNode, str]]] = []
    for root, nodes in components.items():
        colours = {n: "" for n in nodes}
        colours = _refine(nodes, edges, colours)
        budget = [_SEARCH_BUDGET]
        serial, colours = _search(nodes, edges, colours, root in cyclic_roots, budget)
        if budget[0] <= 0:
            state["exhausted"] = True
        results.append((_h(serial), colours))

    if state["exhausted"] and on_warning is not None:
        on_warning(
            "a highly symmetric cyclic blank-node structure could not be fully canonicalised; "
            "its blank-node labels may differ between runs"
        )

    occurrences: dict[str, int] = defaultdict(int)
    full: dict[BNode, str] = {}
    for comp_hash, colours in results:
        occurrence = occurrences[comp_hash]
        occurrences[comp_hash] += 1
        for node, colour in colours.items():
            full[node] = _h(f"{comp_hash}|{colour}|{occurrence}")
    length = 16
    while length < 64 and len({v[:length] for v in full.values()}) < len(full):
        length += 8
    return {node: "b" + digest[:length] for node, digest in full.items()}


def _refine(
    nodes: Sequence[BNode], edges: Mapping[BNode, list[tuple[str, BNode | None]]], colours: dict[BNode, str]
) -> dict[BNode, str]:
    count = len(set(colours.values()))
    while True:
        new = {}
        for node in nodes:
            signature = sorted(code + "\x1f" + (colours[nb] if nb is not None else "") for code, nb in edges[node])
            new[node] = _h(colours[node] + "\x1e" + "\x1d".join(signature))
        new_count = len(set(new.values()))
        colours = new
        if new_count == count:
            return colours
        count = new_count


def _serial(nodes: Sequence[BNode], edges: Mapping[BNode, list[tuple[str, BNode | None]]], colours: Mapping[BNode, str]) -> str:
    lines = sorted(
        colours[node] + code + "\x1f" + (colours[nb] if nb is not None else "") for node in nodes for code, nb in edges[node]
    )
    return "\n".join(lines)


def _search(
    nodes: Sequence[BNode],
    edges: Mapping[BNode, list[tuple[str, BNode | None]]],
    colours: dict[BNode, str],
    cyclic: bool,
    budget: list[int],
) -> tuple[str, dict[BNode, str]]:
    classes: dict[str, list[BNode]] = defaultdict(list)
    for node in nodes:
        classes[colours[node]].append(node)
    ties = [c for c, members in classes.items() if len(members) > 1]
    if not ties:
        budget[0] -= 1
        return _serial(nodes, edges, colours), colours
    tie = min(ties)
    members = classes[tie]
    # In a tree, nodes of one colour are interchangeable: trying one suffices.
    choices = members if cyclic else members[:1]
    best: tuple[str, dict[BNode, str]] | None = None
    for member in choices:
        if best is not None and budget[0] <= 0:
            break
        trial = dict(colours)
        trial[member] = _h(tie + "*")
        trial = _refine(nodes, edges, trial)
        result = _search(nodes, edges, trial, cyclic, budget)
        if best is None or result[0] < best[0]:
            best = result
    assert best is not None
    return best


# ======================================================================================
# Terms
# ======================================================================================

_PN_LOCAL = re.compile(r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?$")
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
_DOUBLE = re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+$")
_JSON_INTEGER = re.compile(r"^-?(?:0|[1-9][0-9]{0,14})$")

_ECHAR = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _escape_char(ch: str) -> str:
    if ch in _ECHAR:
        return _ECHAR[ch]
    return f"\\u{ord(ch):04X}"


_STRING_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_LONG_STRING_ESCAPE = re.compile(r'[\\"\x00-\x08\x0b-\x1f\x7f]')


def _quote(text: str) -> str:
    return '"' + _STRING_ESCAPE.sub(lambda m: _escape_char(m.group()), text) + '"'


def _quote_long(text: str) -> str:
    return '"""' + _LONG_STRING_ESCAPE.sub(lambda m: _escape_char(m.group()), text) + '"""'


def _iri(iri: str) -> str:
    return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


def _nt(term: Node | None, labels: Mapping[BNode, str] | None = None) -> str:
    """N-Triples form of a term (blank nodes by their canonical label when given)."""
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, BNode):
        return "_:" + (labels[term] if labels is not None else str(term))
    if isinstance(term, Literal):
        text = _quote(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{_iri(str(term.datatype))}"
        return text
    raise TypeError(f"cannot serialise {term!r}")


def _literal_key(lit: Literal) -> tuple[str, str, str]:
    return (str(lit), lit.language or "", str(lit.datatype or ""))


# ======================================================================================
# N-Quads
# ======================================================================================


def _write_nquads(quads: Sequence[Quad], labels: Mapping[BNode, str]) -> str:
    lines = set()
    for s, p, o, g in quads:
        graph = f" {_nt(g)}" if g is not None else ""
        lines.add(f"{_nt(s, labels)} {_nt(p)} {_nt(o, labels)}{graph} .\n")
    return "".join(sorted(lines))


# ======================================================================================
# Turtle / TriG
# ======================================================================================


class _GraphLayout:
    """One graph's triples, indexed, with the plan of which blank nodes are written inline.

    A blank node is written inline (``[ ... ]`` in Turtle, an embedded object in JSON-LD)
    when it is the object of exactly one triple of this graph and occurs in no other graph
    of the export; an inline chain of ``rdf:first``/``rdf:rest`` nodes ending in ``rdf:nil``
    is written as a collection. Inline blank nodes that only reference each other in a
    cycle, and nesting deeper than ``_MAX_NESTING``, get labels instead.
    """

    def __init__(self, triples: Sequence[Triple], labels: Mapping[BNode, str], shared: set[BNode]) -> None:
        self.po: dict[Node, dict[URIRef, list[Node]]] = defaultdict(lambda: defaultdict(list))
        incoming: dict[BNode, int] = defaultdict(int)
        blanks: set[BNode] = set()
        for s, p, o in triples:
            self.po[s][p].append(o)  # type: ignore[index]
            if isinstance(o, BNode):
                incoming[o] += 1
                blanks.add(o)
            if isinstance(s, BNode):
                blanks.add(s)
        self.labels = labels
        candidates = {b for b in blanks if incoming[b] == 1 and b not in shared}
        # children[s] = (child, same_depth): rdf:rest links do not deepen the nesting
        children: dict[Node, list[tuple[BNode, bool]]] = {}
        for s, preds in self.po.items():
            children[s] = sorted(
                ((o, p == RDF.rest) for p, objs in preds.items() for o in objs if o in candidates),
                key=lambda item: labels[item[0]],
            )
        self.inline: set[BNode] = set()
        visited: set[Node] = set()

        def traverse(root: Node) -> None:
            stack: list[tuple[Node, int]] = [(root, 0)]
            visited.add(root)
            while stack:
                node, depth = stack.pop()
                for child, same_depth in children.get(node, []):
                    if child in visited:
                        continue
                    visited.add(child)
                    child_depth = depth if same_depth else depth + 1
                    if child_depth > _MAX_NESTING:
                        stack.append((child, 0))  # written as a labelled top-level subject
                    else:
                        self.inline.add(child)
                        stack.append((child, child_depth))

        for root in [s for s in self.po if s not in candidates]:
            if root not in visited:
                traverse(root)
        # blank nodes referenced once, but only from inside a cycle of such nodes
        leftover = sorted((b for b in candidates if b not in visited and b in self.po), key=labels.__getitem__)
        while leftover:
            traverse(leftover[0])
            leftover = [b for b in leftover if b not in visited]
        self.subjects: list[Node] = sorted(
            (s for s in self.po if s not in self.inline), key=lambda s: _subject_key(s, labels)
        )

    def list_items(self, node: BNode) -> list[Node] | None:
        """The items of the well-formed inline collection starting at ``node``, else ``None``."""
        items: list[Node] = []
        seen: set[BNode] = set()
        current: Node = node
        while True:
            if not isinstance(current, BNode) or current not in self.inline or current in seen:
                return None
            preds = self.po.get(current)
            if (
                not preds
                or set(preds) != {RDF.first, RDF.rest}
                or len(preds[RDF.first]) != 1
                or len(preds[RDF.rest]) != 1
            ):
                return None
            seen.add(current)
            items.append(preds[RDF.first][0])
            current = preds[RDF.rest][0]
            if current == RDF.nil:
                return items


def _subject_key(node: Node, labels: Mapping[BNode, str]) -> tuple[int, str]:
    if isinstance(node, URIRef):
        return (0, str(node))
    return (1, labels[node])  # type: ignore[index]


class _TurtleWriter:
    """A small canonical pretty-printer for Turtle and TriG."""

    INDENT = "    "
    #: an inline ``[ ]`` with at most this many predicate-object pairs may stay on one line
    INLINE_PAIRS = 4
    #: a collection may stay on one line up to this length
    INLINE_WIDTH = 100

    def __init__(
        self,
        prefixes: Mapping[str, str],
        labels: Mapping[BNode, str],
        graphs: Sequence[tuple[URIRef | None, list[Triple]]],
    ) -> None:
        self.prefixes = dict(prefixes)
        # longest namespace first, so the most specific prefix wins
        self.namespaces = sorted(self.prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.labels = labels
        self.graphs = graphs
        self.used: set[str] = set()
        self.shared = _shared_bnodes(graphs)

    # -- terms ------------------------------------------------------------------------
    def iri(self, iri: URIRef | str) -> str:
        text = str(iri)
        for prefix, namespace in self.namespaces:
            if text.startswith(namespace) and _PN_LOCAL.match(text[len(namespace) :]):
                self.used.add(prefix)
                return f"{prefix}:{text[len(namespace):]}"
        return _iri(text)

    def literal(self, lit: Literal) -> str:
        lexical = str(lit)
        datatype = lit.datatype
        if lit.language:
            return f"{self.string(lexical)}@{lit.language}"
        if datatype is None:
            return self.string(lexical)
        if datatype == XSD.integer and _INTEGER.match(lexical):
            return lexical
        if datatype == XSD.decimal and _DECIMAL.match(lexical):
            return lexical
        if datatype == XSD.double and _DOUBLE.match(lexical):
            return lexical
        if datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical
        return f"{self.string(lexical)}^^{self.iri(datatype)}"

    @staticmethod
    def string(text: str) -> str:
        if "\n" in text:
            return _quote_long(text)
        return _quote(text)

    # -- blocks -------------------------------------------------------------------------
    def term(self, layout: _GraphLayout, o: Node, indent: str) -> tuple[int, str]:
        """An object, with its sort class; ``indent`` is the indentation of its predicate."""
        if isinstance(o, URIRef):
            return (0, self.iri(o))
        if isinstance(o, BNode):
            if o in layout.inline:
                items = layout.list_items(o)
                if items is not None:
                    return (1, self.collection(layout, items, indent))
                return (1, self.nested(layout, o, indent))
            return (1, "_:" + self.labels[o])
        return (2, self.literal(o))  # type: ignore[arg-type]

    def predicates(self, layout: _GraphLayout, subject: Node, indent: str) -> list[str]:
        """One ``predicate objects`` item per predicate; objects beyond the first on new lines."""
        preds = layout.po.get(subject, {})
        items = []
        for p in sorted(preds, key=lambda p: (p != RDF.type, str(p))):
            key = "a" if p == RDF.type else self.iri(p)
            objs = [text for _, text in sorted(self.term(layout, o, indent) for o in preds[p])]
            items.append(key + " " + (",\n" + indent + self.INDENT).join(objs))
        return items

    def nested(self, layout: _GraphLayout, node: BNode, indent: str) -> str:
        """An inline ``[ ... ]`` blank node; ``indent`` is the indentation of the line it starts on."""
        preds = layout.po.get(node)
        if not preds:
            return "[]"
        if sum(len(objs) for objs in preds.values()) <= self.INLINE_PAIRS and not any(
            isinstance(o, BNode) and o in layout.inline and layout.po.get(o) and layout.list_items(o) is None
            for objs in preds.values()
            for o in objs
        ):
            items = self.predicates(layout, node, indent + self.INDENT)
            if not any("\n" in item for item in items):
                return "[ " + " ; ".join(items) + " ]"
        inner = indent + self.INDENT
        items = self.predicates(layout, node, inner)
        return "[\n" + inner + (" ;\n" + inner).join(items) + "\n" + indent + "]"

    def collection(self, layout: _GraphLayout, items: list[Node], indent: str) -> str:
        """An RDF collection ``( ... )`` (items keep their order)."""
        if not items:
            return "()"
        inner = indent + self.INDENT
        rendered = [self.term(layout, item, inner)[1] for item in items]
        one_line = "( " + " ".join(rendered) + " )"
        if "\n" not in one_line and len(one_line) <= self.INLINE_WIDTH:
            return one_line
        return "(\n" + "".join(inner + text + "\n" for text in rendered) + indent + ")"

    def subject_block(self, layout: _GraphLayout, subject: Node, indent: str) -> str:
        head = self.iri(subject) if isinstance(subject, URIRef) else "_:" + self.labels[subject]  # type: ignore[index]
        inner = indent + self.INDENT
        items = self.predicates(layout, subject, inner)
        return indent + head + " " + (" ;\n" + inner).join(items) + " .\n"

    def graph_body(self, triples: list[Triple], indent: str) -> str:
        layout = _GraphLayout(triples, self.labels, self.shared)
        blocks = [self.subject_block(layout, s, indent) for s in layout.subjects]
        return "\n".join(blocks)

    def write(self, *, trig: bool) -> str:
        chunks: list[str] = []
        for name, triples in self.graphs:
            if name is None or not trig:
                body = self.graph_body(triples, "")
                if body:
                    chunks.append(body)
            else:
                body = self.graph_body(triples, self.INDENT)
                head = self.iri(name)
                chunks.append(f"{head} {{\n{body}}}\n" if body else f"{head} {{\n}}\n")
        header = "".join(f"@prefix {p}: {_iri(ns)} .\n" for p, ns in self.prefixes.items() if p in self.used)
        if header and chunks:
            header += "\n"
        return header + "\n".join(chunks)


def _shared_bnodes(graphs: Sequence[tuple[URIRef | None, list[Triple]]]) -> set[BNode]:
    """Blank nodes that occur in more than one graph (never written inline)."""
    seen: dict[BNode, set[URIRef | None]] = defaultdict(set)
    for name, triples in graphs:
        for s, _, o in triples:
            if isinstance(s, BNode):
                seen[s].add(name)
            if isinstance(o, BNode):
                seen[o].add(name)
    return {b for b, names in seen.items() if len(names) > 1}


# ======================================================================================
# JSON-LD
# ======================================================================================

#: term -> (IRI as a prefixed name, coercion): "@language" (a language map), "@id" (values
#: are IRIs / blank nodes), a datatype (values are literals of that type), or None.
#: Exports use a term only where every value of that property on that node fits it, and the
#: prefixed name otherwise, so the context never changes what a value means.
JSONLD_TERMS: dict[str, tuple[str, str | None]] = {
    "label": ("rdfs:label", "@language"),
    "altLabel": ("skos:altLabel", "@language"),
    "comment": ("rdfs:comment", "@language"),
    "definition": ("skos:definition", "@language"),
    "hasEvidence": ("cg:hasEvidence", "@id"),
    "hasSource": ("oa:hasSource", "@id"),
    "hasSelector": ("oa:hasSelector", "@id"),
    "exact": ("oa:exact", None),
    "start": ("oa:start", None),
    "end": ("oa:end", None),
    "earliestDate": ("cg:earliestDate", "xsd:date"),
    "latestDate": ("cg:latestDate", "xsd:date"),
    "datePrecision": ("cg:datePrecision", "@id"),
    "locatedIn": ("cg:locatedIn", "@id"),
    "about": ("cg:about", "@id"),
    "concerns": ("cg:concerns", "@id"),
    "place": ("cg:place", "@id"),
    "participant": ("cg:participant", "@id"),
    "party": ("cg:party", "@id"),
    "signatory": ("cg:signatory", "@id"),
    "metric": ("cg:metric", "@id"),
    "unit": ("cg:unit", "@id"),
    "bound": ("cg:bound", "@id"),
    "subClassOf": ("rdfs:subClassOf", "@id"),
    "subPropertyOf": ("rdfs:subPropertyOf", "@id"),
}


def _expand_pname(pname: str) -> str:
    prefix, _, local = pname.partition(":")
    return str(PREFIXES[prefix]) + local


def jsonld_context() -> dict[str, Any]:
    """The compact JSON-LD context: every project prefix, then the term definitions."""
    context: dict[str, Any] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for term, (pname, coercion) in JSONLD_TERMS.items():
        definition: dict[str, str] = {"@id": pname}
        if coercion == "@language":
            definition["@container"] = "@language"
        elif coercion is not None:
            definition["@type"] = coercion
        context[term] = definition
    return context


def jsonld_context_path() -> Path:
    """Where the shipped context file is (``ontology/context.jsonld``, also inside the wheel)."""
    from coopgraph.resources import data_root

    return data_root() / "ontology" / "context.jsonld"


def jsonld_context_document() -> str:
    """The text of ``ontology/context.jsonld`` (a test keeps the shipped file equal to it)."""
    return json.dumps({"@context": jsonld_context()}, indent=2, ensure_ascii=False) + "\n"


class _JsonLdWriter:
    def __init__(self, labels: Mapping[BNode, str]) -> None:
        self.labels = labels
        self.namespaces = sorted(
            ((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda item: (-len(item[1]), item[0])
        )
        self.terms: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for term, (pname, coercion) in JSONLD_TERMS.items():
            self.terms[_expand_pname(pname)].append((term, coercion))

    def compact(self, iri: str) -> str:
        for prefix, namespace in self.namespaces:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri

    def node_id(self, node: Node) -> str:
        if isinstance(node, BNode):
            return "_:" + self.labels[node]
        return self.compact(str(node))

    def literal(self, lit: Literal) -> Any:
        lexical = str(lit)
        if lit.language:
            return {"@value": lexical, "@language": lit.language}
        if lit.datatype is None:
            return lexical
        if lit.datatype == XSD.integer and _JSON_INTEGER.match(lexical):
            return int(lexical)
        if lit.datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical == "true"
        return {"@value": lexical, "@type": self.compact(str(lit.datatype))}

    def value(self, layout: _GraphLayout, o: Node, coerce_id: bool, in_list: bool = False) -> Any:
        if isinstance(o, Literal):
            value = self.literal(o)
            # under "@type": "@id" a bare string would be read as an IRI
            return {"@value": value} if coerce_id and isinstance(value, str) else value
        if isinstance(o, BNode) and o in layout.inline:
            items = layout.list_items(o)
            # JSON-LD 1.0 has no lists of lists: an inner list stays first/rest nodes
            if items is not None and not in_list:
                return {"@list": [self.value(layout, item, coerce_id, in_list=True) for item in items]}
            if layout.po.get(o):
                return self.node(layout, o, embedded=True)
        ident = self.node_id(o)
        return ident if coerce_id else {"@id": ident}

    def property(self, layout: _GraphLayout, p: URIRef, objs: list[Node]) -> tuple[str, Any]:
        for term, coercion in self.terms.get(str(p), []):
            if coercion == "@language":
                if all(isinstance(o, Literal) and o.language for o in objs):
                    by_lang: dict[str, list[str]] = defaultdict(list)
                    for o in objs:
                        by_lang[o.language].append(str(o))  # type: ignore[union-attr,index]
                    return term, {
                        lang: (values[0] if len(values) == 1 else sorted(values))
                        for lang, values in sorted(by_lang.items())
                    }
            elif coercion == "@id":
                if all(isinstance(o, (URIRef, BNode)) for o in objs):
                    return term, self.many(layout, objs, coerce_id=True)
            elif coercion is not None:
                datatype = _expand_pname(coercion)
                if all(
                    isinstance(o, Literal) and not o.language and str(o.datatype) == datatype for o in objs
                ):
                    return term, self.pack(sorted(str(o) for o in objs))
            else:
                return term, self.many(layout, objs, coerce_id=False)
        return self.compact(str(p)), self.many(layout, objs, coerce_id=False)

    @staticmethod
    def pack(values: list[Any]) -> Any:
        return values[0] if len(values) == 1 else values

    def many(self, layout: _GraphLayout, objs: list[Node], coerce_id: bool) -> Any:
        rendered = []
        for o in objs:
            value = self.value(layout, o, coerce_id)
            kind = 0 if isinstance(o, URIRef) else 1 if isinstance(o, BNode) else 2
            rendered.append(((kind, json.dumps(value, ensure_ascii=False, sort_keys=True)), value))
        rendered.sort(key=lambda item: item[0])
        return self.pack([value for _, value in rendered])

    def node(self, layout: _GraphLayout, subject: Node, embedded: bool = False) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        if not embedded:
            obj["@id"] = self.node_id(subject)
        preds = layout.po.get(subject, {})
        types = [o for o in preds.get(RDF.type, []) if isinstance(o, (URIRef, BNode))]
        if types:
            obj["@type"] = self.pack(sorted(self.node_id(t) for t in types))
        entries = []
        for p in preds:
            objs = preds[p]
            if p == RDF.type:
                objs = [o for o in objs if isinstance(o, Literal)]
                if not objs:
                    continue
            entries.append(self.property(layout, p, objs))
        for key, value in sorted(entries, key=lambda entry: entry[0]):
            obj[key] = value
        return obj

    def graph(self, triples: list[Triple], shared: set[BNode]) -> list[dict[str, Any]]:
        layout = _GraphLayout(triples, self.labels, shared)
        return [self.node(layout, s) for s in layout.subjects]


def _write_jsonld(graphs: Sequence[tuple[URIRef | None, list[Triple]]], labels: Mapping[BNode, str]) -> str:
    writer = _JsonLdWriter(labels)
    shared = _shared_bnodes(graphs)
    top: list[dict[str, Any]] = []
    for name, triples in graphs:
        nodes = writer.graph(triples, shared)
        if name is None:
            top.extend(nodes)
        else:
            top.append({"@id": writer.node_id(name), "@graph": nodes})
    document = {"@context": jsonld_context(), "@graph": top}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ======================================================================================
# Atomic file writing
# ======================================================================================


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(destination: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``destination`` so that it is either fully written or untouched.

    The text goes to a temporary file in the same folder, is flushed and synced to disk, and
    then replaces the destination in one ``os.replace``. Any failure removes the temporary
    file and raises :class:`ExportError` naming the path.
    """
    path = Path(destination).expanduser()
    data = text.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
    except OSError:
        mode = _default_mode()
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(f"cannot write {path}: {reason}") from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    try:  # make the rename itself durable (best effort; not possible on every platform)
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


if __name__ == "__main__":  # pragma: no cover - maintenance helper
    import sys

    # `python -m coopgraph.export context` prints the JSON-LD context shipped as ontology/context.jsonld
    if sys.argv[1:] == ["context"]:
        sys.stdout.write(jsonld_context_document())
    else:
        print("usage: python -m coopgraph.export context", file=sys.stderr)
        raise SystemExit(2)

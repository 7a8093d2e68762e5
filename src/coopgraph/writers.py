"""Canonical writers for N-Quads, Turtle/TriG and JSON-LD (used by :mod:`coopgraph.export`)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from coopgraph.namespaces import PREFIXES
from coopgraph.rdfterms import DECIMAL, DOUBLE, INTEGER, JSON_INTEGER, PN_LOCAL, iri_ref, nt_term, quote_long_string, quote_string

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, "URIRef | None"]

#: nested ``[ ]`` blocks deeper than this are written as labelled blank nodes instead
_MAX_NESTING = 24

# ======================================================================================
# N-Quads
# ======================================================================================


def is_writable(s: Node, p: Node, o: Node) -> bool:
    """True for a triple RDF can hold: an IRI or blank-node subject, an IRI predicate."""
    return isinstance(s, (URIRef, BNode)) and isinstance(p, URIRef) and isinstance(o, (URIRef, BNode, Literal))


def skipped_message(count: int) -> str:
    """The warning given when ``count`` triples are not written (:func:`is_writable`)."""
    return f"{count} triple(s) that are not valid RDF (literal subject or non-IRI predicate) were not written"


def nquad_line(s: Node, p: Node, o: Node, g: URIRef | None, labels: Mapping[BNode, str]) -> str:
    """One canonical N-Quads line, ending in a line feed (no other line break: they are escaped)."""
    graph = f" {nt_term(g)}" if g is not None else ""
    return f"{nt_term(s, labels)} {nt_term(p)} {nt_term(o, labels)}{graph} .\n"


def write_nquads(quads: Sequence[Quad], labels: Mapping[BNode, str]) -> str:
    """The sorted, distinct lines of ``quads``."""
    return "".join(sorted({nquad_line(s, p, o, g, labels) for s, p, o, g in quads}))


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


class TurtleWriter:
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
        shared: set[BNode] | None = None,
    ) -> None:
        self.prefixes = dict(prefixes)
        # longest namespace first, so the most specific prefix wins
        self.namespaces = sorted(self.prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.labels = labels
        self.graphs = graphs
        self.used: set[str] = set()
        # blank nodes in more than one graph: given when the graphs are written one at a time
        self.shared = shared if shared is not None else shared_blank_nodes(
            (s, p, o, name) for name, triples in graphs for s, p, o in triples
        )

    # -- terms ------------------------------------------------------------------------
    def iri(self, iri: URIRef | str) -> str:
        text = str(iri)
        for prefix, namespace in self.namespaces:
            if text.startswith(namespace) and PN_LOCAL.match(text[len(namespace) :]):
                self.used.add(prefix)
                return f"{prefix}:{text[len(namespace):]}"
        return iri_ref(text)

    def literal(self, lit: Literal) -> str:
        lexical = str(lit)
        datatype = lit.datatype
        if lit.language:
            return f"{self.string(lexical)}@{lit.language}"
        if datatype is None:
            return self.string(lexical)
        if datatype == XSD.integer and INTEGER.match(lexical):
            return lexical
        if datatype == XSD.decimal and DECIMAL.match(lexical):
            return lexical
        if datatype == XSD.double and DOUBLE.match(lexical):
            return lexical
        if datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical
        return f"{self.string(lexical)}^^{self.iri(datatype)}"

    @staticmethod
    def string(text: str) -> str:
        if "\n" in text:
            return quote_long_string(text)
        return quote_string(text)

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

    def graph_chunk(self, name: URIRef | None, triples: list[Triple], *, trig: bool) -> str | None:
        """One graph's text: a ``name { ... }`` block in TriG, the bare triples for the default
        graph or in Turtle (``None`` when there are none); chunks are joined by a blank line."""
        if name is None or not trig:
            return self.graph_body(triples, "") or None
        body = self.graph_body(triples, self.INDENT)
        head = self.iri(name)
        return f"{head} {{\n{body}}}\n" if body else f"{head} {{\n}}\n"

    def header(self, *, any_chunk: bool) -> str:
        """The ``@prefix`` lines of the prefixes the chunks written so far used."""
        header = "".join(f"@prefix {p}: {iri_ref(ns)} .\n" for p, ns in self.prefixes.items() if p in self.used)
        return header + "\n" if header and any_chunk else header

    def write(self, *, trig: bool) -> str:
        chunks = [c for name, triples in self.graphs if (c := self.graph_chunk(name, triples, trig=trig)) is not None]
        return self.header(any_chunk=bool(chunks)) + "\n".join(chunks)


def shared_blank_nodes(quads: Iterable[Quad]) -> set[BNode]:
    """Blank nodes that occur in more than one graph (never written inline)."""
    seen: dict[BNode, set[URIRef | None]] = defaultdict(set)
    for s, _, o, name in quads:
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
        if lit.datatype == XSD.integer and JSON_INTEGER.match(lexical):
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


class JsonLdStream:
    """The JSON-LD document written graph by graph, as ``json.dumps(document, indent=2)`` writes it.

    ``{"@context": ..., "@graph": [...]}``: the context first, then one item of ``@graph`` per
    named graph (``{"@id": ..., "@graph": [nodes]}``; the nodes of the default graph are items of
    their own), each dumped alone and indented to its place. JSON escapes the line breaks inside
    strings, so every line feed of a dumped item is one of its own lines.
    """

    ITEM_INDENT = "    "

    def __init__(self, labels: Mapping[BNode, str], shared: set[BNode], write: Callable[[str], None]) -> None:
        self.writer = _JsonLdWriter(labels)
        self.shared = shared
        self.write = write
        self.items = 0
        empty = json.dumps({"@context": jsonld_context(), "@graph": []}, indent=2, ensure_ascii=False)
        self.head, self.empty_tail = empty[: -len("[]\n}")], "[]\n}\n"

    def add_graph(self, name: URIRef | None, triples: list[Triple]) -> None:
        """Write the item(s) of one graph."""
        nodes = self.writer.graph(triples, self.shared)
        items = nodes if name is None else [{"@id": self.writer.node_id(name), "@graph": nodes}]
        for item in items:
            text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n" + self.ITEM_INDENT)
            self.write((self.head + "[\n" if self.items == 0 else ",\n") + self.ITEM_INDENT + text)
            self.items += 1

    def close(self) -> None:
        """Write the end of the document."""
        self.write(self.head + self.empty_tail if self.items == 0 else "\n  ]\n}\n")


def write_jsonld(graphs: Sequence[tuple[URIRef | None, list[Triple]]], labels: Mapping[BNode, str]) -> str:
    chunks: list[str] = []
    shared = shared_blank_nodes((s, p, o, name) for name, triples in graphs for s, p, o in triples)
    stream = JsonLdStream(labels, shared, chunks.append)
    for name, triples in graphs:
        stream.add_graph(name, triples)
    stream.close()
    return "".join(chunks)

"""Compile the SHACL Core shapes of ``ontology/shapes.ttl`` into SPARQL queries over named graphs.

The queries reproduce, for a store that keeps one named graph per input file, exactly what
:func:`coopgraph.validation.validate` asks pyshacl for (see that module for the passes):

* a *single-graph pass* validates one graph ``G`` whose data graph is ``G`` + the ontology's
  ``rdf:type``/``rdfs:subClassOf`` triples + the catalog's ``rdf:type cg:SourceDocument``
  triples; its results are kept only for focus nodes that belong to ``G`` (a subject there, or
  an object there that the ontology and catalog do not describe). The compiled query runs
  every such pass at once: ``?g`` is the pass, and every triple pattern of the data reads
  ``GRAPH ?g`` (plus the ontology and catalog for ``rdf:type`` and ``rdfs:subClassOf``);
* the *cross-source pass* validates the union of the source graphs: every triple pattern
  reads any source graph (its own graph variable), and a focus node belongs to the pass when
  it is a subject in some source graph.

Each :class:`ShapeQuery` is one constraint of one shape that reports (a targeted node shape
or one of its property shapes; :class:`Check` says what its results report) and one SELECT
that returns ``?g ?focus`` (and the value node ``?v``) for every violation. Nested shapes
(``sh:node``, ``sh:or``, ``sh:xone``, ``sh:not``, ``sh:qualifiedValueShape``) become ``EXISTS``
expressions: a value conforms to a shape when none of the shape's constraints is violated.
A value that breaks an ``sh:node`` also gets the nested shape's own results, as pyshacl
reports them (``sh:detail``).

Only the constructs the shapes file uses are compiled (listed in ``SUPPORTED``); a shape with
anything else raises :class:`UnsupportedShape`, and callers fall back to pyshacl. The terms
come from the shapes and the ontology, never from user input, and are written with the
checked SPARQL term syntax of :func:`coopgraph.stores.terms.sparql_term`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from coopgraph.errors import CoopgraphError
from coopgraph.namespaces import CG, DERIVED_GRAPHS, GRAPH_CATALOG, GRAPH_ONTOLOGY, GRAPH_PLACES, SH
from coopgraph.stores.terms import sparql_term

SCOPE_NS = "https://w3id.org/coopgraph/shapes#"
SCOPE_SOURCE = URIRef(SCOPE_NS + "SourceGraph")
SCOPE_CATALOG = URIRef(SCOPE_NS + "CatalogGraph")
SCOPE_PLACES = URIRef(SCOPE_NS + "PlacesGraph")
SCOPE_UNION = URIRef(SCOPE_NS + "UnionOfSources")

#: graphs that are never validated as a source graph
RESERVED_GRAPHS = (GRAPH_ONTOLOGY, GRAPH_CATALOG, GRAPH_PLACES, *DERIVED_GRAPHS)

#: the shape predicates this compiler understands (anything else: UnsupportedShape)
SUPPORTED = frozenset(
    SH[name]
    for name in (
        "targetClass targetSubjectsOf targetObjectsOf property path message severity "
        "class datatype nodeKind minCount maxCount pattern flags in hasValue minInclusive minLength "
        "uniqueLang equals lessThan lessThanOrEquals node or xone not qualifiedValueShape "
        "qualifiedMinCount qualifiedMaxCount name description"
    ).split()
) | {RDF.type, RDFS.comment, RDFS.label, URIRef(SCOPE_NS + "scope")}

_DATATYPE_CASTS = {  # datatypes whose lexical form pyshacl checks (rdflib's ``ill_typed``)
    XSD.date, XSD.gYear, XSD.gYearMonth, XSD.integer, XSD.decimal, XSD.dateTime,
    XSD.boolean, XSD.float, XSD.double, XSD.time,
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


class UnsupportedShape(CoopgraphError):
    """A shape uses a SHACL construct that the SPARQL compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """What a result of one constraint reports: its shape, component, severity, message and path."""

    shape: Node  # the shape that reports (sh:sourceShape)
    component: URIRef  # sh:...ConstraintComponent
    severity: URIRef
    message: str
    path: URIRef | None  # the predicate of a property shape's path (None: a node shape)
    inverse: bool  # the path is ^path
    has_value: bool  # whether results carry a value node (the focus node itself for node-level constraints)

    @property
    def path_text(self) -> str | None:
        """The path as reports print it: ``cg:place``, ``^cg:hasEvidence``."""
        from coopgraph.validation import short

        if self.path is None:
            return None
        return ("^" if self.inverse else "") + short(self.path)


#: Constraint.values for a node-level constraint: the focus node is the value node
SELF = "self"


@dataclass(frozen=True)
class Constraint:
    """One constraint as a violation expression.

    ``values`` says where the value nodes come from: ``None`` (the constraint is on the focus
    node as a whole, no value is reported), :data:`SELF` (the focus node is the value node) or
    a ``(predicate, inverse)`` path whose values are each tested. ``violation(f, v)`` writes a
    SPARQL expression that holds when focus ``f`` (with value ``v``) violates the constraint.
    """

    component: URIRef
    values: object
    violation: Callable[[str, str], str]
    shape: Node  # the shape the constraint belongs to (sh:sourceShape of its results)
    nested: Node | None = None  # for sh:node: the shape the values must conform to
    #: for constraints that need several values (maxCount, uniqueLang, qualifiedMaxCount): a
    #: pattern binding the focus nodes that can violate it, to search from instead of the targets
    candidates: Callable[[str], str] | None = None


@dataclass(frozen=True)
class ShapeQuery:
    """One compiled query: a SELECT of ``?g ?focus`` (and ``?v``, the value node, when
    ``binds_value``) with one row per violation of the constraint described by ``check``.
    ``?g`` is the graph of the single-graph pass (unbound in the cross-source pass).
    """

    shape: URIRef
    scope: URIRef  # SCOPE_UNION, or the single-graph scope(s) of the shape
    union: bool
    query: str
    check: Check
    binds_value: bool = False  # rows carry ?v, the value node


def nt(term: Node) -> str:
    """A term in SPARQL syntax (N-Triples form, checked)."""
    return sparql_term(term)


class _Context:
    """How triple patterns read the data graph of the pass (see the module docstring)."""

    def __init__(self, union: bool, subclasses: dict[Node, list[Node]], ontology_types: frozenset[Node]) -> None:
        self.union = union
        self.subclasses = subclasses
        self.ontology_types = ontology_types
        self._counter = itertools.count()

    def var(self, stem: str) -> str:
        return f"?{stem}{next(self._counter)}"

    def graph_filter(self, gvar: str) -> str:
        return f"FILTER({gvar} NOT IN ({', '.join(nt(g) for g in RESERVED_GRAPHS)}))"

    def in_data(self, pattern: str) -> str:
        """``pattern`` (triples) read in the pass's graph(s)."""
        if not self.union:
            return f"GRAPH ?g {{ {pattern} }}"
        gvar = self.var("gu")
        return f"GRAPH {gvar} {{ {pattern} }} {self.graph_filter(gvar)}"

    def triple(self, s: str, p: Node, o: str) -> str:
        """One triple of the data graph of the pass."""
        if p == RDF.type:
            return (
                f"{{ {self.in_data(f'{s} a {o} .')} }} UNION "
                f"{{ GRAPH {nt(GRAPH_ONTOLOGY)} {{ {s} a {o} }} }} UNION "
                f"{{ GRAPH {nt(GRAPH_CATALOG)} {{ {s} a {o} }} FILTER(sameTerm({o}, {nt(CG.SourceDocument)})) }}"
            )
        if p == RDFS.subClassOf:
            return (
                f"{{ {self.in_data(f'{s} {nt(p)} {o} .')} }} UNION "
                f"{{ GRAPH {nt(GRAPH_ONTOLOGY)} {{ {s} {nt(p)} {o} }} }}"
            )
        return self.in_data(f"{s} {nt(p)} {o} .")

    def type_triple(self, s: str, cls: Node) -> str:
        """``s rdf:type cls`` (a constant class) in the pass's data, reading only the parts that can hold it."""
        branches = [self.in_data(f"{s} a {nt(cls)} .")]
        if cls in self.ontology_types:
            branches.append(f"GRAPH {nt(GRAPH_ONTOLOGY)} {{ {s} a {nt(cls)} }}")
        if cls == CG.SourceDocument:
            branches.append(f"GRAPH {nt(GRAPH_CATALOG)} {{ {s} a {nt(cls)} }}")
        return branches[0] if len(branches) == 1 else " UNION ".join(f"{{ {b} }}" for b in branches)

    def instance_of(self, node: str, cls: Node) -> str:
        """A pattern matching when ``node`` is a SHACL instance of ``cls`` in the pass's data.

        The ontology and catalog parts of the data graph are read only when they type
        anything with one of the classes (they rarely do: the pattern stays one index lookup).
        """
        classes = self.subclasses.get(cls, [cls])
        if len(classes) == 1:
            return self.type_triple(node, classes[0])
        t = self.var("t")
        values = f"VALUES {t} {{ {' '.join(nt(c) for c in classes)} }}"
        branches = [self.in_data(f"{node} a {t} .")]
        if self.ontology_types.intersection(classes):
            branches.append(f"GRAPH {nt(GRAPH_ONTOLOGY)} {{ {node} a {t} }}")
        if CG.SourceDocument in classes:
            branches.append(f"GRAPH {nt(GRAPH_CATALOG)} {{ {node} a {t} }} FILTER(sameTerm({t}, {nt(CG.SourceDocument)}))")
        if len(branches) == 1:
            return f"{values} {branches[0]}"
        return f"{values} " + " UNION ".join(f"{{ {b} }}" for b in branches)


class Compiler:
    """Turns the shapes graph into :class:`Check` objects (see :func:`compile_shapes`)."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.shapes = shapes
        self.subclasses = _subclass_closure(ontology)
        self.ontology_types = frozenset(ontology.objects(None, RDF.type))

    # -- shape structure ------------------------------------------------------------------

    def _one(self, shape: Node, predicate: URIRef) -> Node | None:
        values = list(self.shapes.objects(shape, predicate))
        if len(values) > 1:
            raise UnsupportedShape(f"{shape}: more than one {predicate}")
        return values[0] if values else None

    def _list(self, head: Node) -> list[Node]:
        return list(Collection(self.shapes, head))

    def _check_supported(self, shape: Node) -> None:
        for predicate in set(self.shapes.predicates(shape, None)):
            if predicate not in SUPPORTED:
                raise UnsupportedShape(f"shape {shape} uses {predicate}, which the SPARQL validator does not compile")
        flags = self._one(shape, SH.flags)
        if flags is not None and not set(str(flags)) <= set("imsx"):
            raise UnsupportedShape(f"shape {shape}: regex flags {flags!r}")

    def _path(self, shape: Node) -> tuple[Node, bool] | None:
        """(predicate, inverse) of a property shape, or None for a node shape."""
        path = self._one(shape, SH.path)
        if path is None:
            return None
        if isinstance(path, URIRef):
            return path, False
        inverse = self.shapes.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and len(list(self.shapes.predicate_objects(path))) == 1:
            return inverse, True
        raise UnsupportedShape(f"shape {shape}: only predicate paths and ^predicate paths are compiled")

    def _values(self, ctx: _Context, focus: str, path: tuple[Node, bool], value: str) -> str:
        predicate, inverse = path
        return ctx.triple(value, predicate, focus) if inverse else ctx.triple(focus, predicate, value)

    # -- constraints as violation expressions ------------------------------------------------

    def constraints(self, shape: Node, ctx: _Context, *, deep: bool = True) -> list[Constraint]:
        """The constraints of ``shape`` (and, with ``deep``, of its property shapes)."""
        self._check_supported(shape)
        path = self._path(shape)
        out = self._own_constraints(shape, ctx, path)
        if deep:
            for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
                out.extend(self.constraints(prop, ctx))
        return out

    def conforms(self, shape: Node, ctx: _Context, node: str) -> str:
        """A SPARQL expression: ``node`` conforms to ``shape`` in the pass's data."""
        parts: list[str] = []
        for c in self.constraints(shape, ctx):
            if c.values is None:
                parts.append(f"!({c.violation(node, '')})")
            elif c.values == SELF:
                parts.append(f"!({c.violation(node, node)})")
            else:
                v = ctx.var("n")
                parts.append(f"NOT EXISTS {{ {self._values(ctx, node, c.values, v)} FILTER({c.violation(node, v)}) }}")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def _only_class(self, shape: Node) -> Node | None:
        """The class of a shape that is exactly ``[ sh:class C ]`` (None otherwise)."""
        predicates = set(self.shapes.predicates(shape, None)) - {RDF.type}
        classes = list(self.shapes.objects(shape, SH["class"]))
        return classes[0] if predicates == {SH["class"]} and len(classes) == 1 else None

    def _own_constraints(self, shape: Node, ctx: _Context, path: tuple[Node, bool] | None) -> list[Constraint]:
        out: list[Constraint] = []
        each = path if path is not None else SELF  # where the value nodes come from

        def value_rule(component: URIRef, fine: Callable[[str], str]) -> None:
            # fine(v): an expression that holds when value node v satisfies the constraint
            out.append(Constraint(component, each, lambda f, v, fine=fine: f"!({fine(v)})", shape))

        for cls in sorted(self.shapes.objects(shape, SH["class"]), key=str):
            value_rule(SH.ClassConstraintComponent, lambda v, cls=cls: f"EXISTS {{ {ctx.instance_of(v, cls)} }}")
        datatype = self._one(shape, SH.datatype)
        if datatype is not None:
            value_rule(SH.DatatypeConstraintComponent, lambda v: _datatype_condition(v, datatype))
        kind = self._one(shape, SH.nodeKind)
        if kind is not None:
            if kind not in _NODE_KINDS:
                raise UnsupportedShape(f"shape {shape}: sh:nodeKind {kind}")
            value_rule(SH.NodeKindConstraintComponent, lambda v: _NODE_KINDS[kind].format(v=v))
        pattern = self._one(shape, SH.pattern)
        if pattern is not None:
            flags = self._one(shape, SH.flags)
            tail = f", {nt(Literal(str(flags)))})" if flags else ")"
            value_rule(SH.PatternConstraintComponent,
                       lambda v: f"!isBlank({v}) && COALESCE(REGEX(STR({v}), {nt(Literal(str(pattern)))}{tail}, false)")
        members = self._one(shape, SH["in"])
        if members is not None:
            items = self._list(members)
            value_rule(SH.InConstraintComponent, lambda v: " || ".join(f"sameTerm({v}, {nt(i)})" for i in items) or "false")
        minimum = self._one(shape, SH.minInclusive)
        if minimum is not None:
            value_rule(SH.MinInclusiveConstraintComponent, lambda v: f"COALESCE({v} >= {nt(minimum)}, false)")
        min_length = self._one(shape, SH.minLength)
        if min_length is not None:
            value_rule(SH.MinLengthConstraintComponent, lambda v: f"!isBlank({v}) && STRLEN(STR({v})) >= {int(min_length)}")
        node = self._one(shape, SH.node)
        if node is not None:
            out.append(Constraint(SH.NodeConstraintComponent, each,
                                  lambda f, v: f"!({self.conforms(node, ctx, v)})", shape, nested=node))
        alternatives = self._one(shape, SH["or"])
        if alternatives is not None:
            shapes = self._list(alternatives)
            value_rule(SH.OrConstraintComponent, lambda v: " || ".join(self.conforms(x, ctx, v) for x in shapes) or "false")
        exclusive = self._one(shape, SH.xone)
        if exclusive is not None:
            shapes_x = self._list(exclusive)
            value_rule(SH.XoneConstraintComponent,
                       lambda v: "(" + (" + ".join(f"IF({self.conforms(x, ctx, v)}, 1, 0)" for x in shapes_x) or "0") + ") = 1")
        negated = self._one(shape, SH["not"])
        if negated is not None:
            value_rule(SH.NotConstraintComponent, lambda v: f"!{self.conforms(negated, ctx, v)}")
        has_value = self._one(shape, SH.hasValue)
        if has_value is not None:
            if path is None:
                value_rule(SH.HasValueConstraintComponent, lambda v: f"sameTerm({v}, {nt(has_value)})")
            elif path == (RDF.type, False) and isinstance(has_value, URIRef):
                out.append(Constraint(SH.HasValueConstraintComponent, None,
                                      lambda f, _v: f"NOT EXISTS {{ {ctx.type_triple(f, has_value)} }}", shape))
            else:
                out.append(Constraint(SH.HasValueConstraintComponent, None, lambda f, _v: (
                    lambda w: f"NOT EXISTS {{ {self._values(ctx, f, path, w)} FILTER(sameTerm({w}, {nt(has_value)})) }}"
                )(ctx.var("hv")), shape))
        if path is not None:
            out.extend(self._count_constraints(shape, ctx, path))
        return out

    def _count_constraints(self, shape: Node, ctx: _Context, path: tuple[Node, bool]) -> list[Constraint]:
        """Constraints on the set of values of a property shape (no single value to report, or pairs)."""
        out: list[Constraint] = []

        def distinct_values(f: str, n: int, condition: Callable[[str], str] | None = None) -> str:
            """A pattern: ``f`` has at least ``n`` distinct values (each satisfying ``condition``)."""
            names = [ctx.var("c") for _ in range(n)]
            parts = [self._values(ctx, f, path, name) + (f" {condition(name)}" if condition else "") for name in names]
            different = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
            return " ".join(parts) + (f" FILTER({' && '.join(different)})" if different else "")

        minimum = self._one(shape, SH.minCount)
        if minimum is not None and int(minimum) > 0:
            out.append(Constraint(SH.MinCountConstraintComponent, None,
                                  lambda f, _v: f"NOT EXISTS {{ {distinct_values(f, int(minimum))} }}", shape))
        maximum = self._one(shape, SH.maxCount)
        if maximum is not None:
            out.append(Constraint(SH.MaxCountConstraintComponent, None,
                                  lambda f, _v: f"EXISTS {{ {distinct_values(f, int(maximum) + 1)} }}", shape,
                                  candidates=lambda f: distinct_values(f, int(maximum) + 1)))
        if self._one(shape, SH.uniqueLang) == Literal(True):
            def same_language(f: str) -> str:
                a, b = ctx.var("l"), ctx.var("l")
                return (f"{self._values(ctx, f, path, a)} {self._values(ctx, f, path, b)} "
                        f"FILTER(!sameTerm({a}, {b}) && LANG({a}) != \"\" && LANG({a}) = LANG({b}))")
            out.append(Constraint(SH.UniqueLangConstraintComponent, None,
                                  lambda f, _v: f"EXISTS {{ {same_language(f)} }}", shape, candidates=same_language))
        qualified = self._one(shape, SH.qualifiedValueShape)
        if qualified is not None:
            q_min = self._one(shape, SH.qualifiedMinCount)
            q_max = self._one(shape, SH.qualifiedMaxCount)

            only_class = self._only_class(qualified)

            def conforming(v: str) -> str:
                """A pattern: value ``v`` conforms to the qualified shape."""
                if only_class is not None:  # [ sh:class C ]: the type lookup as a join, no nested NOT EXISTS
                    return ctx.instance_of(v, only_class)
                return f"FILTER({self.conforms(qualified, ctx, v)})"

            if q_min is not None and int(q_min) > 0:
                out.append(Constraint(SH.QualifiedMinCountConstraintComponent, None,
                                      lambda f, _v: f"NOT EXISTS {{ {distinct_values(f, int(q_min), conforming)} }}", shape))
            if q_max is not None:
                out.append(Constraint(SH.QualifiedMaxCountConstraintComponent, None,
                                      lambda f, _v: f"EXISTS {{ {distinct_values(f, int(q_max) + 1, conforming)} }}", shape,
                                      candidates=lambda f: distinct_values(f, int(q_max) + 1, conforming)))
        for predicate, component, operator in (
            (SH.lessThan, SH.LessThanConstraintComponent, "<"),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, "<="),
        ):
            other = self._one(shape, predicate)
            if other is not None:
                def compare(f: str, v: str, other=other, operator=operator) -> str:
                    w = ctx.var("w")
                    return (f"EXISTS {{ {ctx.triple(f, other, w)} "
                            f"FILTER(!COALESCE({_ordered(v, w, or_equal=operator == '<=')}, false)) }}")
                out.append(Constraint(component, path, compare, shape))
        other = self._one(shape, SH.equals)
        if other is not None:
            def missing_in_other(f: str, v: str) -> str:
                w = ctx.var("w")
                return f"NOT EXISTS {{ {ctx.triple(f, other, w)} FILTER(sameTerm({v}, {w})) }}"

            def missing_in_path(f: str, v: str) -> str:
                w = ctx.var("w")
                return f"NOT EXISTS {{ {self._values(ctx, f, path, w)} FILTER(sameTerm({v}, {w})) }}"
            out.append(Constraint(SH.EqualsConstraintComponent, path, missing_in_other, shape))
            out.append(Constraint(SH.EqualsConstraintComponent, (other, False), missing_in_path, shape))
        return out

    # -- targets ---------------------------------------------------------------------------

    def targets(self, shape: Node, ctx: _Context, focus: str) -> str:
        """A pattern binding ``focus`` (and ``?g`` for single-graph passes) to the shape's focus nodes."""
        branches: list[str] = []
        for cls in sorted(self.shapes.objects(shape, SH.targetClass), key=str):
            branches.append(self._target_branch(ctx, RDF.type, focus, ctx.var("x"), cls, subject=True))
        for predicate in sorted(self.shapes.objects(shape, SH.targetSubjectsOf), key=str):
            branches.append(self._target_branch(ctx, predicate, focus, ctx.var("x"), None, subject=True))
        for predicate in sorted(self.shapes.objects(shape, SH.targetObjectsOf), key=str):
            branches.append(self._target_branch(ctx, predicate, ctx.var("x"), focus, None, subject=False))
        if not branches:
            raise UnsupportedShape(f"shape {shape} has no target the SPARQL validator compiles")
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    def target_membership(self, shape: Node, ctx: _Context, focus: str) -> list[str]:
        """Patterns matching when the bound ``focus`` is a target of ``shape`` in the pass's data graph."""
        branches: list[str] = []
        for cls in sorted(self.shapes.objects(shape, SH.targetClass), key=str):
            branches.append(ctx.instance_of(focus, cls))
        for predicate in sorted(self.shapes.objects(shape, SH.targetSubjectsOf), key=str):
            branches.append(ctx.triple(focus, predicate, ctx.var("x")))
        for predicate in sorted(self.shapes.objects(shape, SH.targetObjectsOf), key=str):
            branches.append(ctx.triple(ctx.var("x"), predicate, focus))
        return branches

    def _target_branch(self, ctx: _Context, predicate: Node, s: str, o: str, cls: Node | None, *, subject: bool) -> str:
        """Focus nodes from one target: in the pass's graph, or from the ontology/catalog when they occur in it."""
        if predicate == RDFS.subClassOf:
            raise UnsupportedShape("targets on rdfs:subClassOf are not compiled")
        focus = s if subject else o
        values = f" VALUES {o} {{ {' '.join(nt(c) for c in self.subclasses.get(cls, [cls]))} }}" if cls is not None else ""
        if ctx.union:
            return f"{ctx.triple(s, predicate, o)}{values}"
        in_graph = f"GRAPH ?g {{ {s} {nt(predicate)} {o} }}{values}"
        if predicate != RDF.type:
            return in_graph
        if cls is not None:
            classes = set(self.subclasses.get(cls, [cls]))
            if not (classes & self.ontology_types) and CG.SourceDocument not in classes:
                return in_graph  # neither the ontology nor the catalog types anything with these classes
        # the type triple may come from the ontology or catalog part of the data graph: the
        # focus node then belongs to a pass only where it occurs in that pass's graph
        elsewhere = (
            f"{{ GRAPH {nt(GRAPH_ONTOLOGY)} {{ {s} a {o} }} }} UNION "
            f"{{ GRAPH {nt(GRAPH_CATALOG)} {{ {s} a {o} }} FILTER(sameTerm({o}, {nt(CG.SourceDocument)})) }}"
        )
        if cls is not None:
            # typed by the ontology or catalog, such a node is context there: it belongs to a
            # pass only as a subject of its graph (validation._collect), so look no further
            occurs = f"GRAPH ?g {{ {focus} ?op ?oo }}"
        else:
            occurs = f"{{ GRAPH ?g {{ {focus} ?op ?oo }} }} UNION {{ GRAPH ?g {{ ?os ?op {focus} }} }}"
        return f"{{ {in_graph} }} UNION {{ {{ SELECT DISTINCT {focus} WHERE {{ {{ {elsewhere} }}{values} }} }} {occurs} }}"

    def belongs(self, ctx: _Context, focus: str) -> str:
        """A filter: ``focus`` belongs to the pass (see the module docstring)."""
        if ctx.union:
            gs = ctx.var("gs")
            return f"FILTER EXISTS {{ GRAPH {gs} {{ {focus} ?bp ?bo }} {ctx.graph_filter(gs)} }}"
        described = (
            f"EXISTS {{ GRAPH {nt(GRAPH_ONTOLOGY)} {{ {focus} a|{nt(RDFS.subClassOf)} ?cx }} }} || "
            f"(!sameTerm(?g, {nt(GRAPH_CATALOG)}) && EXISTS {{ GRAPH {nt(GRAPH_CATALOG)} {{ {focus} a {nt(CG.SourceDocument)} }} }})"
        )
        return (
            f"FILTER(EXISTS {{ GRAPH ?g {{ {focus} ?bp ?bo }} }} || "
            f"(!isLiteral({focus}) && !({described})))"
        )


_NUMERIC = [XSD[n] for n in (
    "integer decimal double float int long short byte nonNegativeInteger nonPositiveInteger "
    "positiveInteger negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
).split()]


def _valid(x: str) -> str:
    """``x`` is a literal whose lexical form is valid for its (checked) datatype: rdflib has its value."""
    checks = " || ".join(
        f"(sameTerm(DATATYPE({x}), {nt(dt)}) && COALESCE(isLiteral({nt(dt)}(STR({x}))), false))"
        for dt in sorted(_DATATYPE_CASTS, key=str)
    )
    return f"(isLiteral({x}) && ({checks}))"


def _ordered(v: str, w: str, *, or_equal: bool) -> str:
    """``v < w`` (or ``<=``) as pyshacl decides it for sh:lessThan(OrEquals).

    pyshacl compares IRIs and string literals as Python strings, and fails a string against a
    non-string; other literals with rdflib's total order: numbers (both valid) by value, then
    different datatypes by datatype IRI, valid values of one datatype by value, anything else
    (an ill-typed literal) by its lexical form. ``<`` is "not greater and not equal", where
    equal is value equality for valid values and term equality otherwise.
    """
    def is_str(x: str) -> str:
        return f"(isIRI({x}) || (isLiteral({x}) && (LANG({x}) != \"\" || sameTerm(DATATYPE({x}), {nt(XSD.string)}))))"

    numeric = " || ".join(f"sameTerm(DATATYPE({{x}}), {nt(dt)})" for dt in _NUMERIC)
    both_numbers = f"(({numeric.format(x=v)}) && ({numeric.format(x=w)}) && {_valid(v)} && {_valid(w)})"
    same_type_values = f"(sameTerm(DATATYPE({v}), DATATYPE({w})) && {_valid(v)} && {_valid(w)})"
    greater = (
        f"IF({both_numbers}, {v} > {w}, "
        f"IF(!sameTerm(DATATYPE({v}), DATATYPE({w})), STR(DATATYPE({v})) > STR(DATATYPE({w})), "
        f"IF({same_type_values}, COALESCE({v} > {w}, STR({v}) > STR({w})), STR({v}) > STR({w}))))"
    )
    equal = f"IF({both_numbers} || {same_type_values}, COALESCE({v} = {w}, sameTerm({v}, {w})), sameTerm({v}, {w}))"
    literals = f"(!({greater}) && !({equal}))" if not or_equal else f"((!({greater}) && !({equal})) || {equal})"
    strings = f"STR({v}) {'<=' if or_equal else '<'} STR({w})"
    return (f"IF({is_str(v)} && {is_str(w)}, {strings}, "
            f"IF({is_str(v)} || {is_str(w)} || isBlank({v}) || isBlank({w}), false, {literals}))")


def _datatype_condition(value: str, datatype: Node) -> str:
    if datatype == RDF.langString:
        return f"(isLiteral({value}) && LANG({value}) != \"\")"
    if datatype == XSD.string:
        return f"(isLiteral({value}) && sameTerm(DATATYPE({value}), {nt(XSD.string)}))"
    condition = f"isLiteral({value}) && sameTerm(DATATYPE({value}), {nt(datatype)})"
    if datatype in _DATATYPE_CASTS:
        # a literal whose lexical form is not valid for its datatype fails (as rdflib's ill_typed)
        condition += f" && COALESCE(isLiteral({nt(datatype)}(STR({value}))), false)"
    return f"({condition})"


def _subclass_closure(ontology: Graph) -> dict[Node, list[Node]]:
    """For each class, itself and every class below it (rdfs:subClassOf*), from the ontology."""
    below: dict[Node, set[Node]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        below.setdefault(sup, set()).add(sub)
    closure: dict[Node, list[Node]] = {}
    for cls in set(below) | {s for subs in below.values() for s in subs}:
        seen = {cls}
        stack = [cls]
        while stack:
            for sub in below.get(stack.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    stack.append(sub)
        closure[cls] = sorted(seen, key=str)
    return closure


def compile_shapes(shapes: Graph, ontology: Graph, scopes: dict[URIRef, Iterable[URIRef]]) -> list[ShapeQuery]:
    """One :class:`ShapeQuery` per targeted shape and kind of pass (single graphs, union of sources).

    ``scopes`` maps each targeted shape to the passes it runs in (as :class:`coopgraph.validation.Shapes`).
    """
    compiler = Compiler(shapes, ontology)
    queries: list[ShapeQuery] = []
    for shape, shape_scopes in sorted(scopes.items(), key=lambda item: str(item[0])):
        scope_set = frozenset(shape_scopes)
        single = sorted(scope_set - {SCOPE_UNION}, key=str)
        if single:
            queries.extend(_shape_queries(compiler, shape, False, single[0] if len(single) == 1 else SCOPE_SOURCE, scope_set))
        if SCOPE_UNION in scope_set:
            queries.extend(_shape_queries(compiler, shape, True, SCOPE_UNION, scope_set))
    return queries


def _shape_queries(compiler: Compiler, shape: URIRef, union: bool, scope: URIRef, scope_set: frozenset) -> list[ShapeQuery]:
    """One query per constraint of ``shape`` and of its property shapes (and nested sh:node details).

    Each query finds the focus nodes, binds the value nodes (``?v``) when the constraint has
    them, and keeps the rows that violate it. The violation test sits in a FILTER of the group
    that binds ``?focus`` and ``?v``: Oxigraph runs ``FILTER (NOT) EXISTS`` there as a
    (anti-)join, which is far faster than the same ``EXISTS`` inside a BIND (measured: one
    query per shape with a BIND per constraint took 5x longer at 100k triples).
    """
    ctx = _Context(union, compiler.subclasses, compiler.ontology_types)
    restriction = "" if union else _graph_restriction(scope_set)
    fixed = "" if union else _fixed_graphs(scope_set)  # catalog or gazetteer only: ?g is known
    focus_nodes = (
        f"{{ SELECT DISTINCT {'' if union else '?g '}?focus WHERE {{ {fixed} {compiler.targets(shape, ctx, '?focus')} {restriction} }} }}\n"
        f"  {compiler.belongs(ctx, '?focus')}"
    )
    membership = " UNION ".join(f"{{ {b} }}" for b in compiler.target_membership(shape, ctx, "?focus"))
    value_first = f"{restriction}\n  FILTER EXISTS {{ {membership} }}\n  {compiler.belongs(ctx, '?focus')}"
    # a path that is itself a target of the shape (sh:targetSubjectsOf p with path p,
    # sh:targetObjectsOf p with path ^p): its triples start from focus nodes already
    targeting = {(p, False) for p in compiler.shapes.objects(shape, SH.targetSubjectsOf)}
    targeting |= {(p, True) for p in compiler.shapes.objects(shape, SH.targetObjectsOf)}
    value_first_targeted = f"{restriction}\n  {compiler.belongs(ctx, '?focus')}"
    # with class targets, the values of a path hang off those nodes anyway, and testing class
    # membership per triple costs more than finding the targets once (measured at 100k): only
    # the constraints that need several values start from those values
    paths_first = not any(compiler.shapes.objects(shape, SH.targetClass))
    return _queries_for(compiler, ctx, shape, shape, scope, focus_nodes, depth=0, value_first=value_first,
                        targeting=(targeting, value_first_targeted), paths_first=paths_first)


def _queries_for(compiler: Compiler, ctx: _Context, top: URIRef, shape: Node, scope: URIRef,
                 focus_nodes: str, depth: int, value_first: str | None = None,
                 targeting: tuple[set, str] | None = None, paths_first: bool = False) -> list[ShapeQuery]:
    """The queries of ``shape``'s constraints for the focus nodes that ``focus_nodes`` binds.

    pyshacl reports the results of a shape reached by ``sh:node`` for a value that does not
    conform (as ``sh:detail`` of the NodeConstraintComponent result, which the report lists
    too): so for each ``sh:node`` the nested shape's constraints are compiled again, with the
    non-conforming values as focus nodes.

    With ``value_first`` (the targeted shape itself), a constraint on the values of a path
    starts from the path's triples and then tests that their subject is a focus node of the
    pass (``value_first``: graph restriction, target membership, belonging): a link property
    used by a few hundred triples is then checked in that many steps, not once per focus
    node of a shape that targets tens of thousands.
    """
    if depth > 8:
        raise UnsupportedShape(f"sh:node nesting deeper than 8 below {top} (recursive shapes are not compiled)")
    queries: list[ShapeQuery] = []
    for reporter in [shape, *sorted(compiler.shapes.objects(shape, SH.property), key=str)]:
        path = compiler._path(reporter)
        severity = compiler._one(reporter, SH.severity) or SH.Violation
        message = "; ".join(sorted(str(m) for m in compiler.shapes.objects(reporter, SH.message)))
        for c in compiler.constraints(reporter, ctx, deep=False):
            if c.values is None:
                binding, value = "", ""
            elif c.values == SELF:
                binding, value = "", "?focus"
            else:
                binding, value = compiler._values(ctx, "?focus", c.values, "?v"), "?v"
            plain_path = path is not None and path[0] not in (RDF.type, RDFS.subClassOf)
            if paths_first and value_first is not None and value == "?v" and c.values[0] not in (RDF.type, RDFS.subClassOf):
                # the path's triples first (see above)
                targeted = targeting is not None and c.values in targeting[0]
                found = f"{binding}\n  {targeting[1] if targeted else value_first}"
            elif value_first is not None and c.candidates is not None and plain_path:
                found = (f"{{ SELECT DISTINCT {'' if ctx.union else '?g '}?focus WHERE {{ {c.candidates('?focus')} }} }}\n"
                         f"  {value_first}")
            else:
                found = f"{focus_nodes}\n  {binding}"
            query = (
                f"SELECT DISTINCT ?g ?focus {'?v' if value == '?v' else ''} WHERE {{\n"
                f"  {found}\n"
                f"  FILTER({c.violation('?focus', value)})\n"
                "}"
            )
            check = Check(
                shape=reporter, component=c.component, severity=severity, message=message,
                path=path[0] if path else None, inverse=bool(path and path[1]),
                has_value=c.values is not None,
            )
            queries.append(ShapeQuery(shape=top, scope=scope, union=ctx.union, query=query, check=check,
                                      binds_value=value == "?v"))
            if c.component == SH.NodeConstraintComponent:
                parent = ctx.var("pf")
                renamed = re.sub(r"\?focus\b", parent, focus_nodes)
                values = compiler._values(ctx, parent, c.values, "?focus") if c.values != SELF else f"BIND({parent} AS ?focus)"
                nested_nodes = (
                    f"{{ SELECT DISTINCT {'' if ctx.union else '?g '}?focus WHERE {{ {renamed} {values} "
                    f"FILTER({c.violation(parent, '?focus')}) }} }}\n"
                    f"  {compiler.belongs(ctx, '?focus')}"
                )
                queries.extend(_queries_for(compiler, ctx, top, c.nested, scope, nested_nodes, depth + 1))
    return queries


def _graph_restriction(scope_set: frozenset) -> str:
    """Which graphs a single-graph pass runs on, from the shape's scopes."""
    allowed: list[str] = []
    if SCOPE_CATALOG in scope_set:
        allowed.append(f"sameTerm(?g, {nt(GRAPH_CATALOG)})")
    if SCOPE_PLACES in scope_set:
        allowed.append(f"sameTerm(?g, {nt(GRAPH_PLACES)})")
    if SCOPE_SOURCE in scope_set:
        allowed.append(f"?g NOT IN ({', '.join(nt(g) for g in RESERVED_GRAPHS)})")
    return f"FILTER({' || '.join(allowed) or 'false'})"


def _fixed_graphs(scope_set: frozenset) -> str:
    """``VALUES ?g`` for a shape that runs only on the catalog and/or the gazetteer (evaluated first)."""
    if SCOPE_SOURCE in scope_set:
        return ""
    graphs = [g for scope, g in ((SCOPE_CATALOG, GRAPH_CATALOG), (SCOPE_PLACES, GRAPH_PLACES)) if scope in scope_set]
    return f"VALUES ?g {{ {' '.join(nt(g) for g in graphs)} }}"

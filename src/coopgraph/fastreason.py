"""A fast, rule-based reasoner for exactly the entailments coopgraph relies on.

owlrl (:mod:`coopgraph.reasoning`) stays the reference: it computes the full OWL 2 RL
closure, but in pure Python over every triple and every rule, which takes seconds for the
shipped 4k triples and does not finish at a million. The ontology uses only a handful of
OWL 2 RL constructs, and the stored queries rely on fewer still, so this module applies
just those rules, indexed by predicate, to a fixpoint:

=============================  ==========================  =================================
construct                      OWL 2 RL rule(s)            what it gives
=============================  ==========================  =================================
``rdfs:subClassOf``            cax-sco, scm-sco            ``?x a cg:Event`` for a cg:Opening
``owl:equivalentClass``        cax-eqc1/2                  (as sub-classes both ways)
``rdfs:subPropertyOf``         prp-spo1, scm-spo           ``cg:participant`` from sub-roles
``owl:equivalentProperty``     prp-eqp1/2                  (as sub-properties both ways)
``owl:inverseOf``              prp-inv1/2                  ``cg:hasOffice`` / ``cg:parentOrganisation``
``owl:SymmetricProperty``      prp-symp                    ``cg:counterpartOf`` both ways
``owl:TransitiveProperty``     prp-trp                     ``cg:locatedIn`` up to the country
``rdfs:domain``/``rdfs:range`` prp-dom, prp-rng            types of linked nodes
``owl:Class``                  scm-cls + cax-sco           ``?x a owl:Thing`` (a query that
                                                           lists every type in a graph sees it)
=============================  ==========================  =================================

Every triple it derives is one owlrl derives too (tests/test_fast_reasoning.py proves it on
the shipped data, together with identical answers of every stored query). It leaves out
what no query needs: the typing of the schema's own terms (``rdfs:Datatype``,
``owl:AnnotationProperty``...), reflexive and equivalence axioms between classes and
properties, the datatype axioms, and anything with a literal subject.

The engine is independent of the RDF library: it works on any hashable terms, given a
function that makes IRIs and one that tells literals apart, so the same code closes an
rdflib :class:`~rdflib.Dataset` and a pyoxigraph store.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Hashable, Iterable, Iterator

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

SUBCLASS = RDFS + "subClassOf"
SUBPROPERTY = RDFS + "subPropertyOf"
DOMAIN = RDFS + "domain"
RANGE = RDFS + "range"
EQUIV_CLASS = OWL + "equivalentClass"
EQUIV_PROPERTY = OWL + "equivalentProperty"
INVERSE = OWL + "inverseOf"
SYMMETRIC = OWL + "SymmetricProperty"
TRANSITIVE = OWL + "TransitiveProperty"
OWL_THING = OWL + "Thing"

#: the schema predicates read before the instance rules run
SCHEMA_PREDICATES = (SUBCLASS, SUBPROPERTY, DOMAIN, RANGE, EQUIV_CLASS, EQUIV_PROPERTY, INVERSE)

Term = Hashable
Triple = tuple[Term, Term, Term]


def _closure(edges: dict[Term, set[Term]]) -> dict[Term, set[Term]]:
    """Transitive (not reflexive) closure of a small schema relation."""
    result: dict[Term, set[Term]] = {}
    for start in edges:
        seen: set[Term] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        seen.discard(start)
        result[start] = seen
    return result


class Schema:
    """The parts of the ontology the rules use, with sub-class/-property closures computed."""

    def __init__(self, triples_for: Callable[[Term], Iterable[tuple[Term, Term]]], iri: Callable[[str], Term],
                 is_literal: Callable[[Term], bool]) -> None:
        self.iri = iri
        self.type = iri(RDF_TYPE)
        thing = iri(OWL_THING)
        sub_class: dict[Term, set[Term]] = defaultdict(set)
        sub_prop: dict[Term, set[Term]] = defaultdict(set)
        for s, o in triples_for(iri(SUBCLASS)):
            if not is_literal(o) and o != thing and s != o:
                sub_class[s].add(o)
        for s, o in triples_for(iri(EQUIV_CLASS)):
            if not is_literal(o) and s != o:
                sub_class[s].add(o)
                sub_class[o].add(s)
        for s, o in triples_for(iri(SUBPROPERTY)):
            if not is_literal(o) and s != o:
                sub_prop[s].add(o)
        for s, o in triples_for(iri(EQUIV_PROPERTY)):
            if not is_literal(o) and s != o:
                sub_prop[s].add(o)
                sub_prop[o].add(s)
        #: the asserted schema edges (to tell the closure's new ones apart)
        self.asserted_sub_class = {(s, o) for s, os in sub_class.items() for o in os}
        self.asserted_sub_prop = {(s, o) for s, os in sub_prop.items() for o in os}
        self.super_classes = _closure(sub_class)
        self.super_props = _closure(sub_prop)
        self.inverses: dict[Term, set[Term]] = defaultdict(set)
        for s, o in triples_for(iri(INVERSE)):
            if not is_literal(o):
                self.inverses[s].add(o)
                self.inverses[o].add(s)
        self.symmetric: set[Term] = set()
        self.transitive: set[Term] = set()
        self.thing = thing
        #: the declared OWL classes: their instances are owl:Thing (scm-cls + cax-sco)
        self.owl_classes: set[Term] = set()
        owl_class = iri(OWL + "Class")
        for s, o in triples_for(self.type):
            if o == iri(SYMMETRIC):
                self.symmetric.add(s)
            elif o == iri(TRANSITIVE):
                self.transitive.add(s)
            elif o == owl_class:
                self.owl_classes.add(s)
        self.domains: dict[Term, set[Term]] = defaultdict(set)
        self.ranges: dict[Term, set[Term]] = defaultdict(set)
        for s, o in triples_for(iri(DOMAIN)):
            self.domains[s].add(o)
        for s, o in triples_for(iri(RANGE)):
            self.ranges[s].add(o)
        # A domain/range class implies its super-classes too (handled by cax-sco on the type).

    def interesting_predicates(self) -> set[Term]:
        """Predicates whose triples can fire a rule (besides ``rdf:type``)."""
        found = set(self.super_props) | set(self.inverses) | self.symmetric | self.transitive
        found |= set(self.domains) | set(self.ranges)
        # and every predicate a rule can conclude, so that an asserted triple is never re-derived
        for supers in self.super_props.values():
            found |= supers
        for inverses in self.inverses.values():
            found |= inverses
        return found

    def schema_inferences(self) -> Iterator[Triple]:
        """scm-sco / scm-spo: the sub-class and sub-property links the closure adds."""
        sub_class, sub_prop = self.iri(SUBCLASS), self.iri(SUBPROPERTY)
        for cls, supers in self.super_classes.items():
            for sup in supers:
                if (cls, sup) not in self.asserted_sub_class:
                    yield (cls, sub_class, sup)
        for prop, supers in self.super_props.items():
            for sup in supers:
                if (prop, sup) not in self.asserted_sub_prop:
                    yield (prop, sub_prop, sup)


def infer(
    triples_for: Callable[[Term], Iterable[tuple[Term, Term]]],
    iri: Callable[[str], Term],
    is_literal: Callable[[Term], bool],
) -> set[Triple]:
    """Return the triples the rules derive that are not asserted.

    ``triples_for(p)`` yields the ``(subject, object)`` pairs of every asserted triple with
    predicate ``p`` (over the union of the asserted graphs); ``iri`` makes an IRI term;
    ``is_literal`` tells literals apart.
    """
    return set(iter_inferences(triples_for, iri, is_literal))


def iter_inferences(
    triples_for: Callable[[Term], Iterable[tuple[Term, Term]]],
    iri: Callable[[str], Term],
    is_literal: Callable[[Term], bool],
) -> Iterator[Triple]:
    """Yield the triples of :func:`infer`, each once, without building the result set.

    Every read (``triples_for``) happens before the first triple is yielded, so a caller may
    write the triples into the store it reads from while it iterates. The working set is the
    asserted triples of the rule-relevant predicates and the derived ones (one set, the
    ``known`` triples), plus a list of the derived ones in the order found: no copy of the
    asserted triples and no set difference at the end, which at a million asserted triples
    would hold the same triples two or three times over.
    """
    schema = Schema(triples_for, iri, is_literal)
    rdf_type = schema.type
    sub_class, sub_prop = iri(SUBCLASS), iri(SUBPROPERTY)
    interesting = schema.interesting_predicates() | {rdf_type}
    known: set[Triple] = set()
    for pred in interesting:
        for s, o in triples_for(pred):
            known.add((s, pred, o))
    pending: list[Triple] = list(known)
    # asserted triples that schema_inferences() could also give (then they are still yielded,
    # as the set union of infer() always did); tiny: only sub-class/-property links
    asserted_schema = {t for t in known if t[1] == sub_class or t[1] == sub_prop}
    derived: list[Triple] = []
    # indexes for the transitive properties: successors and predecessors
    succ: dict[Term, dict[Term, set[Term]]] = {p: defaultdict(set) for p in schema.transitive}
    pred_index: dict[Term, dict[Term, set[Term]]] = {p: defaultdict(set) for p in schema.transitive}
    for s, p, o in known:
        if p in succ:
            succ[p][s].add(o)
            pred_index[p][o].add(s)

    def add(triple: Triple) -> None:
        if triple not in known:
            known.add(triple)
            pending.append(triple)
            derived.append(triple)
            s, p, o = triple
            if p in succ:
                succ[p][s].add(o)
                pred_index[p][o].add(s)

    while pending:
        s, p, o = pending.pop()
        if p == rdf_type:
            for sup in schema.super_classes.get(o, ()):
                add((s, rdf_type, sup))
            if o in schema.owl_classes:
                add((s, rdf_type, schema.thing))
            continue
        for sup in schema.super_props.get(p, ()):
            add((s, sup, o))
        literal_object = is_literal(o)
        for cls in schema.domains.get(p, ()):
            add((s, rdf_type, cls))
        if literal_object:
            continue  # inverse, symmetry, range on a literal give a literal subject
        for cls in schema.ranges.get(p, ()):
            add((o, rdf_type, cls))
        for inv in schema.inverses.get(p, ()):
            add((o, inv, s))
        if p in schema.symmetric:
            add((o, p, s))
        if p in succ:
            for nxt in list(succ[p].get(o, ())):
                add((s, p, nxt))
            for prev in list(pred_index[p].get(s, ())):
                add((prev, p, o))
    succ.clear()  # free the indexes before the caller writes what is yielded
    pred_index.clear()
    # derived: unique and never asserted (add() checks known, which starts as the asserted)
    for triple in derived:
        if not is_literal(triple[0]):
            yield triple
    derived.clear()
    for triple in schema.schema_inferences():
        # a derived one was yielded above; an asserted one is part of the result all the same
        if (triple not in known or triple in asserted_schema) and not is_literal(triple[0]):
            yield triple


# -- rdflib ---------------------------------------------------------------------------------
def rdflib_inferences(dataset, exclude=None):
    """Run the rules over every graph of an rdflib Dataset except ``exclude`` (a graph name or several); return an rdflib Graph."""
    from rdflib import Graph, Literal, URIRef

    excluded = set() if exclude is None else ({exclude} if isinstance(exclude, URIRef) else set(exclude))

    def triples_for(predicate):
        # one pass over the predicate index (per-graph lookups would rescan it once per graph)
        seen = set()
        for s, _, o, graph in dataset.quads((None, predicate, None, None)):
            identifier = getattr(graph, "identifier", graph)
            if identifier in excluded:
                continue
            if (s, o) not in seen:
                seen.add((s, o))
                yield s, o

    result = Graph()
    for triple in infer(triples_for, URIRef, lambda t: isinstance(t, Literal)):
        result.add(triple)
    return result


def add_fast_inferences(dataset) -> int:
    """Replace graph ``cgg:inferred`` of an rdflib Dataset with the fast path's inferences."""
    from coopgraph.namespaces import DERIVED_GRAPHS, GRAPH_INFERRED

    target = dataset.graph(GRAPH_INFERRED)
    target.remove((None, None, None))
    inferred = rdflib_inferences(dataset, exclude=DERIVED_GRAPHS)
    target += inferred
    return len(inferred)


# -- pyoxigraph -----------------------------------------------------------------------------
def oxigraph_inferences(store, exclude: str | None = None, *, union_in_default_graph: bool = True) -> set[Triple]:
    """Run the rules over a pyoxigraph Store and return the new triples (pyoxigraph terms).

    With ``union_in_default_graph`` (how :mod:`coopgraph.stores.oxigraph_store` builds) the
    asserted triples are read once each from the default graph, which holds the union of the
    named graphs; otherwise from every named graph except ``exclude``, de-duplicated.
    """
    return set(iter_oxigraph_inferences(store, exclude, union_in_default_graph=union_in_default_graph))


def iter_oxigraph_inferences(store, exclude: str | None = None, *,
                             union_in_default_graph: bool = True) -> Iterator[Triple]:
    """:func:`oxigraph_inferences` as a stream: each new triple once, all reads done before the first.

    pyoxigraph makes a new Python object for every term of every quad it returns, so the
    same IRI (a class, a pool resource) would be held once per triple that mentions it; each
    term read is replaced by the first equal one seen (interned), which keeps the working set
    of :func:`iter_inferences` to the triples themselves.
    """
    import pyoxigraph as ox

    terms: dict = {}
    intern = terms.setdefault

    def iri(value: str):
        node = ox.NamedNode(value)
        return intern(node, node)

    def is_literal(term) -> bool:
        return isinstance(term, ox.Literal)

    if union_in_default_graph:
        default = ox.DefaultGraph()

        def triples_for(predicate):
            for quad in store.quads_for_pattern(None, predicate, None, default):
                subject, obj = quad.subject, quad.object
                yield intern(subject, subject), intern(obj, obj)

        yield from iter_inferences(triples_for, iri, is_literal)
        return

    skip = ox.NamedNode(exclude) if exclude else None

    def triples_for_named(predicate):
        seen = set()
        for quad in store.quads_for_pattern(None, predicate, None, None):
            if quad.graph_name == skip or isinstance(quad.graph_name, ox.DefaultGraph):
                continue
            subject, obj = quad.subject, quad.object
            pair = (intern(subject, subject), intern(obj, obj))
            if pair not in seen:
                seen.add(pair)
                yield pair

    yield from iter_inferences(triples_for_named, iri, is_literal)

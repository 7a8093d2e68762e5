"""The corroboration index: every fact that two or more source graphs state, computed once.

Counting, for each triple of every source graph, how many source graphs state it means
reading every quad of the corpus: at a million triples that is about 5 s on Oxigraph and
more than a minute on rdflib, for one of the questions analysts ask most ("which facts do
several sources confirm?"). The answer only changes when a file changes, so it is computed
when the graph is loaded or built and kept in its own named graph, ``cgg:corroboration``,
next to the inferences:

    <https://w3id.org/coopgraph/corroboration/…> a cg:Corroboration ;   # an rdf:Statement
        rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        cg:sourceCount 2 ; cg:statedIn cgg:003_…, cgg:004_… .

What counts is exactly what the stored query ``corroborated-facts`` counts without the
index: the graphs of the catalog's source documents (``?doc a cg:SourceDocument ; cg:graph
?g``), statements whose subject is an IRI outside ``cgsrc:`` and whose predicate is not one
of :data:`UNCOUNTED_PREDICATES` (labels, comments, descriptions and evidence links differ
by wording, not by fact). The node IRI is a hash of the statement's N-Triples form, so it
is stable across builds. The query reads the index when the store has it and counts the
graphs itself when it does not (a store filled with the source graphs only), so its answer
never depends on the index being there; ``tests/test_corroboration_index.py`` proves both
ways give the same rows. Like the inferences, the index is derived data: it is not written
to the data files, not validated, not checked, and exported only when asked for by name.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable, Iterator

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from coopgraph.namespaces import BASE, CG, CGSRC, GRAPH_CORROBORATION
from coopgraph.rdfterms import nt_term

#: statements with these predicates are not counted as facts (the query filters the same)
UNCOUNTED_PREDICATES = frozenset({RDFS.label, SKOS.altLabel, RDFS.comment, CG.hasEvidence, CG.description})
#: namespace of the index's nodes
NODE_BASE = BASE + "corroboration/"

Triple = tuple[Node, Node, Node]


def counts_as_fact(subject: Node, predicate: Node) -> bool:
    """True when a statement with this subject and predicate is counted for corroboration."""
    return (
        isinstance(subject, URIRef)
        and not str(subject).startswith(str(CGSRC))
        and predicate not in UNCOUNTED_PREDICATES
    )


def node_for(triple: Triple) -> URIRef:
    """The IRI of the index node of ``triple``: a hash of its N-Triples form (stable)."""
    text = " ".join(nt_term(t) for t in triple)
    return URIRef(NODE_BASE + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24])


def corroborations(statements: Iterable[tuple]) -> dict:
    """Group ``(graph, s, p, o)`` statements of source graphs: triple -> graphs, for triples in two or more.

    Only statements that :func:`counts_as_fact` are counted.
    """
    graphs: dict = defaultdict(set)
    for graph, s, p, o in statements:
        if counts_as_fact(s, p):
            graphs[(s, p, o)].add(graph)
    return {triple: names for triple, names in graphs.items() if len(names) >= 2}


def index_triples(found: dict[Triple, set[URIRef]]) -> Iterator[Triple]:
    """The triples of the index graph for ``found`` (see :func:`corroborations`), sorted by node."""
    for node, (s, p, o), names in sorted((node_for(t), t, g) for t, g in found.items()):
        yield node, RDF.type, CG.Corroboration
        yield node, RDF.subject, s
        yield node, RDF.predicate, p
        yield node, RDF.object, o
        yield node, CG.sourceCount, Literal(len(names), datatype=XSD.integer)
        for name in sorted(names):
            yield node, CG.statedIn, name


# -- rdflib ---------------------------------------------------------------------------------
def source_graphs(dataset: Dataset) -> list[URIRef]:
    """The graphs of the catalog's source documents that the dataset holds."""
    docs = set(dataset.subjects(RDF.type, CG.SourceDocument))
    return sorted({g for d in docs for g in dataset.objects(d, CG.graph) if isinstance(g, URIRef)})


def add_corroboration_index(dataset: Dataset) -> int:
    """(Re)write graph ``cgg:corroboration`` of an rdflib Dataset; return the number of facts indexed."""
    target = dataset.graph(GRAPH_CORROBORATION)
    target.remove((None, None, None))

    def statements():
        for name in source_graphs(dataset):
            for s, p, o in dataset.graph(name):
                yield name, s, p, o

    found = corroborations(statements())
    target.addN((s, p, o, target) for s, p, o in index_triples(found))
    return len(found)


# -- pyoxigraph -----------------------------------------------------------------------------
#: the statements that two or more source graphs state, grouped inside Oxigraph: the same
#: test as :func:`counts_as_fact` and the same graphs as :func:`source_graphs` (graph IRIs
#: hold no whitespace, so the list splits on it). A graph states a triple once and each ?g
#: comes once from the DISTINCT, so COUNT(?g) counts distinct graphs; without DISTINCT in the
#: aggregates Oxigraph keeps no set per group. On the 1M-triple store the whole index took
#: 6.4-6.7 s this way, peaking at 359 MB, and 9.1-10.3 s at 418 MB when every quad of the source
#: graphs was read into Python and grouped there (the same triples in the same order).
_CORROBORATED = f"""
SELECT ?s ?p ?o (GROUP_CONCAT(STR(?g); SEPARATOR=" ") AS ?graphs)
WHERE {{
  {{ SELECT DISTINCT ?g WHERE {{ ?doc a <{CG.SourceDocument}> ; <{CG.graph}> ?g FILTER (isIRI(?g)) }} }}
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER (?p NOT IN ({", ".join(f"<{p}>" for p in sorted(UNCOUNTED_PREDICATES))}))
  FILTER (isIRI(?s) && !STRSTARTS(STR(?s), "{CGSRC}"))
}}
GROUP BY ?s ?p ?o
HAVING (COUNT(?g) >= 2)
"""


def oxigraph_index_triples(store) -> tuple[int, list]:
    """The index of a pyoxigraph store as pyoxigraph triples ``(s, p, o)``, with the number of facts.

    The statements are grouped by Oxigraph's SPARQL engine (:data:`_CORROBORATED`); only the
    corroborated ones are turned into rdflib terms, so the node IRIs are those that
    :func:`add_corroboration_index` gives the same statements.
    """
    from coopgraph.stores.terms import from_oxigraph, to_oxigraph

    found = {
        (from_oxigraph(row[0]), from_oxigraph(row[1]), from_oxigraph(row[2])): {URIRef(g) for g in row[3].value.split()}
        for row in store.query(_CORROBORATED)
    }
    return len(found), [tuple(to_oxigraph(t) for t in triple) for triple in index_triples(found)]

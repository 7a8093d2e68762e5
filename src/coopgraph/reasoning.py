"""OWL 2 RL reasoning with owlrl; the inferred triples go into their own named graph."""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL

from coopgraph.namespaces import DERIVED_GRAPHS, GRAPH_INFERRED


def _keep(triple: tuple) -> bool:
    """Drop what OWL-RL entails but RDF cannot say or nobody needs.

    owlrl works on generalised RDF: it derives triples with literal subjects (from
    ``owl:sameAs`` reflexivity on literals) and ``x owl:sameAs x`` for every node. Neither
    is exportable or useful, so they stay out of ``cgg:inferred``.
    """
    s, p, o = triple
    if isinstance(s, Literal) or not isinstance(p, URIRef):
        return False
    return not (p == OWL.sameAs and s == o)


def compute_inferences(dataset: Dataset) -> Graph:
    """Return the triples OWL-RL entails from the asserted graphs that none of them asserts.

    The derived graphs (the inferences themselves, the corroboration index, the graph
    statistics) are not read.
    """
    import owlrl  # imported here: a warm start reads the reasoned graph from the cache

    asserted = Graph()
    for ctx in dataset.contexts():
        if ctx.identifier not in DERIVED_GRAPHS:
            asserted += ctx
    closure = Graph()
    closure += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = Graph()
    for triple in closure:
        if _keep(triple) and triple not in asserted:
            inferred.add(triple)
    return inferred


def add_inferences(dataset: Dataset) -> int:
    """Put the OWL-RL inferences into graph ``cgg:inferred`` (replacing it); return their number."""
    target = dataset.graph(GRAPH_INFERRED)
    target.remove((None, None, None))
    inferred = compute_inferences(dataset)
    target += inferred
    return len(inferred)

"""OWL 2 RL reasoning with owlrl; the inferred triples go into their own named graph."""

from __future__ import annotations

import owlrl
from rdflib import Dataset, Graph

from coopgraph.namespaces import GRAPH_INFERRED


def add_inferences(dataset: Dataset) -> int:
    """Compute the OWL-RL closure of the union of all asserted graphs into ``cgg:inferred``.

    Only triples not already asserted somewhere are kept. Returns how many were added.
    """
    asserted = Graph()
    for ctx in dataset.contexts():
        if ctx.identifier != GRAPH_INFERRED:
            for triple in ctx:
                asserted.add(triple)
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = dataset.graph(GRAPH_INFERRED)
    added = 0
    for triple in closure:
        if triple not in asserted:
            inferred.add(triple)
            added += 1
    return added

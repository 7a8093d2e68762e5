"""The fast reasoning path gives every inference the stored queries need, and nothing owlrl does not.

owlrl (coopgraph.reasoning) is the reference. On the shipped data:
* every triple of the fast path is one owlrl infers (a subset);
* what owlrl infers beyond it is only the OWL vocabulary's bookkeeping that no query reads
  (owl:Thing types, class/property/datatype typing of schema terms, reflexive and equivalence
  axioms) - no instance-level triple with a coopgraph or reused data predicate is missing;
* every stored query, with its required and with its example parameters, returns the same
  rows on the fast-reasoned and the owlrl-reasoned dataset (stats-graphs counts the triples
  of cgg:inferred itself, so that one row is left out).
"""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

import coopgraph
from coopgraph.fastreason import add_fast_inferences, rdflib_inferences
from coopgraph.loader import read_dataset
from coopgraph.namespaces import GRAPH_INFERRED
from coopgraph.reasoning import compute_inferences
from coopgraph.stores.compare import comparable

SCHEMA_ONLY = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, RDFS.range,
               RDFS.domain, OWL.disjointWith, OWL.inverseOf}
BOOKKEEPING_TYPES = {OWL.Thing, RDFS.Datatype, OWL.Class, OWL.AnnotationProperty, OWL.ObjectProperty,
                     OWL.DatatypeProperty, RDF.Property, OWL.NamedIndividual}


@pytest.fixture(scope="module")
def both(kg):
    """(fast inferences, owlrl inferences) of the shipped data, as sets of triples."""
    asserted = read_dataset(kg.layout)
    return set(rdflib_inferences(asserted, exclude=GRAPH_INFERRED)), set(kg.dataset.graph(GRAPH_INFERRED))


@pytest.fixture(scope="module")
def fast_kg(kg) -> coopgraph.KnowledgeGraph:
    return coopgraph.load(reasoner="fast", cache=False)


def test_fast_path_is_a_subset_of_owlrl(both):
    fast, reference = both
    assert fast, "the fast path inferred nothing"
    assert fast <= reference, sorted(fast - reference)[:5]


def test_owlrl_adds_only_bookkeeping(both):
    fast, reference = both
    missing = reference - fast
    instance_level = [
        (s, p, o) for s, p, o in missing
        if p not in SCHEMA_ONLY and not (p == RDF.type and o in BOOKKEEPING_TYPES)
    ]
    assert instance_level == []


def test_key_entailments(fast_kg):
    ask = fast_kg.sparql
    assert ask("ASK { cgr:dresden cg:locatedIn cgr:germany }").boolean  # transitive
    assert ask("ASK { GRAPH cgg:inferred { cgr:germany cg:contains ?x } }").boolean  # inverse
    assert ask("ASK { GRAPH cgg:inferred { ?x a cg:Event } }").boolean  # sub-class
    assert ask("ASK { GRAPH cgg:inferred { ?x a cg:Office } }").boolean


def test_every_stored_query_same_rows_fast_and_owlrl(kg, fast_kg):
    inferred = str(GRAPH_INFERRED)
    checked = 0
    for stored in kg.queries():
        required = {p.name: p.example for p in stored.params if p.required}
        examples = {p.name: p.example for p in stored.params if p.example}
        for params in (required, examples):
            expected = comparable(kg.query(stored.name, **params), stored.text)
            actual = comparable(fast_kg.query(stored.name, **params), stored.text)
            if stored.name == "stats-graphs":
                expected = {row: n for row, n in expected.items() if row[0] != inferred}
                actual = {row: n for row, n in actual.items() if row[0] != inferred}
            assert actual == expected, f"{stored.name} {params}"
            checked += 1
    assert checked >= 20


def test_fast_inferences_replace_the_inferred_graph(kg):
    dataset = read_dataset(kg.layout)
    first = add_fast_inferences(dataset)
    assert add_fast_inferences(dataset) == first  # idempotent: reads only the asserted graphs
    assert len(dataset.graph(GRAPH_INFERRED)) == first


def test_owlrl_reference_on_a_copy_agrees(kg):
    """The owlrl graph of the session fixture is what reasoning.py computes (the reference)."""
    assert set(compute_inferences(read_dataset(kg.layout))) == set(kg.dataset.graph(GRAPH_INFERRED))


def test_inferences_never_have_literal_subjects(both):
    fast, _ = both
    assert all(isinstance(s, URIRef) or not hasattr(s, "datatype") for s, _, _ in fast)

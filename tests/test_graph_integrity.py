"""Whole-graph guarantees: quotes at their offsets, labels and evidence on every fact, a complete ontology."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from coopgraph.evidence import locate_quote, normalise_whitespace, quote_matches
from coopgraph.namespaces import CG, CGSRC, GRAPH_ONTOLOGY, OA

#: classes whose instances carry no facts of their own (vocabulary, places, sources, evidence)
NOT_FACT_BEARING = {CG.Evidence, CG.SourceDocument, CG.Person, CG.Country, CG.Region, CG.City, CG.District}


def _source_graphs(kg):
    return [kg.dataset.graph(g) for g in kg.source_graph_names()]


def test_every_quote_occurs_in_its_source_at_its_offsets(kg):
    checked = 0
    for graph in _source_graphs(kg):
        for evidence in graph.subjects(RDF.type, CG.Evidence):
            source = graph.value(evidence, OA.hasSource)
            assert source is not None and str(source).startswith(str(CGSRC)), evidence
            text = kg.layout.corpus_file(str(source)[len(str(CGSRC)):]).read_text(encoding="utf-8")
            exacts, positions = [], []
            for selector in graph.objects(evidence, OA.hasSelector):
                if (selector, RDF.type, OA.TextQuoteSelector) in graph:
                    exacts.append(str(graph.value(selector, OA.exact)))
                if (selector, RDF.type, OA.TextPositionSelector) in graph:
                    positions.append((int(graph.value(selector, OA.start)), int(graph.value(selector, OA.end))))
            assert len(exacts) == 1 and len(positions) == 1, evidence
            (start, end), exact = positions[0], exacts[0]
            assert exact == normalise_whitespace(exact), f"{evidence}: quote is not whitespace-normalised"
            assert quote_matches(text, exact, start, end), (
                f"{evidence}: quote not at {start}-{end}; found at {locate_quote(text, exact)}"
            )
            checked += 1
    assert checked >= 100  # the five sources carry well over a hundred evidence passages


def test_every_evidence_points_into_its_own_source_graph(kg):
    catalog = {str(d) for d in kg.dataset.subjects(RDF.type, CG.SourceDocument)}
    for name in kg.source_graph_names():
        graph = kg.dataset.graph(name)
        stem = str(name).rsplit("/", 1)[1]
        for evidence in graph.subjects(RDF.type, CG.Evidence):
            source = str(graph.value(evidence, OA.hasSource))
            assert source in catalog
            assert source == str(CGSRC) + stem, f"{evidence} in {stem} quotes {source}"


def test_every_resource_in_a_source_graph_has_a_label_there(kg):
    # evidence nodes are labelled by their quote; everything else needs a language-tagged label
    for graph in _source_graphs(kg):
        for subject in set(graph.subjects(RDF.type, None)):
            if isinstance(subject, URIRef) and (subject, RDF.type, CG.Evidence) not in graph:
                labels = list(graph.objects(subject, RDFS.label))
                assert labels, f"{subject} has no rdfs:label in {graph.identifier}"
                assert all(isinstance(l, Literal) and l.language for l in labels), subject


def test_every_fact_bearing_resource_has_evidence_in_its_graph(kg):
    fact_classes = {c for c in kg.dataset.graph(GRAPH_ONTOLOGY).subjects(RDF.type, OWL.Class)} - NOT_FACT_BEARING
    missing = []
    for graph in _source_graphs(kg):
        for subject, cls in graph.subject_objects(RDF.type):
            if cls in fact_classes and isinstance(subject, URIRef) and (subject, CG.hasEvidence, None) not in graph:
                missing.append((str(graph.identifier), str(subject), str(cls)))
    assert not missing, missing


def test_every_cg_term_the_data_uses_is_declared_in_the_ontology(kg):
    ontology = kg.dataset.graph(GRAPH_ONTOLOGY)
    declared = set(ontology.subjects(RDF.type, None))
    used = set()
    for graph in _source_graphs(kg):
        for s, p, o in graph:
            used |= {t for t in (p, o) if isinstance(t, URIRef) and str(t).startswith(str(CG))}
    assert used - declared == set()


def test_every_ontology_term_has_english_and_german_label_and_definition(kg):
    ontology = kg.dataset.graph(GRAPH_ONTOLOGY)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {t for k in kinds for t in ontology.subjects(RDF.type, k) if str(t).startswith(str(CG))}
    assert len(terms) > 80
    for term in terms:
        langs = {l.language for l in ontology.objects(term, RDFS.label)}
        assert {"en", "de"} <= langs, term
        assert ontology.value(term, SKOS.definition) is not None, term


@pytest.mark.parametrize("construct", [OWL.unionOf, OWL.complementOf, OWL.someValuesFrom, OWL.oneOf])
def test_ontology_stays_in_owl2rl_simple_subset(kg, construct):
    # no class expressions that OWL 2 RL only partly supports: owlrl's closure stays meaningful
    assert (None, construct, None) not in kg.dataset.graph(GRAPH_ONTOLOGY)


def test_inverse_properties_answer_both_ways(kg):
    rows = kg.sparql(
        "SELECT ?office WHERE { cgr:jinan-innovation-zone cg:hasOffice ?office }"
    ).column("office")
    asserted = kg.sparql("SELECT ?office WHERE { ?office cg:parentOrganisation cgr:jinan-innovation-zone }").column("office")
    assert asserted and sorted(rows) == sorted(asserted)

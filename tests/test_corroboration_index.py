"""The corroboration index (graph cgg:corroboration): what it holds, that the stored query
reads it, that it gives the rows the query counts without it, and that it stays derived data.

The oracle is the query as it was before the index: every statement of the source graphs
grouped and counted in SPARQL (``_counted``), which shares no code with
:mod:`coopgraph.corroboration`.
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

import coopgraph
from coopgraph.corroboration import add_corroboration_index
from coopgraph.loader import new_dataset
from coopgraph.namespaces import CG, CGG, CGR, DERIVED_GRAPHS, GRAPH_CORROBORATION, GRAPH_INFERRED
from coopgraph.stores.compare import comparable

def _counted(subject: bool = False) -> str:
    """The query before the index: count every statement of the source graphs."""
    return """
PREFIX cgsrc: <https://w3id.org/coopgraph/source/>
SELECT ?s ?p ?o (COUNT(DISTINCT ?g) AS ?sourceCount) (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR=" ") AS ?sources)
WHERE {
  ?doc a cg:SourceDocument ; cg:graph ?g .
  GRAPH ?g { ?s ?p ?o }
  FILTER (?p NOT IN (rdfs:label, skos:altLabel, rdfs:comment, cg:hasEvidence, cg:description))
  FILTER (isIRI(?s) && !STRSTARTS(STR(?s), STR(cgsrc:)))
""" + ("  FILTER (?s = ?_subject)\n" if subject else "") + """}
GROUP BY ?s ?p ?o
HAVING (COUNT(DISTINCT ?g) >= ?_minSources)
"""


VARIANTS = [{}, {"minSources": "3"}, {"minSources": "4"}, {"minSources": "1"},
            {"subject": "cgr:dresden-office-opening-2013"}, {"subject": "cgr:dresden-jinan-office", "minSources": "3"}]


def _without_index(kg: coopgraph.KnowledgeGraph) -> coopgraph.KnowledgeGraph:
    copy = new_dataset()
    for graph in kg.dataset.graphs():
        if graph.identifier != GRAPH_CORROBORATION and isinstance(graph.identifier, URIRef) and len(graph):
            copy.graph(graph.identifier).addN((s, p, o, copy.graph(graph.identifier)) for s, p, o in graph)
    return coopgraph.KnowledgeGraph(copy, kg.layout)


@pytest.fixture(scope="module")
def bare(kg) -> coopgraph.KnowledgeGraph:
    """The shipped graph without its corroboration index (what a consumer's store may hold)."""
    return _without_index(kg)


def _index(kg) -> dict[tuple, tuple[int, set]]:
    """The index as (s, p, o) -> (sourceCount, graphs), read back from the graph."""
    graph = kg.dataset.graph(GRAPH_CORROBORATION)
    found = {}
    for node in graph.subjects(RDF.type, CG.Corroboration):
        triple = (graph.value(node, RDF.subject), graph.value(node, RDF.predicate), graph.value(node, RDF.object))
        assert triple not in found, f"two index nodes for {triple}"
        found[triple] = (graph.value(node, CG.sourceCount).toPython(), set(graph.objects(node, CG.statedIn)))
    return found


def test_the_index_holds_exactly_the_statements_of_two_or_more_sources(kg):
    counted = kg.sparql(_counted(), {"_minSources": Literal(2)}).bindings
    expected = {(s, p, o): (int(n), {URIRef(g) for g in str(gs).split()}) for s, p, o, n, gs in counted}
    assert expected, "the shipped sources corroborate one another"
    assert _index(kg) == expected


def test_index_counts_match_the_graphs_listed(kg):
    for (s, p, o), (count, graphs) in _index(kg).items():
        assert count == len(graphs) >= 2
        for g in graphs:
            assert (s, p, o) in kg.dataset.graph(g), (s, p, o, g)


@pytest.mark.parametrize("params", VARIANTS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "defaults")
def test_same_rows_with_and_without_the_index(kg, bare, params):
    stored = kg.catalog.get("corroborated-facts")
    with_index = comparable(kg.query("corroborated-facts", **params), stored.text)
    without = comparable(bare.query("corroborated-facts", **params), stored.text)
    assert with_index == without
    oracle_text = _counted(subject="subject" in params)
    oracle = comparable(kg.sparql(oracle_text, stored.bindings(params)), oracle_text)
    assert with_index == oracle


def test_the_query_reads_the_index_when_it_is_there(kg):
    """Take one fact out of the index: the answer loses it (so the index, not a recount, answered)."""
    altered = _without_index(kg)
    add_corroboration_index(altered.dataset)
    index = altered.dataset.graph(GRAPH_CORROBORATION)
    date_node = next(n for n in index.subjects(RDF.predicate, CG.date)
                     if index.value(n, RDF.subject) == CGR["dresden-office-opening-2013"])
    index.remove((date_node, None, None))
    rows = altered.query("corroborated-facts").rows
    facts = {(r["s"], r["p"]) for r in rows}
    assert (str(CGR["dresden-office-opening-2013"]), str(CG.date)) not in facts
    assert (str(CGR["dresden-office-opening-2013"]), str(CG.concerns)) in facts
    # with a subject the query counts from the source graphs and still finds it
    rows = altered.query("corroborated-facts", subject="cgr:dresden-office-opening-2013").rows
    assert str(CG.date) in {r["p"] for r in rows}


def test_a_fact_three_sources_state(kg):
    """000 (flipbook), 003 and 004 (history pages) all put the 2015 summit in Jinan."""
    rows = kg.query("corroborated-facts", minSources="3").rows
    place = [r for r in rows if r["s"] == str(CGR["china-intelligent-manufacturing-summit-2015"]) and r["p"] == str(CG.place)]
    assert len(place) == 1
    assert place[0]["o"] == str(CGR.jinan)
    assert place[0]["sourceCount"] == 3
    assert set(place[0]["sources"].split()) == {
        str(CGG["000_c3db9e2a9a8b4664"]), str(CGG["003_5681c03170b8ac75"]), str(CGG["004_2d85bd7537e4600b"])}


def test_the_index_is_there_without_reasoning_and_is_stable():
    plain = coopgraph.load(reason=False)
    again = coopgraph.load(reason=False)
    assert len(plain.dataset.graph(GRAPH_CORROBORATION)) > 0
    assert set(plain.dataset.graph(GRAPH_CORROBORATION)) == set(again.dataset.graph(GRAPH_CORROBORATION))


def test_the_index_stays_derived(kg):
    # not reasoned over: no inference is about an index node
    index_nodes = set(kg.dataset.graph(GRAPH_CORROBORATION).subjects())
    assert not index_nodes & set(kg.dataset.graph(GRAPH_INFERRED).subjects())
    # not a source graph, not in a plain export, exportable by name
    assert GRAPH_CORROBORATION not in kg.source_graph_names()
    assert "cgg:corroboration {" not in kg.export(format="trig")
    assert "cgg:corroboration {" in kg.export(format="trig", graph="corroboration")
    assert "rdf:subject" in kg.export(format="trig", graph="corroboration")
    # not checked and not validated as data
    assert not kg.check().failed()
    assert kg.validate().conforms
    assert {GRAPH_INFERRED, GRAPH_CORROBORATION} <= set(DERIVED_GRAPHS)


def test_reasoning_later_keeps_the_index():
    plain = coopgraph.load(reason=False)
    before = _index(plain)
    plain.ensure_reasoned()
    assert _index(plain) == before
    assert max(count for count, _ in before.values()) == 4  # Dresden, Jinan, the municipal government

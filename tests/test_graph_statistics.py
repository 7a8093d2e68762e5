"""The graph statistics (graph cgg:statistics): that they are the real sizes, that the stored
queries read them and give the rows they count without them, and that they stay derived data.

The oracles share no code with :mod:`coopgraph.graph_statistics`: ``len()`` of each rdflib
graph, a SPARQL count, and the shipped Turtle files parsed on their own.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID

import coopgraph
from coopgraph.errors import CoopgraphError
from coopgraph.graph_statistics import (
    DATA_SUBSET,
    PER_DATA_SUBSET,
    PER_GRAPH,
    PER_PARTITION,
    class_partition_iri,
    statistics_triples,
    subset_iri,
)
from coopgraph.loader import new_dataset
from coopgraph.namespaces import CG, CGG, CGR, DERIVED_GRAPHS, GRAPH_INFERRED, GRAPH_STATISTICS, SD
from coopgraph.resources import data_root

PRESS_RELEASE = CGG["001_86cdc4bc586a81fc"]


def _without_statistics(kg: coopgraph.KnowledgeGraph) -> coopgraph.KnowledgeGraph:
    copy = new_dataset()
    for graph in kg.dataset.graphs():
        if graph.identifier != GRAPH_STATISTICS and isinstance(graph.identifier, URIRef) and len(graph):
            copy.graph(graph.identifier).addN((s, p, o, copy.graph(graph.identifier)) for s, p, o in graph)
    return coopgraph.KnowledgeGraph(copy, kg.layout)


def _stated_sizes(kg: coopgraph.KnowledgeGraph) -> dict[URIRef, int]:
    """graph -> void:triples, read back from the statistics graph."""
    stats = kg.dataset.graph(GRAPH_STATISTICS)
    return {stats.value(subset, SD.name): int(count) for subset, count in stats.subject_objects(VOID.triples)}


def test_every_named_graph_is_described_with_its_real_size(kg):
    stated = _stated_sizes(kg)
    real = {g.identifier: len(g) for g in kg.dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)}
    assert stated == real
    # itself included: three triples per graph, three per partition, one for the data subset
    partitions = len(set(kg.dataset.graph(GRAPH_STATISTICS).objects(None, VOID.classPartition)))
    assert stated[GRAPH_STATISTICS] == PER_GRAPH * len(stated) + PER_PARTITION * partitions + PER_DATA_SUBSET
    assert set(stated) >= {GRAPH_INFERRED, PRESS_RELEASE, CGG["catalog"], CGG["ontology"]}


def test_evidence_counts_match_the_shipped_files():
    """The evidence partitions agree with each Turtle file parsed on its own."""
    kg = coopgraph.load(reason=False)
    stats = kg.dataset.graph(GRAPH_STATISTICS)
    for path in sorted((data_root() / "data" / "sources").glob("*.ttl")):
        parsed = Graph().parse(path, format="turtle")
        expected = len(set(parsed.subjects(RDF.type, CG.Evidence)))
        subset = subset_iri(CGG[path.stem])
        partition = stats.value(subset, VOID.classPartition)
        assert stats.value(partition, VOID["class"]) == CG.Evidence
        assert int(stats.value(partition, VOID.entities)) == expected > 0, path.name
        assert int(stats.value(subset, VOID.triples)) == len(parsed), path.name


@pytest.mark.parametrize("name", ["stats-graphs", "sources", "stats-classes"])
def test_same_rows_with_and_without_the_statistics(kg, name):
    bare = _without_statistics(kg)
    with_stats = kg.query(name).rows
    counted = bare.query(name).rows
    if name == "stats-graphs":
        # the statistics graph is itself a graph of the store, and only there
        assert [r for r in with_stats if r["graph"] != str(GRAPH_STATISTICS)] == counted
        assert len(with_stats) == len(counted) + 1
    else:
        assert with_stats == counted and with_stats
    if name == "sources":
        assert {r["graph"]: r["evidence"] for r in with_stats}[str(PRESS_RELEASE)] == 30


def test_class_partitions_match_the_shipped_files():
    """The data subset's class partitions agree with the data files parsed on their own."""
    kg = coopgraph.load(reason=False)
    stats = kg.dataset.graph(GRAPH_STATISTICS)
    instances: dict = {}
    root = data_root() / "data"
    for path in sorted(root.glob("sources/*.ttl")) + [root / "catalog.ttl", root / "places.ttl"]:
        for resource, cls in Graph().parse(path, format="turtle").subject_objects(RDF.type):
            instances.setdefault(cls, set()).add(resource)
    stated = {stats.value(p, VOID["class"]): int(stats.value(p, VOID.entities))
              for p in stats.objects(DATA_SUBSET, VOID.classPartition)}
    assert stated == {cls: len(found) for cls, found in instances.items()}
    assert stated[CG.Evidence] == 121 and stated[CG.SourceDocument] == 5


def test_the_queries_read_the_statistics(kg):
    """A changed figure in cgg:statistics changes the answers: the statistics are what answers."""
    altered = _without_statistics(kg)
    altered.dataset.graph(GRAPH_STATISTICS).addN(
        (s, p, o, altered.dataset.graph(GRAPH_STATISTICS)) for s, p, o in kg.dataset.graph(GRAPH_STATISTICS)
    )
    stats = altered.dataset.graph(GRAPH_STATISTICS)
    subset = subset_iri(PRESS_RELEASE)
    stats.set((subset, VOID.triples, Literal(7)))
    stats.set((stats.value(subset, VOID.classPartition), VOID.entities, Literal(3)))
    graphs = {r["graph"]: r["triples"] for r in altered.query("stats-graphs").rows}
    assert graphs[str(PRESS_RELEASE)] == 7
    source = {r["graph"]: r for r in altered.query("sources").rows}[str(PRESS_RELEASE)]
    assert (source["triples"], source["evidence"]) == (7, 3)
    stats.set((class_partition_iri(CG.Zone), VOID.entities, Literal(99)))
    assert {r["class"]: r["resources"] for r in altered.query("stats-classes").rows}[str(CG.Zone)] == 99


def test_statistics_are_stable_and_follow_reasoning():
    plain = coopgraph.load(reason=False)
    again = coopgraph.load(reason=False)
    assert set(plain.dataset.graph(GRAPH_STATISTICS)) == set(again.dataset.graph(GRAPH_STATISTICS))
    assert GRAPH_INFERRED not in _stated_sizes(plain)
    plain.ensure_reasoned()
    assert _stated_sizes(plain)[GRAPH_INFERRED] == len(plain.dataset.graph(GRAPH_INFERRED)) > 0


def test_refresh_derived_counts_a_change_made_in_place():
    kg = coopgraph.load(reason=False)
    graph = kg.dataset.graph(PRESS_RELEASE)
    before = {r["graph"]: r["triples"] for r in kg.query("stats-graphs").rows}[str(PRESS_RELEASE)]
    # the press release now also says the Dresden office opened on the date 004 gives it
    opening, date = CGR["dresden-office-opening-2013"], CG.date
    stated_elsewhere = next(kg.dataset.graph(CGG["004_2d85bd7537e4600b"]).objects(opening, date))
    assert (opening, date, stated_elsewhere) not in graph
    graph.add((opening, date, stated_elsewhere))
    corroborating = lambda: {r["sources"] for r in kg.query("corroborated-facts", minSources="2").rows  # noqa: E731
                             if r["s"] == str(opening) and r["p"] == str(date)}
    assert {r["graph"]: r["triples"] for r in kg.query("stats-graphs").rows}[str(PRESS_RELEASE)] == before  # stale
    kg.refresh_derived()
    assert {r["graph"]: r["triples"] for r in kg.query("stats-graphs").rows}[str(PRESS_RELEASE)] == before + 1
    assert any(str(PRESS_RELEASE) in sources.split() for sources in corroborating())


def test_refresh_derived_is_for_the_memory_store(tmp_path):
    from coopgraph.stores.oxigraph_store import build_oxigraph
    from coopgraph.loader import open_layout

    build_oxigraph(open_layout(data_root()), tmp_path / "store")
    built = coopgraph.load(store="oxigraph", store_path=tmp_path / "store")
    with pytest.raises(CoopgraphError, match="rebuild"):
        built.refresh_derived()


def test_the_statistics_stay_derived(kg):
    subsets = set(kg.dataset.graph(GRAPH_STATISTICS).subjects())
    assert not subsets & set(kg.dataset.graph(GRAPH_INFERRED).subjects())
    assert GRAPH_STATISTICS not in kg.source_graph_names()
    assert "cgg:statistics {" not in kg.export(format="trig")
    exported = kg.export(format="trig", graph="statistics")
    assert "cgg:statistics {" in exported and "void:triples" in exported
    assert not kg.check().failed()
    assert kg.validate().conforms
    assert GRAPH_STATISTICS in DERIVED_GRAPHS
    assert "http://rdfs.org/ns/void#Dataset" not in {r["class"] for r in kg.query("stats-classes").rows}


def test_subsets_never_collide():
    a, b = URIRef("http://example.org/one/data"), URIRef("http://example.org/two/data")
    assert subset_iri(a) != subset_iri(b)
    assert subset_iri(CGG["catalog"]) == URIRef("https://w3id.org/coopgraph/dataset/graph/catalog")
    triples = statistics_triples({a: 2, b: 5, CGG["empty"]: 0}, {a: 1, b: 0}, {CG.Zone: 2, URIRef("http://example.org/C"): 1})
    sizes = {o: None for s, p, o in triples if p == SD.name}
    assert set(sizes) == {a, b, GRAPH_STATISTICS}  # the empty graph is not described
    # an evidence partition for each graph (0 for b and the statistics), and two class partitions
    assert len(triples) == PER_GRAPH * 3 + PER_PARTITION * (3 + 2) + PER_DATA_SUBSET
    own = next(int(o) for s, p, o in triples if s == subset_iri(GRAPH_STATISTICS) and p == VOID.triples)
    assert own == len(triples)
    assert class_partition_iri(CG.Zone) == URIRef("https://w3id.org/coopgraph/dataset/data/class/Zone")
    assert class_partition_iri(URIRef("http://example.org/C")) != class_partition_iri(URIRef("http://example.org/D"))

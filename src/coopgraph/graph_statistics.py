"""Graph statistics: the size of every named graph, computed once and kept in the store as VoID.

"How many triples does each graph hold?", "how many triples and evidence passages were
curated from each source?" and "how many resources does each class have?" are answered by
counting: at a million triples that means reading all 3.5 million quads of the store (0.9 s
on Oxigraph) or every ``rdf:type`` for an answer that only changes when a file changes. So
the counts are taken when the graph is loaded or built, after the inferences and the
corroboration index, and kept in their own named graph, ``cgg:statistics``, in the
vocabularies made for them (VoID and SPARQL 1.1 Service Description): one subset per named
graph, with the IRIs ``coopgraph export --describe`` gives the same subsets (figures of the
shipped data)::

    <https://w3id.org/coopgraph/dataset/graph/003_5681c03170b8ac75> a void:Dataset ;
        sd:name cgg:003_5681c03170b8ac75 ;            # the named graph described
        void:triples 954 ;
        void:classPartition <https://w3id.org/coopgraph/dataset/graph/003_5681c03170b8ac75/evidence> .
    <https://w3id.org/coopgraph/dataset/graph/003_5681c03170b8ac75/evidence>
        void:class cg:Evidence ; void:entities 32 .  # every graph has one, 0 where it has no evidence

and one subset for the data (the union of every graph but the ontology and the derived
graphs) with a class partition per class, the number of distinct resources it types there:
what ``stats-classes`` counts::

    <https://w3id.org/coopgraph/dataset/data> a void:Dataset ;
        void:classPartition <https://w3id.org/coopgraph/dataset/data/class/Zone> , … .

Every non-empty named graph is described, the statistics graph itself included (its own size
is known before it is written: three triples per graph, three per partition, one for the
data subset), so ``stats-graphs`` lists the same graphs with and without it. The stored
queries read these figures where the store has them and count where it has none (a store
filled with the source graphs only); ``tests/test_graph_statistics.py`` proves both ways give
the same rows. Like the inferences and the index, the statistics are derived data: not in the
data files, not validated or checked, exported only when asked for by name. They describe
the graph as it was loaded, built or pushed: after a change made in place,
:meth:`coopgraph.kg.KnowledgeGraph.refresh_derived` counts again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Mapping

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, VOID, XSD
from rdflib.term import Node

from coopgraph.namespaces import BASE, CG, CGG, DERIVED_GRAPHS, GRAPH_ONTOLOGY, GRAPH_STATISTICS, SD

#: the IRI stem of the subsets (one per named graph), as in ``coopgraph export --describe``
SUBSET_BASE = BASE + "dataset/graph/"
#: the union of the graphs that describe the world, with its class partitions
DATA_SUBSET = URIRef(BASE + "dataset/data")
#: graphs outside the data subset
NOT_DATA = (GRAPH_ONTOLOGY, *DERIVED_GRAPHS)
#: triples written for every graph, for every partition, and for the data subset itself
PER_GRAPH = 3
PER_PARTITION = 3
PER_DATA_SUBSET = 1

Triple = tuple[Node, Node, Node]


def subset_iri(graph: URIRef) -> URIRef:
    """The IRI of the VoID subset that describes named graph ``graph``.

    A project graph (``cgg:x``) is described by ``…/dataset/graph/x``; any other graph by a
    hash of its IRI, so two graphs never share a subset.
    """
    text = str(graph)
    if text.startswith(str(CGG)) and len(text) > len(str(CGG)):
        return URIRef(SUBSET_BASE + text[len(str(CGG)):])
    return URIRef(SUBSET_BASE + "iri-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24])


def evidence_partition_iri(graph: URIRef) -> URIRef:
    """The IRI of the class partition of ``graph``'s ``cg:Evidence`` instances."""
    return URIRef(str(subset_iri(graph)) + "/evidence")


def class_partition_iri(cls: URIRef) -> URIRef:
    """The IRI of the data subset's partition of class ``cls`` (a hash for a class outside ``cg:``)."""
    text = str(cls)
    local = text[len(str(CG)):] if text.startswith(str(CG)) else ""
    if not local or not local.replace("_", "").replace("-", "").isalnum():
        local = "iri-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    return URIRef(f"{DATA_SUBSET}/class/{local}")


def statistics_triples(sizes: Mapping[URIRef, int], evidence: Mapping[URIRef, int],
                       classes: Mapping[URIRef, int]) -> list[Triple]:
    """The triples of graph ``cgg:statistics``, sorted: each graph, then the data subset.

    ``sizes`` maps named graphs to their number of triples (empty graphs and the statistics
    graph itself are left out; its own size is added), ``evidence`` to their number of
    ``cg:Evidence`` instances (every graph gets its evidence partition, with 0 where it has
    none: a query can then join it instead of looking it up as an OPTIONAL row by row),
    ``classes`` the classes of the data subset to their number of distinct instances there.
    """
    sizes = {g: n for g, n in sizes.items() if n > 0 and g != GRAPH_STATISTICS}
    classes = {c: n for c, n in classes.items() if n > 0}
    sizes[GRAPH_STATISTICS] = (PER_GRAPH + PER_PARTITION) * (len(sizes) + 1) + PER_PARTITION * len(classes) \
        + PER_DATA_SUBSET
    triples: list[Triple] = []
    for graph in sorted(sizes, key=str):
        subset = subset_iri(graph)
        triples += [
            (subset, RDF.type, VOID.Dataset),
            (subset, SD.name, graph),
            (subset, VOID.triples, Literal(sizes[graph], datatype=XSD.integer)),
        ]
        partition = evidence_partition_iri(graph)
        triples += [
            (subset, VOID.classPartition, partition),
            (partition, VOID["class"], CG.Evidence),
            (partition, VOID.entities, Literal(evidence.get(graph, 0), datatype=XSD.integer)),
        ]
    triples.append((DATA_SUBSET, RDF.type, VOID.Dataset))
    for cls in sorted(classes, key=str):
        partition = class_partition_iri(cls)
        triples += [
            (DATA_SUBSET, VOID.classPartition, partition),
            (partition, VOID["class"], cls),
            (partition, VOID.entities, Literal(classes[cls], datatype=XSD.integer)),
        ]
    return triples


# -- rdflib ---------------------------------------------------------------------------------
def add_graph_statistics(dataset: Dataset) -> int:
    """(Re)write graph ``cgg:statistics`` of an rdflib Dataset; return the number of graphs described."""
    target = dataset.graph(GRAPH_STATISTICS)
    target.remove((None, None, None))
    sizes = {graph.identifier: len(graph) for graph in dataset.contexts()
             if isinstance(graph.identifier, URIRef) and graph.identifier != GRAPH_STATISTICS}
    evidence: dict[URIRef, int] = defaultdict(int)
    instances: dict[URIRef, set] = defaultdict(set)
    # one pass over every rdf:type of the dataset: asking each graph for its types reads the
    # types of all graphs each time (rdflib indexes by term, not by graph), 49 s at 100k triples
    for resource, _, cls, name in dataset.quads((None, RDF.type, None, None)):
        name = getattr(name, "identifier", name)
        if name not in sizes:
            continue
        if cls == CG.Evidence:
            evidence[name] += 1
        if name not in NOT_DATA and isinstance(cls, URIRef):
            instances[cls].add(resource)
    triples = statistics_triples(sizes, evidence, {c: len(r) for c, r in instances.items()})
    target.addN((s, p, o, target) for s, p, o in triples)
    return sum(1 for _, predicate, _ in triples if predicate == SD.name)


# -- pyoxigraph -----------------------------------------------------------------------------
_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_EVIDENCE = (
    "SELECT ?g (COUNT(DISTINCT ?e) AS ?n) "
    f"WHERE {{ GRAPH ?g {{ ?e <{RDF.type}> <{CG.Evidence}> }} }} GROUP BY ?g"
)
_CLASSES = (
    "SELECT (?class AS ?g) (COUNT(DISTINCT ?resource) AS ?n) "
    f"WHERE {{ GRAPH ?graph {{ ?resource <{RDF.type}> ?class }} FILTER (isIRI(?class) "
    f"&& ?graph NOT IN ({', '.join(f'<{g}>' for g in NOT_DATA)})) }} GROUP BY ?class"
)


def oxigraph_statistics_triples(store) -> list[tuple]:
    """The statistics of a pyoxigraph store's named graphs, as pyoxigraph triples ``(s, p, o)``."""
    from coopgraph.stores.terms import to_oxigraph

    def counts(query: str) -> dict[URIRef, int]:
        return {URIRef(row["g"].value): int(row["n"].value) for row in store.query(query)}

    triples = statistics_triples(counts(_SIZES), counts(_EVIDENCE), counts(_CLASSES))
    return [tuple(to_oxigraph(t) for t in triple) for triple in triples]

"""A description of the dataset (VoID and DCAT), generated from the data — never written by hand.

:func:`describe` returns an rdflib :class:`~rdflib.Graph` with

* one ``void:Dataset`` / ``dcat:Dataset`` for the whole of coopgraph: its title, the URI
  space, the vocabularies its graphs use, the total number of triples (quads: a triple
  stated in two graphs counts twice), the number of distinct subjects, and a rights
  statement (the source texts belong to their publishers; the curated data is the
  project's), and the ontology's ``owl:versionInfo`` as ``dcat:version``. No SPARQL endpoint, download URL or licence URL is stated: the project has
  none to give;
* one ``void:subset`` per named graph (sources, catalog, gazetteer, ontology, and the
  inferences when asked for), named with ``sd:name`` and counted: ``void:triples``,
  ``void:distinctSubjects``, ``void:distinctObjects``, ``void:properties``,
  ``void:classes``, and the ``void:vocabulary`` namespaces its predicates and classes come
  from; a source graph points to its source document (``dcterms:source``), read from the
  catalog's ``cg:graph`` links;
* one ``dcat:Distribution`` per export format with its ``dcat:mediaType`` (the IANA
  media-type IRI) and ``dcterms:format`` (the media type as text), and the command that
  produces it.

The command line prints it with ``coopgraph export --describe`` (Turtle by default; any
``--format`` works). The description is not part of the data exports, which round-trip to
exactly the exported dataset.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from coopgraph.export import FORMATS, MEDIA_TYPES, export_graphs, select_graphs
from coopgraph.graph_statistics import subset_iri
from coopgraph.namespaces import BASE, CG, GRAPH_CATALOG, GRAPH_ONTOLOGY, PREFIXES, SD

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.kg import KnowledgeGraph

#: DCAT 3 ``dcat:version`` (rdflib's closed DCAT namespace predates it)
DCAT_VERSION = URIRef(str(DCAT) + "version")

#: the IRI of the dataset as a whole, and the stems of its subsets and distributions
DATASET = URIRef(BASE + "dataset")
DISTRIBUTION_BASE = BASE + "dataset/distribution/"

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

RIGHTS = (
    "The source texts of the corpus belong to their publishers and authors; coopgraph keeps "
    "copies of them and quotes passages from them only as evidence for its facts. The curated "
    "data (identifiers, classifications, links between resources, figures, dates, notes and "
    "evidence annotations) is the work of the coopgraph project."
)

_DISTRIBUTIONS = {
    "turtle": (
        "Turtle export (one graph)",
        "The union of the asserted named graphs in one graph (graph names dropped), or a single "
        "graph with --graph: coopgraph export --format turtle",
    ),
    "trig": (
        "TriG export (all named graphs)",
        "Every named graph (sources, catalog, gazetteer, ontology; the OWL 2 RL inferences with "
        "--inferred): coopgraph export --format trig",
    ),
    "nquads": (
        "N-Quads export (all named graphs)",
        "Every named graph as sorted canonical N-Quads: coopgraph export --format nquads",
    ),
    "jsonld": (
        "JSON-LD export (all named graphs)",
        "Every named graph as a JSON-LD named graph with a compact context (shipped as "
        "ontology/context.jsonld): coopgraph export --format jsonld",
    ),
}


def vocabulary_of(iri: str) -> str:
    """The namespace (vocabulary URI) an IRI belongs to: a project prefix, else up to its last # or /."""
    best = ""
    for namespace in PREFIXES.values():
        if iri.startswith(str(namespace)) and len(str(namespace)) > len(best):
            best = str(namespace)
    if best:
        return best
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def _add_statistics(out: Graph, dataset: URIRef, triples: int, stats: dict[str, set]) -> None:
    """The VoID statistics of a dataset or subset: triples, distinct subjects/objects, properties, classes, vocabularies."""
    out.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    out.add((dataset, VOID.distinctSubjects, Literal(len(stats["subjects"]), datatype=XSD.integer)))
    out.add((dataset, VOID.distinctObjects, Literal(len(stats["objects"]), datatype=XSD.integer)))
    out.add((dataset, VOID.properties, Literal(len(stats["properties"]), datatype=XSD.integer)))
    out.add((dataset, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    for vocabulary in stats["vocabularies"]:
        out.add((dataset, VOID.vocabulary, URIRef(vocabulary)))


def _counts(triples: Iterable[tuple], into: dict[str, set]) -> int:
    n = 0
    for s, p, o in triples:
        n += 1
        into["subjects"].add(s)
        into["objects"].add(o)
        into["properties"].add(p)
        into["vocabularies"].add(vocabulary_of(str(p)))
        if p == RDF.type and isinstance(o, URIRef):
            into["classes"].add(o)
            into["vocabularies"].add(vocabulary_of(str(o)))
    return n


def _small_graph(kg: "KnowledgeGraph", name: URIRef) -> Graph:
    """Named graph ``name`` (the ontology, the catalog) as an rdflib Graph, read from the store
    without copying the whole store into rdflib."""
    graph = Graph()
    for triple in kg.store.triples(name):
        graph.add(triple)
    return graph


def describe(kg: "KnowledgeGraph", *, inferred: bool = False) -> Graph:
    """Describe ``kg`` in VoID and DCAT (see the module documentation)."""
    names = select_graphs(kg, inferred=inferred)
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, replace=True)

    out.add((DATASET, RDF.type, VOID.Dataset))
    out.add((DATASET, RDF.type, DCAT.Dataset))
    out.add((DATASET, DCTERMS.title, Literal("coopgraph", lang="en")))
    out.add(
        (
            DATASET,
            DCTERMS.description,
            Literal(
                "A provenance-first knowledge graph of Sino-German and Sino-European industrial "
                "cooperation: one named graph per source document, each fact backed by a quoted "
                "passage of its source. void:triples of the whole dataset counts quads (a triple "
                "stated in two graphs counts twice).",
                lang="en",
            ),
        )
    )
    out.add((DATASET, DCTERMS.rights, Literal(RIGHTS, lang="en")))
    ontology = _small_graph(kg, GRAPH_ONTOLOGY)
    for ontology_iri in sorted(ontology.subjects(RDF.type, OWL.Ontology), key=str):
        for version in ontology.objects(ontology_iri, OWL.versionInfo):
            out.add((DATASET, DCAT_VERSION, Literal(str(version))))
    out.add((DATASET, VOID.uriSpace, Literal(BASE)))

    catalog = _small_graph(kg, GRAPH_CATALOG)
    whole: dict[str, set] = {k: set() for k in ("subjects", "objects", "properties", "classes", "vocabularies")}
    total = 0
    for name in names:
        stats: dict[str, set] = {k: set() for k in whole}
        triples = _counts(kg.store.triples(name), stats)
        total += triples
        for key in whole:
            whole[key] |= stats[key]
        subset = subset_iri(name)
        out.add((DATASET, VOID.subset, subset))
        out.add((subset, RDF.type, VOID.Dataset))
        out.add((subset, SD.name, name))
        _add_statistics(out, subset, triples, stats)
        for label in catalog.objects(name, RDFS.label):
            out.add((subset, DCTERMS.title, label))
        for document in catalog.subjects(CG.graph, name):
            out.add((subset, DCTERMS.source, document))
            for label in catalog.objects(document, RDFS.label):
                out.add((subset, DCTERMS.title, label))

    _add_statistics(out, DATASET, total, whole)

    for fmt in FORMATS:
        distribution = URIRef(DISTRIBUTION_BASE + fmt)
        title, description = _DISTRIBUTIONS[fmt]
        out.add((DATASET, DCAT.distribution, distribution))
        out.add((distribution, RDF.type, DCAT.Distribution))
        out.add((distribution, DCTERMS.title, Literal(title, lang="en")))
        out.add((distribution, DCTERMS.description, Literal(description, lang="en")))
        out.add((distribution, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + MEDIA_TYPES[fmt])))
        out.add((distribution, DCTERMS.format, Literal(MEDIA_TYPES[fmt])))
    return out


def describe_text(
    kg: "KnowledgeGraph",
    *,
    format: str = "turtle",
    inferred: bool = False,
    destination: str | os.PathLike[str] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> str | None:
    """Serialise :func:`describe` deterministically (Turtle by default), to text or a file."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    return export_graphs(
        [(None, describe(kg, inferred=inferred))],
        format=format,
        destination=destination,
        prefixes=prefixes,
        on_warning=on_warning,
    )

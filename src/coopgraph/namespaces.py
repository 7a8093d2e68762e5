"""The project's namespaces and the prefixes used everywhere (queries, exports, reports)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/coopgraph/"

CG = Namespace(BASE + "ontology#")
CGR = Namespace(BASE + "id/")
CGC = Namespace(BASE + "claim/")
CGEV = Namespace(BASE + "evidence/")
CGSRC = Namespace(BASE + "source/")
CGG = Namespace(BASE + "graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
#: SPARQL 1.1 Service Description (``sd:name`` names the graph a VoID subset describes)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: prefix -> namespace, in the order exports and reports print them
PREFIXES: dict[str, Namespace] = {
    "cg": CG,
    "cgr": CGR,
    "cgc": CGC,
    "cgev": CGEV,
    "cgsrc": CGSRC,
    "cgg": CGG,
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sd": SD,
    "sh": SH,
    "skos": SKOS,
    "time": TIME,
    "void": VOID,
    "xsd": XSD,
}

GRAPH_ONTOLOGY = CGG["ontology"]
GRAPH_CATALOG = CGG["catalog"]
GRAPH_PLACES = CGG["places"]
GRAPH_INFERRED = CGG["inferred"]
#: the corroboration index (:mod:`coopgraph.corroboration`), computed from the source graphs
GRAPH_CORROBORATION = CGG["corroboration"]
#: the size of every named graph in VoID (:mod:`coopgraph.graph_statistics`), computed last
GRAPH_STATISTICS = CGG["statistics"]
#: graphs computed from the others when the graph is loaded or built: never in the data
#: files, not validated or checked, not exported unless asked for
DERIVED_GRAPHS = (GRAPH_INFERRED, GRAPH_CORROBORATION, GRAPH_STATISTICS)


def source_graph(stem: str) -> URIRef:
    """Return the named-graph IRI of the source whose corpus file stem is ``stem``."""
    return CGG[stem]


def source_document(stem: str) -> URIRef:
    """Return the IRI of the source document whose corpus file stem is ``stem``."""
    return CGSRC[stem]


_BY_LENGTH = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def prefixed_name(iri: str) -> str:
    """Return ``prefix:local`` for an IRI in a known namespace, else ``<iri>``."""
    text = str(iri)
    for namespace, prefix in _BY_LENGTH:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"

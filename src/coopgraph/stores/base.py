"""What every store offers the :class:`~coopgraph.kg.KnowledgeGraph`, and term conversions.

A store holds the coopgraph dataset (one named graph per input file, plus ``cgg:inferred``)
and answers SPARQL over the union of its named graphs, with parameters bound as RDF terms by
the engine (never pasted into the query text). Three stores exist:

* :class:`~coopgraph.stores.memory.MemoryStore` - rdflib in memory (the default);
* :class:`~coopgraph.stores.oxigraph_store.OxigraphStore` - pyoxigraph, persistent on disk;
* :class:`~coopgraph.stores.sparql_store.SparqlStore` - any SPARQL 1.1 Protocol endpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping, Protocol, runtime_checkable

from rdflib import Dataset, URIRef
from rdflib.term import Node

from coopgraph.namespaces import PREFIXES
from coopgraph.results import QueryResult

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.plugins.sparql.sparql import Query

#: the store kinds accepted by ``coopgraph.load(store=...)`` and ``--store``
STORE_KINDS = ("memory", "oxigraph", "sparql")

#: ``PREFIX`` lines of the project prefixes, put before ad-hoc query text for engines that
#: cannot be given prefixes any other way (a query's own declarations come later and win)
PREFIX_PROLOGUE = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())


@runtime_checkable
class Store(Protocol):
    """The small interface the knowledge graph needs from a store."""

    #: "memory", "oxigraph" or "sparql"
    kind: str

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        origin: str = "query",
        prepared: "Query | None" = None,
    ) -> QueryResult:
        """Run SPARQL over the union of the graphs; ``bindings`` (``name`` -> term) are bound by the engine."""

    def graph_names(self) -> list[URIRef]:
        """The IRIs of every non-empty named graph, sorted."""

    def graph_size(self, name: URIRef) -> int:
        """How many triples named graph ``name`` holds."""

    def graph_sizes(self) -> dict[URIRef, int]:
        """How many triples every non-empty named graph holds (one pass, not one count per graph)."""

    def triples(self, name: URIRef) -> Iterable[tuple[Node, Node, Node]]:
        """The triples of named graph ``name`` as rdflib terms (no copy of the store into rdflib)."""

    def ntriples(self, name: URIRef) -> bytes:
        """The triples of named graph ``name`` as N-Triples (UTF-8)."""

    def to_dataset(self) -> Dataset:
        """An rdflib Dataset with every named graph (for validation and export)."""

    def close(self) -> None:
        """Release files, locks and connections."""

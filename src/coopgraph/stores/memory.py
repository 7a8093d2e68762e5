"""The default store: an rdflib :class:`~rdflib.Dataset` in memory."""

from __future__ import annotations

from typing import Iterable, Mapping

from rdflib import Dataset, URIRef
from rdflib.term import Node

from coopgraph.results import QueryResult
from coopgraph.sparql import run_query


class MemoryStore:
    """rdflib in memory: parameters go in as ``initBindings``; the default graph is the union."""

    kind = "memory"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *, origin: str = "query",
              prepared=None) -> QueryResult:
        return run_query(self.dataset, prepared if prepared is not None else text, bindings, origin=origin)

    def graph_names(self) -> list[URIRef]:
        return sorted(
            {ctx.identifier for ctx in self.dataset.contexts() if len(ctx) and isinstance(ctx.identifier, URIRef)}
        )

    def graph_size(self, name: URIRef) -> int:
        return len(self.dataset.graph(name))

    def graph_sizes(self) -> dict[URIRef, int]:
        sizes = ((ctx.identifier, len(ctx)) for ctx in self.dataset.contexts())
        return {name: size for name, size in sizes if size and isinstance(name, URIRef)}

    def triples(self, name: URIRef) -> Iterable[tuple[Node, Node, Node]]:
        return self.dataset.graph(name).triples((None, None, None))

    def ntriples(self, name: URIRef) -> bytes:
        data = self.dataset.graph(name).serialize(format="nt", encoding="utf-8")
        return data if isinstance(data, bytes) else data.encode("utf-8")

    def to_dataset(self) -> Dataset:
        return self.dataset

    def close(self) -> None:
        pass

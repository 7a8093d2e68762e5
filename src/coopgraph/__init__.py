"""coopgraph: a provenance-first knowledge graph of Sino-German and Sino-European industrial cooperation.

>>> import coopgraph
>>> kg = coopgraph.load()
>>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows  # doctest: +SKIP
"""

from __future__ import annotations

from coopgraph._version import __version__
from coopgraph.errors import (
    CoopgraphError,
    DataFolderError,
    ExportError,
    ParameterError,
    ParseError,
    QueryDefinitionError,
    SparqlSyntaxError,
    StoreError,
    UnknownGraphError,
    UnknownQueryError,
    UnknownResourceError,
    ValidationFailed,
)
from coopgraph.kg import KnowledgeGraph, load
from coopgraph.results import QueryResult


__all__ = [
    "CoopgraphError",
    "DataFolderError",
    "ExportError",
    "KnowledgeGraph",
    "ParameterError",
    "ParseError",
    "QueryDefinitionError",
    "QueryResult",
    "SparqlSyntaxError",
    "StoreError",
    "UnknownGraphError",
    "UnknownQueryError",
    "UnknownResourceError",
    "ValidationFailed",
    "__version__",
    "load",
]

"""Run SPARQL on an rdflib Dataset with parameters bound as terms, never pasted into text."""

from __future__ import annotations

from typing import Mapping

from pyparsing import ParseException
from rdflib import Dataset, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from coopgraph.errors import SparqlSyntaxError
from coopgraph.hashjoin import hash_joins
from coopgraph.namespaces import PREFIXES
from coopgraph.results import QueryResult

INIT_NS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def prepare(text: str, origin: str = "query") -> Query:
    """Parse a SPARQL query (project prefixes pre-bound); a syntax error names line and column."""
    try:
        return prepareQuery(text, initNs=INIT_NS)
    except ParseException as exc:
        raise SparqlSyntaxError(
            f"{origin}: SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
        ) from exc
    except Exception as exc:  # rdflib raises e.g. KeyError/Exception for unknown prefixes
        raise SparqlSyntaxError(f"{origin}: invalid SPARQL: {exc}") from exc


def run_query(
    dataset: Dataset,
    query: str | Query,
    bindings: Mapping[str, Node] | None = None,
    origin: str = "query",
) -> QueryResult:
    """Run ``query`` on ``dataset`` with ``bindings`` (variable name -> term) bound by the engine."""
    prepared = prepare(query, origin) if isinstance(query, str) else query
    init = {Variable(name): term for name, term in (bindings or {}).items()}
    with hash_joins():  # rows are read inside: rdflib evaluates lazily
        result = dataset.query(prepared, initBindings=init)
        if result.type == "ASK":
            return QueryResult(kind="ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult(kind="CONSTRUCT", graph=result.graph)
        variables = [str(v) for v in result.vars or []]
        rows = [tuple(row[v] if v in row.labels else None for v in variables) for row in result]
    return QueryResult(kind="SELECT", variables=variables, bindings=rows)

"""The ``sparql`` store: any SPARQL 1.1 Protocol endpoint, over HTTP with the standard library.

Queries are sent with the project prefixes put before them (constant text) and the
parameters bound as terms by :func:`~coopgraph.stores.binding.substitute`: each bound
variable is replaced by its value written as one RDF term (IRIs checked, literal text
escaped), the SEP-0007 substitution rdflib's ``initBindings`` performs. No user text is ever
pasted into the query as syntax: ``"} UNION {"`` is sent as the literal ``"} UNION {"``.

The endpoint's default graph must be the union of its named graphs *as a set* (each triple
once). ``coopgraph push --default-graph`` copies every triple into the default graph, which
works with any Graph Store; it is needed for Oxigraph, whose ``--union-default-graph``
repeats a triple once per graph that holds it. Fuseki's ``tdb2:unionDefaultGraph`` and
Virtuoso's default graph are sets already.

:func:`push` uploads each named graph with the SPARQL 1.1 Graph Store HTTP Protocol
(``PUT <store>?graph=<iri>``, N-Triples; a large graph in parts, the others ``POST``-ed).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable, Iterable, Mapping

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from coopgraph.errors import SparqlSyntaxError, StoreError
from coopgraph.loader import new_dataset
from coopgraph.results import QueryResult
from coopgraph.stores.base import PREFIX_PROLOGUE
from coopgraph.stores.binding import substitute
from coopgraph.stores.terms import from_json

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


# -- HTTP -----------------------------------------------------------------------------------
def _request(url: str, *, data: bytes | None = None, method: str = "GET", headers: Mapping[str, str] | None = None,
             timeout: float = 60.0) -> tuple[str, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - user-given endpoint
            return response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")[:2000]
        if exc.code == 400:
            raise SparqlSyntaxError(f"the endpoint rejected the query ({exc.code}): {body.strip()}") from exc
        raise StoreError(f"{method} {url} failed with HTTP {exc.code}: {body.strip()}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from exc


class SparqlStore:
    """A remote SPARQL 1.1 endpoint (read-only; use :func:`push` to upload)."""

    kind = "sparql"

    def __init__(self, endpoint: str, *, timeout: float = 60.0) -> None:
        if not endpoint or not re.match(r"^https?://", endpoint):
            raise StoreError(f"the sparql store needs an http(s) endpoint URL (--endpoint URL), got {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout

    def _post(self, text: str, bindings: Mapping[str, Node] | None, origin: str, accept: str) -> tuple[str, bytes]:
        """Send one query (the prefixes before it, the bindings as terms); return the content type and body."""
        full = PREFIX_PROLOGUE + substitute(text, bindings)
        body = urllib.parse.urlencode({"query": full}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        try:
            return _request(self.endpoint, data=body, method="POST", headers=headers, timeout=self.timeout)
        except SparqlSyntaxError as exc:
            raise SparqlSyntaxError(f"{origin}: {exc}") from exc

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *, origin: str = "query",
              prepared=None) -> QueryResult:
        content_type, payload = self._post(text, bindings, origin, _ACCEPT)
        if "json" in content_type:
            document = json.loads(payload.decode("utf-8"))
            if "boolean" in document:
                return QueryResult(kind="ASK", boolean=bool(document["boolean"]))
            variables = list(document.get("head", {}).get("vars", []))
            rows = [
                tuple(from_json(b[v]) if v in b else None for v in variables)
                for b in document.get("results", {}).get("bindings", [])
            ]
            return QueryResult(kind="SELECT", variables=variables, bindings=rows)
        graph = Graph()
        fmt = "nt" if "n-triples" in content_type else "turtle"
        graph.parse(data=payload.decode("utf-8"), format=fmt)
        return QueryResult(kind="CONSTRUCT", graph=graph)

    def graph_names(self) -> list[URIRef]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(URIRef(row[0]) for row in result.bindings if isinstance(row[0], URIRef))

    def graph_size(self, name: URIRef) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(name)})
        return int(result.bindings[0][0]) if result.bindings else 0

    def graph_sizes(self) -> dict[URIRef, int]:
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {URIRef(g): int(n) for g, n in result.bindings if isinstance(g, URIRef)}

    def triples(self, name: URIRef) -> Iterable[tuple[Node, Node, Node]]:
        result = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(name)})
        return [(s, p, o) for s, p, o in result.bindings]

    def ntriples(self, name: URIRef) -> bytes:
        """One graph as N-Triples: the endpoint's own bytes when it answers in N-Triples."""
        content_type, payload = self._post("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                           {"g": URIRef(name)}, "ntriples", "application/n-triples, text/turtle;q=0.8")
        if "n-triples" in content_type:
            return payload
        graph = Graph().parse(data=payload.decode("utf-8"), format="turtle")  # an endpoint that only writes Turtle
        data = graph.serialize(format="nt", encoding="utf-8")
        return data if isinstance(data, bytes) else data.encode("utf-8")

    def to_dataset(self) -> Dataset:
        dataset = new_dataset()
        result = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        for g, s, p, o in result.bindings:
            dataset.graph(g).add((s, p, o))
        return dataset

    def close(self) -> None:
        pass


def _with_query(url: str, **params: str) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + separator + urllib.parse.urlencode(params)


#: the largest request body :func:`push` sends where it may split a graph (bytes of N-Triples)
PART_BYTES = 4 * 1024 * 1024


def ntriples_parts(data: bytes, limit: int = PART_BYTES) -> list[bytes]:
    """Split an N-Triples document at line ends into parts of about ``limit`` bytes.

    A document with a blank node stays whole: a blank node label is scoped to one request
    body, so split, one node would become two on the server. (``_:`` inside a literal or IRI
    keeps a document whole too; that costs only speed.)
    """
    if len(data) <= limit or b"_:" in data:
        return [data]
    parts: list[bytes] = []
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + limit)
        end = len(data) if end < 0 else end + 1  # N-Triples: one triple per line
        parts.append(data[start:end])
        start = end
    return parts


def push(
    graphs: Iterable[tuple[URIRef, bytes]],
    store_url: str,
    *,
    default_graph: bool = False,
    timeout: float = 300.0,
    progress: Callable[[URIRef, int], None] | None = None,
    part_bytes: int = PART_BYTES,
) -> int:
    """PUT each ``(graph IRI, N-Triples)`` to a Graph Store endpoint; return how many graphs went up.

    A graph larger than ``part_bytes`` without blank nodes goes up in parts: the first is
    PUT (replacing the graph), the others POSTed (merged into it), so the server never holds
    one huge request in a transaction (the 1M benchmark's inferred graph, 100 MB: 23 s and
    1.4 GB of server memory whole, 10-13 s and 0.8-1.1 GB in 4 MB parts, on Oxigraph).
    With ``default_graph`` every triple is also POSTed into the endpoint's default graph, in
    bodies of about ``part_bytes`` that gather many graphs: on Oxigraph a POST to the default
    graph costs more the larger that graph is (4,000 POSTs of small graphs took 3.4 s for the
    first thousand and 43 s for the fourth), so one per graph made the push quadratic. A body
    may then join the triples of several graphs: their blank node labels must name the same
    node wherever they occur, as they do in one store's serialisation (``Store.ntriples``).
    """
    if not re.match(r"^https?://", store_url or ""):
        raise StoreError(f"push needs an http(s) Graph Store URL, got {store_url!r}")
    headers = {"Content-Type": "application/n-triples; charset=utf-8"}
    count = 0
    if default_graph:  # start from an empty default graph, so that a second push does not duplicate
        try:
            _request(_with_query(store_url, default=""), method="DELETE", timeout=timeout)
        except StoreError as exc:
            if "HTTP 404" not in str(exc):
                raise
    pending: list[bytes] = []  # parts not yet POSTed to the default graph
    pending_bytes = 0

    def post_default() -> None:
        nonlocal pending_bytes
        if pending:
            _request(_with_query(store_url, default=""), data=b"".join(pending), method="POST", headers=headers,
                     timeout=timeout)
            pending.clear()
            pending_bytes = 0

    for name, data in graphs:
        target = _with_query(store_url, graph=str(name))
        for number, part in enumerate(ntriples_parts(data, part_bytes)):
            _request(target, data=part, method="PUT" if number == 0 else "POST", headers=headers, timeout=timeout)
            if default_graph:
                if part and not part.endswith(b"\n"):
                    part += b"\n"  # the next graph's triples start on a line of their own
                pending.append(part)
                pending_bytes += len(part)
                if pending_bytes >= part_bytes:
                    post_default()
        count += 1
        if progress:
            progress(name, len(data))
    post_default()
    return count

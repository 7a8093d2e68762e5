"""Printing query results on the command line: table, csv, tsv, json."""

from __future__ import annotations

from typing import TextIO

from rdflib import BNode, Literal, URIRef

from coopgraph.namespaces import prefixed_name
from coopgraph.results import QueryResult

FORMATS = ("table", "csv", "tsv", "json")


def shorten(term: object) -> str:
    """Render a term for a human: a prefixed name for IRIs in a known namespace, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return prefixed_name(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.language:
        return f"{term}@{term.language}"
    text = str(term)
    tokens = text.split(" ")
    if isinstance(term, Literal) and all(t.startswith(("http://", "https://")) for t in tokens):
        return " ".join(prefixed_name(t) for t in tokens)  # a GROUP_CONCAT of IRIs, e.g. ?sources
    return text


def format_table(result: QueryResult) -> str:
    """Return an aligned plain-text table of a SELECT result (ASK: yes/no; CONSTRUCT: Turtle)."""
    if result.kind == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    if result.kind == "CONSTRUCT":
        return result.graph.serialize(format="turtle") if result.graph is not None else ""
    cells = [[shorten(t).replace("\n", " ") for t in row] for row in result.bindings]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, min(len(c), 80)) for w, c in zip(widths, row)]
    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(result.variables), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def write_result(result: QueryResult, fmt: str, stream: TextIO) -> None:
    """Write ``result`` to ``stream`` in one of :data:`FORMATS`."""
    if fmt == "csv":
        stream.write(result.to_csv())
    elif fmt == "tsv":
        stream.write(result.to_tsv())
    elif fmt == "json":
        stream.write(result.to_json())
    else:
        stream.write(format_table(result))

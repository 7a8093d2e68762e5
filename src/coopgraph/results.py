"""Query results as plain Python rows, and their CSV, TSV and JSON serialisations."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def sort_list_cells(result: "QueryResult", separators: Mapping[str, str]) -> "QueryResult":
    """``result`` with the items of every ``GROUP_CONCAT`` cell in sorted order.

    SPARQL leaves the order of the values inside ``GROUP_CONCAT`` to the engine: rdflib follows
    the order of its sets, which changes from one Python process to the next, and Oxigraph the
    order of its indexes. ``separators`` maps each list variable to its separator (see
    :func:`concat_separators`); a cell whose items are all IRIs, with a separator that holds
    whitespace (which no IRI does), is split, sorted and joined again, as a literal of the same
    language or datatype, so the same data gives the same lists on every run and every store.
    A list of texts (labels, quotes) is left as it is: a text may hold its separator, and
    splitting it there would change it.
    """
    from coopgraph.stores.terms import make_literal

    if result.kind != "SELECT" or not separators:
        return result
    positions = [(i, separators[v]) for i, v in enumerate(result.variables)
                 if v in separators and any(c.isspace() for c in separators[v])]
    if not positions:
        return result
    rows = []
    changed = False
    for row in result.bindings:
        cells = None
        for index, separator in positions:
            term = row[index]
            if not (isinstance(term, Literal) and separator and separator in term):
                continue
            items = str(term).split(separator)
            if not all(_IRI_ITEM.match(item) for item in items):
                continue
            ordered = sorted(items)
            if ordered == items:
                continue
            if cells is None:
                cells = list(row)
            cells[index] = make_literal(separator.join(ordered), term.language, term.datatype)
        rows.append(row if cells is None else tuple(cells))
        changed = changed or cells is not None
    if not changed:
        return result
    return QueryResult(kind=result.kind, variables=list(result.variables), bindings=rows)


#: an absolute IRI as STR() gives it: a scheme, then no whitespace
_IRI_ITEM = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")

_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?SEPARATOR\s*=\s*\"([^\"]*)\"\s*\)\s*AS\s*\?(\w+)", re.IGNORECASE
)


def concat_separators(query_text: str) -> dict[str, str]:
    """Variable -> separator of every ``GROUP_CONCAT(...; SEPARATOR="...") AS ?var`` of a query."""
    return {name: sep for sep, name in _CONCAT.findall(query_text)}


def to_python(term: Node | None) -> Any:
    """Turn an RDF term into a plain Python value (IRI -> str, literal -> its Python value)."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass
class QueryResult:
    """The answer to one SPARQL query.

    ``kind`` is ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"``; SELECT results carry
    ``variables`` and ``bindings`` (tuples of rdflib terms, ``None`` where unbound), ASK
    results ``boolean``, CONSTRUCT/DESCRIBE results ``graph``.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    bindings: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain Python values, variable name -> value."""
        return [{v: to_python(t) for v, t in zip(self.variables, row)} for row in self.bindings]

    def __len__(self) -> int:
        return len(self.bindings)

    def __iter__(self):
        return iter(self.rows)

    def column(self, name: str) -> list[Any]:
        """Return the plain values of one variable, in row order."""
        index = self.variables.index(name)
        return [to_python(row[index]) for row in self.bindings]

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: IRIs and literals as their plain text."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.bindings:
            writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV: terms in Turtle/N-Triples syntax."""
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for row in self.bindings:
            lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
        return "\n".join(lines) + "\n"

    def to_json(self, indent: int | None = 2) -> str:
        """SPARQL 1.1 Query Results JSON (``head``/``results`` or ``head``/``boolean``)."""
        if self.kind == "ASK":
            document: dict[str, Any] = {"head": {}, "boolean": bool(self.boolean)}
        else:
            document = {
                "head": {"vars": list(self.variables)},
                "results": {
                    "bindings": [
                        {v: _json_term(t) for v, t in zip(self.variables, row) if t is not None}
                        for row in self.bindings
                    ]
                },
            }
        return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"

    def to_dataframe(self):
        """Return a pandas DataFrame of :attr:`rows` (pandas is an optional dependency)."""
        try:
            import pandas
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install 'coopgraph[pandas]'") from exc
        return pandas.DataFrame(self.rows, columns=self.variables)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node) -> str:
    """A term in Turtle syntax on one line: literals escape backslash, quote, tab and line breaks."""
    if not isinstance(term, Literal):
        return term.n3()
    text = '"' + str(term).translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^<{term.datatype}>"
    return text


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out

"""Compare query answers across stores: rows as a multiset of plain values.

Engines agree on the rows of a SPARQL answer but may differ in what the standard leaves
open: the order of ties under ORDER BY, the order of the values inside ``GROUP_CONCAT``,
``GROUP_CONCAT`` over no values ("" or unbound), and blank-node labels. So a ``GROUP_CONCAT``
cell is compared as its sorted tuple of tokens, blank nodes as ``_:``, and the rows as a
multiset.
"""

from __future__ import annotations

from collections import Counter

from rdflib import BNode

from coopgraph.results import QueryResult, concat_separators, to_python

def comparable(result: QueryResult, query_text: str = "") -> Counter:
    """The rows of ``result`` as a multiset of tuples of plain, engine-neutral values."""
    if result.kind == "ASK":
        return Counter([bool(result.boolean)])
    if result.kind == "CONSTRUCT":
        assert result.graph is not None
        return Counter(tuple("_:" if isinstance(t, BNode) else to_python(t) for t in triple) for triple in result.graph)
    separators = concat_separators(query_text)
    rows: Counter = Counter()
    for row in result.bindings:
        cells = []
        for variable, term in zip(result.variables, row):
            if isinstance(term, BNode):
                cells.append("_:")
                continue
            value = to_python(term)
            if variable in separators:
                value = tuple(sorted(t for t in str(value or "").split(separators[variable]) if t))
            cells.append(value)
        rows[tuple(cells)] += 1
    return rows

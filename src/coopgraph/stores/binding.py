"""Binding parameters as terms in query text, for engines that cannot take bindings otherwise.

rdflib takes ``initBindings``; pyoxigraph's ``substitutions`` only accepts variables of the
SELECT projection (and a ``VALUES`` join trips Oxigraph's filter placement inside
``EXISTS``); a SPARQL endpoint only takes text. So the query is *tokenised* - strings, IRIs
and comments skipped - and every occurrence of a bound variable token ``?_name`` is replaced
by the value written as exactly one RDF term by :func:`~coopgraph.stores.terms.sparql_term`
(IRIs checked, literal text escaped); ``BOUND(?_name)`` becomes ``true``. This is the
substitution semantics of SPARQL-dev SEP-0007, the one rdflib's ``initBindings`` has: the
variable is replaced by the constant everywhere, including ``FILTER``, ``EXISTS`` and
``HAVING``. Nothing the user typed ever becomes syntax: ``"} UNION { ?s ?p ?o"`` is sent as
one escaped literal. A variable left unbound (an omitted optional parameter) stays a
variable. A bound variable in a place where only a variable may stand (``SELECT ?_x``,
``AS ?_x``, ``VALUES ?_x``, ``GROUP BY ?_x``) makes the engine reject the query - an error,
never a silently different query.
"""

from __future__ import annotations

import re
from typing import Mapping

from rdflib.term import Node

from coopgraph.errors import SparqlSyntaxError, StoreError
from coopgraph.stores.terms import sparql_term

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_BOUND_CALL = re.compile(r"BOUND\s*\(\s*[?$]([A-Za-z0-9_]+)\s*\)", re.IGNORECASE)


def _skip_token(text: str, i: int) -> int:
    """If a string, IRI or comment starts at ``i``, return the index just after it, else ``i``."""
    char = text[i]
    if char == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if char in "\"'":
        long = text.startswith(char * 3, i)
        quote = char * 3 if long else char
        j = i + len(quote)
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text.startswith(quote, j):
                return j + len(quote)
            if not long and text[j] in "\r\n":
                break
            j += 1
        raise SparqlSyntaxError("unterminated string in the query")
    if char == "<":
        match = _IRIREF.match(text, i)
        if match:
            return match.end()
    return i


def substitute(text: str, bindings: Mapping[str, Node] | None) -> str:
    """Return ``text`` with every bound variable replaced by its value as one SPARQL term."""
    if not bindings:
        return text
    terms: dict[str, str] = {}
    for name, term in bindings.items():
        if not _VARIABLE_NAME.match(name):
            raise StoreError(f"cannot bind variable {name!r}")
        terms[name] = sparql_term(term)
    out: list[str] = []
    i = 0
    start = 0
    while i < len(text):
        nxt = _skip_token(text, i)
        if nxt != i:
            i = nxt
            continue
        char = text[i]
        if char in "?$":
            match = _NAME.match(text, i + 1)
            if match and match.group(0) in terms:
                out.append(text[start:i])
                out.append(terms[match.group(0)])
                start = i = match.end()
                continue
            i = match.end() if match else i + 1
            continue
        if char in "bB":
            call = _BOUND_CALL.match(text, i)
            if call and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:")):
                if call.group(1) in terms:
                    out.append(text[start:i])
                    out.append("true")
                    start = i = call.end()
                    continue
        if char.isalpha() or char == "_":
            match = _WORD.match(text, i)
            i = match.end() if match else i + 1
            continue
        i += 1
    out.append(text[start:])
    return "".join(out)

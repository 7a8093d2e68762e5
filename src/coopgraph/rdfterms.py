"""N-Triples/Turtle syntax of single RDF terms: IRIs, literals, blank-node labels."""

from __future__ import annotations

import re
from typing import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node



PN_LOCAL = re.compile(r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?$")
IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
INTEGER = re.compile(r"^[+-]?[0-9]+$")
DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
DOUBLE = re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+$")
JSON_INTEGER = re.compile(r"^-?(?:0|[1-9][0-9]{0,14})$")

_ECHAR = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _escape_char(ch: str) -> str:
    if ch in _ECHAR:
        return _ECHAR[ch]
    return f"\\u{ord(ch):04X}"


_STRING_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_LONG_STRING_ESCAPE = re.compile(r'[\\"\x00-\x08\x0b-\x1f\x7f]')


def quote_string(text: str) -> str:
    return '"' + _STRING_ESCAPE.sub(lambda m: _escape_char(m.group()), text) + '"'


def quote_long_string(text: str) -> str:
    return '"""' + _LONG_STRING_ESCAPE.sub(lambda m: _escape_char(m.group()), text) + '"""'


def iri_ref(iri: str) -> str:
    return "<" + IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


def nt_term(term: Node | None, labels: Mapping[BNode, str] | None = None) -> str:
    """N-Triples form of a term (blank nodes by their canonical label when given)."""
    if isinstance(term, URIRef):
        return iri_ref(str(term))
    if isinstance(term, BNode):
        return "_:" + (labels[term] if labels is not None else str(term))
    if isinstance(term, Literal):
        text = quote_string(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{iri_ref(str(term.datatype))}"
        return text
    raise TypeError(f"cannot serialise {term!r}")

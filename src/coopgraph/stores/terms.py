"""Term conversions between rdflib, pyoxigraph and the SPARQL syntax of a single term.

:func:`sparql_term` writes one RDF term in SPARQL syntax (an IRI or a quoted, escaped
literal), checking every part; it is how the ``sparql`` store binds parameters in a
``VALUES`` block: term-level binding, never raw user text in the query.
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from coopgraph.errors import StoreError
from coopgraph.rdfterms import iri_ref, quote_string

_IRI_OK = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')
_LANG_OK = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def _iri(value: str) -> str:
    if not _IRI_OK.match(value):
        raise StoreError(f"cannot bind {value!r} as an IRI: it contains characters an IRI may not hold")
    return iri_ref(value)


def sparql_term(term: Node) -> str:
    """Write ``term`` in SPARQL syntax; IRIs and language tags are checked, literal text escaped."""
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        body = quote_string(str(term))
        if term.language:
            if not _LANG_OK.match(term.language):
                raise StoreError(f"cannot bind a literal with language tag {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{body}^^{_iri(str(term.datatype))}"
        return body
    raise StoreError(f"cannot bind {term!r} on a SPARQL endpoint: only IRIs and literals can be sent")


def to_oxigraph(term: Node):
    """Convert an rdflib term to a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot convert {term!r} to an Oxigraph term")


def from_oxigraph(term) -> Node | None:
    """Convert a pyoxigraph term (or ``None``) to an rdflib term."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return make_literal(term.value, term.language, term.datatype.value if term.datatype else None)
    raise StoreError(f"unsupported term in a result: {term!r}")


_PLAIN_DATATYPES = frozenset({str(XSD.string), str(RDF.langString)})


def _text_literal(value: str, language: str | None) -> Literal:
    """``Literal(value, lang=language)`` without rdflib's parsing of the lexical form.

    A string or language-tagged literal has nothing to parse: rdflib keeps the text as its
    value. Its constructor still runs the casts for typed literals, which took 1.3 µs a
    literal, and most of the time spent turning 8,850 Oxigraph rows into rdflib terms; this
    fills the same four slots in 0.2 µs. :func:`_check_text_literal` compares it with rdflib's
    own constructor once; where they differ (another rdflib), rdflib's is used.
    """
    made = str.__new__(Literal, value)
    made._language = language
    made._datatype = None
    made._value = value
    made._ill_typed = None
    return made


def _check_text_literal() -> bool:
    """True when :func:`_text_literal` builds exactly what ``Literal`` builds, on this rdflib."""
    if set(getattr(Literal, "__slots__", ())) != {"_language", "_datatype", "_value", "_ill_typed"}:
        return False
    try:
        for value, language in (("abc", None), ("", None), ("Zeile 1\nZeile 2 – ü", None), ("Jinan", "en"), ("济南", "zh-Hans")):
            made, reference = _text_literal(value, language), Literal(value, lang=language)
            same = all(getattr(made, slot) == getattr(reference, slot) for slot in Literal.__slots__)
            if not (same and made == reference and hash(made) == hash(reference) and made.toPython() == reference.toPython()
                    and made.n3() == reference.n3()):
                return False
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - another rdflib
        return False
    return True


_TEXT_LITERAL_OK = _check_text_literal()


def make_literal(value: str, language: str | None, datatype: str | None) -> Literal:
    """An rdflib literal as a parser would make it (``xsd:string`` literals stay plain)."""
    if language:
        if _TEXT_LITERAL_OK and _LANG_OK.match(language):
            return _text_literal(value, language)
        return Literal(value, lang=language)
    if datatype and datatype not in _PLAIN_DATATYPES:
        return Literal(value, datatype=URIRef(datatype))
    return _text_literal(value, None) if _TEXT_LITERAL_OK else Literal(value)


def from_json(binding: dict) -> Node:
    """Convert one term of a SPARQL 1.1 JSON result to an rdflib term."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        return make_literal(value, binding.get("xml:lang"), binding.get("datatype"))
    raise StoreError(f"unsupported term type {kind!r} in a SPARQL JSON result")

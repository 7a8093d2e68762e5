"""Typed query parameters: convert user text into rdflib terms, or say exactly what is wrong.

Values become terms (IRIs, typed or language-tagged literals) that the engine binds to the
query's ``?_name`` variables; nothing is ever pasted into query text, so a value with
quotes, braces or ``} UNION {`` is just an odd value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from coopgraph.errors import ParameterError
from coopgraph.namespaces import CGR, PREFIXES

#: parameter type -> what the user should type
TYPES: dict[str, str] = {
    "iri": "an IRI: <https://...>, a prefixed name such as cgr:dresden, or a bare name such as dresden (read as cgr:dresden)",
    "string": "any text",
    "langstring": "text with an optional language tag, e.g. Dresden@de",
    "language": "a language tag such as en, de or zh",
    "integer": "a whole number such as 2015",
    "decimal": "a number such as 47.964",
    "date": "a date as YYYY-MM-DD",
    "boolean": "true or false",
}

_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:([^\s<>\"{}|^`\\]*)$")
_BARE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IRI_FORBIDDEN = re.compile(r"[\s<>\"{}|^`\\]")


@dataclass(frozen=True)
class ParameterSpec:
    """One declared parameter of a stored query."""

    name: str
    type: str
    description: str = ""
    default: str | None = None
    example: str | None = None
    required: bool = False

    @property
    def variable(self) -> str:
        """The query variable the value is bound to (grlc style: ``?_name``)."""
        return f"_{self.name}"


def to_term(spec: ParameterSpec, raw: str) -> Node:
    """Convert ``raw`` into the rdflib term of the parameter's type, or raise :class:`ParameterError`."""
    text = raw.strip() if spec.type != "string" else raw
    converter = _CONVERTERS.get(spec.type)
    if converter is None:
        raise ParameterError(f"parameter {spec.name!r} has unknown type {spec.type!r}")
    try:
        return converter(text)
    except ValueError as exc:
        detail = f" ({exc})" if str(exc) else ""
        raise ParameterError(
            f"parameter {spec.name!r}: {raw!r} is not {TYPES[spec.type]}{detail}"
        ) from None


def _iri(text: str) -> URIRef:
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text) or _IRI_FORBIDDEN.search(text):
            raise ValueError("not an absolute IRI")
        return URIRef(text)
    if re.match(r"^(https?|urn|mailto):", text) and not _IRI_FORBIDDEN.search(text):
        if text.split(":", 1)[0] in PREFIXES:
            pass  # fall through: treat as prefixed name
        else:
            return URIRef(text)
    match = _PREFIXED.match(text)
    if match:
        prefix, local = match.group(1) or "", match.group(2)
        if prefix not in PREFIXES:
            raise ValueError(f"unknown prefix {prefix + ':'!r}; known: {', '.join(sorted(PREFIXES))}")
        return URIRef(str(PREFIXES[prefix]) + local)
    if _BARE_NAME.match(text):
        return CGR[text]
    raise ValueError("")


def _string(text: str) -> Literal:
    return Literal(text)


def _langstring(text: str) -> Literal:
    value, sep, lang = text.rpartition("@")
    if sep and value and _LANGUAGE_TAG.match(lang):
        return Literal(value, lang=lang.lower())
    return Literal(text)


def _language(text: str) -> Literal:
    if not _LANGUAGE_TAG.match(text):
        raise ValueError("")
    return Literal(text.lower())


def _integer(text: str) -> Literal:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError("")
    return Literal(int(text), datatype=XSD.integer)


def _decimal(text: str) -> Literal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("") from None
    if not value.is_finite():
        raise ValueError("")
    return Literal(value, datatype=XSD.decimal)


def _date(text: str) -> Literal:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError("")
    try:
        return Literal(date.fromisoformat(text), datatype=XSD.date)
    except ValueError:
        raise ValueError("no such day") from None


def _boolean(text: str) -> Literal:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise ValueError("")
    return Literal(lowered == "true", datatype=XSD.boolean)


_CONVERTERS = {
    "iri": _iri,
    "string": _string,
    "langstring": _langstring,
    "language": _language,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "boolean": _boolean,
}

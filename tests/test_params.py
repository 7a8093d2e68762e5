"""Typed query parameters: conversion of every type, exact error messages, and hostile values.

Parameters are converted to rdflib terms and bound by the engine (``initBindings``), never
pasted into query text. The hostile-value tests prove it from the outside: a value full of
quotes, braces, ``} UNION {``, ``\\u0022`` escapes, newlines or ``"> . DROP ALL #`` gives
exactly the answer a plain Python substring search over the labels gives for that text, an
IRI parameter with such a value is refused (ParameterError) or becomes an IRI that matches
nothing, and the graph keeps every triple.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rdflib import Literal, Namespace, URIRef

from coopgraph.errors import ParameterError, SparqlSyntaxError
from coopgraph.params import TYPES, ParameterSpec, to_term

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes

CGR = "https://w3id.org/coopgraph/id/"
CG = "https://w3id.org/coopgraph/ontology#"


def spec(kind: str, name: str = "p") -> ParameterSpec:
    return ParameterSpec(name=name, type=kind)


# ---------------------------------------------------------------------------------------
# Conversion, type by type
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<https://example.org/x>", URIRef("https://example.org/x")),
        ("https://w3id.org/coopgraph/id/dresden", URIRef(CGR + "dresden")),
        ("urn:isbn:0451450523", URIRef("urn:isbn:0451450523")),
        ("cgr:dresden", URIRef(CGR + "dresden")),
        ("cg:Fair", URIRef(CG + "Fair")),
        ("cgsrc:003_5681c03170b8ac75", URIRef("https://w3id.org/coopgraph/source/003_5681c03170b8ac75")),
        ("rdfs:label", URIRef("http://www.w3.org/2000/01/rdf-schema#label")),
        ("dresden-jinan-office", URIRef(CGR + "dresden-jinan-office")),  # a bare name is read as cgr:
        ("  cgr:dresden  ", URIRef(CGR + "dresden")),  # surrounding blanks are not part of an IRI
    ],
)
def test_iri_conversion(raw, expected):
    term = to_term(spec("iri"), raw)
    assert term == expected
    assert isinstance(term, URIRef)


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("foo:bar", "unknown prefix 'foo:'"),
        ("<relative/path>", "not an absolute IRI"),
        ("<https://example.org/a b>", "not an absolute IRI"),
        ("Dresden Office", ""),
        ("", ""),
    ],
)
def test_iri_errors_name_the_parameter_and_the_expected_type(raw, detail):
    with pytest.raises(ParameterError) as info:
        to_term(spec("iri", "agent"), raw)
    message = str(info.value)
    assert message.startswith("parameter 'agent': ")
    assert repr(raw) in message
    assert TYPES["iri"] in message
    assert detail in message
    if detail.startswith("unknown prefix"):
        assert "known: cg, cgc," in message  # lists the prefixes one may use


def test_string_is_kept_verbatim_including_blanks_and_newlines():
    raw = '  Lü Jian Tao\n"quoted" {braces} \t '
    term = to_term(spec("string"), raw)
    assert term == Literal(raw)
    assert term.datatype is None and term.language is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dresden@de", Literal("Dresden", lang="de")),
        ("Jinan@EN", Literal("Jinan", lang="en")),
        ("济南@zh-Hans", Literal("济南", lang="zh-hans")),
        ("a@b@en", Literal("a@b", lang="en")),
        ("Dresden", Literal("Dresden")),
        ("user@example.com", Literal("user@example.com")),  # not a language tag: kept as text
        ("trailing@", Literal("trailing@")),
    ],
)
def test_langstring_conversion(raw, expected):
    term = to_term(spec("langstring"), raw)
    assert term == expected
    assert term.language == expected.language


@pytest.mark.parametrize(("raw", "expected"), [("en", "en"), ("DE", "de"), ("zh-Hans", "zh-hans"), (" de ", "de")])
def test_language_conversion(raw, expected):
    assert to_term(spec("language"), raw) == Literal(expected)


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("integer", "2015", Literal(2015, datatype=XSD.integer)),
        ("integer", "+3", Literal(3, datatype=XSD.integer)),
        ("integer", "-2", Literal(-2, datatype=XSD.integer)),
        ("integer", " 7 ", Literal(7, datatype=XSD.integer)),
        ("decimal", "47.964", Literal(Decimal("47.964"), datatype=XSD.decimal)),
        ("decimal", "-0.5", Literal(Decimal("-0.5"), datatype=XSD.decimal)),
        ("decimal", "105", Literal(Decimal("105"), datatype=XSD.decimal)),
        ("date", "2013-08-27", Literal(datetime.date(2013, 8, 27), datatype=XSD.date)),
        ("date", "2016-02-29", Literal(datetime.date(2016, 2, 29), datatype=XSD.date)),  # a leap day
        ("boolean", "true", Literal(True, datatype=XSD.boolean)),
        ("boolean", "FALSE", Literal(False, datatype=XSD.boolean)),
    ],
)
def test_typed_literal_conversion(kind, raw, expected):
    term = to_term(spec(kind), raw)
    assert term == expected
    assert term.datatype == expected.datatype


@pytest.mark.parametrize(
    ("kind", "raw", "detail"),
    [
        ("language", "e n", ""),
        ("language", "", ""),
        ("language", "englishlanguage", ""),  # a primary subtag has at most 8 letters
        ("integer", "2.5", ""),
        ("integer", "1e3", ""),
        ("integer", "twenty", ""),
        ("integer", "", ""),
        ("decimal", "NaN", ""),
        ("decimal", "Infinity", ""),
        ("decimal", "47,964", ""),
        ("date", "2015-13-45", "(no such day)"),
        ("date", "2015-02-29", "(no such day)"),
        ("date", "2015-9-1", ""),
        ("date", "20150901", ""),
        ("date", "27.08.2013", ""),
        ("boolean", "yes", ""),
        ("boolean", "1", ""),
    ],
)
def test_bad_values_name_the_parameter_and_the_expected_type(kind, raw, detail):
    with pytest.raises(ParameterError) as info:
        to_term(spec(kind, "from"), raw)
    message = str(info.value)
    assert message == f"parameter 'from': {raw!r} is not {TYPES[kind]}" + (f" {detail}" if detail else "")


def test_unknown_parameter_type_is_an_error():
    with pytest.raises(ParameterError, match="parameter 'p' has unknown type 'colour'"):
        to_term(spec("colour"), "red")


def test_every_declared_parameter_has_a_known_type_and_valid_default_and_example(kg):
    seen_types = set()
    for stored in kg.queries():
        for param in stored.params:
            assert param.type in TYPES, (stored.name, param.name)
            assert param.variable == f"_{param.name}"
            seen_types.add(param.type)
            for value in (param.default, param.example):
                if value is not None:
                    to_term(param, value)  # raises if a documented value is not valid
    # the stored queries exercise the main types
    assert {"iri", "string", "boolean", "language", "integer", "date"} <= seen_types


# ---------------------------------------------------------------------------------------
# Missing, unknown and invalid parameters of stored queries
# ---------------------------------------------------------------------------------------


def test_missing_required_parameter_names_it_and_its_type(kg):
    with pytest.raises(ParameterError) as info:
        kg.query("events-of-agent")
    message = str(info.value)
    assert "query 'events-of-agent' needs parameter 'agent'" in message
    assert TYPES["iri"] in message
    assert "e.g. cgr:dirk-hilbert" in message  # the documented example


def test_unknown_parameter_lists_the_known_ones(kg):
    with pytest.raises(ParameterError) as info:
        kg.query("timeline", abuot="cgr:dresden-jinan-office")
    assert str(info.value) == "query 'timeline' has no parameter 'abuot' (parameters: about, from, to, lang)"


def test_query_without_parameters_says_so(kg):
    with pytest.raises(ParameterError, match=r"query 'sources' has no parameter 'x' \(parameters: none\)"):
        kg.query("sources", x="1")


def test_bad_date_in_a_stored_query(kg):
    with pytest.raises(ParameterError) as info:
        kg.query("timeline", **{"from": "2015-13-45"})
    assert str(info.value) == "parameter 'from': '2015-13-45' is not a date as YYYY-MM-DD (no such day)"


def test_bad_integer_and_boolean_in_stored_queries(kg):
    with pytest.raises(ParameterError, match="parameter 'minSources': 'two' is not a whole number"):
        kg.query("corroborated-facts", minSources="two")
    with pytest.raises(ParameterError, match="parameter 'exact': 'maybe' is not true or false"):
        kg.query("search-label", text="Hilbert", exact="maybe")


def test_python_values_and_terms_are_accepted(kg):
    stored = kg.catalog.get("corroborated-facts")
    expected = {"_minSources": Literal(4, datatype=XSD.integer), "_subject": URIRef(CGR + "dresden")}
    assert stored.bindings({"minSources": "4", "subject": "cgr:dresden"}) == expected
    assert stored.bindings({"minSources": 4, "subject": URIRef(CGR + "dresden")}) == expected
    assert stored.bindings({"minSources": Literal(4)}) == {"_minSources": Literal(4)}  # a term is bound as given
    rows = kg.query("corroborated-facts", minSources=4).rows
    assert rows and {r["sourceCount"] for r in rows} == {4}


def test_parameters_are_typed_before_binding(kg):
    """A date parameter compares as a date: 2013-08-28 excludes the 27 August 2013 opening."""
    before = {r["thing"] for r in kg.query("timeline", to="2013-08-27").rows}
    after = {r["thing"] for r in kg.query("timeline", **{"from": "2013-08-28"}).rows}
    assert CGR + "dresden-office-opening-2013" in before
    assert CGR + "dresden-office-opening-2013" not in after


# ---------------------------------------------------------------------------------------
# Hostile values change nothing but the value
# ---------------------------------------------------------------------------------------

HOSTILE = [
    '" } UNION { ?resource ?p ?label } #',
    "} UNION { ?s ?p ?o",
    "}} UNION {{ ?s ?p ?o }}",
    "x') || true || ('",
    '\\u0022) || true || (\\u0022',  # the six characters backslash-u-0-0-2-2, not a quote
    "\\u0022 } UNION { ?s ?p ?o } #",
    "Lv\nJiantao",
    '"> . DROP ALL #',
    "'''\"\"\" ; DELETE WHERE { ?s ?p ?o }",
    "?_text",
]


@pytest.fixture(scope="module")
def labels(kg):
    """Every (resource, label, language) the label search looks at, straight from rdflib."""
    from rdflib.namespace import RDFS, SKOS

    found = set()
    for predicate in (RDFS.label, SKOS.altLabel):
        for s, _, o in kg.dataset.triples((None, predicate, None)):
            if isinstance(s, URIRef):
                found.add((str(s), str(o), o.language or ""))
    return found


def graph_sizes(kg) -> dict[str, int]:
    return {str(g): len(kg.dataset.graph(g)) for g in kg.graph_names()}


def expected_matches(labels, text: str, exact: bool = False) -> set[tuple[str, str, str]]:
    needle = text.lower()
    return {
        (r, l, lang) for r, l, lang in labels if (l.lower() == needle if exact else needle in l.lower())
    }


def search(kg, text, **params) -> set[tuple[str, str, str]]:
    return {(r["resource"], r["label"], r["language"]) for r in kg.query("search-label", text=text, **params).rows}


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_values_are_only_values(kg, labels, value):
    before_total, before_graphs = len(kg), graph_sizes(kg)
    assert search(kg, value) == expected_matches(labels, value) == set()
    assert len(kg) == before_total
    assert graph_sizes(kg) == before_graphs


@pytest.mark.parametrize("value", ['" } UNION { ?resource ?p ?label } #', '"> . DROP ALL #'])
def test_hostile_values_with_the_other_parameters_set(kg, value):
    before_graphs = graph_sizes(kg)
    assert search(kg, value, exact="true") == set()
    assert search(kg, value, lang="de") == set()
    assert graph_sizes(kg) == before_graphs


@pytest.mark.parametrize(
    "value",
    ['"Industry 4.0" and', 'Summit "China', '"', 'Schreibfehler "', "Cooperation & Communication", "Lü Jian Tao"],
)
def test_values_with_quotes_find_exactly_the_labels_that_contain_them(kg, labels, value):
    expected = expected_matches(labels, value)
    assert expected, "the label text occurs in the data"
    assert search(kg, value) == expected


def test_a_quote_value_finds_the_fair_label_of_source_000(kg):
    found = search(kg, '"Industry 4.0" and "Made in China 2025"')
    assert found == {
        (
            CGR + "jinan-europe-industry-cooperation-fair-2015",
            '"Industry 4.0" and "Made in China 2025" Jinan-Europe Industry Cooperation Fair',
            "en",
        )
    }


def test_a_real_quote_and_a_written_escape_are_different_values(kg, labels):
    real = search(kg, '"')  # the character U+0022
    written = search(kg, "\\u0022")  # backslash, u, 0, 0, 2, 2: SPARQL would decode it in query text
    assert real == expected_matches(labels, '"') and len(real) >= 10
    assert written == set()


IRI_HOSTILE = [
    '"> . DROP ALL #',
    "cgr:dresden> } UNION { ?s ?p ?o",
    "<https://w3id.org/coopgraph/id/dresden> } UNION { ?s ?p ?o }",
    "cgr:x}UNION{?s",
    'cgr:dresden"',
    "cgr:dresden\\u0022",
    "cgr:dresden\nUNION",
    "<https://example.org/x\\u003E>",
]


@pytest.mark.parametrize("value", IRI_HOSTILE)
def test_hostile_iri_values_are_refused_with_parameter_error(kg, value):
    before_total = len(kg)
    with pytest.raises(ParameterError) as info:
        kg.query("provenance", resource=value)
    assert "parameter 'resource'" in str(info.value)
    assert TYPES["iri"] in str(info.value)
    with pytest.raises(ParameterError):
        kg.query("events-of-agent", agent=value)
    assert len(kg) == before_total


@pytest.mark.parametrize(
    ("value", "iri"),
    [
        ("cgr:x?s;DROP", CGR + "x?s;DROP"),
        ("cgr:dresden%22%7D%20UNION", CGR + "dresden%22%7D%20UNION"),
        ("cgr:dresden)#(", CGR + "dresden)#("),
        ("https://w3id.org/coopgraph/id/dresden?x=1&y=(2)", CGR + "dresden?x=1&y=(2)"),
    ],
)
def test_odd_but_legal_iri_values_become_iris_that_match_nothing(kg, value, iri):
    before_graphs = graph_sizes(kg)
    stored = kg.catalog.get("provenance")
    assert stored.bindings({"resource": value}) == {"_resource": URIRef(iri)}
    assert kg.query("provenance", resource=value).rows == []
    assert kg.query("events-of-agent", agent=value).rows == []
    assert kg.query("timeline", about=value).rows == []
    assert graph_sizes(kg) == before_graphs


def test_terms_passed_directly_are_bound_not_parsed(kg):
    before = len(kg)
    weird = URIRef(CGR + 'x"} UNION { ?s ?p ?o } #')
    assert kg.query("provenance", resource=weird).rows == []
    assert kg.query("search-label", text=Literal("} UNION { ?s ?p ?o")).rows == []
    assert len(kg) == before


def test_ad_hoc_sparql_refuses_updates_and_changes_nothing(kg):
    before = graph_sizes(kg)
    for update in ("DROP ALL", "DELETE WHERE { ?s ?p ?o }", 'INSERT DATA { <urn:a> <urn:b> "c" }'):
        with pytest.raises(SparqlSyntaxError):
            kg.sparql(update)
    assert graph_sizes(kg) == before


def test_sparql_bindings_are_terms_too(kg):
    """kg.sparql binds values the same way: a hostile literal is compared, never parsed."""
    query = "SELECT ?r WHERE { ?r rdfs:label ?l FILTER (STR(?l) = ?t) }"
    assert kg.sparql(query, {"t": Literal("Dresden")}).column("r") != []
    assert kg.sparql(query, {"t": Literal('Dresden") || true || ("')}).rows == []

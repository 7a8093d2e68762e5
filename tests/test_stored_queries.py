"""Every stored query, run on the shipped data, with answers checked against the source texts.

Each expected value below was read in ``data/corpus/*.txt`` (the passage is quoted in a
comment or in the table) — not copied from the data. Where a query or the data gives an
answer the text did not support, the problem was written up in
``docs/curation/query-findings.md`` and fixed; the tests pin the fixed behaviour.

The second half checks the three machine-readable output formats of ``coopgraph query``:
CSV (csv module), TSV (split, N-Triples-style terms) and SPARQL 1.1 Results JSON parse back
to exactly the rows of ``kg.query``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections import Counter
from decimal import Decimal
from typing import Any, Callable

import pytest
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.util import from_n3

import coopgraph
from coopgraph.cli import main
from coopgraph.errors import UnknownResourceError
from coopgraph.namespaces import GRAPH_CORROBORATION, GRAPH_INFERRED
from coopgraph.results import to_python

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes

CGR = "https://w3id.org/coopgraph/id/"
CGC = "https://w3id.org/coopgraph/claim/"
CG = "https://w3id.org/coopgraph/ontology#"
CGSRC = "https://w3id.org/coopgraph/source/"
STEMS = {
    "000": "000_c3db9e2a9a8b4664",
    "001": "001_86cdc4bc586a81fc",
    "002": "002_3796d1144900ce85",
    "003": "003_5681c03170b8ac75",
    "004": "004_2d85bd7537e4600b",
}
G = {n: f"https://w3id.org/coopgraph/graph/{stem}" for n, stem in STEMS.items()}
INFERRED = str(GRAPH_INFERRED)
FINDINGS = "see docs/curation/query-findings.md"

# ---------------------------------------------------------------------------------------
# Coverage: every stored query has a dedicated test
# ---------------------------------------------------------------------------------------

COVERED: dict[str, list[str]] = {}


def covers(*names: str) -> Callable:
    """Register the decorated test as a dedicated test of the stored queries ``names``."""

    def register(test: Callable) -> Callable:
        for name in names:
            COVERED.setdefault(name, []).append(test.__name__)
        return test

    return register


def test_every_stored_query_has_a_dedicated_test(kg):
    names = kg.catalog.names()
    assert names == [q.name for q in kg.queries()]
    assert len(names) >= 15
    missing = sorted(set(names) - set(COVERED))
    assert not missing, f"stored queries without a dedicated test in {__name__}: {missing}"
    stale = sorted(set(COVERED) - set(names))
    assert not stale, f"tests for stored queries that no longer exist: {stale}"


# documented examples that answer nothing today (a finding, see docs/curation/query-findings.md);
# when one starts to answer, the test below fails and the entry must go
EMPTY_EXAMPLES: set[tuple[str, str]] = set()  # (query, parameter) whose documented example answers nothing


def test_every_query_answers_with_its_documented_examples(kg):
    """Each query runs with its required examples, and with each optional example alone."""
    for stored in kg.queries():
        required = {p.name: p.example for p in stored.params if p.required}
        assert all(required.values()), f"{stored.name}: a required parameter has no example"
        result = kg.query(stored.name, **required)
        assert result.kind == "SELECT"
        assert len(result) > 0, f"{stored.name} answers nothing with {required}"
        for param in stored.params:
            if param.example and not param.required:
                rows = kg.query(stored.name, **required, **{param.name: param.example}).rows
                if (stored.name, param.name) in EMPTY_EXAMPLES:
                    assert rows == [], f"{stored.name} {param.name}: the finding is fixed, update EMPTY_EXAMPLES"
                else:
                    assert rows, f"{stored.name} answers nothing with its example {param.name}={param.example}"


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def srcs(value: str | None) -> frozenset[str]:
    """The set of graph IRIs in a GROUP_CONCAT'ed ``sources`` cell (order is not defined)."""
    return frozenset(value.split()) if value else frozenset()


def normalise(text: str) -> str:
    """The whitespace rule of docs/modelling.md: every run of whitespace becomes one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def texts(kg) -> dict[str, str]:
    """The five source texts by graph IRI, read from data/corpus."""
    return {G[n]: kg.layout.corpus_file(stem).read_text(encoding="utf-8") for n, stem in STEMS.items()}


@pytest.fixture(scope="module")
def raw_kg() -> coopgraph.KnowledgeGraph:
    """The shipped data without the OWL-RL inferences."""
    return coopgraph.load(reason=False)


# ---------------------------------------------------------------------------------------
# offices-abroad
# ---------------------------------------------------------------------------------------


@covers("offices-abroad")
def test_offices_abroad_with_places_and_dates_as_the_sources_give_them(kg):
    rows = kg.query("offices-abroad").rows
    got = {(r["office"], r["city"], r["country"], str(r["openingDate"]), srcs(r["sources"])) for r in rows}
    assert got >= {
        # 000 "In 2013, the industry cooperation office was set up by Jinan city in Dresden";
        # 001 "In 2013, the Jinan Innovation Zone established the Dresden - Jinan Contact Office ... in Dresden"
        (CGR + "dresden-jinan-office", CGR + "dresden", CGR + "germany", "2013", frozenset({G["000"], G["001"]})),
        # 003 "Am 27.08.2013 wurde das Büro ... offiziell eröffnet"; 004 "On 27 August 2013, Dresden Office was officially opened"
        (CGR + "dresden-jinan-office", CGR + "dresden", CGR + "germany", "2013-08-27", frozenset({G["003"], G["004"]})),
        # 003 "Im September 2016 wurde das Büro Jinan-Vantaa in Vantaa, Finnland, eröffnet."
        # 004 "In September 2016, Jinan - Vantaa Office was established in Vantaa, Finland."
        (CGR + "jinan-vantaa-office", CGR + "vantaa", CGR + "finland", "2016-09", frozenset({G["003"], G["004"]})),
        # 004 "In September 2016, Jinan Chinese-German SME Innovation Center was established in Stuttgart, Germany."
        # 003 "Weiterhin eröffnete im September 2016 ... das Jinan-Stuttgart Innovationszentrum"
        (
            CGR + "jinan-stuttgart-innovation-centre",
            CGR + "stuttgart",
            CGR + "germany",
            "2016-09",
            frozenset({G["003"], G["004"]}),
        ),
    }
    # nothing in China: not the Jinan counterpart office (001), not the 3S R&D centre in Jinan
    assert all(r["country"] != CGR + "china" for r in rows)
    offices = {r["office"] for r in rows}
    assert CGR + "jinan-dresden-counterpart-office" not in offices
    assert CGR + "3s-smart-software-solutions-jinan-rd-centre" not in offices
    # dates keep their stated precision (xsd:gYear, xsd:date, xsd:gYearMonth), sorted by earliest day
    earliest = [r["earliest"] for r in rows]
    assert earliest == sorted(earliest)
    dresden = [r for r in rows if r["office"] == CGR + "dresden-jinan-office"]
    assert {r["parent"] for r in dresden} == {CGR + "jinan-innovation-zone"}  # 001: "the Jinan Innovation Zone established"
    assert {r["earliest"] for r in dresden} == {datetime.date(2013, 1, 1), datetime.date(2013, 8, 27)}


@covers("offices-abroad")
def test_offices_abroad_of_one_parent(kg):
    rows = kg.query("offices-abroad", parent="cgr:jinan-innovation-zone").rows
    assert {r["office"] for r in rows} == {CGR + "dresden-jinan-office"}
    assert kg.query("offices-abroad", parent="cgr:sino-german-industrial-services-zone").rows == []


@covers("offices-abroad")
def test_offices_abroad_of_jinan_hi_tech_zone_include_the_vantaa_office(kg):
    # 004: "Jinan Hi-tech Zone signed a Memorandum of Understanding ... and agreed to set up a mutual
    # industrial cooperation office between Jinan and Vantaa"; "Mr. Wang Siguo ... attended the opening
    # ceremony on behalf of Jinan High-tech Zone".
    rows = kg.query("offices-abroad", parent="cgr:jinan-hi-tech-zone").rows
    assert CGR + "jinan-vantaa-office" in {r["office"] for r in rows}


# ---------------------------------------------------------------------------------------
# timeline
# ---------------------------------------------------------------------------------------


@covers("timeline")
def test_timeline_of_the_dresden_office(kg):
    result = kg.query("timeline", about="cgr:dresden-jinan-office")
    got = {(r["thing"], str(r["date"]), r["place"], srcs(r["sources"])) for r in result.rows}
    assert got == {
        # 000 "In 2013, the industry cooperation office was set up by Jinan city in Dresden"; 001 likewise
        (CGR + "dresden-jinan-office-establishment-2013", "2013", CGR + "dresden", frozenset({G["000"], G["001"]})),
        # 003 "Am 27.08.2013 ..."; 004 "On 27 August 2013 ..." (neither names the place of the opening)
        (CGR + "dresden-office-opening-2013", "2013-08-27", None, frozenset({G["003"], G["004"]})),
        # 000 "... Fair was held in September 2015" (no place); 003 "Weiterhin hat das Büro Jinan-Dresden im
        # September 2015 das ... Event ... geplant", the Jinan companies "sind nach Dresden gereist"
        (CGR + "jinan-europe-industry-cooperation-fair-2015", "2015-09", None, frozenset({G["000"]})),
        (CGR + "jinan-europe-industry-cooperation-fair-2015", "2015-09", CGR + "dresden", frozenset({G["003"], G["004"]})),
    }
    # the date as stated, with its precision, sorted by the earliest day it allows
    by_thing = {(b[3], b[6]): b for b in result.bindings}
    opening = by_thing[(URIRef(CGR + "dresden-office-opening-2013"), None)]
    assert opening[1] == Literal("2013-08-27", datatype=XSD.date)
    assert opening[2] == URIRef(CG + "DayPrecision")
    establishment = by_thing[(URIRef(CGR + "dresden-jinan-office-establishment-2013"), URIRef(CGR + "dresden"))]
    assert establishment[1] == Literal("2013", datatype=XSD.gYear)
    assert establishment[2] == URIRef(CG + "YearPrecision")
    assert result.column("earliest") == sorted(result.column("earliest"))


@covers("timeline")
def test_timeline_date_range_uses_the_bounds_of_the_stated_dates(kg):
    # A year-precise "2013" may fall on or after 28 August 2013; the 27 August opening may not.
    rows = kg.query("timeline", **{"from": "2013-08-28", "to": "2013-12-31"}).rows
    things = {r["thing"] for r in rows}
    assert things == {
        CGR + "dresden-jinan-office-establishment-2013",  # 000/001 "In 2013"
        CGR + "jinan-counterpart-office-establishment-2013",  # 001 "and in November, its Jinan counterpart"
        CGR + "jinan-european-park-inauguration-2013",  # 003 "Am 01.11.2013", 004 "On 1 November, 2013"
    }
    # the park: 003 says "in Jinan", 004 "opened in Europe" - one row per stated place
    park = {(r["place"], srcs(r["sources"])) for r in rows if r["thing"] == CGR + "jinan-european-park-inauguration-2013"}
    assert park == {(CGR + "jinan", frozenset({G["003"]})), (CGR + "europe", frozenset({G["004"]}))}


@covers("timeline")
def test_timeline_first_half_of_2016(kg):
    rows = kg.query("timeline", **{"from": "2016-01-01", "to": "2016-06-30"}).rows
    assert {r["thing"] for r in rows} == {
        CGR + "jinan-germany-cooperation-plan-2016",  # 000 "In 2016 Jinan will work together with Germany"
        CGR + "jinan-germany-incubator-plan-2016",  # 000 "planned to build in the beginning of the year"
        CGR + "jinan-vantaa-mou-2016",  # 004 "In January 2016, Jinan Hi-tech Zone signed a Memorandum"
        CGR + "jinan-vantaa-office-plan",  # 004 "... and agreed to set up a mutual industrial cooperation office"
        CGR + "sino-german-industrial-city-alliance-establishment-2016",  # 002 "In 2016, the services zone took a lead"
        CGR + "sino-german-industrial-city-alliance-activities-2016",  # 002 "Since 2016, the two parties have launched"
        CGR + "jinan-hi-tech-zone-germany-visit-2016-04",  # 004 "In April 2016, Jinan High-tech Zone organized a visit"
        CGR + "jinan-european-incubator-plan",  # 004 "with the aim to choosing site for the ... incubator"
    }


# ---------------------------------------------------------------------------------------
# events-in-place (needs the inferences)
# ---------------------------------------------------------------------------------------

GERMANY_EVENTS = {
    CGR + "dresden-jinan-office-establishment-2013",  # 000/001: set up / established "in Dresden" (2013)
    CGR + "dresden-office-opening-2013",  # the opened office is in Dresden (000, 001, 004)
    CGR + "jinan-europe-industry-cooperation-fair-2015",  # 003 "nach Dresden gereist", 004 "went to Dresden"
    CGR + "jinan-hi-tech-zone-germany-visit-2016-04",  # 004 "organized a visit to Germany"
    CGR + "stuttgart-innovation-centre-opening-2016",  # 004 "established in Stuttgart, Germany"
}
FINLAND_EVENTS = {
    CGR + "uusimaa-shandong-business-forum-2014",  # 003/004 "in Vantaa, Finnland/Finland"
    CGR + "xu-qun-vantaa-visit-2016-07",  # 004 "Mr. Xu Qun visited Vantaa, Finland"
    CGR + "vantaa-office-opening-2016",  # 003/004 "in Vantaa, Finnland/Finland"
}


@covers("events-in-place")
def test_events_in_germany_are_found_through_the_place_hierarchy(kg):
    rows = kg.query("events-in-place", place="cgr:germany").rows
    assert {r["event"] for r in rows} == GERMANY_EVENTS
    # none of these events is placed in Germany by the data itself: Dresden, Stuttgart, an office in Dresden
    places = {(r["event"], r["place"]) for r in rows}
    assert (CGR + "jinan-europe-industry-cooperation-fair-2015", CGR + "dresden") in places
    assert (CGR + "stuttgart-innovation-centre-opening-2016", CGR + "stuttgart") in places
    fair = [r for r in rows if r["event"] == CGR + "jinan-europe-industry-cooperation-fair-2015"]
    assert {srcs(r["sources"]) for r in fair} == {frozenset({G["003"], G["004"]})}  # 000 names no place
    stuttgart = [r for r in rows if r["place"] == CGR + "stuttgart"]
    assert {srcs(r["sources"]) for r in stuttgart} == {frozenset({G["004"]})}  # 003 names no place
    assert [r["earliest"] for r in rows] == sorted(r["earliest"] for r in rows)


@covers("events-in-place")
def test_events_in_germany_need_the_inferences(kg, raw_kg):
    assert not raw_kg.is_reasoned
    # the facts are there without reasoning ...
    assert raw_kg.sparql("ASK { ?e a cg:Opening ; cg:place cgr:stuttgart }").boolean
    assert raw_kg.sparql("ASK { cgr:dresden cg:locatedIn+ cgr:germany }").boolean
    # ... but an Opening, a Fair, an Establishment or a Visit is a cg:Event only by inference
    assert not raw_kg.sparql("ASK { cgr:jinan-europe-industry-cooperation-fair-2015 a cg:Event }").boolean
    assert kg.sparql("ASK { cgr:jinan-europe-industry-cooperation-fair-2015 a cg:Event }").boolean
    missed = {r["event"] for r in raw_kg.query("events-in-place", place="cgr:germany").rows}
    assert missed & GERMANY_EVENTS == set()
    assert {r["event"] for r in kg.query("events-in-place", place="cgr:germany").rows} == GERMANY_EVENTS


@covers("events-in-place")
def test_events_in_finland_and_in_europe(kg):
    assert {r["event"] for r in kg.query("events-in-place", place="cgr:finland").rows} == FINLAND_EVENTS
    europe = {r["event"] for r in kg.query("events-in-place", place="cgr:europe").rows}
    # Dresden -> Saxony -> Germany -> Europe; and 004 "Jinan Science and Technology Economic Park was opened in Europe"
    assert europe == GERMANY_EVENTS | FINLAND_EVENTS | {CGR + "jinan-european-park-inauguration-2013"}
    dresden = {r["event"] for r in kg.query("events-in-place", place="dresden").rows}
    assert dresden == GERMANY_EVENTS - {
        CGR + "jinan-hi-tech-zone-germany-visit-2016-04",
        CGR + "stuttgart-innovation-centre-opening-2016",
    }


# ---------------------------------------------------------------------------------------
# disagreements
# ---------------------------------------------------------------------------------------


@covers("disagreements")
def test_disagreements_between_sources(kg):
    rows = kg.query("disagreements").rows
    got = {(r["subject"], r["property"], r["value1"], r["g1"], r["value2"], r["g2"]) for r in rows}
    fair = CGR + "jinan-europe-industry-cooperation-fair-2015"
    assert got == {
        # 000 "over 60 German companies" / 003 "mit 60 deutschen und europäischen Unternehmen" / 004 "more than 60 local enterprises"
        (fair, CG + "GermanCompanyCount", "MoreThan 60 Companies", G["000"], "Exact 60 Companies", G["003"]),
        (fair, CG + "GermanCompanyCount", "Exact 60 Companies", G["003"], "MoreThan 60 Companies", G["004"]),
        # 003 "Am 01.11.2013 wurde in Jinan der ... Park eingeweiht" / 004 "... Park was opened in Europe"
        (CGR + "jinan-european-park-inauguration-2013", CG + "place", CGR + "jinan", G["003"], CGR + "europe", G["004"]),
        # 000 "set up by Jinan city in Dresden" / 001 "the Jinan Innovation Zone established the ... Office"
        (
            CGR + "dresden-jinan-office-establishment-2013",
            CG + "organiser",
            CGR + "jinan-municipal-government",
            G["000"],
            CGR + "jinan-innovation-zone",
            G["001"],
        ),
    }
    # 000 and 004 agree ("over 60" / "more than 60"): not a disagreement
    assert not any({r["g1"], r["g2"]} == {G["000"], G["004"]} for r in rows)


@covers("disagreements")
def test_disagreements_about_one_subject(kg):
    rows = kg.query("disagreements", subject="cgr:jinan-europe-industry-cooperation-fair-2015").rows
    assert {(r["g1"], r["g2"]) for r in rows} == {(G["000"], G["003"]), (G["003"], G["004"])}
    assert kg.query("disagreements", subject="cgr:dresden-office-opening-2013").rows == []
    # a property disagreement (the per-property branches) about one subject, and nothing else
    park = kg.query("disagreements", subject="cgr:jinan-european-park-inauguration-2013").rows
    assert [(r["property"], r["value1"], r["value2"]) for r in park] == [(CG + "place", CGR + "jinan", CGR + "europe")]


# ---------------------------------------------------------------------------------------
# corroborated-facts
# ---------------------------------------------------------------------------------------


@covers("corroborated-facts")
def test_the_opening_date_is_stated_by_two_sources(kg):
    rows = kg.query("corroborated-facts", subject="cgr:dresden-office-opening-2013").rows
    got = {(r["p"], str(r["o"]), r["sourceCount"], srcs(r["sources"])) for r in rows}
    both = frozenset({G["003"], G["004"]})
    # 003 "Am 27.08.2013 wurde das Büro, im Beisein des 1. Bürgermeisters Herrn Hilbert und einer Delegation
    # unter Leitung von Herrn Lü Jian Tao"; 004 "On 27 August 2013, ... Mr. Hilbert, Mr. Lv Jiantao and his delegation"
    assert (CG + "date", "2013-08-27", 2, both) in got
    assert (CG + "participant", CGR + "dirk-hilbert", 2, both) in got
    assert (CG + "delegationLeader", CGR + "lv-jiantao", 2, both) in got
    # only 004 says Rita Meißner was present (003: she was appointed head of the office)
    assert not any(o == CGR + "rita-meissner" for _, o, _, _ in got)


@covers("corroborated-facts")
def test_facts_stated_by_three_sources(kg):
    rows = kg.query("corroborated-facts", minSources=3).rows
    got = {(r["s"], r["p"], str(r["o"])): srcs(r["sources"]) for r in rows}
    # 000 "Summit in Jinan in November 2015"; 003 "Im November 2015 wurde in Jinan"; 004 "In November, 2015, ... in Jinan"
    summit = CGR + "china-intelligent-manufacturing-summit-2015"
    assert got[(summit, CG + "place", CGR + "jinan")] == frozenset({G["000"], G["003"], G["004"]})
    assert got[(summit, CG + "date", "2015-11")] == frozenset({G["000"], G["003"], G["004"]})
    # 000 "... Fair was held in September 2015"; 003 "im September 2015"; 004 "In September 2015"
    fair = CGR + "jinan-europe-industry-cooperation-fair-2015"
    assert got[(fair, CG + "date", "2015-09")] == frozenset({G["000"], G["003"], G["004"]})
    assert all(r["sourceCount"] >= 3 and r["sourceCount"] == len(srcs(r["sources"])) for r in rows)


@covers("corroborated-facts")
def test_corroborated_facts_equal_a_direct_count_over_the_source_graphs(kg):
    excluded = {RDFS.label, SKOS.altLabel, RDFS.comment, URIRef(CG + "hasEvidence"), URIRef(CG + "description")}
    counts: Counter = Counter()
    for graph in G.values():
        for s, p, o in kg.dataset.graph(URIRef(graph)):
            if isinstance(s, URIRef) and not str(s).startswith(CGSRC) and p not in excluded:
                counts[(str(s), str(p), str(o))] += 1
    expected = {k: n for k, n in counts.items() if n >= 2}
    rows = kg.query("corroborated-facts").rows
    assert {(r["s"], r["p"], str(r["o"])): r["sourceCount"] for r in rows} == expected
    assert not any(r["p"] in (str(RDFS.label), str(SKOS.altLabel), CG + "hasEvidence") for r in rows)


# ---------------------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------------------

# figure -> (passage of the source text that states it, value, bound, unit)
FIGURES: dict[str, tuple[str, int, str, str]] = {
    "000-fair-german-companies": ("over 60 German companies", 60, "MoreThan", "Companies"),
    "000-fair-jinan-enterprises": ("more than 20 enterprises from Jinan", 20, "MoreThan", "Companies"),
    "001-business-complex-area": ("an additional 150,000 square meters", 150000, "Exact", "SquareMetres"),
    "001-european-office-cities": ("offices in seven cities", 7, "Exact", "Cities"),
    "001-european-office-countries": ("five European countries", 5, "Exact", "Countries"),
    "001-facilitated-projects": ("more than a dozen cooperative projects", 12, "MoreThan", "Projects"),
    "001-foreign-enterprises": ("more than 500 foreign-funded enterprises", 500, "MoreThan", "Companies"),
    "001-german-enterprises": ("more than 60 of those being German enterprises", 60, "MoreThan", "Companies"),
    "001-industrial-complex-area": ("industrial complex of 500,000 square meters", 500000, "Exact", "SquareMetres"),
    "001-planned-flight-frequency": ("two flights a week", 2, "Exact", "FlightsPerWeek"),
    "001-sme-conference-2020-companies": ("More than 1,000 companies", 1000, "MoreThan", "Companies"),
    "001-sme-conference-2020-countries": ("more than 10 countries and regions", 10, "MoreThan", "Countries"),
    "001-sme-conference-2020-guests": ("5,000-plus guests", 5000, "MoreThan", "People"),
    "001-sme-conference-investment": ("a total investment of 47.964 billion yuan", 47964000000, "Exact", "CNY"),
    "001-sme-conference-projects": ("105 projects have been signed", 105, "Exact", "Projects"),
    "001-sme-conference-years": ("Held for six consecutive years", 6, "Exact", "Years"),
    "002-council-companies-visited": ("visited more than 80 German companies", 80, "MoreThan", "Companies"),
    "002-zone-german-companies": ("a total of 14 German companies", 14, "Exact", "Companies"),
    "003-companies-contacted": ("mehr als 250 Unternehmen mit uns Kontakt", 250, "MoreThan", "Companies"),
    "003-fair-german-european-companies": ("mit 60 deutschen und europäischen Unternehmen", 60, "Exact", "Companies"),
    "003-fair-jinan-companies": ("Über 20 Unternehmen aus Jinan", 20, "MoreThan", "Companies"),
    "003-opening-company-representatives": ("mehr als 30 Vertretern Dresdner Firmen", 30, "MoreThan", "People"),
    "003-stuttgart-centre-jinan-companies": ("16 chinesischen Unternehmen aus Jinan", 16, "Exact", "Companies"),
    "003-stuttgart-centre-workplaces": ("30 Büroarbeitsplätze", 30, "Exact", "Workplaces"),
    "004-companies-contacted": ("more than 250 companies have contacted us", 250, "MoreThan", "Companies"),
    "004-fair-jinan-companies": ("More than 20 Jinan enterprises", 20, "MoreThan", "Companies"),
    "004-fair-local-companies": ("more than 60 local enterprises", 60, "MoreThan", "Companies"),
    "004-germany-visit-2016-enterprises": ("The 11 high-tech enterprises", 11, "Exact", "Companies"),
    "004-opening-company-representatives": ("more than 30 representatives of Dresden enterprises", 30, "MoreThan", "People"),
}


@pytest.fixture(scope="module")
def figure_rows(kg) -> dict[str, dict[str, Any]]:
    return {r["figure"].removeprefix(CGC): r for r in kg.query("figures").rows if r["about"] != CGR + "jinan-dresden-counterpart-office"}


@covers("figures")
def test_every_figure_is_in_the_table(figure_rows):
    assert set(figure_rows) == set(FIGURES)


@covers("figures")
@pytest.mark.parametrize("figure", sorted(FIGURES))
def test_figure_value_bound_and_unit_as_the_source_states_them(figure, figure_rows, texts, kg):
    passage, value, bound, unit = FIGURES[figure]
    row = figure_rows[figure]
    assert row["g"] == G[figure[:3]]
    assert passage in normalise(texts[row["g"]]), "the figure's passage is in its source text"
    assert (row["value"], row["bound"], row["unit"]) == (value, CG + bound, CG + unit)
    # the data backs the figure with an evidence passage that contains the statement
    evidence = kg.sparql(
        "SELECT ?q WHERE { GRAPH ?g { ?f cg:hasEvidence/oa:hasSelector/oa:exact ?q } }",
        {"f": URIRef(CGC + figure), "g": URIRef(row["g"])},
    ).column("q")
    assert any(passage in q for q in evidence)


@covers("figures")
@pytest.mark.parametrize(
    "figure",
    sorted(FIGURES),
)
def test_figures_quotes_include_the_passage_that_states_the_figure(figure, figure_rows):
    assert FIGURES[figure][0] in figure_rows[figure]["quotes"]


@covers("figures")
def test_figures_of_the_sme_conference(kg):
    result = kg.query("figures", about="cgr:sme-conference-series")
    got = {(r["metric"], r["value"], r["unit"], r["bound"]) for r in result.rows}
    # 001 "105 projects have been signed at the Conference, with a total investment of 47.964 billion yuan."
    assert (CG + "ProjectCount", 105, CG + "Projects", CG + "Exact") in got
    assert (CG + "InvestmentAmount", 47964000000, CG + "CNY", CG + "Exact") in got
    investment = next(b for b in result.bindings if str(b[1]) == CG + "InvestmentAmount")
    assert investment[3] == Literal("47964000000", datatype=XSD.integer)
    assert investment[5] == Literal("2022-06-22", datatype=XSD.date)  # as of the release "June 22, 2022"
    assert {r["g"] for r in result.rows} == {G["001"]}


@covers("figures")
def test_german_company_counts(kg):
    rows = kg.query("figures", metric="cg:GermanCompanyCount").rows
    got = {(r["about"], r["bound"], r["value"], r["g"]) for r in rows}
    assert got == {
        (CGR + "jinan-europe-industry-cooperation-fair-2015", CG + "MoreThan", 60, G["000"]),
        (CGR + "jinan-europe-industry-cooperation-fair-2015", CG + "Exact", 60, G["003"]),
        (CGR + "jinan-europe-industry-cooperation-fair-2015", CG + "MoreThan", 60, G["004"]),
        (CGR + "jinan-innovation-zone", CG + "MoreThan", 60, G["001"]),
        (CGR + "sino-german-industrial-services-zone", CG + "Exact", 14, G["002"]),
    }
    both = kg.query("figures", about="cgr:sino-german-industrial-services-zone", metric="cg:GermanCompanyCount").rows
    assert [(r["value"], r["date"]) for r in both] == [(14, datetime.date(2017, 12, 7))]  # "Updated: 2017-12-07"


# ---------------------------------------------------------------------------------------
# search-label
# ---------------------------------------------------------------------------------------


@covers("search-label")
def test_both_spellings_of_lv_jiantao_find_one_person(kg):
    german = kg.query("search-label", text="Lü Jian Tao").rows  # 003 "Herrn Lü Jian Tao"
    english = kg.query("search-label", text="Lv Jiantao").rows  # 004 "Mr. Lv Jiantao"
    assert [(r["resource"], r["label"], r["language"]) for r in german] == [(CGR + "lv-jiantao", "Lü Jian Tao", "de")]
    assert [(r["resource"], r["label"], r["language"]) for r in english] == [(CGR + "lv-jiantao", "Lv Jiantao", "en")]
    assert german[0]["types"].split() == [CG + "Person"]
    # substring and case-insensitive: both spellings at once
    partial = kg.query("search-label", text="JIAN").rows
    assert {(r["resource"], r["label"]) for r in partial} >= {
        (CGR + "lv-jiantao", "Lü Jian Tao"),
        (CGR + "lv-jiantao", "Lv Jiantao"),
    }


@covers("search-label")
def test_search_label_exact_and_language(kg):
    exact = kg.query("search-label", text="dresden", exact="true").rows
    assert {(r["resource"], r["language"]) for r in exact} == {
        (CGR + "dresden", "en"),
        (CGR + "dresden", "de"),
        (CGR + "dresden-city", "en"),  # 004 "Dresden and Jinan began to visit each other": the city as an actor
    }
    schroeder = kg.query("search-label", text="Schr", lang="en").rows
    # 001 "Gerhard Schroder", 004 "Gerhard Schröder" - one person
    assert {r["label"] for r in schroeder if r["resource"] == CGR + "gerhard-schroeder"} == {
        "Gerhard Schroder",
        "Gerhard Schröder",
    }
    assert all(r["language"] == "en" for r in schroeder)


# ---------------------------------------------------------------------------------------
# provenance
# ---------------------------------------------------------------------------------------


@covers("provenance")
def test_provenance_of_rita_meissner_quotes_both_history_pages(kg, texts):
    rows = kg.query("provenance", resource="cgr:rita-meissner").rows
    assert {r["g"] for r in rows} == {G["003"], G["004"]}
    quotes = {(r["g"], r["quote"]) for r in rows}
    assert (G["003"], "Als Geschäftsstellenleiterin wurde Frau Rita Meißner eingesetzt.") in quotes
    assert (G["004"], "Ms. Rita Meißner was present as a responsible person.") in quotes
    # every quote is the source text at its offsets (whitespace rule of the modelling guide)
    for r in rows:
        assert r["quote"] is not None
        assert normalise(texts[r["g"]][r["start"] : r["end"]]) == r["quote"]
    assert (G["003"], CGC + "003-meissner-office-head", "http://www.w3.org/ns/org#member") in {
        (r["g"], r["subject"], r["predicate"]) for r in rows
    }


@covers("provenance")
def test_provenance_leaves_out_inferences_and_ontology_and_resolves_labels(kg):
    rows = kg.query("provenance", resource="cgr:dresden-jinan-office").rows
    graphs = {r["g"] for r in rows}
    assert INFERRED not in graphs and "https://w3id.org/coopgraph/graph/ontology" not in graphs
    assert {G["000"], G["001"], G["003"], G["004"]} <= graphs  # all four sources name the office
    assert not any(r["predicate"] == CG + "hasEvidence" for r in rows)
    # the API resolves a label in any language to the same rows
    assert kg.provenance("Rita Meißner") == kg.query("provenance", resource="cgr:rita-meissner").rows
    assert kg.provenance("Lü Jian Tao") == kg.provenance("Lv Jiantao") == kg.provenance("cgr:lv-jiantao")
    with pytest.raises(UnknownResourceError, match="ambiguous"):
        kg.provenance("Dresden")  # the city and the city government
    with pytest.raises(UnknownResourceError, match="no resource"):
        kg.provenance("Nobody Nowhere 4711")


# ---------------------------------------------------------------------------------------
# series-editions
# ---------------------------------------------------------------------------------------


@covers("series-editions")
def test_editions_of_the_sme_conference_and_the_2020_renaming(kg):
    rows = kg.query("series-editions").rows  # default: cgr:sme-conference-series
    got = {(r["edition"], str(r["date"]), r["place"]) for r in rows}
    assert got >= {
        (CGR + "sme-conference-2015", "2015", None),  # 001 "In 2015, the ... Conference was launched"
        (CGR + "cimic-2016", "2016-11", CGR + "jinan"),  # 003 "Im November 2016 ... Konferenz ... in Jinan"
        (CGR + "sme-conference-2017", "2017-10", CGR + "jinan"),  # 003 "Im Oktober 2017 ... in Jinan veranstaltet"
        (CGR + "sme-conference-2020", "2020", None),  # 001 "In 2020, renamed ..."
    }
    renaming = [r for r in rows if r["edition"] == CGR + "sme-conference-renaming-2020"]
    assert len(renaming) == 1
    assert str(renaming[0]["date"]) == "2020"
    assert renaming[0]["newName"] == (
        "China SME International Cooperation & Communication Conference - "
        "2020 Sino-German (Europe) SME Cooperation & Communication Conference"
    )
    assert srcs(renaming[0]["sources"]) == {G["001"]}
    assert [r["earliest"] for r in rows] == sorted(r["earliest"] for r in rows)


@covers("series-editions")
def test_series_editions_name_only_source_graphs(kg):
    for row in kg.query("series-editions").rows:
        assert srcs(row["sources"]) <= set(G.values()), row


# ---------------------------------------------------------------------------------------
# sources, stats-graphs, stats-classes
# ---------------------------------------------------------------------------------------


@covers("sources")
def test_sources_lists_the_five_documents_as_the_texts_describe_them(kg):
    rows = kg.query("sources").rows
    assert [r["source"] for r in rows] == [CGSRC + stem for stem in STEMS.values()]
    by_stem = {r["fileName"].removesuffix(".txt"): r for r in rows}
    for number, stem in STEMS.items():
        row = by_stem[stem]
        assert row["graph"] == G[number]
        assert row["sha256"] == hashlib.sha256(kg.layout.corpus_file(stem).read_bytes()).hexdigest()
        assert row["triples"] == len(kg.dataset.graph(URIRef(G[number])))
        evidence = set(kg.dataset.graph(URIRef(G[number])).subjects(RDF.type, URIRef(CG + "Evidence")))
        assert row["evidence"] == len(evidence) > 0
    assert {stem: r["language"] for stem, r in by_stem.items()} == {
        STEMS["000"]: "en", STEMS["001"]: "en", STEMS["002"]: "en", STEMS["003"]: "de", STEMS["004"]: "en"
    }
    # only what the texts state: 001 "JINAN, China, June 22, 2022 /Xinhua=KYODO JBN/" and "Source: Jinan
    # Innovation Zone Administration Committee"; 002 "By Liang Kaiyan (China Daily) Updated: 2017-12-07"
    assert (by_stem[STEMS["001"]]["issued"], by_stem[STEMS["001"]]["creatorName"], by_stem[STEMS["001"]]["publisherName"]) == (
        datetime.date(2022, 6, 22),
        "Jinan Innovation Zone Administration Committee",
        "Xinhua=KYODO JBN",
    )
    assert (by_stem[STEMS["002"]]["issued"], by_stem[STEMS["002"]]["creatorName"], by_stem[STEMS["002"]]["publisherName"]) == (
        datetime.date(2017, 12, 7),
        "Liang Kaiyan",
        "China Daily",
    )
    for number in ("000", "003", "004"):  # no date, author or publisher in these texts
        row = by_stem[STEMS[number]]
        assert (row["issued"], row["creatorName"], row["publisherName"]) == (None, None, None)
    assert kg.sources() == rows


@covers("stats-graphs")
def test_triples_per_graph_equal_a_direct_count(kg):
    rows = kg.query("stats-graphs").rows
    expected = {str(g): len(kg.dataset.graph(g)) for g in kg.graph_names()}
    assert {r["graph"]: r["triples"] for r in rows} == expected
    assert [r["triples"] for r in rows] == sorted((r["triples"] for r in rows), reverse=True)
    assert sum(r["triples"] for r in rows) == len(kg)
    assert kg.stats()["graphs"] == rows


@covers("stats-classes")
def test_resources_per_class_equal_a_direct_count(kg):
    skip = {GRAPH_INFERRED, GRAPH_CORROBORATION, URIRef("https://w3id.org/coopgraph/graph/ontology")}
    members: dict[str, set] = {}
    for graph in kg.graph_names():
        if graph in skip:
            continue
        for s, _, o in kg.dataset.graph(graph).triples((None, RDF.type, None)):
            if str(o).startswith(CG):
                members.setdefault(str(o), set()).add(s)
    rows = kg.query("stats-classes").rows
    assert {r["class"]: r["resources"] for r in rows} == {c: len(m) for c, m in members.items()}
    assert [r["resources"] for r in rows] == sorted((r["resources"] for r in rows), reverse=True)
    counts = {r["class"]: r["resources"] for r in rows}
    assert counts[CG + "SourceDocument"] == 5
    assert counts[CG + "EventSeries"] == 1  # the SME conference
    assert kg.stats()["classes"] == rows


# ---------------------------------------------------------------------------------------
# agreements
# ---------------------------------------------------------------------------------------


@covers("agreements")
def test_agreements_with_parties_signatories_and_dates(kg):
    rows = kg.query("agreements").rows
    parties: dict[tuple[str, str], set] = {}
    for r in rows:
        parties.setdefault((r["agreement"], r["g"]), set()).add(r["party"])
    assert parties == {
        # 003 "im Mai 2012 ein LOI von Dresdens 1. Bürgermeister, Herrn Dirk Hilbert, unterzeichnet" (no parties named)
        (CGR + "dresden-jinan-loi-2012", G["003"]): {None},
        (CGR + "dresden-jinan-loi-2012", G["004"]): {None},
        # "Im Oktober 2012 folgte ein MOU zwischen dem Technologiezentrum Dresden und der High Tech Zone Jinan"
        (CGR + "tzd-jinan-hi-tech-zone-mou-2012", G["003"]): {CGR + "technologiezentrum-dresden", CGR + "jinan-hi-tech-zone"},
        (CGR + "tzd-jinan-hi-tech-zone-mou-2012", G["004"]): {CGR + "technologiezentrum-dresden", CGR + "jinan-hi-tech-zone"},
        # "In September 2015, Jinan High-tech Zone and the Dresden Technology Development Center signed"
        (CGR + "jinan-dresden-mou-2015", G["003"]): {CGR + "jinan-hi-tech-zone", CGR + "dresden-technology-development-centre"},
        (CGR + "jinan-dresden-mou-2015", G["004"]): {CGR + "jinan-hi-tech-zone", CGR + "dresden-technology-development-centre"},
        # 004 "In January 2016, Jinan Hi-tech Zone signed a ... (MoU) with the Ministry of Economic Development
        # of Vantaa, Finland and the Helsinki Business Hub"
        (CGR + "jinan-vantaa-mou-2016", G["004"]): {
            CGR + "jinan-hi-tech-zone",
            CGR + "vantaa-economic-development",
            CGR + "helsinki-business-hub",
        },
    }
    loi = [r for r in rows if r["agreement"] == CGR + "dresden-jinan-loi-2012"]
    assert {(r["signatory"], r["type"], str(r["date"])) for r in loi} == {
        (CGR + "dirk-hilbert", CG + "LetterOfIntent", "2012-05")
    }
    dates = {r["agreement"]: str(r["date"]) for r in rows}
    assert dates[CGR + "tzd-jinan-hi-tech-zone-mou-2012"] == "2012-10"
    assert dates[CGR + "jinan-dresden-mou-2015"] == "2015-09"
    assert dates[CGR + "jinan-vantaa-mou-2016"] == "2016-01"
    assert [r["earliest"] for r in rows] == sorted(r["earliest"] for r in rows)


@covers("agreements")
def test_agreements_of_one_party_and_labels_in_german(kg):
    hub = {r["agreement"] for r in kg.query("agreements", party="cgr:helsinki-business-hub").rows}
    assert hub == {CGR + "jinan-vantaa-mou-2016"}
    zone = {r["agreement"] for r in kg.query("agreements", party="cgr:jinan-hi-tech-zone").rows}
    assert zone == {CGR + "tzd-jinan-hi-tech-zone-mou-2012", CGR + "jinan-dresden-mou-2015", CGR + "jinan-vantaa-mou-2016"}
    german = {r["agreement"]: r["label"] for r in kg.query("agreements", lang="de").rows}
    assert german[CGR + "dresden-jinan-loi-2012"] == "LOI Dresden–Jinan (Mai 2012)"


# ---------------------------------------------------------------------------------------
# companies-by-zone
# ---------------------------------------------------------------------------------------


def source_rows(rows: list[dict]) -> set[tuple]:
    return {(r["zone"], r["tie"], r["organisation"], r["kind"], r["g"]) for r in rows if r["g"] in G.values()}


@covers("companies-by-zone")
def test_companies_in_the_foshan_services_zone(kg):
    rows = kg.query("companies-by-zone", zone="cgr:sino-german-industrial-services-zone").rows
    zone, hosts, company = CGR + "sino-german-industrial-services-zone", CG + "hostsCompany", CG + "Company"
    # 002 "the services zone has attracted a total of 14 German companies, including Osram, Allianz and Remondis"
    assert source_rows(rows) == {
        (zone, hosts, CGR + "osram", company, G["002"]),
        (zone, hosts, CGR + "allianz", company, G["002"]),
        (zone, hosts, CGR + "remondis", company, G["002"]),
    }


@covers("companies-by-zone")
def test_companies_and_partners_of_the_jinan_zones(kg):
    rows = kg.query("companies-by-zone").rows
    got = source_rows(rows)
    zone, hosts = CGR + "jinan-innovation-zone", CG + "hostsCompany"
    # 001 "... Bosch, Volkswagen and Hengst"; "Volkswagen's ... and BMTS Technology's production capacity expansion"
    for company in ("bosch", "volkswagen", "hengst", "bmts-technology"):
        assert (zone, hosts, CGR + company, CG + "Company", G["001"]) in got
    # 001 "In collaboration with Festo China and Shandong Yingcai University, it has launched the German Practices Workshop"
    workshop = CGR + "german-practices-workshop"
    assert (workshop, CG + "partner", CGR + "festo-china", CG + "Company", G["001"]) in got
    assert (workshop, CG + "partner", CGR + "shandong-yingcai-university", CG + "University", G["001"]) in got
    # 002 "The Industry 4.0 technology research center was also set up with RWTH Aachen University"
    assert (
        CGR + "industry-4-0-technology-research-center",
        CG + "partner",
        CGR + "rwth-aachen-university",
        CG + "University",
        G["002"],
    ) in got


@covers("companies-by-zone")
def test_companies_by_zone_answers_only_from_source_graphs(kg):
    rows = kg.query("companies-by-zone", zone="cgr:sino-german-industrial-services-zone").rows
    assert {r["g"] for r in rows} == {G["002"]}
    assert len(rows) == 3


# ---------------------------------------------------------------------------------------
# events-of-agent
# ---------------------------------------------------------------------------------------


@covers("events-of-agent")
def test_events_of_dirk_hilbert(kg):
    rows = kg.query("events-of-agent", agent="cgr:dirk-hilbert").rows
    assert {(r["event"], r["role"], r["g"]) for r in rows} == {
        # 003 "LOI von Dresdens 1. Bürgermeister, Herrn Dirk Hilbert, unterzeichnet"; 004 "Mr. Hilbert, signed the Letter of Intent"
        (CGR + "dresden-jinan-loi-2012", CG + "signatory", G["003"]),
        (CGR + "dresden-jinan-loi-2012", CG + "signatory", G["004"]),
        # 003 "im Beisein des 1. Bürgermeisters Herrn Hilbert"; 004 "under the witness of the first Mayor of Dresden, Mr. Hilbert"
        (CGR + "dresden-office-opening-2013", CG + "participant", G["003"]),
        (CGR + "dresden-office-opening-2013", CG + "participant", G["004"]),
        # 003 "An der Veranstaltung nahmen Dresdens Bürgermeister, Herr Hilbert, ... teil"; 004 "Mr. Hilbert ... attended the ceremony"
        (CGR + "jinan-european-park-inauguration-2013", CG + "participant", G["003"]),
        (CGR + "jinan-european-park-inauguration-2013", CG + "participant", G["004"]),
    }
    assert [str(r["date"]) for r in rows] == ["2012-05", "2012-05", "2013-08-27", "2013-08-27", "2013-11-01", "2013-11-01"]


@covers("events-of-agent")
def test_events_of_lv_jiantao_and_gerhard_schroeder(kg):
    lv = {(r["event"], r["role"], r["g"]) for r in kg.query("events-of-agent", agent="cgr:lv-jiantao").rows}
    opening = CGR + "dresden-office-opening-2013"
    # 003 "einer Delegation unter Leitung von Herrn Lü Jian Tao"; 004 "Mr. Lv Jiantao and his delegation"
    assert lv == {(opening, CG + role, G[n]) for role in ("participant", "delegationLeader") for n in ("003", "004")}
    schroeder = {(r["event"], r["g"]) for r in kg.query("events-of-agent", agent="cgr:gerhard-schroeder").rows}
    # 003 "Gerhard Schröder war zeitweilig anwesend"; 004 "represented by former German Prime Minister Gerhard Schröder"
    assert {(CGR + "cimic-2016", G["003"]), (CGR + "cimic-2016", G["004"])} <= schroeder


@covers("events-of-agent")
def test_events_of_martin_schultz(kg):
    # 001 "Many prominent guests have attended the Conference, including ... German Bundestag Member Martin Schultz"
    rows = kg.query("events-of-agent", agent="cgr:martin-schultz").rows
    assert (CGR + "sme-conference-series", G["001"]) in {(r["event"], r["g"]) for r in rows}


@covers("events-of-agent")
def test_events_of_agent_name_only_source_graphs(kg):
    rows = kg.query("events-of-agent", agent="cgr:jinan-hi-tech-zone").rows
    assert {r["g"] for r in rows} <= set(G.values())


# ---------------------------------------------------------------------------------------
# implied-identities, plans, positions, source-notes, zones
# ---------------------------------------------------------------------------------------


@covers("implied-identities")
def test_the_implied_identity_of_the_two_jinan_zones(kg, texts):
    rows = kg.query("implied-identities").rows
    assert [(r["claim"], r["entity1"], r["entity2"], r["g"]) for r in rows] == [
        (CGC + "001-jinan-innovation-zone-identity", CGR + "jinan-hi-tech-zone", CGR + "jinan-innovation-zone", G["001"])
    ]
    assert rows[0]["comment"].startswith("Implied, not stated.")
    assert rows[0]["quote"] in normalise(texts[G["001"]])
    assert "Jinan Innovation Zone" in rows[0]["quote"]
    # never merged
    assert not kg.sparql("ASK { cgr:jinan-hi-tech-zone owl:sameAs cgr:jinan-innovation-zone }").boolean


@covers("plans")
def test_plans_with_their_planners_and_dates(kg, texts):
    rows = kg.query("plans").rows
    planners: dict[tuple[str, str], set] = {}
    for r in rows:
        planners.setdefault((r["plan"], r["g"]), set()).add(r["plannedBy"])
        assert r["quote"] in normalise(texts[r["g"]])
    # 004 "Jinan Hi-tech Zone signed a Memorandum ... with the Ministry of Economic Development of Vantaa ... and
    # the Helsinki Business Hub, and agreed to set up a mutual industrial cooperation office"
    assert planners[(CGR + "jinan-vantaa-office-plan", G["004"])] == {
        CGR + "jinan-hi-tech-zone",
        CGR + "vantaa-economic-development",
        CGR + "helsinki-business-hub",
    }
    # 000 "In 2016 Jinan will work together with Germany"
    plan_2016 = [r for r in rows if r["plan"] == CGR + "jinan-germany-cooperation-plan-2016"]
    assert [(r["plannedBy"], r["concerns"], str(r["date"]), r["g"]) for r in plan_2016] == [
        (CGR + "jinan-municipal-government", CGR + "germany", "2016", G["000"])
    ]
    # 001 "with frequency increasing to two flights a week in the near future": no date, no planner
    flights = [r for r in rows if r["plan"] == CGR + "jinan-frankfurt-frequency-increase-plan"]
    assert [(r["plannedBy"], r["date"], r["concerns"]) for r in flights] == [
        (None, None, CGR + "jinan-frankfurt-flight-route")
    ]
    # 003 dates the economic-platform interest to 2011 (section "2011"); 004 has no year headings
    platform = {(r["g"], r["date"]) for r in rows if r["plan"] == CGR + "dresden-jinan-economic-platform-plan"}
    assert platform == {(G["003"], "2011"), (G["004"], None)}


@covers("positions")
def test_positions_as_each_source_words_them(kg, texts):
    hilbert = kg.query("positions", person="cgr:dirk-hilbert").rows
    # 003 "Dresdens 1. Bürgermeister, Herrn Dirk Hilbert"; 004 "the First Mayor of Dresden, Mr. Hilbert"
    assert {(r["title"], r["organisation"], r["g"]) for r in hilbert} == {
        ("1. Bürgermeister", CGR + "dresden-city", G["003"]),
        ("First Mayor of Dresden", CGR + "dresden-city", G["004"]),
    }
    schroeder = kg.query("positions", person="cgr:gerhard-schroeder").rows
    # 001 "former German Chancellor Gerhard Schroder"; 003 "Der deutsche Bundeskanzlers a. D., Gerhard Schröder";
    # 004 "former German Prime Minister Gerhard Schröder" (a slip, kept)
    assert {(r["title"], r["g"]) for r in schroeder} == {
        ("former German Chancellor", G["001"]),
        ("Bundeskanzler a. D.", G["003"]),
        ("former German Prime Minister", G["004"]),
    }
    # 004 "Director of Party Working Committee and Jinan High-tech Zone Mr. Xu Qun"
    zone = kg.query("positions", organisation="cgr:jinan-hi-tech-zone").rows
    assert [(r["person"], r["title"]) for r in zone] == [
        (CGR + "xu-qun", "Director of Party Working Committee and Jinan High-tech Zone")
    ]
    for r in hilbert + schroeder + zone:
        assert r["quote"] in normalise(texts[r["g"]])


@covers("source-notes")
def test_source_notes_quote_the_slip_verbatim(kg, texts):
    rows = kg.query("source-notes").rows
    assert len(rows) == 14
    for r in rows:
        graph = r["source"].replace(CGSRC, "https://w3id.org/coopgraph/graph/")
        text = normalise(texts[graph])
        assert r["stated"] in text, f"{r['note']}: the stated value is not in the source"
        assert r["quote"] in text
        assert r["likelyIntended"] != r["stated"]
    notes = {r["note"].removeprefix(CGC): (r["stated"], r["likelyIntended"]) for r in rows}
    assert notes["003-made-in-china-2015"] == ("Made in China 2015", "Made in China 2025")
    assert notes["004-prime-minister"] == ("former German Prime Minister", "former German Chancellor")
    assert notes["001-martin-schultz-name"] == ("Martin Schultz", "Martin Schulz")
    only_004 = kg.query("source-notes", source="cgsrc:004_2d85bd7537e4600b").rows
    assert {r["note"].removeprefix(CGC) for r in only_004} == {"004-hotpots", "004-prime-minister", "004-wang-wentao-title"}


@covers("zones")
def test_zones_with_place_industries_and_offices(kg):
    rows = kg.query("zones").rows
    by_zone: dict[str, list[dict]] = {}
    for r in rows:
        by_zone.setdefault(r["zone"], []).append(r)
    # 002 "The Sino-German Industrial Services Zone was set up in Foshan"; "the management office of the service zone"
    (foshan,) = by_zone[CGR + "sino-german-industrial-services-zone"]
    assert (foshan["place"], foshan["industries"], srcs(foshan["sources"])) == (
        CGR + "foshan",
        "industrial services",
        frozenset({G["002"]}),
    )
    assert CGR + "sino-german-industrial-services-zone-management-office" in foshan["offices"].split()
    # 001 "the Jinan Innovation Zone established the Dresden - Jinan Contact Office"
    (innovation,) = by_zone[CGR + "jinan-innovation-zone"]
    assert innovation["place"] == CGR + "jinan"
    assert CGR + "dresden-jinan-office" in innovation["offices"].split()
    # 001 "focuses on ... next-generation information technology, intelligent manufacturing and
    # airport-related modern service industries"
    cooperation = [r for r in by_zone[CGR + "sino-german-jinan-cooperation-zone"] if r["place"]]
    assert len(cooperation) == 1
    assert set(cooperation[0]["industries"].split("; ")) == {
        "next-generation information technology",
        "intelligent manufacturing",
        "airport-related modern service industries",
    }
    assert CGR + "german-practices-workshop" in cooperation[0]["offices"].split()
    assert all(srcs(r["sources"]) <= set(G.values()) for r in rows)


# ---------------------------------------------------------------------------------------
# Output formats of `coopgraph query`: CSV, TSV, JSON parse back to the rows
# ---------------------------------------------------------------------------------------


_ANSWERS: dict[tuple[str, tuple], Any] = {}


def answer(kg, name: str, params: dict[str, str]):
    """kg.query(name, **params), computed once per module run (the format tests share it)."""
    key = (name, tuple(sorted(params.items())))
    if key not in _ANSWERS:
        _ANSWERS[key] = kg.query(name, **params)
    return _ANSWERS[key]


@pytest.fixture
def cli(kg, monkeypatch, capsys):
    """Run the command line in-process on the session graph (no reload); returns (code, out, err)."""
    monkeypatch.setattr("coopgraph.commands.common.load", lambda *args, **kwargs: kg)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


FORMAT_CASES = [
    ("timeline", {"about": "cgr:dresden-jinan-office"}),  # dates of three precisions, unbound places, quotes
    ("figures", {"about": "cgr:sme-conference-series"}),  # integers, long quotes with commas
    ("provenance", {"resource": "cgr:rita-meissner"}),  # ß, language tags, offsets
    ("positions", {"person": "cgr:rita-meissner"}),  # German and English titles
    ("implied-identities", {}),  # plain literals (comment) and IRIs
    ("sources", {}),  # dates, unbound issued/creator
]


def params_argv(params: dict[str, str]) -> list[str]:
    return [arg for key, value in params.items() for arg in ("-p", f"{key}={value}")]


def lexical(value: Any) -> str:
    """The text of a plain row value, as CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


@covers("timeline", "figures", "provenance", "positions", "implied-identities", "sources")
@pytest.mark.parametrize(("name", "params"), FORMAT_CASES, ids=[c[0] for c in FORMAT_CASES])
def test_csv_output_parses_back_to_the_rows(cli, kg, name, params):
    result = answer(kg, name, params)
    code, out, err = cli("query", name, "-f", "csv", *params_argv(params))
    assert (code, err) == (0, "")
    table = list(csv.reader(io.StringIO(out, newline="")))
    assert table[0] == result.variables
    assert len(table) - 1 == len(result) > 0
    assert table[1:] == [["" if t is None else str(t) for t in row] for row in result.bindings]
    assert table[1:] == [[lexical(row[v]) for v in result.variables] for row in result.rows]
    assert out.endswith("\r\n")


@pytest.mark.parametrize(("name", "params"), FORMAT_CASES, ids=[c[0] for c in FORMAT_CASES])
def test_tsv_output_parses_back_to_the_terms(cli, kg, name, params):
    result = answer(kg, name, params)
    code, out, err = cli("query", name, "-f", "tsv", *params_argv(params))
    assert (code, err) == (0, "")
    lines = out.split("\n")
    assert lines[-1] == ""
    assert lines[0].split("\t") == [f"?{v}" for v in result.variables]
    cells = [line.split("\t") for line in lines[1:-1]]
    assert all(len(row) == len(result.variables) for row in cells)
    terms = [[from_n3(c) if c else None for c in row] for row in cells]
    assert terms == [list(row) for row in result.bindings]
    assert [[to_python(t) for t in row] for row in terms] == [[row[v] for v in result.variables] for row in result.rows]
    # N-Triples-style terms: IRIs in <>, literals quoted with their datatype or language
    for row in cells:
        for cell, term in zip(row, terms[cells.index(row)]):
            if isinstance(term, URIRef):
                assert cell == f"<{term}>"
            elif isinstance(term, Literal) and term.language:
                assert cell.endswith(f'"@{term.language}')
            elif isinstance(term, Literal) and term.datatype:
                assert cell.endswith(f'"^^<{term.datatype}>')


@pytest.mark.parametrize(("name", "params"), FORMAT_CASES, ids=[c[0] for c in FORMAT_CASES])
def test_json_output_is_sparql_results_json(cli, kg, name, params):
    result = answer(kg, name, params)
    code, out, err = cli("query", name, "-f", "json", *params_argv(params))
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert set(document) == {"head", "results"}
    assert document["head"]["vars"] == result.variables
    bindings = document["results"]["bindings"]
    assert len(bindings) == len(result) > 0

    def term(cell: dict[str, str]):
        assert set(cell) <= {"type", "value", "datatype", "xml:lang"}
        if cell["type"] == "uri":
            return URIRef(cell["value"])
        if cell["type"] == "bnode":
            return BNode(cell["value"])
        assert cell["type"] == "literal"
        assert not ("datatype" in cell and "xml:lang" in cell)
        return Literal(cell["value"], lang=cell.get("xml:lang"), datatype=cell.get("datatype"))

    parsed = [[term(b[v]) if v in b else None for v in result.variables] for b in bindings]
    assert parsed == [list(row) for row in result.bindings]
    assert [[to_python(t) for t in row] for row in parsed] == [[row[v] for v in result.variables] for row in result.rows]
    for b, row in zip(bindings, result.bindings):
        assert set(b) == {v for v, t in zip(result.variables, row) if t is not None}  # unbound: left out


def test_json_types_of_a_timeline_row(cli):
    code, out, _ = cli("query", "timeline", "-p", "about=cgr:dresden-jinan-office", "-f", "json")
    assert code == 0
    first = json.loads(out)["results"]["bindings"][0]
    assert first["earliest"] == {"type": "literal", "value": "2013-01-01", "datatype": str(XSD.date)}
    assert first["date"] == {"type": "literal", "value": "2013", "datatype": str(XSD.gYear)}
    assert first["thing"] == {"type": "uri", "value": CGR + "dresden-jinan-office-establishment-2013"}
    assert first["label"]["xml:lang"] == "en" and "datatype" not in first["label"]
    assert first["sources"]["type"] == "literal" and set(first["sources"]) == {"type", "value"}


def test_ask_in_json_tsv_and_csv(cli):
    ask = "ASK { cgr:dresden-jinan-office cg:locatedIn cgr:dresden }"
    code, out, _ = cli("sparql", "-f", "json", ask)
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}
    code, out, _ = cli("sparql", "-f", "table", "ASK { cgr:dresden cg:locatedIn cgr:china }")
    assert code == 0 and out == "no\n"


def test_table_output_shortens_iris_and_counts_rows(cli, kg):
    code, out, _ = cli("query", "offices-abroad")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == kg.query("offices-abroad").variables
    assert lines[-1] == f"({len(kg.query('offices-abroad'))} rows)"
    assert "cgr:dresden-jinan-office" in out and "cgr:germany" in out
    assert "https://w3id.org/coopgraph/id/" not in out  # IRIs of resources are shown as prefixed names


def test_csv_quotes_commas_quotes_and_newlines(kg):
    result = kg.sparql(r'SELECT ?a ?b WHERE { BIND ("x, \"y\"" AS ?a) BIND ("line1\nline2" AS ?b) }')
    table = list(csv.reader(io.StringIO(result.to_csv(), newline="")))
    assert table == [["a", "b"], ['x, "y"', "line1\nline2"]]


def test_tsv_escapes_tabs_and_newlines_in_literals(kg):
    result = kg.sparql(r'SELECT ?a ?b WHERE { BIND ("col1\tcol2\nline2" AS ?a) BIND (1 AS ?b) }')
    lines = result.to_tsv().split("\n")
    assert len(lines) == 3 and lines[2] == ""  # header, one row, final newline
    cells = lines[1].split("\t")
    assert len(cells) == 2
    assert from_n3(cells[0]) == Literal("col1\tcol2\nline2")


def test_decimal_values_round_trip(kg):
    result = kg.sparql("SELECT ?d WHERE { BIND (47.964 AS ?d) }")
    assert result.rows == [{"d": Decimal("47.964")}]
    assert json.loads(result.to_json())["results"]["bindings"][0]["d"] == {
        "type": "literal",
        "value": "47.964",
        "datatype": str(XSD.decimal),
    }

"""Competency questions over source 000 (flipbook page 31: the Jinan–Germany industrial
cooperation office) and source 002 (China Daily, 2017-12-07: the Sino-German Industrial
Services Zone in Foshan).

Every query reads the source's own named graph, so the answers stay true when other
sources add triples to the union.
"""

from __future__ import annotations

import datetime as dt


G000 = "https://w3id.org/coopgraph/graph/000_c3db9e2a9a8b4664"
G002 = "https://w3id.org/coopgraph/graph/002_3796d1144900ce85"
CGR = "https://w3id.org/coopgraph/id/"
CG = "https://w3id.org/coopgraph/ontology#"

PREFIXES = """
PREFIX cg:   <https://w3id.org/coopgraph/ontology#>
PREFIX cgr:  <https://w3id.org/coopgraph/id/>
PREFIX cgc:  <https://w3id.org/coopgraph/claim/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX oa:   <http://www.w3.org/ns/oa#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
"""


def rows(kg, query: str) -> list[dict]:
    """Run a query and return plain rows (a list of dicts)."""
    result = kg.sparql(PREFIXES + query)
    return list(getattr(result, "rows", result))


# ---------------------------------------------------------------------------
# 000 — flipbook page 31
# ---------------------------------------------------------------------------


def test_000_office_set_up_by_jinan_city_in_dresden_in_2013(kg):
    """When, where and by whom was the industry cooperation office set up (000)?"""
    found = rows(
        kg,
        f"""
        SELECT ?organiser ?place (STR(?date) AS ?d) ?prec ?early ?late WHERE {{
          GRAPH <{G000}> {{
            ?e a cg:Establishment ; cg:concerns cgr:dresden-jinan-office ;
               cg:organiser ?organiser ; cg:place ?place ; cg:date ?date ;
               cg:datePrecision ?prec ; cg:earliestDate ?early ; cg:latestDate ?late .
          }}
        }}""",
    )
    assert found == [
        {
            "organiser": CGR + "jinan-municipal-government",
            "place": CGR + "dresden",
            "d": "2013",
            "prec": CG + "YearPrecision",
            "early": dt.date(2013, 1, 1),
            "late": dt.date(2013, 12, 31),
        }
    ]


def test_000_office_names_and_location(kg):
    """Which names does 000 use for the office, and where is it?"""
    found = rows(
        kg,
        f"""
        SELECT ?name ?place WHERE {{
          GRAPH <{G000}> {{
            cgr:dresden-jinan-office a cg:CooperationOffice ; cg:locatedIn ?place ;
                (rdfs:label|skos:altLabel) ?name .
          }}
        }}""",
    )
    assert {r["place"] for r in found} == {CGR + "dresden"}
    assert {r["name"] for r in found} == {
        "Jinan and Germany industrial cooperation office",
        "industry cooperation office",
    }


def test_000_dresden_described_as_silicon_valley_of_europe(kg):
    """How does 000 describe Dresden?"""
    found = rows(
        kg,
        f"""SELECT ?d WHERE {{ GRAPH <{G000}> {{ cgr:dresden cg:description ?d }} }}""",
    )
    assert [r["d"] for r in found] == ["known as the Silicon Valley of Europe"]


def test_000_fair_date_and_themes(kg):
    """When was the Jinan-Europe Industry Cooperation Fair, and under which themes (000)?"""
    found = rows(
        kg,
        f"""
        SELECT (STR(?date) AS ?d) ?prec ?early ?late ?theme WHERE {{
          GRAPH <{G000}> {{
            cgr:jinan-europe-industry-cooperation-fair-2015 a cg:Fair ; cg:date ?date ;
                cg:datePrecision ?prec ; cg:earliestDate ?early ; cg:latestDate ?late ;
                cg:theme ?theme .
          }}
        }}""",
    )
    assert {(r["d"], r["prec"], r["early"], r["late"]) for r in found} == {
        ("2015-09", CG + "MonthPrecision", dt.date(2015, 9, 1), dt.date(2015, 9, 30))
    }
    assert {r["theme"] for r in found} == {"Industry 4.0", "Made in China 2025"}


def test_000_fair_company_counts(kg):
    """How many companies took part in the 2015 fair, according to 000?"""
    found = rows(
        kg,
        f"""
        SELECT ?metric ?value ?unit ?bound WHERE {{
          GRAPH <{G000}> {{
            ?f a cg:Figure ; cg:about cgr:jinan-europe-industry-cooperation-fair-2015 ;
               cg:metric ?metric ; cg:value ?value ; cg:unit ?unit ; cg:bound ?bound ;
               cg:hasEvidence ?ev .
          }}
        }}""",
    )
    assert {(r["metric"], r["value"], r["unit"], r["bound"]) for r in found} == {
        (CG + "ParticipatingCompanyCount", 20, CG + "Companies", CG + "MoreThan"),
        (CG + "GermanCompanyCount", 60, CG + "Companies", CG + "MoreThan"),
    }


def test_000_summit_in_jinan_november_2015_without_country_participants(kg):
    """Where and when was the summit (000)? The experts' countries are not participants."""
    found = rows(
        kg,
        f"""
        SELECT ?place (STR(?date) AS ?d) ?early ?late WHERE {{
          GRAPH <{G000}> {{
            cgr:china-intelligent-manufacturing-summit-2015 a cg:Summit ;
                rdfs:label "China Intelligent Manufacturing International Summit"@en ;
                cg:place ?place ; cg:date ?date ; cg:earliestDate ?early ; cg:latestDate ?late .
          }}
        }}""",
    )
    assert found == [
        {"place": CGR + "jinan", "d": "2015-11", "early": dt.date(2015, 11, 1), "late": dt.date(2015, 11, 30)}
    ]
    participants = rows(
        kg,
        f"""SELECT ?p WHERE {{ GRAPH <{G000}> {{
              cgr:china-intelligent-manufacturing-summit-2015 cg:participant ?p }} }}""",
    )
    assert participants == []
    descriptions = rows(
        kg,
        f"""SELECT ?d WHERE {{ GRAPH <{G000}> {{
              cgr:china-intelligent-manufacturing-summit-2015 cg:description ?d }} }}""",
    )
    assert any(
        "China, Germany, France, the U.S., Finland and other regions" in r["d"] for r in descriptions
    )


def test_000_plans_for_2016(kg):
    """Which plans does 000 announce for 2016, by whom, and about what?"""
    found = rows(
        kg,
        f"""
        SELECT ?plan ?concerns ?by (STR(?date) AS ?d) WHERE {{
          GRAPH <{G000}> {{
            ?plan a cg:Plan ; cg:concerns ?concerns ; cg:date ?date .
            OPTIONAL {{ ?plan cg:plannedBy ?by }}
          }}
        }}""",
    )
    assert {(r["plan"], r["concerns"], r["by"], r["d"]) for r in found} == {
        (CGR + "jinan-germany-cooperation-plan-2016", CGR + "germany", CGR + "jinan-municipal-government", "2016"),
        (CGR + "jinan-germany-incubator-plan-2016", CGR + "jinan-germany-industrial-incubator", None, "2016"),
    }


def test_000_sino_euro_incubation_fund_is_undated(kg):
    """Which fund does 000 name, what for, and does it give an establishment date? (No.)"""
    found = rows(
        kg,
        f"""
        SELECT ?label ?purpose WHERE {{
          GRAPH <{G000}> {{ cgr:sino-euro-incubation-fund a cg:Fund ; rdfs:label ?label ; cg:purpose ?purpose }}
        }}""",
    )
    assert found == [
        {
            "label": "Sino-Euro incubation fund",
            "purpose": "To encourage businesses of the two countries to cooperate in the initial research phase.",
        }
    ]
    dated = rows(
        kg,
        f"""SELECT ?e WHERE {{ GRAPH <{G000}> {{ ?e cg:concerns cgr:sino-euro-incubation-fund ; cg:date ?d }} }}""",
    )
    assert dated == []


# ---------------------------------------------------------------------------
# 002 — China Daily, Sino-German Industrial Services Zone, Foshan
# ---------------------------------------------------------------------------


def test_002_german_companies_in_the_services_zone(kg):
    """Which German companies does the services zone host, and how many in all (002)?"""
    companies = rows(
        kg,
        f"""
        SELECT ?name WHERE {{
          GRAPH <{G002}> {{
            cgr:sino-german-industrial-services-zone cg:hostsCompany ?c .
            ?c a cg:Company ; rdfs:label ?name .
          }}
        }}""",
    )
    assert sorted(r["name"] for r in companies) == ["Allianz", "Osram", "Remondis"]
    figure = rows(
        kg,
        f"""
        SELECT ?value ?bound ?unit ?date WHERE {{
          GRAPH <{G002}> {{
            ?f a cg:Figure ; cg:about cgr:sino-german-industrial-services-zone ;
               cg:metric cg:GermanCompanyCount ; cg:value ?value ; cg:bound ?bound ;
               cg:unit ?unit ; cg:date ?date .
          }}
        }}""",
    )
    assert figure == [
        {"value": 14, "bound": CG + "Exact", "unit": CG + "Companies", "date": dt.date(2017, 12, 7)}
    ]


def test_002_which_graph_reports_fourteen_german_companies(kg):
    """Who says the zone attracted 14 German companies? Only graph 002, with its quote."""
    found = rows(
        kg,
        """
        SELECT DISTINCT ?g ?exact WHERE {
          GRAPH ?g {
            ?f cg:about cgr:sino-german-industrial-services-zone ; cg:metric cg:GermanCompanyCount ;
               cg:value 14 ; cg:hasEvidence ?ev .
            ?ev oa:hasSelector ?sel . ?sel a oa:TextQuoteSelector ; oa:exact ?exact .
            FILTER(CONTAINS(?exact, "14 German companies"))
          }
        }""",
    )
    assert found == [
        {
            "g": G002,
            "exact": "To date, the services zone has attracted a total of 14 German companies, "
            "including Osram, Allianz and Remondis.",
        }
    ]


def test_002_people_and_posts(kg):
    """Who holds which post in which organisation (002)?"""
    found = rows(
        kg,
        f"""
        SELECT ?name ?title ?org WHERE {{
          GRAPH <{G002}> {{
            ?pos a cg:Position ; org:member ?p ; org:organization ?org ; cg:roleTitle ?title ;
                 cg:hasEvidence ?ev .
            ?p a cg:Person ; rdfs:label ?name .
          }}
        }}""",
    )
    assert {(r["name"], r["title"], r["org"]) for r in found} == {
        ("Guo Wenhai", "Party secretary of Shunde district", CGR + "shunde-district-government"),
        ("Ou Bangmin", "deputy secretary of the Foshan city Party committee", CGR + "foshan-city-party-committee"),
        (
            "Zhu Xixiong",
            "deputy director of the management office of the service zone",
            CGR + "sino-german-industrial-services-zone-management-office",
        ),
    }
    parent = rows(
        kg,
        f"""SELECT ?z WHERE {{ GRAPH <{G002}> {{
              cgr:sino-german-industrial-services-zone-management-office cg:parentOrganisation ?z }} }}""",
    )
    assert parent == [{"z": CGR + "sino-german-industrial-services-zone"}]


def test_002_listing_by_guangdong_in_2012(kg):
    """When and by whom was the services zone listed as a major cooperation platform (002)?"""
    found = rows(
        kg,
        f"""
        SELECT ?by (STR(?date) AS ?d) ?early ?late WHERE {{
          GRAPH <{G002}> {{
            ?e a cg:Approval ; cg:concerns cgr:sino-german-industrial-services-zone ;
               cg:organiser ?by ; cg:date ?date ; cg:earliestDate ?early ; cg:latestDate ?late .
          }}
        }}""",
    )
    assert found == [
        {
            "by": CGR + "guangdong-provincial-government",
            "d": "2012",
            "early": dt.date(2012, 1, 1),
            "late": dt.date(2012, 12, 31),
        }
    ]


def test_002_timeline_of_dated_events(kg):
    """The dated events of 002 in order, with what they concern."""
    found = rows(
        kg,
        f"""
        SELECT ?type ?concerns (STR(?date) AS ?d) WHERE {{
          GRAPH <{G002}> {{
            ?e cg:date ?date ; cg:earliestDate ?early ; cg:concerns ?concerns ; a ?type .
            FILTER(?type IN (cg:Approval, cg:Establishment, cg:Launch))
          }}
        }} ORDER BY ?early ?type""",
    )
    assert [(r["type"], r["concerns"], r["d"]) for r in found] == [
        (CG + "Approval", CGR + "sino-german-industrial-services-zone", "2012"),
        (CG + "Establishment", CGR + "sino-german-industrial-city-alliance", "2016"),
        (CG + "Launch", CGR + "sino-german-industrial-city-alliance", "2016"),
    ]


def test_002_alliance_founded_under_lead_of_services_zone(kg):
    """Who led the founding of the Sino-German Industrial City Alliance, and when (002)?"""
    found = rows(
        kg,
        f"""
        SELECT ?lead (STR(?date) AS ?d) WHERE {{
          GRAPH <{G002}> {{
            ?e a cg:Establishment ; cg:concerns cgr:sino-german-industrial-city-alliance ;
               cg:organiser ?lead ; cg:date ?date .
          }}
        }}""",
    )
    assert found == [{"lead": CGR + "sino-german-industrial-services-zone", "d": "2016"}]


def test_002_alliance_platform_and_council(kg):
    """Which bodies has the alliance set up, and how many German companies has the council visited?"""
    platform = rows(
        kg,
        f"""SELECT ?p WHERE {{ GRAPH <{G002}> {{
              ?p a cg:Platform ; cg:operatedBy cgr:sino-german-industrial-city-alliance }} }}""",
    )
    assert platform == [{"p": CGR + "sino-german-industrial-city-alliance-information-platform"}]
    council = rows(
        kg,
        f"""
        SELECT ?c ?value ?bound ?unit ?date WHERE {{
          GRAPH <{G002}> {{
            ?c cg:subOrganisationOf cgr:sino-german-industrial-city-alliance .
            ?f cg:about ?c ; cg:metric cg:CompaniesVisited ; cg:value ?value ;
               cg:bound ?bound ; cg:unit ?unit ; cg:date ?date .
          }}
        }}""",
    )
    assert council == [
        {
            "c": CGR + "sino-german-industrial-city-alliance-collaboration-council",
            "value": 80,
            "bound": CG + "MoreThan",
            "unit": CG + "Companies",
            "date": dt.date(2017, 12, 7),
        }
    ]


def test_002_foshan_links_partners(kg):
    """Who co-founded the exhibition centre, the academy and the research center (002)?"""
    found = rows(
        kg,
        f"""
        SELECT ?thing ?partner WHERE {{
          GRAPH <{G002}> {{ ?thing cg:partner ?partner }}
        }}""",
    )
    assert {(r["thing"], r["partner"]) for r in found} == {
        (CGR + "guangdong-tanzhou-convention-exhibition-center", CGR + "hannover-milano-fairs-china"),
        (CGR + "guangdong-tanzhou-convention-exhibition-center", CGR + "shunde-district-government"),
        (CGR + "robotation-academy-foshan", CGR + "robotation-academy-hannover"),
        (CGR + "industry-4-0-technology-research-center", CGR + "rwth-aachen-university"),
        (CGR + "industry-4-0-intelligent-manufacturing-industrial-park", CGR + "industry-4-0-technology-research-center"),
    }


def test_002_robotation_academies_are_counterparts_in_foshan_and_hannover(kg):
    """Where are the two Robotation academies, and are they counterparts (002)?"""
    found = rows(
        kg,
        f"""
        SELECT ?a ?place WHERE {{
          GRAPH <{G002}> {{
            ?a cg:counterpartOf ?b ; cg:locatedIn ?place .
            ?b cg:counterpartOf ?a .
          }}
        }}""",
    )
    assert {(r["a"], r["place"]) for r in found} == {
        (CGR + "robotation-academy-foshan", CGR + "foshan"),
        (CGR + "robotation-academy-hannover", CGR + "hannover"),
    }


def test_002_located_in_links_stated_by_the_article(kg):
    """Which located-in links does 002 itself state?"""
    found = rows(
        kg,
        f"""SELECT ?s ?o WHERE {{ GRAPH <{G002}> {{ ?s cg:locatedIn ?o }} }}""",
    )
    assert {(r["s"], r["o"]) for r in found} == {
        (CGR + "foshan", CGR + "guangdong"),
        (CGR + "shunde", CGR + "foshan"),
        (CGR + "sino-german-industrial-services-zone", CGR + "foshan"),
        (CGR + "robotation-academy-foshan", CGR + "foshan"),
        (CGR + "robotation-academy-hannover", CGR + "hannover"),
    }


# ---------------------------------------------------------------------------
# Both graphs: evidence quality
# ---------------------------------------------------------------------------

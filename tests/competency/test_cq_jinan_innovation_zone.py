"""Competency questions over source 001 (Jinan Innovation Zone press release, 22 June 2022).

Each test asks one question an analyst would ask of this press release, in SPARQL, and
checks the answer the text gives. Queries run inside the named graph of source 001, so
they stay true when other sources are added.
"""

from __future__ import annotations

import datetime
from decimal import Decimal


STEM = "001_86cdc4bc586a81fc"
GRAPH = f"https://w3id.org/coopgraph/graph/{STEM}"
CGR = "https://w3id.org/coopgraph/id/"
CGC = "https://w3id.org/coopgraph/claim/"
CG = "https://w3id.org/coopgraph/ontology#"

PREFIXES = """
PREFIX cg: <https://w3id.org/coopgraph/ontology#>
PREFIX cgr: <https://w3id.org/coopgraph/id/>
PREFIX cgc: <https://w3id.org/coopgraph/claim/>
PREFIX cgev: <https://w3id.org/coopgraph/evidence/>
PREFIX cgsrc: <https://w3id.org/coopgraph/source/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


def rows(kg, body: str) -> list[dict]:
    """Run a SELECT (prefixes prepended) and return its rows as plain dicts."""
    return list(kg.sparql(PREFIXES + body))


def figure(kg, iri: str) -> dict:
    """The value, unit, metric, bound and date bounds of one figure in graph 001."""
    found = rows(
        kg,
        f"""
        SELECT ?about ?metric ?value ?unit ?bound ?earliest ?latest WHERE {{
          GRAPH <{GRAPH}> {{
            <{iri}> a cg:Figure ; cg:about ?about ; cg:metric ?metric ; cg:value ?value ;
                    cg:unit ?unit ; cg:bound ?bound .
            OPTIONAL {{ <{iri}> cg:earliestDate ?earliest ; cg:latestDate ?latest }}
          }}
        }}""",
    )
    assert len(found) == 1, found
    return found[0]


def test_jinan_innovation_zone_is_a_high_tech_zone_in_jinan_shandong(kg):
    """Where is the Jinan Innovation Zone, and what kind of zone is it?"""
    found = rows(
        kg,
        f"""
        SELECT ?label ?city ?region ?description WHERE {{
          GRAPH <{GRAPH}> {{
            cgr:jinan-innovation-zone a cg:HighTechZone ; rdfs:label ?label ;
                cg:locatedIn ?city ; cg:description ?description .
            ?city cg:locatedIn ?region .
          }}
        }}""",
    )
    assert found == [
        {
            "label": "Jinan Innovation Zone",
            "city": CGR + "jinan",
            "region": CGR + "shandong",
            "description": found[0]["description"],
        }
    ]
    assert "first batch of national high-tech industrial development zones" in found[0]["description"]
    assert "top 10" in found[0]["description"]
    names = {r["alt"] for r in rows(kg, f"SELECT ?alt WHERE {{ GRAPH <{GRAPH}> {{ cgr:jinan skos:altLabel ?alt }} }}")}
    assert names == {"City of Springs"}


def test_foreign_and_german_enterprise_counts(kg):
    """How many foreign-funded and German enterprises has the zone attracted, as of when?"""
    foreign = figure(kg, CGC + "001-foreign-enterprises")
    german = figure(kg, CGC + "001-german-enterprises")
    release = datetime.date(2022, 6, 22)
    assert foreign == {
        "about": CGR + "jinan-innovation-zone",
        "metric": CG + "ForeignEnterpriseCount",
        "value": 500,
        "unit": CG + "Companies",
        "bound": CG + "MoreThan",
        "earliest": release,
        "latest": release,
    }
    assert german == {**foreign, "metric": CG + "GermanCompanyCount", "value": 60}


def test_sino_german_cooperation_zone_location_and_industries(kg):
    """Where is the Sino-German Cooperation Zone and which industries does it focus on?"""
    found = rows(
        kg,
        f"""
        SELECT ?parent ?industry WHERE {{
          GRAPH <{GRAPH}> {{
            cgr:sino-german-jinan-cooperation-zone a cg:CooperationZone ;
                cg:locatedIn ?parent ; cg:industry ?industry .
          }}
        }}""",
    )
    assert {r["parent"] for r in found} == {CGR + "jinan-innovation-zone"}
    assert {r["industry"] for r in found} == {
        "next-generation information technology",
        "intelligent manufacturing",
        "airport-related modern service industries",
    }


def test_complex_areas_in_square_metres(kg):
    """Which areas does the release give for the complexes in the cooperation zone?"""
    found = rows(
        kg,
        f"""
        SELECT ?thing ?value ?unit ?bound WHERE {{
          GRAPH <{GRAPH}> {{
            ?f a cg:Figure ; cg:metric cg:FloorArea ; cg:about ?thing ; cg:value ?value ;
               cg:unit ?unit ; cg:bound ?bound .
            ?thing cg:locatedIn cgr:sino-german-jinan-cooperation-zone .
          }}
        }} ORDER BY DESC(?value)""",
    )
    assert found == [
        {"thing": CGR + "german-standard-industrial-complex", "value": 500000,
         "unit": CG + "SquareMetres", "bound": CG + "Exact"},
        {"thing": CGR + "sino-german-cooperation-zone-business-complex", "value": 150000,
         "unit": CG + "SquareMetres", "bound": CG + "Exact"},
    ]


def test_platforms_of_the_cooperation_zone_and_their_partners(kg):
    """Which platforms does the cooperation zone run, and with which partners?"""
    found = rows(
        kg,
        f"""
        SELECT ?platform ?partnerLabel WHERE {{
          GRAPH <{GRAPH}> {{
            ?platform a cg:Platform ; cg:operatedBy cgr:sino-german-jinan-cooperation-zone .
            OPTIONAL {{ ?platform cg:partner ?partner . ?partner rdfs:label ?partnerLabel }}
          }}
        }}""",
    )
    pairs = {(r["platform"].removeprefix(CGR), r["partnerLabel"]) for r in found}
    assert pairs == {
        ("german-practices-workshop", "Festo China"),
        ("german-practices-workshop", "Shandong Yingcai University"),
        ("digital-simulation-demonstration-platform", "Fraunhofer"),
        ("sino-german-cooperation-zone-ip-platform", None),
        ("sino-german-cooperation-zone-training-system", None),
    }


def test_jiaxuan_cultural_tourism_city_construction_start(kg):
    """What started construction in the Jinan Innovation Zone, and is a date given?"""
    found = rows(
        kg,
        f"""
        SELECT ?label ?venue ?place ?date ?quote WHERE {{
          GRAPH <{GRAPH}> {{
            ?e a cg:ConstructionStart ; cg:concerns ?town ; cg:venue ?venue ; cg:place ?place ;
               cg:hasEvidence/oa:hasSelector/oa:exact ?quote .
            ?town rdfs:label ?label ; cg:locatedIn cgr:jinan-innovation-zone .
            OPTIONAL {{ ?e cg:date ?date }}
          }}
        }}""",
    )
    assert len(found) == 1
    row = found[0]
    assert row["label"] == "Jiaxuan Cultural Tourism City"
    assert row["venue"] == CGR + "jinan-innovation-zone"
    assert row["place"] == CGR + "jinan"
    assert row["date"] is None  # the release gives no date for the start of construction
    assert row["quote"].startswith("Jiaxuan Cultural Tourism City, the first town in the country")


def test_direct_flights_to_frankfurt_and_planned_frequency(kg):
    """Where do the direct flights go, and what frequency is planned?"""
    route = rows(
        kg,
        f"""
        SELECT ?origin ?destination WHERE {{
          GRAPH <{GRAPH}> {{ ?r a cg:FlightRoute ; cg:origin ?origin ; cg:destination ?destination }}
        }}""",
    )
    assert route == [{"origin": CGR + "jinan", "destination": CGR + "frankfurt"}]
    plan = rows(
        kg,
        f"""
        SELECT ?value ?unit ?date WHERE {{
          GRAPH <{GRAPH}> {{
            ?plan a cg:Plan ; cg:concerns ?r .
            ?r a cg:FlightRoute .
            ?f a cg:Figure ; cg:about ?plan ; cg:metric cg:FlightFrequency ; cg:value ?value ; cg:unit ?unit .
            OPTIONAL {{ ?f cg:date ?date }}
          }}
        }}""",
    )
    assert plan == [{"value": 2, "unit": CG + "FlightsPerWeek", "date": None}]
    # the planned frequency is not a figure about the route itself
    assert rows(
        kg,
        f"""SELECT ?f WHERE {{ GRAPH <{GRAPH}> {{ ?f cg:about cgr:jinan-frankfurt-flight-route }} }}""",
    ) == []


def test_companies_in_the_zone_and_their_expansion_projects(kg):
    """Which companies does the zone host, and whose expansion projects are underway?"""
    hosted = rows(
        kg,
        f"""
        SELECT ?name WHERE {{
          GRAPH <{GRAPH}> {{ cgr:jinan-innovation-zone cg:hostsCompany ?c . ?c a cg:Company ; rdfs:label ?name }}
        }}""",
    )
    assert {r["name"] for r in hosted} == {"Bosch", "Volkswagen", "Hengst", "BMTS Technology"}
    projects = rows(
        kg,
        f"""
        SELECT ?company WHERE {{
          GRAPH <{GRAPH}> {{ ?p a cg:Event ; cg:organiser ?c ; rdfs:label ?l . ?c rdfs:label ?company .
                             FILTER(CONTAINS(STR(?l), "production capacity expansion project")) }}
        }}""",
    )
    assert sorted(r["company"] for r in projects) == ["BMTS Technology", "Volkswagen"]


def test_dresden_office_established_in_2013_by_the_zone(kg):
    """When and where did the Jinan Innovation Zone establish its Dresden office, under which names?"""
    found = rows(
        kg,
        f"""
        SELECT ?date ?precision ?earliest ?latest ?place ?city ?label WHERE {{
          GRAPH <{GRAPH}> {{
            ?e a cg:Establishment ; cg:concerns cgr:dresden-jinan-office ;
               cg:organiser cgr:jinan-innovation-zone ; cg:place ?place ;
               cg:date ?date ; cg:datePrecision ?precision ;
               cg:earliestDate ?earliest ; cg:latestDate ?latest .
            cgr:dresden-jinan-office a cg:ContactOffice ; cg:locatedIn ?city ; rdfs:label ?label ;
               cg:parentOrganisation cgr:jinan-innovation-zone .
          }}
        }}""",
    )
    assert found == [{
        "date": "2013", "precision": CG + "YearPrecision",
        "earliest": datetime.date(2013, 1, 1), "latest": datetime.date(2013, 12, 31),
        "place": CGR + "dresden", "city": CGR + "dresden",
        "label": "Dresden - Jinan Contact Office",
    }]
    alts = rows(kg, f"SELECT ?a WHERE {{ GRAPH <{GRAPH}> {{ cgr:dresden-jinan-office skos:altLabel ?a }} }}")
    assert [r["a"] for r in alts] == ["Dresden - Jinan Industry Cooperation Office"]


def test_jinan_counterpart_established_november_2013_with_inferred_year(kg):
    """When was the Jinan counterpart established, and is the inferred year explained?"""
    found = rows(
        kg,
        f"""
        SELECT ?date ?precision ?earliest ?latest ?comment ?place WHERE {{
          GRAPH <{GRAPH}> {{
            cgr:dresden-jinan-office cg:counterpartOf ?office .
            ?office cg:locatedIn cgr:jinan .
            ?e a cg:Establishment ; cg:concerns ?office ; cg:date ?date ; cg:datePrecision ?precision ;
               cg:earliestDate ?earliest ; cg:latestDate ?latest ; rdfs:comment ?comment ; cg:place ?place .
          }}
        }}""",
    )
    assert len(found) == 1
    row = found[0]
    assert (row["date"], row["precision"]) == ("2013-11", CG + "MonthPrecision")
    assert (row["earliest"], row["latest"]) == (datetime.date(2013, 11, 1), datetime.date(2013, 11, 30))
    assert row["place"] == CGR + "jinan"
    assert "inferred" in row["comment"] and "2013" in row["comment"]


def test_projects_facilitated_by_the_two_offices(kg):
    """How many cooperative projects did the offices facilitate, and which are named?"""
    figs = rows(
        kg,
        f"""
        SELECT ?about ?metric ?value ?unit ?bound WHERE {{
          GRAPH <{GRAPH}> {{ cgc:001-facilitated-projects a cg:Figure ; cg:about ?about ; cg:metric ?metric ;
                                 cg:value ?value ; cg:unit ?unit ; cg:bound ?bound }}
        }}""",
    )
    assert {(r["metric"], r["value"], r["unit"], r["bound"]) for r in figs} == {
        (CG + "ProjectCount", 12, CG + "Projects", CG + "MoreThan")}
    # the text credits the two offices together
    assert {r["about"] for r in figs} == {CGR + "dresden-jinan-office", CGR + "jinan-dresden-counterpart-office"}
    centre = rows(
        kg,
        f"""
        SELECT ?company ?city WHERE {{
          GRAPH <{GRAPH}> {{ ?c a cg:ResearchCentre ; cg:parentOrganisation ?o ; cg:locatedIn ?city .
                             ?o rdfs:label ?company }}
        }}""",
    )
    assert centre == [{"company": "3S-Smart Software Solutions GmbH", "city": CGR + "jinan"}]
    lab = rows(
        kg,
        f"""
        SELECT ?partner WHERE {{
          GRAPH <{GRAPH}> {{ ?lab rdfs:label "Sino-German Intelligent Manufacturing Demonstration Lab"@en ;
                                  cg:partner/rdfs:label ?partner }}
        }}""",
    )
    assert {r["partner"] for r in lab} == {
        "Hoteam Software", "Chemnitz University of Technology",
        "Dresden - Jinan Contact Office", "Jinan counterpart of the Dresden - Jinan Contact Office",
    }
    facilitated = rows(
        kg,
        f"""
        SELECT ?project WHERE {{
          GRAPH <{GRAPH}> {{ ?project a cg:ResearchCentre ; cg:partner cgr:dresden-jinan-office }}
        }}""",
    )
    assert {r["project"] for r in facilitated} == {
        CGR + "3s-smart-software-solutions-jinan-rd-centre",
        CGR + "sino-german-intelligent-manufacturing-demonstration-lab",
    }


def test_dresdner_kreuzchor_concert_in_jinan(kg):
    """Which choir performed in Jinan at the offices' invitation?"""
    found = rows(
        kg,
        f"""
        SELECT ?choir ?place ?host WHERE {{
          GRAPH <{GRAPH}> {{ ?c a cg:Concert ; cg:participant ?p ; cg:place ?place ; cg:host ?host .
                             ?p a cg:Choir ; rdfs:label ?choir }}
        }}""",
    )
    assert {(r["choir"], r["place"]) for r in found} == {("Dresdner Kreuzchor", CGR + "jinan")}
    assert {r["host"] for r in found} == {CGR + "dresden-jinan-office", CGR + "jinan-dresden-counterpart-office"}


def test_offices_in_seven_european_cities_across_five_countries(kg):
    """In how many European cities and countries has the zone established offices?"""
    cities = figure(kg, CGC + "001-european-office-cities")
    countries = figure(kg, CGC + "001-european-office-countries")
    assert (cities["metric"], cities["value"], cities["unit"], cities["bound"]) == (
        CG + "CityCount", 7, CG + "Cities", CG + "Exact")
    assert (countries["metric"], countries["value"], countries["unit"], countries["bound"]) == (
        CG + "CountryCount", 5, CG + "Countries", CG + "Exact")
    assert cities["about"] == countries["about"] == CGR + "jinan-innovation-zone"


def test_sme_conference_sponsors_and_organisers(kg):
    """Who sponsors and who organises the Sino-German SME Cooperation & Communication Conference?"""
    found = rows(
        kg,
        f"""
        SELECT ?role ?name WHERE {{
          GRAPH <{GRAPH}> {{
            {{ cgr:sme-conference-series cg:sponsor ?a . BIND("sponsor" AS ?role) }}
            UNION
            {{ cgr:sme-conference-series cg:organiser ?a . BIND("organiser" AS ?role) }}
            ?a a cg:GovernmentBody ; rdfs:label ?name .
          }}
        }}""",
    )
    assert {(r["role"], r["name"]) for r in found} == {
        ("sponsor", "Ministry of Industry and Information Technology of China"),
        ("sponsor", "Shandong Provincial Government"),
        ("organiser", "Jinan Municipal Government"),
        ("organiser", "Department of Industry and Information Technology of Shandong Province"),
    }


def test_sme_conference_guests_and_their_posts(kg):
    """Which prominent guests attended the conference, with which posts?"""
    found = rows(
        kg,
        f"""
        SELECT ?name ?title WHERE {{
          GRAPH <{GRAPH}> {{
            cgr:sme-conference-series cg:participant ?p .
            ?p a cg:Person ; rdfs:label ?name .
            ?pos a cg:Position ; org:member ?p ; cg:roleTitle ?title .
          }}
        }}""",
    )
    assert {(r["name"], r["title"]) for r in found} == {
        ("Gerhard Schroder", "former German Chancellor"),
        ("Martin Schultz", "German Bundestag Member"),
        ("Rudolf Albert Scharping", "former German Defense Minister"),
    }
    schroeder = rows(kg, f"SELECT ?p WHERE {{ GRAPH <{GRAPH}> {{ ?p rdfs:label \"Gerhard Schroder\"@en }} }}")
    assert schroeder == [{"p": CGR + "gerhard-schroeder"}]


def test_martin_schultz_spelling_is_recorded_as_a_probable_slip(kg):
    """Which slips does source 001 contain, and what was probably intended?"""
    found = rows(
        kg,
        f"""
        SELECT ?about ?stated ?intended ?comment ?source WHERE {{
          GRAPH <{GRAPH}> {{
            ?n a cg:SourceNote ; cg:about ?about ; cg:statedValue ?stated ; cg:likelyIntended ?intended ;
               rdfs:comment ?comment ; cg:inSource ?source .
          }}
        }}""",
    )
    assert len(found) == 1
    row = found[0]
    assert (row["about"], row["stated"], row["intended"], row["source"]) == (
        CGR + "martin-schultz", "Martin Schultz", "Martin Schulz", "https://w3id.org/coopgraph/source/" + STEM)
    assert "probably" in row["comment"]


def test_sme_conference_projects_and_investment(kg):
    """How many projects were signed at the conference, with what total investment?"""
    projects = figure(kg, CGC + "001-sme-conference-projects")
    investment = figure(kg, CGC + "001-sme-conference-investment")
    assert (projects["about"], projects["value"], projects["unit"], projects["bound"]) == (
        CGR + "sme-conference-series", 105, CG + "Projects", CG + "Exact")
    assert investment["metric"] == CG + "InvestmentAmount"
    assert Decimal(investment["value"]) == Decimal("47964000000")
    assert (investment["unit"], investment["bound"]) == (CG + "CNY", CG + "Exact")
    years = figure(kg, CGC + "001-sme-conference-years")
    assert (years["metric"], years["value"], years["unit"]) == (CG + "EditionCount", 6, CG + "Years")


def test_sme_conference_renaming_in_2020(kg):
    """When was the conference renamed, from what to what?"""
    found = rows(
        kg,
        f"""
        SELECT ?old ?new ?date ?precision WHERE {{
          GRAPH <{GRAPH}> {{
            ?r a cg:Renaming ; cg:concerns cgr:sme-conference-series ; cg:formerName ?old ; cg:newName ?new ;
               cg:date ?date ; cg:datePrecision ?precision .
          }}
        }}""",
    )
    assert found == [{
        "old": "Sino-German SME Cooperation & Communication Conference",
        "new": "China SME International Cooperation & Communication Conference - 2020 Sino-German (Europe) "
               "SME Cooperation & Communication Conference",
        "date": "2020",
        "precision": CG + "YearPrecision",
    }]


def test_sme_conference_editions_timeline_and_2020_attendance(kg):
    """Which editions does source 001 date, and who attended the 2020 edition?"""
    editions = rows(
        kg,
        f"""
        SELECT ?edition ?date WHERE {{
          GRAPH <{GRAPH}> {{ ?edition a cg:Conference ; cg:partOfSeries cgr:sme-conference-series ;
                                     cg:date ?date ; cg:earliestDate ?earliest }}
        }} ORDER BY ?earliest""",
    )
    assert editions == [
        {"edition": CGR + "sme-conference-2015", "date": "2015"},
        {"edition": CGR + "sme-conference-2020", "date": "2020"},
    ]
    found = rows(
        kg,
        f"""
        SELECT ?metric ?value ?unit ?bound WHERE {{
          GRAPH <{GRAPH}> {{ ?f a cg:Figure ; cg:about cgr:sme-conference-2020 ; cg:metric ?metric ;
                                cg:value ?value ; cg:unit ?unit ; cg:bound ?bound }}
        }}""",
    )
    assert {(r["metric"], r["value"], r["unit"], r["bound"]) for r in found} == {
        (CG + "ParticipatingCompanyCount", 1000, CG + "Companies", CG + "MoreThan"),
        (CG + "GuestCount", 5000, CG + "People", CG + "MoreThan"),
        (CG + "CountryCount", 10, CG + "Countries", CG + "MoreThan"),
    }


def test_jinan_innovation_zone_implied_identity_with_hi_tech_zone(kg):
    """Which graph implies that the Jinan Innovation Zone is Jinan Hi-Tech Zone, and on what grounds?"""
    found = rows(
        kg,
        f"""
        SELECT ?g ?comment (COUNT(DISTINCT ?ev) AS ?evidence) WHERE {{
          GRAPH ?g {{
            cgr:jinan-innovation-zone cg:impliedSameAs cgr:jinan-hi-tech-zone .
            ?claim a cg:ImpliedIdentity ; cg:entity cgr:jinan-innovation-zone , cgr:jinan-hi-tech-zone ;
                   rdfs:comment ?comment ; cg:hasEvidence ?ev .
          }}
        }} GROUP BY ?g ?comment""",
    )
    assert [r["g"] for r in found] == [GRAPH]
    assert found[0]["evidence"] == 2
    assert "Dresden" in found[0]["comment"] and "high-tech" in found[0]["comment"]
    merged = rows(
        kg,
        f"""SELECT ?x WHERE {{ GRAPH <{GRAPH}> {{ cgr:jinan-innovation-zone owl:sameAs ?x }} }}""",
    )
    assert merged == []


def test_plans_announced_by_the_administration_committee(kg):
    """What does the Administration Committee say will happen to the cooperation zone?"""
    found = rows(
        kg,
        f"""
        SELECT ?description ?quote WHERE {{
          GRAPH <{GRAPH}> {{
            ?plan a cg:Plan ; cg:plannedBy cgr:jinan-innovation-zone-administration-committee ;
                  cg:concerns cgr:sino-german-jinan-cooperation-zone ; cg:description ?description ;
                  cg:hasEvidence/oa:hasSelector/oa:exact ?quote .
            FILTER(STRSTARTS(?quote, "According to"))
          }}
        }}""",
    )
    assert len(found) == 1
    assert "world-class Sino-German cooperation zone" in found[0]["description"]

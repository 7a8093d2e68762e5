"""Competency questions over the two language versions of the Jinan–Dresden office history page.

003_5681c03170b8ac75 is the German page ("Geschichte", 2011–2017), 004_2d85bd7537e4600b its
English version (2011–2016). Both use the same IRIs for the same things, so a fact both state
appears in both named graphs (corroboration) and a fact they state differently appears with
different values (disagreement). Every query names its graph(s), so the answers stay true when
other sources are added.
"""

from __future__ import annotations

import datetime as dt


G003 = "https://w3id.org/coopgraph/graph/003_5681c03170b8ac75"
G004 = "https://w3id.org/coopgraph/graph/004_2d85bd7537e4600b"
CG = "https://w3id.org/coopgraph/ontology#"
CGR = "https://w3id.org/coopgraph/id/"

PREFIXES = """
PREFIX cg: <https://w3id.org/coopgraph/ontology#>
PREFIX cgr: <https://w3id.org/coopgraph/id/>
PREFIX cgc: <https://w3id.org/coopgraph/claim/>
PREFIX cgsrc: <https://w3id.org/coopgraph/source/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def ask(kg, body: str) -> list[dict]:
    return kg.sparql(PREFIXES + body)


# --- the Dresden office ------------------------------------------------------------------


def test_dresden_office_opening_date_corroborated_by_both_versions(kg):
    rows = ask(kg, """
        SELECT ?g ?date ?prec WHERE {
          GRAPH ?g { cgr:dresden-office-opening-2013 a cg:Opening ;
                       cg:concerns cgr:dresden-jinan-office ;
                       cg:date ?date ; cg:datePrecision ?prec . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["date"], r["prec"]) for r in rows} == {
        (G003, dt.date(2013, 8, 27), CG + "DayPrecision"),
        (G004, dt.date(2013, 8, 27), CG + "DayPrecision"),
    }


def test_who_attended_the_dresden_office_opening(kg):
    rows = ask(kg, """
        SELECT ?g ?p WHERE {
          GRAPH ?g { cgr:dresden-office-opening-2013 cg:participant ?p . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    by_graph = {g: {r["p"] for r in rows if r["g"] == g} for g in (G003, G004)}
    assert by_graph[G003] == {CGR + "dirk-hilbert", CGR + "lv-jiantao"}
    # the English version adds that Rita Meißner was present
    assert by_graph[G004] == {CGR + "dirk-hilbert", CGR + "lv-jiantao", CGR + "rita-meissner"}


def test_delegation_leader_is_one_person_with_two_spellings(kg):
    rows = ask(kg, """
        SELECT ?g ?label WHERE {
          GRAPH ?g { cgr:dresden-office-opening-2013 cg:delegationLeader ?p .
                     ?p rdfs:label ?label . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["label"]) for r in rows} == {(G003, "Lü Jian Tao"), (G004, "Lv Jiantao")}


def test_company_representatives_at_the_opening(kg):
    rows = ask(kg, """
        SELECT ?g ?value ?unit ?bound WHERE {
          GRAPH ?g { ?f a cg:Figure ; cg:about cgr:dresden-office-opening-2013 ;
                       cg:metric cg:ParticipantCount ; cg:value ?value ; cg:unit ?unit ; cg:bound ?bound . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert sorted((r["g"], r["value"], r["unit"], r["bound"]) for r in rows) == [
        (G003, 30, CG + "People", CG + "MoreThan"),
        (G004, 30, CG + "People", CG + "MoreThan"),
    ]


def test_companies_that_contacted_the_office_since_april_2013(kg):
    rows = ask(kg, """
        SELECT ?g ?value ?bound ?since WHERE {
          GRAPH ?g { ?f cg:about cgr:dresden-jinan-office ; cg:metric cg:ContactCount ;
                       cg:value ?value ; cg:unit cg:Companies ; cg:bound ?bound ; cg:periodStart ?since . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert sorted((r["g"], r["value"], r["bound"], r["since"]) for r in rows) == [
        (G003, 250, CG + "MoreThan", "2013-04"),
        (G004, 250, CG + "MoreThan", "2013-04"),
    ]


def test_office_head_titles_differ_by_language(kg):
    rows = ask(kg, """
        SELECT ?g ?title WHERE {
          GRAPH ?g { ?pos a cg:Position ; org:member cgr:rita-meissner ;
                       org:organization cgr:dresden-jinan-office ; cg:roleTitle ?title . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["title"]) for r in rows} == {
        (G003, "Geschäftsstellenleiterin"),
        (G004, "responsible person"),
    }


# --- agreements ----------------------------------------------------------------------------


def test_letter_of_intent_may_2012_signed_by_hilbert(kg):
    rows = ask(kg, """
        SELECT ?g ?date ?earliest ?latest ?signatory WHERE {
          GRAPH ?g { cgr:dresden-jinan-loi-2012 a cg:LetterOfIntent ; cg:date ?date ;
                       cg:earliestDate ?earliest ; cg:latestDate ?latest ; cg:signatory ?signatory . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    expected = ("2012-05", dt.date(2012, 5, 1), dt.date(2012, 5, 31), CGR + "dirk-hilbert")
    assert sorted((r["g"],) + tuple(r[k] for k in ("date", "earliest", "latest", "signatory")) for r in rows) == [
        (G003,) + expected,
        (G004,) + expected,
    ]


def test_hilbert_is_first_mayor_in_both_versions(kg):
    rows = ask(kg, """
        SELECT ?g ?title WHERE {
          GRAPH ?g { ?pos a cg:Position ; org:member cgr:dirk-hilbert ;
                       org:organization cgr:dresden-city ; cg:roleTitle ?title . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["title"]) for r in rows} == {
        (G003, "1. Bürgermeister"),
        (G004, "First Mayor of Dresden"),
    }


def test_parties_of_the_october_2012_mou(kg):
    rows = ask(kg, """
        SELECT ?g ?party ?label WHERE {
          GRAPH ?g { cgr:tzd-jinan-hi-tech-zone-mou-2012 a cg:MemorandumOfUnderstanding ;
                       cg:date "2012-10"^^xsd:gYearMonth ; cg:party ?party .
                     ?party rdfs:label ?label . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["party"], r["label"]) for r in rows} == {
        (G003, CGR + "technologiezentrum-dresden", "Technologiezentrum Dresden"),
        (G003, CGR + "jinan-hi-tech-zone", "High-Tech Zone Jinan"),
        (G004, CGR + "technologiezentrum-dresden", "Dresden Technology Center"),
        (G004, CGR + "jinan-hi-tech-zone", "Jinan Hi-Tech Zone"),
    }


def test_september_2015_mou_counterpart_named_differently(kg):
    rows = ask(kg, """
        SELECT ?g ?label WHERE {
          GRAPH ?g { cgr:jinan-dresden-mou-2015 cg:party cgr:jinan-hi-tech-zone ,
                                                         cgr:dresden-technology-development-centre ;
                                                cg:date "2015-09"^^xsd:gYearMonth .
                     cgr:dresden-technology-development-centre rdfs:label ?label . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["label"]) for r in rows} == {
        (G003, "Entwicklungszentrum für Wissenschaft & Technik Dresden"),
        (G004, "Dresden Technology Development Center"),
    }


def test_vantaa_mou_january_2016_only_in_english_version(kg):
    rows = ask(kg, """
        SELECT ?g ?party WHERE {
          GRAPH ?g { cgr:jinan-vantaa-mou-2016 a cg:MemorandumOfUnderstanding ;
                       cg:date "2016-01"^^xsd:gYearMonth ; cg:party ?party . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {r["g"] for r in rows} == {G004}
    assert {r["party"] for r in rows} == {
        CGR + "jinan-hi-tech-zone",
        CGR + "vantaa-economic-development",
        CGR + "helsinki-business-hub",
    }


# --- disagreements between the two versions -----------------------------------------------


def test_disagreement_where_the_european_park_was_opened(kg):
    rows = ask(kg, """
        SELECT ?g ?place ?date WHERE {
          GRAPH ?g { cgr:jinan-european-park-inauguration-2013
                       cg:concerns cgr:jinan-european-technology-economy-park ;
                       cg:place ?place ; cg:date ?date . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["place"], r["date"]) for r in rows} == {
        (G003, CGR + "jinan", dt.date(2013, 11, 1)),
        (G004, CGR + "europe", dt.date(2013, 11, 1)),
    }


def test_disagreement_on_german_companies_at_the_2015_fair(kg):
    rows = ask(kg, """
        SELECT ?g ?value ?bound WHERE {
          GRAPH ?g { ?f a cg:Figure ; cg:about cgr:jinan-europe-industry-cooperation-fair-2015 ;
                       cg:metric cg:GermanCompanyCount ; cg:value ?value ; cg:bound ?bound . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["value"], r["bound"]) for r in rows} == {
        (G003, 60, CG + "Exact"),       # "60 deutschen und europäischen Unternehmen"
        (G004, 60, CG + "MoreThan"),    # "more than 60 local enterprises"
    }


def test_jinan_companies_at_the_2015_fair_corroborated(kg):
    rows = ask(kg, """
        SELECT ?g ?value ?bound WHERE {
          GRAPH ?g { ?f a cg:Figure ; cg:about cgr:jinan-europe-industry-cooperation-fair-2015 ;
                       cg:metric cg:ParticipatingCompanyCount ; cg:value ?value ; cg:bound ?bound . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["value"], r["bound"]) for r in rows} == {
        (G003, 20, CG + "MoreThan"),
        (G004, 20, CG + "MoreThan"),
    }


def test_fair_organised_by_the_office_in_dresden(kg):
    rows = ask(kg, """
        SELECT ?g ?label WHERE {
          GRAPH ?g { cgr:jinan-europe-industry-cooperation-fair-2015 a cg:Fair ;
                       cg:organiser cgr:dresden-jinan-office ; cg:place cgr:dresden ; rdfs:label ?label . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["label"]) for r in rows} == {
        (G003, "Jinan-Europa Industrie Kooperations-Event"),
        (G004, "Jinan European Industry Cooperation Fair"),
    }


def test_forum_2014_names_differ_but_place_agrees(kg):
    rows = ask(kg, """
        SELECT ?g ?label ?place WHERE {
          GRAPH ?g { cgr:uusimaa-shandong-business-forum-2014 a cg:Forum ; rdfs:label ?label ;
                       cg:place ?place ; cg:date "2014-08"^^xsd:gYearMonth . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["label"], r["place"]) for r in rows} == {
        (G003, "Neue Land – Shandong Business Forum 2014", CGR + "vantaa"),
        (G004, "Uusimaa - Shandong Business Forum 2014", CGR + "vantaa"),
    }


def test_who_visited_vantaa_in_september_2015(kg):
    rows = ask(kg, """
        SELECT ?g ?visitor ?visited WHERE {
          GRAPH ?g { cgr:vantaa-visit-2015-09 cg:visited ?visited .
                     OPTIONAL { cgr:vantaa-visit-2015-09 cg:visitor ?visitor } }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    got = {(r["g"], r["visitor"], r["visited"]) for r in rows}
    # the German version uses the passive and names no visitor
    assert got == {
        (G003, None, CGR + "vantaa-economic-development"),
        (G003, None, CGR + "finpro"),
        (G004, CGR + "jinan-hi-tech-zone", CGR + "vantaa-economic-development"),
        (G004, CGR + "jinan-hi-tech-zone", CGR + "finpro"),
    }


# --- source slips ---------------------------------------------------------------------------


def test_slips_recorded_in_the_german_version(kg):
    rows = ask(kg, """
        SELECT ?stated ?intended WHERE {
          GRAPH <%s> { ?n a cg:SourceNote ; cg:inSource cgsrc:003_5681c03170b8ac75 ;
                         cg:statedValue ?stated ; cg:likelyIntended ?intended . }
        }""" % G003)
    pairs = {(r["stated"], r["intended"]) for r in rows}
    assert {
        ("Made in China 2015", "Made in China 2025"),
        ("Minsiterium", "Ministerium"),
        ("Koopeartionsprojekten", "Kooperationsprojekten"),
        ("detailiertere", "detailliertere"),
        ("Kommittees", "Komitees"),
        ("Chinese Association for Artifical Intelligence", "Chinese Association for Artificial Intelligence"),
    } <= pairs


def test_made_in_china_2015_slip_is_about_cimic_2016(kg):
    rows = ask(kg, """
        SELECT ?about WHERE {
          GRAPH <%s> { ?n a cg:SourceNote ; cg:statedValue "Made in China 2015" ; cg:about ?about . }
        }""" % G003)
    assert [r["about"] for r in rows] == [CGR + "cimic-2016"]


def test_slips_recorded_in_the_english_version(kg):
    rows = ask(kg, """
        SELECT ?n ?stated ?intended WHERE {
          GRAPH <%s> { ?n a cg:SourceNote ; cg:inSource cgsrc:004_2d85bd7537e4600b ;
                         cg:statedValue ?stated ; cg:likelyIntended ?intended . }
        }""" % G004)
    got = {r["stated"]: r["intended"] for r in rows}
    assert got["former German Prime Minister"] == "former German Chancellor"
    assert got["industrial hotpots"] == "industrial hotspots"
    assert any("Wang Wentao" in stated for stated in got)


def test_schroeder_title_per_version(kg):
    rows = ask(kg, """
        SELECT ?g ?title WHERE {
          GRAPH ?g { cgr:cimic-2016 cg:participant cgr:gerhard-schroeder .
                     ?pos org:member cgr:gerhard-schroeder ; cg:roleTitle ?title . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["title"]) for r in rows} == {
        (G003, "Bundeskanzler a. D."),
        (G004, "former German Prime Minister"),
    }


# --- offices abroad, conferences, 2017 -------------------------------------------------------


def test_vantaa_office_opened_september_2016_in_vantaa(kg):
    rows = ask(kg, """
        SELECT ?g ?date ?office WHERE {
          GRAPH ?g { cgr:vantaa-office-opening-2016 cg:concerns ?office ; cg:place cgr:vantaa ; cg:date ?date .
                     ?office cg:locatedIn cgr:vantaa .
                     cgr:vantaa cg:locatedIn cgr:finland . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["date"], r["office"]) for r in rows} == {
        (G003, "2016-09", CGR + "jinan-vantaa-office"),
        (G004, "2016-09", CGR + "jinan-vantaa-office"),
    }


def test_stuttgart_innovation_centre_figures_and_location(kg):
    figures = ask(kg, """
        SELECT ?metric ?value ?unit WHERE {
          GRAPH <%s> { ?f cg:about cgr:jinan-stuttgart-innovation-centre ; cg:metric ?metric ;
                         cg:value ?value ; cg:unit ?unit ; cg:bound cg:Exact . }
        }""" % G003)
    assert {(r["metric"], r["value"], r["unit"]) for r in figures} == {
        (CG + "CompanyCount", 16, CG + "Companies"),
        (CG + "WorkplaceCount", 30, CG + "Workplaces"),
    }
    where = ask(kg, """
        SELECT ?g ?place WHERE {
          GRAPH ?g { cgr:jinan-stuttgart-innovation-centre cg:locatedIn ?place . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    # only the English version says where the centre is
    assert {(r["g"], r["place"]) for r in where} == {(G004, CGR + "stuttgart")}


def test_wang_wentao_posts_in_the_german_version(kg):
    rows = ask(kg, """
        SELECT ?title WHERE {
          GRAPH <%s> { cgr:stuttgart-innovation-centre-opening-2016 cg:participant cgr:wang-wentao .
                       ?pos a cg:Position ; org:member cgr:wang-wentao ; cg:roleTitle ?title . }
        }""" % G003)
    assert {r["title"] for r in rows} == {
        "höchste Repräsentant der Stadt Jinan",
        "Mitglied des ständigen Kommittees der Provinz Shandong",
        "Sekretär des Stadtkommittees der KPC von Jinan",
    }


def test_hosts_of_cimic_2016_and_its_series(kg):
    rows = ask(kg, """
        SELECT ?host WHERE {
          GRAPH <%s> { cgr:cimic-2016 cg:host ?host ; cg:partOfSeries cgr:sme-conference-series ;
                         cg:place cgr:jinan ; cg:date "2016-11"^^xsd:gYearMonth . }
        }""" % G003)
    assert {r["host"] for r in rows} == {
        CGR + "jinan-municipal-government",
        CGR + "chinese-association-for-artificial-intelligence",
        CGR + "china-innovation-alliance-of-intelligent-robotics",
    }


def test_cooperation_zone_approved_31_may_2017_by_miit(kg):
    rows = ask(kg, """
        SELECT ?g ?date ?prec ?by WHERE {
          GRAPH ?g { ?e a cg:Approval ; cg:concerns cgr:sino-german-jinan-cooperation-zone ;
                       cg:date ?date ; cg:datePrecision ?prec ; cg:organiser ?by . }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert [(r["g"], r["date"], r["prec"], r["by"]) for r in rows] == [
        (G003, dt.date(2017, 5, 31), CG + "DayPrecision", CGR + "miit"),
    ]


def test_english_version_timeline_of_2016(kg):
    rows = ask(kg, """
        SELECT ?e ?earliest WHERE {
          GRAPH <%s> { ?e cg:earliestDate ?earliest . FILTER (?e NOT IN (cgr:jinan-vantaa-mou-2016)) }
          FILTER (?earliest >= "2016-01-01"^^xsd:date && ?earliest <= "2016-12-31"^^xsd:date)
          FILTER (STRSTARTS(STR(?e), STR(cgr:)))
        } ORDER BY ?earliest ?e""" % G004)
    assert [r["e"].removeprefix(CGR) for r in rows] == [
        "jinan-vantaa-office-plan",
        "jinan-european-incubator-plan",
        "jinan-hi-tech-zone-germany-visit-2016-04",
        "xu-qun-vantaa-visit-2016-07",
        "stuttgart-innovation-centre-opening-2016",
        "vantaa-office-opening-2016",
        "cimic-2016",
        "valanta-jinan-visit-2016-12",
    ]


def test_exchange_between_the_cities_dated_only_in_the_german_version(kg):
    rows = ask(kg, """
        SELECT ?g ?date WHERE {
          GRAPH ?g { cgr:dresden-jinan-exchange cg:participant cgr:dresden-city , cgr:jinan-municipal-government .
                     OPTIONAL { cgr:dresden-jinan-exchange cg:date ?date } }
          FILTER (?g IN (<%s>, <%s>))
        }""" % (G003, G004))
    assert {(r["g"], r["date"]) for r in rows} == {(G003, "2011"), (G004, None)}


# --- evidence -------------------------------------------------------------------------------


def test_office_opening_quote_in_english_version(kg):
    rows = ask(kg, """
        SELECT ?exact WHERE {
          GRAPH <%s> { cgr:dresden-office-opening-2013 cg:hasEvidence ?ev .
                       ?ev oa:hasSelector [ oa:exact ?exact ] . }
        }""" % G004)
    quotes = {r["exact"] for r in rows}
    assert any(q.startswith("On 27 August 2013, Dresden Office was officially opened") for q in quotes)

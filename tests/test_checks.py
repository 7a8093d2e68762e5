"""`coopgraph check`: the quality rules of queries/checks/ pass on the shipped data, and each
rule reports the defect it is written for, naming the source file, with the right exit code.

Helpers and the autouse fixtures (originals untouched, private reasoning cache) come from
test_validate.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

import coopgraph
from coopgraph.checks import expected_bounds, load_rules, parse_rule
from coopgraph.errors import QueryDefinitionError
from coopgraph.namespaces import CG, CGR, OA
from coopgraph.stores.compare import comparable
from test_validate import (  # noqa: F401  (the two fixtures are used by being imported)
    XSD,
    load_source,
    originals_untouched,
    pick,
    private_cache,
    rel,
    run_cli,
    save_source,
    short,
    source_files,
    subclasses,
    ontology_graph,
)


def rule_section(out: str, name: str) -> str:
    """The lines a check report prints for one rule (its header line and its table)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"Rule {name}:"))
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        block.append(line)
    return "\n".join(block)


def check(capsys: pytest.CaptureFixture[str], root: Path, *rules: str, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    argv = ["--data", str(root), "check", *extra]
    for rule in rules:
        argv += ["--rule", rule]
    code, out, err = run_cli(capsys, *argv)
    assert code != 2, err
    return code, out


# ------------------------------------------------------------------------------------------
# the rules themselves and the shipped data
# ------------------------------------------------------------------------------------------


def test_rule_files_are_well_formed(kg: coopgraph.KnowledgeGraph) -> None:
    rules = load_rules(kg.layout)
    names = {r.name for r in rules}
    required = {
        "quote-not-in-source",
        "entity-without-label",
        "event-without-date",
        "dangling-iri",
        "evidence-source-not-in-catalog",
        "duplicate-label",
        "resource-described-only-by-inferences",
        "unknown-class",
        "impossible-date",
        "figure-without-unit",
    }
    assert required <= names
    for rule in rules:
        assert rule.path.stem == rule.name
        assert rule.severity in ("ERROR", "WARN", "INFO")
        assert len(rule.description) > 40
        assert "PREFIX cg:" in rule.query  # runnable outside coopgraph too


def test_shipped_data_passes_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check")
    assert code == 0, out + err
    for rule in load_rules(coopgraph.load(reason=False).layout):
        header = rule_section(out, rule.name).splitlines()[0]
        if rule.severity == "ERROR":
            assert header == f"Rule {rule.name}: 0 violation(s) [ERROR]", rule_section(out, rule.name)
    assert "0 error row(s)" in out


def test_python_api(kg: coopgraph.KnowledgeGraph) -> None:
    report = kg.check(rules=["quote-not-in-source", "event-without-date"])
    assert [r.name for r in report] == ["event-without-date", "quote-not-in-source"]
    assert not report.failed("error")
    assert len(report["quote-not-in-source"]) == 0
    for row in report["event-without-date"].rows:
        assert row["source_file"].startswith("data/sources/")
    document = json.loads(report.to_json())
    assert document["conforms"] is True


@pytest.mark.parametrize(
    "stated, first, last",
    [
        (Literal("2013-08-27", datatype=XSD.date), date(2013, 8, 27), date(2013, 8, 27)),
        (Literal("2016-02", datatype=XSD.gYearMonth), date(2016, 2, 1), date(2016, 2, 29)),
        (Literal("2015-09", datatype=XSD.gYearMonth), date(2015, 9, 1), date(2015, 9, 30)),
        (Literal("2013", datatype=XSD.gYear), date(2013, 1, 1), date(2013, 12, 31)),
    ],
)
def test_expected_bounds(stated: Literal, first: date, last: date) -> None:
    assert expected_bounds(stated) == (first, last)


@pytest.mark.parametrize(
    "stated",
    [
        Literal("2015-13", datatype=XSD.gYearMonth),
        Literal("2013-02-30", datatype=XSD.date),
        Literal("13", datatype=XSD.gYear),
        Literal("2013"),
    ],
)
def test_expected_bounds_of_invalid_dates(stated: Literal) -> None:
    assert expected_bounds(stated) is None


# ------------------------------------------------------------------------------------------
# one defect at a time
# ------------------------------------------------------------------------------------------


def test_quote_not_in_source(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, selector = pick(data_copy, lambda g: list(g.subjects(RDF.type, OA.TextQuoteSelector)))
    evidence = graph.value(predicate=OA.hasSelector, object=selector)
    exact = str(graph.value(selector, OA.exact))
    graph.set((selector, OA.exact, Literal("Reportedly " + exact)))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "quote-not-in-source")
    assert code == 1
    section = rule_section(out, "quote-not-in-source")
    assert section.splitlines()[0] == "Rule quote-not-in-source: 1 violation(s) [ERROR]"
    assert rel(path, data_copy) in section
    assert short(evidence) in section
    assert "quote not found anywhere in the source text" in section
    # SHACL cannot see this one: the quote is well formed
    assert run_cli(capsys, "--data", str(data_copy), "validate")[0] == 0


def test_quote_at_wrong_offsets(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, selector = pick(data_copy, lambda g: list(g.subjects(RDF.type, OA.TextPositionSelector)))
    start, end = graph.value(selector, OA.start).toPython(), graph.value(selector, OA.end).toPython()
    graph.set((selector, OA.start, Literal(start + 1)))
    graph.set((selector, OA.end, Literal(end + 1)))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "quote-not-in-source")
    assert code == 1
    section = rule_section(out, "quote-not-in-source")
    assert rel(path, data_copy) in section
    assert f"quote is not at offsets [{start + 1}, {end + 1}); it occurs at: {start} {end}" in section


def test_missing_corpus_file(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path = source_files(data_copy)[0]
    (data_copy / "data" / "corpus" / f"{path.stem}.txt").unlink()

    code, out = check(capsys, data_copy, "quote-not-in-source")
    assert code == 1
    section = rule_section(out, "quote-not-in-source")
    assert f"corpus file data/corpus/{path.stem}.txt is missing" in section
    assert rel(path, data_copy) in section


def test_entity_without_label(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, entity = pick(
        data_copy, lambda g: [s for s in g.subjects(RDFS.label, None) if str(s).startswith(str(CGR))]
    )
    graph.remove((entity, RDFS.label, None))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "entity-without-label")
    assert code == 1
    section = rule_section(out, "entity-without-label")
    assert section.splitlines()[0] == "Rule entity-without-label: 1 violation(s) [ERROR]"
    assert rel(path, data_copy) in section and short(entity) in section


def test_event_without_date(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, evidence = pick(data_copy, lambda g: list(g.subjects(RDF.type, CG.Evidence)))
    event = CGR["undated-test-meeting"]
    graph.add((event, RDF.type, CG.Meeting))
    graph.add((event, RDFS.label, Literal("an undated meeting", lang="en")))
    graph.add((event, CG.hasEvidence, evidence))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "event-without-date")
    assert code == 0  # a warning: the truth rules forbid inventing a date
    section = rule_section(out, "event-without-date")
    assert "[WARN]" in section.splitlines()[0]
    assert short(event) in section and rel(path, data_copy) in section
    code, _ = check(capsys, data_copy, "event-without-date", extra=("--fail-on", "warn"))
    assert code == 1


def test_dangling_iri(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, event = pick(data_copy, lambda g: list(g.subjects(CG.place, None)))
    graph.remove((event, CG.place, None))
    graph.add((event, CG.place, CGR["no-such-place"]))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "dangling-iri")
    assert code == 1
    section = rule_section(out, "dangling-iri")
    assert section.splitlines()[0] == "Rule dangling-iri: 1 violation(s) [ERROR]"
    assert "cgr:no-such-place" in section and short(event) in section and rel(path, data_copy) in section


def test_unknown_class(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(data_copy, lambda g: list(g.subjects(RDF.type, CG.Company)))
    graph.remove((node, RDF.type, CG.Company))
    graph.add((node, RDF.type, CG.Compnay))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "unknown-class")
    assert code == 1
    section = rule_section(out, "unknown-class")
    assert "cg:Compnay" in section and short(node) in section and rel(path, data_copy) in section


def test_unknown_property(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, (event, person) = pick(data_copy, lambda g: list(g.subject_objects(CG.participant)))
    graph.remove((event, CG.participant, person))
    graph.add((event, CG.partcipant, person))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "unknown-property")
    assert code == 1
    section = rule_section(out, "unknown-property")
    assert "cg:partcipant" in section and rel(path, data_copy) in section


def test_evidence_source_not_in_catalog(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, evidence = pick(data_copy, lambda g: list(g.subjects(OA.hasSource, None)))
    graph.set((evidence, OA.hasSource, URIRef("https://w3id.org/coopgraph/source/999_unknown")))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "evidence-source-not-in-catalog", "quote-not-in-source", "evidence-in-wrong-graph")
    assert code == 1
    for name in ("evidence-source-not-in-catalog", "quote-not-in-source", "evidence-in-wrong-graph"):
        section = rule_section(out, name)
        assert short(evidence) in section and rel(path, data_copy) in section, name
    assert "not in the catalog" in rule_section(out, "quote-not-in-source")


def test_impossible_and_inconsistent_dates(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(
        data_copy, lambda g: [s for s, d in g.subject_objects(CG.date) if d.datatype == XSD.gYearMonth]
    )
    earliest, latest = graph.value(node, CG.earliestDate), graph.value(node, CG.latestDate)
    graph.set((node, CG.earliestDate, latest))
    graph.set((node, CG.latestDate, earliest))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "impossible-date", "date-bounds-mismatch")
    assert code == 1
    for name in ("impossible-date", "date-bounds-mismatch"):
        section = rule_section(out, name)
        assert short(node) in section and rel(path, data_copy) in section, name
    assert f"cg:earliestDate should be {earliest}" in rule_section(out, "date-bounds-mismatch")


def test_month_bounds_off_by_one(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(
        data_copy, lambda g: [s for s, d in g.subject_objects(CG.date) if d.datatype == XSD.gYearMonth]
    )
    stated = graph.value(node, CG.date)
    first, last = expected_bounds(stated)
    graph.set((node, CG.latestDate, Literal(last.replace(day=last.day - 1).isoformat(), datatype=XSD.date)))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "date-bounds-mismatch")
    assert code == 1
    assert f"cg:latestDate should be {last.isoformat()}" in rule_section(out, "date-bounds-mismatch")
    # SHACL sees nothing wrong: the bound is a valid date, before the latest
    assert run_cli(capsys, "--data", str(data_copy), "validate")[0] == 0


def test_figure_without_unit(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, figure = pick(data_copy, lambda g: list(g.subjects(CG.unit, None)))
    graph.remove((figure, CG.unit, None))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "figure-without-unit")
    assert code == 1
    section = rule_section(out, "figure-without-unit")
    assert short(figure) in section and "cg:unit" in section and rel(path, data_copy) in section


def test_duplicate_label(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    companies = subclasses(ontology_graph(data_copy), CG.Organisation) | {CG.Organisation}
    path, graph, _ = pick(
        data_copy, lambda g: [s for s in g.subjects(RDF.type, None) if set(g.objects(s, RDF.type)) & companies]
    )
    orgs = sorted({s for s in graph.subjects(RDF.type, None) if set(graph.objects(s, RDF.type)) & companies}, key=str)
    first, second = orgs[0], orgs[1]
    label = next(l for l in graph.objects(first, RDFS.label) if l.language == "en")
    graph.remove((second, RDFS.label, Literal(str(graph.value(second, RDFS.label)), lang="en")))
    graph.add((second, RDFS.label, label))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "duplicate-label")
    assert code == 0  # a warning
    section = rule_section(out, "duplicate-label")
    assert short(first) in section and short(second) in section


def test_integer_subtype_literal(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, figure = pick(data_copy, lambda g: list(g.subjects(CG.value, None)))
    value = graph.value(figure, CG.value)
    graph.remove((figure, CG.value, None))
    graph.add((figure, CG.value, Literal(str(value), datatype=XSD.nonNegativeInteger)))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "integer-subtype-literal")
    assert code == 0  # a warning
    section = rule_section(out, "integer-subtype-literal")
    assert section.splitlines()[0] == "Rule integer-subtype-literal: 1 violation(s) [WARN]"
    assert short(figure) in section and "cg:value" in section and rel(path, data_copy) in section
    assert check(capsys, data_copy, "integer-subtype-literal", extra=("--fail-on", "warn"))[0] == 1


def test_oxigraph_still_turns_integer_subtypes_into_integer() -> None:
    """Why integer-subtype-literal exists: should Oxigraph keep these datatypes one day, drop the rule."""
    ox = pytest.importorskip("pyoxigraph")
    store = ox.Store()
    for name in ("int", "long", "nonNegativeInteger", "unsignedByte"):
        literal = ox.Literal("7", datatype=ox.NamedNode(str(XSD[name])))
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode(f"urn:x:{name}"), literal))
    kept = {quad.predicate.value[6:]: quad.object.datatype.value for quad in store}
    assert kept == {name: str(XSD.integer) for name in ("int", "long", "nonNegativeInteger", "unsignedByte")}


def test_unused_evidence(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, evidence = pick(data_copy, lambda g: list(g.subjects(RDF.type, CG.Evidence)))
    graph.remove((None, CG.hasEvidence, evidence))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "unused-evidence")
    assert code == 0
    section = rule_section(out, "unused-evidence")
    assert short(evidence) in section and rel(path, data_copy) in section
    assert check(capsys, data_copy, "unused-evidence", extra=("--fail-on", "warn"))[0] == 1


def test_claim_in_several_sources(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    first, second = source_files(data_copy)[:2]
    graph_a, graph_b = load_source(first), load_source(second)
    figure = sorted(graph_a.subjects(RDF.type, CG.Figure), key=str)[0]
    graph_b.add((figure, RDF.type, CG.Figure))
    graph_b.add((figure, RDFS.label, graph_a.value(figure, RDFS.label)))
    save_source(second, graph_b)

    code, out = check(capsys, data_copy, "claim-in-several-sources")
    assert code == 1
    assert short(figure) in rule_section(out, "claim-in-several-sources")


def test_resource_described_only_by_inferences(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    """A link to an undescribed place: OWL-RL types it from the range of cg:place, nothing else does."""
    path, graph, event = pick(data_copy, lambda g: list(g.subjects(CG.place, None)))
    graph.add((event, CG.place, CGR["ghost-town"]))
    save_source(path, graph)

    code, out = check(capsys, data_copy, "resource-described-only-by-inferences", "dangling-iri")
    assert code == 1  # dangling-iri is an ERROR; the inference rule only warns
    assert "cgr:ghost-town" in rule_section(out, "resource-described-only-by-inferences")
    assert "cgr:ghost-town" in rule_section(out, "dangling-iri")


def test_broken_turtle_fails_check_with_usage_error(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path = source_files(data_copy)[0]
    path.write_text(path.read_text(encoding="utf-8") + "\ncgr:x cg:place .\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--data", str(data_copy), "check")
    assert code == 2
    assert str(path) in err and "line" in err


def test_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "check", "--rule", "dangling-iris")
    assert code == 2
    assert "did you mean dangling-iri" in err


def test_malformed_rule_header(capsys: pytest.CaptureFixture[str], data_copy: Path, tmp_path: Path) -> None:
    bad = data_copy / "queries" / "checks" / "bad-rule.rq"
    bad.write_text("#+ name: bad-rule\n#+ severity: FATAL\n#+ description: x\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryDefinitionError, match="severity"):
        parse_rule(bad)
    code, _, err = run_cli(capsys, "--data", str(data_copy), "check")
    assert code == 2 and "bad-rule.rq" in err


def test_check_json(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, event = pick(data_copy, lambda g: list(g.subjects(CG.place, None)))
    graph.set((event, CG.place, CGR["no-such-place"]))
    save_source(path, graph)
    code, out, _ = run_cli(capsys, "--data", str(data_copy), "check", "--rule", "dangling-iri", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["conforms"] is False
    (rule,) = document["rules"]
    assert rule["name"] == "dangling-iri" and rule["violations"] >= 1
    assert any(row["source_file"] == rel(path, data_copy) for row in rule["rows"])


# ------------------------------------------------------------------------------------------
# the same rules answered in Oxigraph
# ------------------------------------------------------------------------------------------


def _break_several_rules(root: Path) -> dict[str, str]:
    """Seed defects for several rules into ``root``; the rule names with a term each must report."""
    path, graph, selector = pick(root, lambda g: list(g.subjects(RDF.type, OA.TextQuoteSelector)))
    graph.set((selector, OA.exact, Literal("Reportedly " + str(graph.value(selector, OA.exact)))))
    save_source(path, graph)
    path, graph, event = pick(root, lambda g: list(g.subjects(CG.place, None)))
    graph.add((event, CG.place, CGR["ghost-town"]))
    save_source(path, graph)
    path, graph, _ = pick(root, lambda g: list(g.subjects(RDF.type, CG.Company)))
    graph.add((CGR["nameless-firm"], RDF.type, CG.Company))
    save_source(path, graph)
    path, graph, node = pick(root, lambda g: list(g.subjects(RDF.type, CG.Company)))
    graph.remove((node, RDF.type, CG.Company))
    graph.add((node, RDF.type, CG.Compnay))
    label = next(iter(graph.objects(next(s for s in graph.subjects(RDF.type, CG.Zone)), RDFS.label)))
    graph.add((node, RDFS.label, label))  # a company named like a zone
    save_source(path, graph)
    return {
        "quote-not-in-source": "",
        "dangling-iri": "ghost-town",
        "resource-described-only-by-inferences": "ghost-town",
        "entity-without-label": "nameless-firm",
        "unknown-class": "Compnay",
        "duplicate-label": str(label),
    }


def _plain(report) -> dict[str, tuple]:
    return {r.name: (sorted(comparable(r.result).items(), key=repr), sorted(map(str, r.source_files))) for r in report}


@pytest.mark.slow
def test_every_rule_gives_the_same_rows_on_an_oxigraph_store(data_copy: Path, tmp_path: Path) -> None:
    """On an Oxigraph store the rules run in Oxigraph (on a copy of its asserted graphs); same
    rows and files as in rdflib, shipped data and seeded defects alike."""
    pytest.importorskip("pyoxigraph")
    from coopgraph.checks import run_checks
    from coopgraph.cli import main

    expected = _break_several_rules(data_copy)
    store = tmp_path / "store"
    assert main(["--data", str(data_copy), "build", str(store)]) == 0
    memory = run_checks(coopgraph.load(data_copy, reasoner="fast", cache=False))
    oxigraph = run_checks(coopgraph.load(data_copy, store="oxigraph", store_path=store))
    assert _plain(oxigraph) == _plain(memory)
    for name, term in expected.items():
        rows = oxigraph[name].rows
        assert rows, name
        assert any(term in str(row) for row in rows), (name, term, rows)


@pytest.mark.slow
def test_every_rule_gives_the_same_rows_on_a_sparql_endpoint(data_copy: Path, tmp_path: Path) -> None:
    """On an endpoint the rules run in Oxigraph too (at the endpoint when they ask for
    reasoning, else on a copy of its asserted graphs); same rows and files as in rdflib."""
    pytest.importorskip("pyoxigraph")
    import sys

    from coopgraph.checks import run_checks
    from coopgraph.stores.sparql_store import push

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from oxigraph_server import oxigraph_binary, oxigraph_server
    finally:
        sys.path.pop(0)
    if oxigraph_binary() is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install oxigraph, part of the test extra)")
    expected = _break_several_rules(data_copy)
    local = coopgraph.load(data_copy, reasoner="fast", cache=False)
    memory = run_checks(local)
    with oxigraph_server(tmp_path / "server") as server:
        push(((name, local.store.ntriples(name)) for name in local.graph_names()), f"{server.url}/store",
             default_graph=True)
        remote = run_checks(coopgraph.load(data_copy, store="sparql", endpoint=f"{server.url}/query"))
    assert _plain(remote) == _plain(memory)
    for name, term in expected.items():
        assert any(term in str(row) for row in remote[name].rows), (name, term)

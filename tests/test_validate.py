"""`coopgraph validate`: the shipped data conforms, and each kind of defect is reported.

Every defect test copies the shipped data (``data_copy``), breaks one source file in one way,
runs the command line in-process, and asserts which shape fires, that the report names the
broken file, and the exit code. The repository's own files are hashed before and after each
test and must not change.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Callable, Iterator

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

import coopgraph
from coopgraph.cli import main
from coopgraph.namespaces import CG, CGR, OA, PREFIXES, SH
from coopgraph.resources import data_root

REPO_ROOT = Path(__file__).resolve().parent.parent
SHAPES_NS = "https://w3id.org/coopgraph/shapes#"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes


# ------------------------------------------------------------------------------------------
# helpers (test_checks.py imports them)
# ------------------------------------------------------------------------------------------


def tree_digest(root: Path) -> str:
    """A digest of every file under ontology/, data/ and queries/ (names and bytes)."""
    digest = hashlib.sha256()
    for part in ("ontology", "data", "queries"):
        for path in sorted((root / part).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``coopgraph ARGV`` in-process; return (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def short(iri: URIRef) -> str:
    text = str(iri)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return f"<{text}>"


def source_files(root: Path) -> list[Path]:
    return sorted((root / "data" / "sources").glob("*.ttl"))


def load_source(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def save_source(path: Path, graph: Graph) -> None:
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")


def ontology_graph(root: Path) -> Graph:
    graph = Graph()
    graph.parse(root / "ontology" / "coopgraph.ttl", format="turtle")
    return graph


def subclasses(ontology: Graph, top: URIRef) -> set[URIRef]:
    return {c for c in ontology.transitive_subjects(RDFS.subClassOf, top) if isinstance(c, URIRef)}


def pick(root: Path, choose: Callable[[Graph], list]) -> tuple[Path, Graph, object]:
    """The first source file (sorted) in which ``choose`` finds candidates, and the first candidate."""
    for path in source_files(root):
        graph = load_source(path)
        candidates = sorted(choose(graph), key=str)
        if candidates:
            return path, graph, candidates[0]
    pytest.fail("no source file has what this test needs")


def rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def report_block(out: str, file_rel: str) -> str:
    """The part of a text report that lists the results of one file."""
    lines = out.splitlines()
    assert file_rel in lines, f"the report has no section for {file_rel}:\n{out}"
    start = lines.index(file_rel) + 1
    block = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        block.append(line)
    return "\n".join(block)


@pytest.fixture(autouse=True)
def originals_untouched() -> Iterator[None]:
    """The repository's ontology, data and queries are the same after the test as before."""
    root = data_root()
    before = tree_digest(root)
    yield
    assert tree_digest(root) == before, "a test changed the repository's own files"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reasoned datasets of broken copies go to a throw-away cache, not the user's."""
    monkeypatch.setenv("COOPGRAPH_CACHE_DIR", str(tmp_path / "cache"))


# ------------------------------------------------------------------------------------------
# the shipped data
# ------------------------------------------------------------------------------------------


def test_shipped_data_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "validate")
    assert code == 0, out
    assert re.search(r"Summary: 0 violation\(s\), \d+ warning\(s\), \d+ info\(s\) in \d+ of \d+ file\(s\); the data conforms\.", out)


def test_every_input_file_is_validated(kg: coopgraph.KnowledgeGraph) -> None:
    report = kg.validate()
    expected = {"data/catalog.ttl", "data/places.ttl"} | {rel(p, kg.layout.root) for p in source_files(kg.layout.root)}
    assert set(report.files) == expected
    assert report.conforms


def test_report_api_and_formats(kg: coopgraph.KnowledgeGraph) -> None:
    report = kg.validate()
    for result in report:
        assert result.severity in ("Violation", "Warning", "Info")
        assert result.source_file in report.files or "," in result.source_file
        assert result.message
    document = json.loads(report.to_json())
    assert document["conforms"] is True
    assert document["counts"]["Violation"] == 0
    graph = report.report_graph
    assert (None, SH.conforms, Literal(True)) in graph


def test_shapes_cover_every_class_the_data_uses(kg: coopgraph.KnowledgeGraph) -> None:
    """Every cg: class instantiated in a source graph is targeted by a shape, directly or via a superclass."""
    shapes = Graph().parse(kg.layout.shapes_file, format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    ontology = kg.dataset.graph(coopgraph.namespaces.GRAPH_ONTOLOGY)
    used = set()
    for name in kg.source_graph_names():
        used |= {o for o in kg.dataset.graph(name).objects(None, RDF.type) if str(o).startswith(str(CG))}
    uncovered = {c for c in used if not (set(ontology.transitive_objects(c, RDFS.subClassOf)) & targeted)}
    assert not uncovered, f"classes without a shape: {sorted(uncovered)}"


def test_every_shape_has_an_iri_and_a_message(kg: coopgraph.KnowledgeGraph) -> None:
    shapes = Graph().parse(kg.layout.shapes_file, format="turtle")
    named = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    targets = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode) for s in shapes.subjects(p, None)}
    for shape in named | targets:
        assert isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS), shape
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
    assert not list(shapes.subjects(SH.sparql, None)), "the shapes use only SHACL Core"


def test_validation_is_deterministic(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(data_copy, lambda g: list(g.subjects(CG.value, None)))
    graph.set((node, CG.value, Literal("many")))
    save_source(path, graph)
    first = run_cli(capsys, "--data", str(data_copy), "validate")
    second = run_cli(capsys, "--data", str(data_copy), "validate")
    assert first == second


# ------------------------------------------------------------------------------------------
# one defect at a time
# ------------------------------------------------------------------------------------------


def _event_classes(root: Path) -> set[URIRef]:
    ontology = ontology_graph(root)
    return subclasses(ontology, CG.Event) | subclasses(ontology, CG.Agreement)


def test_missing_evidence(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    events = _event_classes(data_copy)
    path, graph, event = pick(
        data_copy, lambda g: [s for s in g.subjects(CG.hasEvidence, None) if set(g.objects(s, RDF.type)) & events]
    )
    graph.remove((event, CG.hasEvidence, None))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(event)}" in block
    assert "cgsh:FactEvidenceShape-hasEvidence" in block
    assert "path:    cg:hasEvidence" in block


def test_malformed_date(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(
        data_copy, lambda g: [s for s, d in g.subject_objects(CG.date) if d.datatype == XSD.gYearMonth]
    )
    graph.set((node, CG.date, Literal("2015-13", datatype=XSD.gYearMonth)))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(node)}" in block
    assert "cgsh:StatedDateShape-lexical" in block
    assert '"2015-13"^^xsd:gYearMonth' in block


def test_invalid_day_date(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(data_copy, lambda g: [s for s, d in g.subject_objects(CG.date) if d.datatype == XSD.date])
    graph.set((node, CG.date, Literal("2013-02-30", datatype=XSD.date)))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(node)}" in block
    assert "cgsh:StatedDateShape-datatype" in block  # 30 February is not a valid xsd:date


def test_impossible_date(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(
        data_copy,
        lambda g: [s for s, d in g.subject_objects(CG.date) if d.datatype == XSD.gYear and g.value(s, CG.earliestDate)],
    )
    earliest, latest = graph.value(node, CG.earliestDate), graph.value(node, CG.latestDate)
    graph.set((node, CG.earliestDate, latest))
    graph.set((node, CG.latestDate, earliest))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(node)}" in block
    assert "cgsh:DateBoundsShape-order" in block
    assert "impossible date" in block


def test_date_precision_must_match_datatype(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(data_copy, lambda g: [s for s, d in g.subject_objects(CG.date) if d.datatype == XSD.gYear])
    graph.set((node, CG.datePrecision, CG.DayPrecision))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    assert "cgsh:DatePrecisionConsistencyShape" in report_block(out, rel(path, data_copy))


def test_wrong_datatype(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, figure = pick(data_copy, lambda g: list(g.subjects(CG.value, None)))
    value = graph.value(figure, CG.value)
    graph.set((figure, CG.value, Literal(str(value))))  # the number as a string
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(figure)}" in block
    assert "cgsh:FigureShape-value" in block
    assert f'value:   "{value}"' in block


def test_wrong_offset_datatype(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, selector = pick(data_copy, lambda g: list(g.subjects(RDF.type, OA.TextPositionSelector)))
    start = graph.value(selector, OA.start)
    graph.set((selector, OA.start, Literal(str(start))))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert "cgsh:TextPositionSelectorShape-start" in block
    assert "oa:hasSelector [ a oa:TextPositionSelector ]" in block  # a blank node shown through its owner


def test_missing_label(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    organisations = subclasses(ontology_graph(data_copy), CG.Organisation)
    path, graph, org = pick(
        data_copy, lambda g: [s for s in g.subjects(RDFS.label, None) if set(g.objects(s, RDF.type)) & organisations]
    )
    graph.remove((org, RDFS.label, None))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(org)}\n" in block + "\n"  # no label in this file to print after the name
    assert "cgsh:LabelShape-required" in block


def test_unknown_class(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, node = pick(data_copy, lambda g: list(g.subjects(RDF.type, CG.Company)))
    graph.remove((node, RDF.type, CG.Company))
    graph.add((node, RDF.type, CG.Compnay))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert "Violation: cg:Compnay" in block
    assert "cgsh:DeclaredTypeShape" in block


def test_dangling_link(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, event = pick(data_copy, lambda g: list(g.subjects(CG.place, None)))
    graph.remove((event, CG.place, None))
    graph.add((event, CG.place, CGR["no-such-place"]))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(event)}" in block
    assert "cgsh:PlaceLinkShape-place" in block
    assert "value:   cgr:no-such-place" in block


def test_dangling_evidence_link(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, fact = pick(data_copy, lambda g: list(g.subjects(CG.hasEvidence, None)))
    graph.add((fact, CG.hasEvidence, URIRef("https://w3id.org/coopgraph/evidence/999-01")))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert "cgsh:HasEvidenceLinkShape-class" in block
    assert "Violation: cgev:999-01" in block  # the missing evidence node itself: no source, no quote
    assert "cgsh:EvidenceShape-source" in block


def test_evidence_from_unknown_source(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, evidence = pick(data_copy, lambda g: list(g.subjects(OA.hasSource, None)))
    graph.set((evidence, OA.hasSource, URIRef("https://w3id.org/coopgraph/source/999_unknown")))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    block = report_block(out, rel(path, data_copy))
    assert f"Violation: {short(evidence)}" in block
    assert "cgsh:EvidenceShape-source" in block


def test_quote_breaking_the_whitespace_rule(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, selector = pick(data_copy, lambda g: list(g.subjects(RDF.type, OA.TextQuoteSelector)))
    exact = str(graph.value(selector, OA.exact))
    graph.set((selector, OA.exact, Literal(exact.replace(" ", "\n", 1))))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    assert "cgsh:TextQuoteSelectorShape-whitespace" in report_block(out, rel(path, data_copy))


def test_broken_turtle_syntax(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path = source_files(data_copy)[-1]
    lines = path.read_text(encoding="utf-8").split("\n")
    target = next(i for i, line in enumerate(lines) if "cg:hasEvidence" in line)
    lines[target] = lines[target].replace("cg:hasEvidence", "cg:hasEvidence {{", 1)
    path.write_text("\n".join(lines), encoding="utf-8")

    code, out, err = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 2
    assert out == ""
    assert str(path) in err
    assert f"line {target + 1}" in err


def test_broken_shapes_file(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    shapes = data_copy / "ontology" / "shapes.ttl"
    text = shapes.read_text(encoding="utf-8")
    shapes.write_text(text.replace("sh:minCount 1 ;", "sh:minCount 1 ;; ]", 1), encoding="utf-8")
    line = text[: text.index("sh:minCount 1 ;")].count("\n") + 1

    code, _, err = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 2
    assert "shapes.ttl" in err
    assert f"line {line}" in err


def test_json_and_turtle_reports(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, figure = pick(data_copy, lambda g: list(g.subjects(CG.unit, None)))
    graph.remove((figure, CG.unit, None))
    save_source(path, graph)

    code, out, err = run_cli(capsys, "--data", str(data_copy), "validate", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["conforms"] is False
    hits = [r for r in document["results"] if r["shape"] == "cgsh:FigureShape-unit"]
    assert hits and hits[0]["source_file"] == rel(path, data_copy)
    assert hits[0]["focus_node"] == str(figure)
    assert "Summary:" in err

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate", "--format", "turtle")
    assert code == 1
    report = Graph().parse(data=out, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    result = next(report.subjects(SH.sourceShape, URIRef(SHAPES_NS + "FigureShape-unit")))
    assert report.value(result, SH.focusNode) == figure
    assert str(report.value(result, URIRef(SHAPES_NS + "sourceFile"))) == rel(path, data_copy)


def test_warnings_alone_do_not_fail(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    path, graph, figure = pick(data_copy, lambda g: list(g.subjects(CG.bound, None)))
    graph.remove((figure, CG.bound, None))
    save_source(path, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 0
    block = report_block(out, rel(path, data_copy))
    assert f"Warning: {short(figure)}" in block
    assert "cgsh:FigureShape-bound" in block


def test_evidence_iri_reused_across_sources(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    """The cross-source pass: one evidence IRI described in two files with different sources."""
    first, second = source_files(data_copy)[:2]
    graph_a, graph_b = load_source(first), load_source(second)
    evidence = sorted(graph_a.subjects(RDF.type, CG.Evidence))[0]
    own = sorted(graph_b.subjects(RDF.type, CG.Evidence))[0]
    for _, predicate, obj in list(graph_b.triples((own, None, None))):
        graph_b.add((evidence, predicate, obj))  # the second file reuses the first file's IRI
    save_source(second, graph_b)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert code == 1
    assert "cgsh:UnionEvidenceShape-source" in out
    assert f"{rel(first, data_copy)}, {rel(second, data_copy)}" in out


def test_validate_one_source(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    broken, other = source_files(data_copy)[0], source_files(data_copy)[1]
    graph = load_source(broken)
    target = sorted(graph.subjects(RDF.type, CG.Evidence), key=str)[0]
    graph.add((target, RDF.type, CG.NoSuchClass))
    save_source(broken, graph)

    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate", "--source", other.stem[:3])
    assert code == 0
    assert "of 1 file(s); the data conforms." in out
    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate", "--source", broken.stem)
    assert code == 1
    code, _, err = run_cli(capsys, "--data", str(data_copy), "validate", "--source", "nonesuch")
    assert code == 2
    assert "nonesuch" in err

"""Exports (issue 6): round-trip, determinism, JSON-LD context, dataset description, errors.

Most tests run on the shipped data; ``tests/fixtures/export`` is a small data folder with
the awkward cases (blank-node cycles, twins, lists, shared blank nodes, escapes).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

import coopgraph
from coopgraph import cli
from coopgraph.describe import SD, describe, describe_text
from coopgraph.errors import ExportError, UnknownGraphError
from coopgraph.export import (
    FORMATS,
    MEDIA_TYPES,
    ExportWarning,
    canonical_bnode_labels,
    export,
    jsonld_context,
    jsonld_context_document,
    jsonld_context_path,
    serialize,
)
from coopgraph.kg import KnowledgeGraph
from coopgraph.namespaces import CGG, DERIVED_GRAPHS, GRAPH_INFERRED

REPO_ROOT = Path(__file__).resolve().parent.parent
SRC = REPO_ROOT / "src"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "export"
# plain namespaces: pytest's attribute probing warns on rdflib's closed DefinedNamespaces
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VOID = Namespace("http://rdfs.org/ns/void#")
RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
MULTI = ["trig", "nquads", "jsonld"]


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def fixture_kg() -> KnowledgeGraph:
    return coopgraph.load(FIXTURE, cache=False)


def asserted_graphs(kg: KnowledgeGraph) -> list[URIRef]:
    """The graphs a plain export carries: all but the derived ones (inferences, corroboration index)."""
    return [g for g in kg.graph_names() if g not in DERIVED_GRAPHS]


def parse_dataset(text: str, fmt: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=text, format=RDFLIB_FORMAT[fmt])
    return dataset


def named_graphs(dataset: Dataset) -> dict[URIRef, Graph]:
    return {
        g.identifier: g
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and len(g) and not str(g.identifier).startswith("urn:x-rdflib:")
    }


def assert_same_dataset(kg: KnowledgeGraph, text: str, fmt: str, expected: list[URIRef]) -> None:
    parsed = named_graphs(parse_dataset(text, fmt))
    assert sorted(parsed) == sorted(expected)
    for name in expected:
        original = kg.dataset.graph(name)
        assert len(parsed[name]) == len(original), name
        assert isomorphic(parsed[name], original), f"{fmt}: graph {name} is not isomorphic after the round trip"


def union_of(kg: KnowledgeGraph, names: list[URIRef]) -> Graph:
    union = Graph()
    for name in names:
        for triple in kg.dataset.graph(name):
            union.add(triple)
    return union


def run_cli(*args: str, seed: str = "0", env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = seed
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "coopgraph.cli", *args],
        capture_output=True,
        env=env,
        cwd=str(REPO_ROOT),
        timeout=300,
    )


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("fmt", MULTI)
def test_every_named_graph_round_trips(kg: KnowledgeGraph, fmt: str) -> None:
    text = kg.export(format=fmt)
    assert_same_dataset(kg, text, fmt, asserted_graphs(kg))


@pytest.mark.parametrize("fmt", MULTI)
def test_inferences_round_trip_in_their_own_graph(kg: KnowledgeGraph, fmt: str) -> None:
    text = kg.export(format=fmt, inferred=True)
    expected = asserted_graphs(kg) + [GRAPH_INFERRED]
    assert_same_dataset(kg, text, fmt, expected)


def test_inferences_are_left_out_unless_asked(kg: KnowledgeGraph) -> None:
    assert kg.is_reasoned  # loaded reasoned; the export must still leave cgg:inferred out
    assert f"<{GRAPH_INFERRED}> .\n" not in kg.export(format="nquads")
    assert "cgg:inferred {" in kg.export(format="trig", inferred=True)


def test_each_source_graph_round_trips_as_turtle(kg: KnowledgeGraph) -> None:
    assert kg.source_graph_names(), "no source graphs shipped"
    for name in asserted_graphs(kg):
        text = kg.export(format="turtle", graph=name)
        parsed = Graph().parse(data=text, format="turtle")
        assert isomorphic(parsed, kg.dataset.graph(name)), name


def test_union_turtle_round_trips_and_warns(kg: KnowledgeGraph) -> None:
    with pytest.warns(ExportWarning, match="graph names"):
        text = kg.export(format="turtle")
    parsed = Graph().parse(data=text, format="turtle")
    assert isomorphic(parsed, union_of(kg, asserted_graphs(kg)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_fixture_round_trips_with_shared_blank_nodes(fixture_kg: KnowledgeGraph, fmt: str) -> None:
    # in the fixture, cgg:inferred states things about blank nodes of a source graph
    names = asserted_graphs(fixture_kg) + [GRAPH_INFERRED]
    inferred = fixture_kg.dataset.graph(GRAPH_INFERRED)
    assert any(isinstance(s, BNode) for s, _, _ in inferred)
    if fmt == "turtle":
        for name in names:
            parsed = Graph().parse(data=fixture_kg.export(format=fmt, graph=name), format="turtle")
            assert isomorphic(parsed, fixture_kg.dataset.graph(name)), name
        return
    text = fixture_kg.export(format=fmt, inferred=True)
    assert_same_dataset(fixture_kg, text, fmt, names)
    # and as a whole: the blank node shared by two graphs is still one node
    parsed = parse_dataset(text, fmt)
    shared = {s for s, _, _, g in parsed.quads() if isinstance(s, BNode) and g == GRAPH_INFERRED}
    in_source = {s for s, _, _, g in parsed.quads() if isinstance(s, BNode) and g == CGG["900_blank_nodes"]}
    assert shared and shared <= in_source


def test_turtle_layout_is_readable(fixture_kg: KnowledgeGraph) -> None:
    text = fixture_kg.export(format="turtle", graph="900_blank_nodes")
    assert text.startswith("@prefix cg: <https://w3id.org/coopgraph/ontology#> .\n")
    # selectors referenced once are nested, lists use collection syntax
    assert '[ a oa:TextQuoteSelector ; oa:exact "One quote." ]' in text
    assert 'cg:items ( 1 2 "three" [ rdfs:label "four"@en ] )' in text
    # a blank node referenced twice keeps a label
    assert text.count("cg:link _:b") == 2
    literals = fixture_kg.export(format="turtle", graph="901_literals")
    assert "<https://w3id.org/coopgraph/id/ends-with-dot.>" in literals
    assert '"CASE"@EN' in literals and '"plain"^^xsd:string' in literals


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_byte_identical_across_hash_seeds(fmt: str) -> None:
    outputs = []
    for seed in ("1", "2", "31337"):
        result = run_cli("export", "--format", fmt, seed=seed)
        assert result.returncode == 0, result.stderr.decode()
        outputs.append(result.stdout)
    assert outputs[0] and all(out == outputs[0] for out in outputs)


def test_inferred_and_fixture_exports_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    for args in (
        ("export", "--format", "trig", "--inferred"),
        ("--data", str(FIXTURE), "--no-cache", "export", "--format", "nquads", "--inferred"),
        ("--data", str(FIXTURE), "--no-cache", "export", "--format", "trig", "--inferred"),
        ("--data", str(FIXTURE), "--no-cache", "export", "--format", "jsonld", "--inferred"),
    ):
        first = run_cli(*args, seed="5")
        second = run_cli(*args, seed="99", env_extra={"COOPGRAPH_CACHE_DIR": str(tmp_path / "fresh-cache")})
        assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
        assert first.stdout == second.stdout, args


def shuffled_copy(kg: KnowledgeGraph, seed: int) -> KnowledgeGraph:
    """The same data with fresh blank-node ids and another insertion order."""
    rng = random.Random(seed)
    renamed: dict[BNode, BNode] = {}

    def fresh(term):
        if isinstance(term, BNode):
            return renamed.setdefault(term, BNode())
        return term

    quads = list(kg.dataset.quads())
    rng.shuffle(quads)
    copy = Dataset(default_union=True)
    for s, p, o, g in quads:
        copy.graph(g).add((fresh(s), p, fresh(o)))
    return KnowledgeGraph(copy, kg.layout)


@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_node_ids_and_order_do_not_change_the_output(fixture_kg: KnowledgeGraph, fmt: str) -> None:
    def text(k: KnowledgeGraph) -> str:
        return k.export(format=fmt, inferred=fmt != "turtle", on_warning=lambda message: None)

    reference = text(fixture_kg)
    for seed in range(8):
        assert text(shuffled_copy(fixture_kg, seed)) == reference


def test_shipped_data_output_does_not_depend_on_blank_node_ids(kg: KnowledgeGraph) -> None:
    assert kg.export(format="nquads") == shuffled_copy(kg, 1).export(format="nquads")


def test_canonical_labels_tell_apart_what_differs_and_only_that() -> None:
    ex = "https://example.org/"
    a, b = BNode(), BNode()
    quads = [
        (URIRef(ex + "s"), URIRef(ex + "p"), a, None),
        (a, URIRef(ex + "v"), Literal(1), None),
        (URIRef(ex + "s"), URIRef(ex + "p"), b, None),
        (b, URIRef(ex + "v"), Literal(2), None),
    ]
    labels = canonical_bnode_labels(quads)
    assert labels[a] != labels[b]
    # the label of a blank node depends on its own surroundings, not on unrelated ones
    c = BNode()
    more = quads + [(URIRef(ex + "t"), URIRef(ex + "p"), c, None)]
    labels_more = canonical_bnode_labels(more)
    assert labels_more[a] == labels[a] and labels_more[b] == labels[b]


def frucht_graph() -> Graph:
    """The Frucht graph as blank nodes: 3-regular, so colour refinement sees 12 equal nodes,
    yet it has no symmetry at all; only the exhaustive search labels it canonically."""
    lcf = [-5, -2, -4, 2, 5, -2, 2, 5, -2, -5, 4, 2]
    nodes = [BNode() for _ in range(12)]
    adjacent = URIRef("https://example.org/adjacent")
    graph = Graph()
    for i in range(12):
        for j in ((i + 1) % 12, (i + lcf[i]) % 12):
            graph.add((nodes[i], adjacent, nodes[j]))
            graph.add((nodes[j], adjacent, nodes[i]))
    return graph


def renamed(graph: Graph, seed: int) -> Graph:
    rng = random.Random(seed)
    mapping: dict[BNode, BNode] = {}
    triples = list(graph)
    rng.shuffle(triples)
    out = Graph()
    for s, p, o in triples:
        out.add(tuple(mapping.setdefault(t, BNode()) if isinstance(t, BNode) else t for t in (s, p, o)))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_asymmetric_regular_blank_node_graph_is_canonical(fmt: str) -> None:
    graph = frucht_graph()
    name = URIRef("https://example.org/g")
    parts = lambda g: [(None if fmt == "turtle" else name, g)]  # noqa: E731
    reference = serialize(parts(graph), fmt)
    for seed in range(6):
        assert serialize(parts(renamed(graph, seed)), fmt) == reference
    # round trip, checked with an independent canonicaliser: rdflib.compare is known to be
    # incomplete on such graphs (RDFLib/rdflib#1797)
    ox = pytest.importorskip("pyoxigraph")
    dataset = parse_dataset(reference, fmt)
    parsed = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o, _ in dataset.quads())
    original = graph.serialize(format="nt")

    def canonical(text: str) -> list[str]:
        store = ox.Dataset(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        store.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return sorted(str(quad) for quad in store)

    assert canonical(parsed) == canonical(original)


# --------------------------------------------------------------------------- JSON-LD


def test_shipped_context_file_is_the_generated_one() -> None:
    assert jsonld_context_path() == REPO_ROOT / "ontology" / "context.jsonld"
    shipped = jsonld_context_path().read_text(encoding="utf-8")
    assert shipped == jsonld_context_document(), "regenerate: python -m coopgraph.export context > ontology/context.jsonld"


def test_jsonld_uses_the_compact_context_and_named_graph_objects(kg: KnowledgeGraph) -> None:
    document = json.loads(kg.export(format="jsonld"))
    assert document["@context"] == jsonld_context()
    ids = [entry["@id"] for entry in document["@graph"]]
    assert ids == sorted(ids) and all(entry.keys() == {"@id", "@graph"} for entry in document["@graph"])
    assert "cgg:catalog" in ids
    text = json.dumps(document)
    assert '"label": {' in text and "https://w3id.org/coopgraph/id/" not in text.split('"@graph"', 1)[1]


def test_jsonld_with_the_shipped_context_by_reference_gives_the_same_triples(kg: KnowledgeGraph) -> None:
    document = json.loads(kg.export(format="jsonld"))
    document["@context"] = (REPO_ROOT / "ontology" / "context.jsonld").resolve().as_uri()
    dataset = Dataset()
    dataset.parse(data=json.dumps(document), format="json-ld")
    parsed = named_graphs(dataset)
    names = asserted_graphs(kg)
    assert sorted(parsed) == sorted(names)
    for name in names:
        assert isomorphic(parsed[name], kg.dataset.graph(name)), name
    # expanded to triples, exactly the N-Quads export's
    nquads = parse_dataset(kg.export(format="nquads"), "nquads")
    for name in names:
        assert isomorphic(parsed[name], named_graphs(nquads)[name]), name


def test_jsonld_does_not_misuse_term_coercions(fixture_kg: KnowledgeGraph) -> None:
    document = json.loads(fixture_kg.export(format="jsonld", graph="901_literals"))
    nodes = {node["@id"]: node for node in document["@graph"][0]["@graph"]}
    mixed = nodes["cgr:mixed-labels"]
    assert "label" not in mixed and "rdfs:label" in mixed  # an untagged label: no language map
    assert nodes["cgr:literals"]["cg:upperlang"] == {"@value": "CASE", "@language": "EN"}


# --------------------------------------------------------------------------- graph selection


def test_graph_can_be_named_several_ways(kg: KnowledgeGraph) -> None:
    stem = kg.source_graph_names()[0].rsplit("/", 1)[1]
    reference = kg.export(format="turtle", graph=stem)
    for spelling in (
        f"cgg:{stem}",
        f"https://w3id.org/coopgraph/graph/{stem}",
        f"<https://w3id.org/coopgraph/graph/{stem}>",
        f"cgsrc:{stem}",
        f"{stem}.ttl",
        CGG[stem],
    ):
        assert kg.export(format="turtle", graph=spelling) == reference, spelling
    assert "cgg:catalog {" in kg.export(format="trig", graph="catalog")


def test_unknown_graph_lists_the_known_ones(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownGraphError) as info:
        kg.export(format="trig", graph="999_nothing")
    message = str(info.value)
    assert "999_nothing" in message and "cgg:catalog" in message
    for name in kg.source_graph_names():
        assert name.rsplit("/", 1)[1] in message


def test_unknown_format_lists_the_valid_ones(kg: KnowledgeGraph) -> None:
    with pytest.raises(ExportError) as info:
        kg.export(format="rdfxml")
    assert all(name in str(info.value) for name in FORMATS)


# --------------------------------------------------------------------------- files


def test_destination_is_written_atomically_and_matches_the_text(kg: KnowledgeGraph, tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    assert kg.export(format="nquads", destination=target) is None
    assert target.read_bytes() == kg.export(format="nquads").encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]  # no temporary file left over


def test_failed_write_leaves_the_good_file_untouched(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "good.trig"
    target.write_text("good old content\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ExportError, match="good.trig"):
        kg.export(format="trig", destination=target)
    assert target.read_text(encoding="utf-8") == "good old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["good.trig"]


def test_unwritable_destination_names_the_path(kg: KnowledgeGraph, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.ttl"
    with pytest.raises(ExportError, match=str(target)):
        kg.export(format="turtle", graph="catalog", destination=target)
    with pytest.raises(ExportError, match="folder"):
        kg.export(format="turtle", graph="catalog", destination=tmp_path)


# --------------------------------------------------------------------------- command line


def test_cli_union_turtle_warns_on_stderr() -> None:
    result = run_cli("export", "--format", "turtle")
    assert result.returncode == 0
    assert b"warning" in result.stderr and b"graph names" in result.stderr
    assert result.stdout.startswith(b"@prefix ")


def test_cli_single_graph_turtle_does_not_warn(kg: KnowledgeGraph, capsysbinary) -> None:
    stem = kg.source_graph_names()[0].rsplit("/", 1)[1]
    assert cli.main(["export", "--format", "turtle", "--graph", stem]) == 0
    out, err = capsysbinary.readouterr()
    assert err == b""
    assert out.decode("utf-8") == kg.export(format="turtle", graph=stem)


def test_cli_unknown_format_exits_2(capsys) -> None:
    assert cli.main(["export", "--format", "rdfxml"]) == 2
    err = capsys.readouterr().err
    assert "rdfxml" in err and "turtle, trig, nquads, jsonld" in err


def test_cli_unknown_graph_exits_2_and_lists_graphs(capsys) -> None:
    assert cli.main(["export", "--graph", "nope"]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "cgg:catalog" in err and "cgg:ontology" in err


def test_cli_unwritable_output_exits_2_and_names_it(tmp_path: Path, capsys) -> None:
    target = tmp_path / "missing-folder" / "out.trig"
    assert cli.main(["export", "-o", str(target)]) == 2
    assert str(target) in capsys.readouterr().err
    assert not target.parent.exists()


def test_cli_failed_export_keeps_existing_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "release.trig"
    target.write_bytes(b"previous release\n")
    assert cli.main(["export", "--graph", "nope", "-o", str(target)]) == 2
    assert target.read_bytes() == b"previous release\n"
    assert [p.name for p in tmp_path.iterdir()] == ["release.trig"]


def test_cli_output_file_and_format_from_extension(kg: KnowledgeGraph, tmp_path: Path, capsysbinary) -> None:
    target = tmp_path / "coopgraph.jsonld"
    assert cli.main(["export", "-o", str(target)]) == 0
    out, _ = capsysbinary.readouterr()
    assert out == b""
    assert target.read_text(encoding="utf-8") == kg.export(format="jsonld")


# --------------------------------------------------------------------------- description


def test_void_counts_are_the_real_graph_sizes(kg: KnowledgeGraph) -> None:
    description = describe(kg)
    subsets = {description.value(s, SD.name): s for s in description.objects(None, VOID.subset)}
    names = asserted_graphs(kg)
    assert sorted(subsets) == sorted(names)
    total = 0
    for name, subset in subsets.items():
        graph = kg.dataset.graph(name)
        assert description.value(subset, VOID.triples).toPython() == len(graph)
        assert description.value(subset, VOID.distinctSubjects).toPython() == len(set(graph.subjects()))
        vocabularies = set(description.objects(subset, VOID.vocabulary))
        assert URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#") in vocabularies
        total += len(graph)
    dataset = next(description.subjects(VOID.subset, None))
    assert description.value(dataset, VOID.triples).toPython() == total
    assert (dataset, RDF.type, DCAT.Dataset) in description
    assert not list(description.triples((None, VOID.sparqlEndpoint, None)))
    rights = str(description.value(dataset, DCTERMS.rights))
    assert "publishers" in rights and "coopgraph project" in rights
    media = {str(description.value(d, DCTERMS["format"])) for d in description.objects(dataset, DCAT.distribution)}
    assert media == set(MEDIA_TYPES.values())
    # source graphs point to their source documents (read from the catalog)
    for name in kg.source_graph_names():
        assert description.value(subsets[name], DCTERMS.source) is not None


def test_inferred_subset_only_when_asked(kg: KnowledgeGraph) -> None:
    with_inferred = describe(kg, inferred=True)
    assert GRAPH_INFERRED in set(with_inferred.objects(None, SD.name))
    assert GRAPH_INFERRED not in set(describe(kg).objects(None, SD.name))


def test_cli_describe_prints_deterministic_turtle(kg: KnowledgeGraph) -> None:
    first = run_cli("export", "--describe", seed="3")
    second = run_cli("export", "--describe", seed="4")
    assert first.returncode == 0 and first.stdout == second.stdout
    parsed = Graph().parse(data=first.stdout.decode("utf-8"), format="turtle")
    assert isomorphic(parsed, describe(kg))
    assert first.stdout.decode("utf-8") == describe_text(kg)


def test_serialize_default_graph_in_every_format() -> None:
    graph = Graph()
    node = BNode()
    graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), node))
    graph.add((node, URIRef("https://example.org/q"), Literal("x")))
    for fmt in FORMATS:
        text = serialize([(None, graph)], fmt)
        dataset = parse_dataset(text, fmt)
        assert not named_graphs(dataset), fmt
        assert isomorphic(union_of_dataset(dataset), graph), fmt


def union_of_dataset(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))
    return union

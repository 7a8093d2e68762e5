"""TriG, N-Quads and JSON-LD written to a file graph by graph (coopgraph.export_stream).

The streamed file must hold exactly the bytes of the in-memory serialisation, on the shipped
data and on the fixture with the awkward blank nodes (cycles, twins, lists, blank nodes shared
between graphs), also when the N-Quads lines are sorted in many small runs on disk; a failure
in the middle leaves the destination as it was and no temporary file behind.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

import coopgraph
from coopgraph import export_stream
from coopgraph.errors import StoreError
from coopgraph.export import export, serialize
from coopgraph.export_stream import write_streaming
from coopgraph.kg import KnowledgeGraph
from coopgraph.namespaces import PREFIXES

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "export"
PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}
EX = "https://example.org/"


@pytest.fixture(scope="module")
def fixture_kg() -> KnowledgeGraph:
    return coopgraph.load(FIXTURE, cache=False)


def _parts(kg: KnowledgeGraph, inferred: bool) -> list[tuple[URIRef, list]]:
    from coopgraph.export import select_graphs

    return [(name, list(kg.store.triples(name))) for name in select_graphs(kg, inferred=inferred)]


def _streamed(parts, fmt: str, tmp_path: Path, chunk_lines: int = export_stream.CHUNK_LINES, warn=None) -> bytes:
    out = io.BytesIO()
    write_streaming(iter(parts), fmt, out, prefixes=PREFIX_MAP, warn=warn or (lambda message: None),
                    scratch=tmp_path, chunk_lines=chunk_lines)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
@pytest.mark.parametrize("inferred", [False, True])
@pytest.mark.parametrize("which", ["shipped", "fixture"])
def test_a_file_export_holds_the_bytes_of_the_text_export(kg, fixture_kg, tmp_path, fmt, inferred, which):
    graph = kg if which == "shipped" else fixture_kg
    text = export(graph, format=fmt, inferred=inferred, on_warning=lambda message: None)
    destination = tmp_path / f"out.{fmt}"
    assert export(graph, format=fmt, inferred=inferred, destination=destination, on_warning=lambda m: None) is None
    assert destination.read_bytes() == text.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [destination.name]  # no spool or run left behind


@pytest.mark.parametrize("which", ["shipped", "fixture"])
def test_nquads_sorted_in_many_runs_on_disk_are_the_same_lines(kg, fixture_kg, tmp_path, monkeypatch, which):
    graph = kg if which == "shipped" else fixture_kg
    parts = _parts(graph, inferred=True)
    expected = serialize(parts, "nquads", on_warning=lambda message: None).encode("utf-8")
    spills = []
    real_spill = export_stream._ExternalSort._spill

    def counting_spill(self):
        spills.append(len(self.lines))
        real_spill(self)

    monkeypatch.setattr(export_stream._ExternalSort, "_spill", counting_spill)
    assert _streamed(parts, "nquads", tmp_path, chunk_lines=37) == expected
    assert len(spills) >= 5 and max(spills) <= 37
    assert list(tmp_path.iterdir()) == []  # the runs are removed


def test_a_quad_in_several_runs_is_written_once(tmp_path):
    s, p = URIRef(EX + "s"), URIRef(EX + "p")
    same = [(s, p, Literal("x"))]
    # the first and the last triple are the same quad, read into different runs
    parts = [(URIRef(EX + "g1"), same + [(s, p, Literal(f"v{i}")) for i in range(10)] + same)]
    expected = serialize(parts, "nquads", on_warning=lambda message: None).encode("utf-8")
    assert _streamed(parts, "nquads", tmp_path, chunk_lines=2) == expected
    assert expected.count(b'"x"') == 1


def test_blank_nodes_shared_by_two_graphs_stay_labelled_in_trig(tmp_path):
    s, p = URIRef(EX + "s"), URIRef(EX + "p")
    shared, own = BNode(), BNode()
    parts = [
        (URIRef(EX + "g1"), [(s, p, shared), (shared, p, Literal("a")), (s, p, own), (own, p, Literal("b"))]),
        (URIRef(EX + "g2"), [(shared, p, Literal("c"))]),
    ]
    expected = serialize(parts, "trig", on_warning=lambda message: None)
    streamed = _streamed(parts, "trig", tmp_path).decode("utf-8")
    assert streamed == expected
    assert "[ " in streamed and streamed.count("_:b") == 3  # own inline; shared labelled in both graphs


def test_invalid_triples_are_skipped_with_the_same_warning(tmp_path):
    s, p = URIRef(EX + "s"), URIRef(EX + "p")
    parts = [(URIRef(EX + "g"), [(s, p, Literal("ok")), (Literal("not a subject"), p, s)])]
    for fmt in ("trig", "nquads", "jsonld"):
        in_memory, streamed = [], []
        expected = serialize(parts, fmt, on_warning=in_memory.append).encode("utf-8")
        assert _streamed(parts, fmt, tmp_path, warn=streamed.append) == expected
        assert streamed == in_memory == ["1 triple(s) that are not valid RDF (literal subject or non-IRI predicate) were not written"]


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_a_failure_while_reading_leaves_the_old_file_and_no_temporary_file(kg, tmp_path, monkeypatch, fmt):
    destination = tmp_path / "export.out"
    destination.write_text("the previous export\n", encoding="utf-8")
    real_triples = kg.store.triples
    calls = []

    def failing_triples(name):
        calls.append(name)
        if len(calls) == 3:
            raise StoreError("the store went away")
        return real_triples(name)

    monkeypatch.setattr(kg.store, "triples", failing_triples)
    with pytest.raises(StoreError, match="went away"):
        export(kg, format=fmt, destination=destination)
    assert destination.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.out"]


def test_each_graph_is_read_once_and_only_when_its_turn_comes(kg, tmp_path, monkeypatch):
    """The streaming writer does not gather the graphs before it starts: each is read once,
    after the graphs before it."""
    real_triples = kg.store.triples
    asked: list = []
    asked_when_read: list[int] = []

    def recording_triples(name):
        asked.append(name)
        position = len(asked)

        def read():
            asked_when_read.append(len(asked) - position)  # graphs asked for after this one, so far
            yield from real_triples(name)

        return read()

    monkeypatch.setattr(kg.store, "triples", recording_triples)
    export(kg, format="trig", destination=tmp_path / "out.trig")
    assert asked and len(asked) == len(set(asked)) == len(_parts(kg, inferred=False))
    assert set(asked_when_read) == {0}


def test_other_formats_are_refused(tmp_path):
    with pytest.raises(ValueError, match="trig, nquads, jsonld"):
        _streamed([], "turtle", tmp_path)


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_the_command_line_streams_to_standard_output_and_files_the_same_bytes(kg, tmp_path, capsysbinary, fmt):
    from coopgraph.cli import main

    expected = export(kg, format=fmt).encode("utf-8")
    capsysbinary.readouterr()
    assert main(["export", "--format", fmt]) == 0
    assert capsysbinary.readouterr().out == expected
    assert main(["export", "--format", fmt, "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out").read_bytes() == expected


def test_the_command_line_writes_nothing_to_standard_output_when_the_export_fails(monkeypatch, capsysbinary):
    from coopgraph.cli import main
    from coopgraph.stores.memory import MemoryStore

    real_triples = MemoryStore.triples
    calls = []

    def failing_triples(self, name):
        calls.append(name)
        if len(calls) == 4:
            raise StoreError("the store went away")
        return real_triples(self, name)

    monkeypatch.setattr(MemoryStore, "triples", failing_triples)
    capsysbinary.readouterr()
    assert main(["export", "--format", "nquads"]) == 2
    captured = capsysbinary.readouterr()
    assert len(calls) == 4 and captured.out == b"" and b"went away" in captured.err


@pytest.mark.parametrize("which", ["shipped", "fixture"])
def test_the_json_ld_document_is_laid_out_as_json_dumps_lays_it_out(kg, fixture_kg, which):
    """Written item by item, the document is the text json.dumps(indent=2) gives for it."""
    import json

    graph = kg if which == "shipped" else fixture_kg
    text = export(graph, format="jsonld", inferred=True, on_warning=lambda message: None)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    empty = serialize([], "jsonld")
    assert empty == json.dumps(json.loads(empty), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(empty)["@graph"] == []


@pytest.mark.parametrize("which, graph_by_graph", [("shipped", True), ("fixture", False)])
def test_labels_are_computed_graph_by_graph_unless_a_blank_node_is_in_two_graphs(kg, fixture_kg, tmp_path, monkeypatch, which, graph_by_graph):
    """Shipped data: every file's blank nodes are its own (and the inferences hold none), so each
    graph is labelled alone; the fixture has blank nodes shared by two graphs, so its blank
    nodes are labelled together. Either way the bytes are those of the in-memory writer."""
    graph = kg if which == "shipped" else fixture_kg
    whole = []
    real = export_stream.canonical_bnode_labels
    monkeypatch.setattr(export_stream, "canonical_bnode_labels", lambda quads, **kw: whole.append(len(quads)) or real(quads, **kw))
    for fmt in ("nquads", "trig", "jsonld"):
        for inferred in (False, True):
            expected = export(graph, format=fmt, inferred=inferred, on_warning=lambda message: None).encode("utf-8")
            export(graph, format=fmt, inferred=inferred, destination=tmp_path / "out", on_warning=lambda message: None)
            assert (tmp_path / "out").read_bytes() == expected
            assert fmt != "nquads" or b"_:b" in expected
    assert (whole == []) is graph_by_graph


def test_twin_components_in_several_graphs_get_the_labels_of_the_whole(tmp_path):
    """Identical blank-node structures, twice in one graph and once in another: the occurrence
    numbers and the shared label length come out as when every quad is labelled at once."""
    p, q = URIRef(EX + "p"), URIRef(EX + "q")
    parts = []
    for graph in ("g1", "g2"):
        triples = []
        for _ in range(2 if graph == "g1" else 1):
            a, b = BNode(), BNode()
            triples += [(URIRef(EX + "s"), p, a), (a, q, b), (b, q, a), (b, p, Literal("twin"))]
        parts.append((URIRef(EX + graph), triples))
    for fmt in ("nquads", "trig", "jsonld"):
        assert _streamed(parts, fmt, tmp_path).decode("utf-8") == serialize(parts, fmt)

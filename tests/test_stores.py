"""The three stores (memory, oxigraph on disk, a SPARQL endpoint) give the same answers.

Every stored query is run with its required parameters only and with every example value,
on the memory store and on (a) an Oxigraph store built in tmp_path by `coopgraph build`,
(b) a real Oxigraph server (PyPI package ``oxigraph``) started here on 127.0.0.1 and filled
by `coopgraph push`. Rows are compared as multisets of plain values
(:mod:`coopgraph.stores.compare`). Both sides use the fast reasoner; that it gives the
same answers as owlrl is tests/test_fast_reasoning.py's job. Hostile parameter values are
bound on every store and change nothing but the value.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

import coopgraph
from coopgraph.cli import main
from coopgraph.describe import describe_text
from coopgraph.errors import CoopgraphError, ParameterError, StoreError
from coopgraph.export import export
from coopgraph.namespaces import GRAPH_INFERRED
from coopgraph.stores.binding import substitute
from coopgraph.stores.compare import comparable

pytest.importorskip("pyoxigraph")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from oxigraph_server import oxigraph_binary, oxigraph_server as oxigraph_server_at  # noqa: E402  (benchmarks/)

HOSTILE = [
    'x" } UNION { ?resource ?p ?label } #',
    "x' } UNION { ?s ?p ?o }",
    "} UNION {",
    '"""\n} ; DROP ALL ; SELECT * WHERE {',
    "line one\nline two\r\n\ttab",
    "back\\slash \\\" quote",
    "{{ }} ?_text $_text <http://evil/> # comment",
    "Lü Jian Tao 吕建涛 \u00a0nbsp",
]


def _variants(kg):
    for stored in kg.queries():
        required = {p.name: p.example for p in stored.params if p.required}
        examples = {p.name: p.example for p in stored.params if p.example}
        yield stored, "required", required
        if examples != required:
            yield stored, "examples", examples


@pytest.fixture(scope="module")
def memory_kg() -> coopgraph.KnowledgeGraph:
    """The shipped data in memory, reasoned by the fast path (as the other stores are here)."""
    return coopgraph.load(reasoner="fast")


@pytest.fixture(scope="module")
def oxigraph_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("oxi") / "store"
    assert main(["build", "--store", "oxigraph", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def oxigraph_kg(oxigraph_dir) -> coopgraph.KnowledgeGraph:
    return coopgraph.load(store="oxigraph", store_path=oxigraph_dir)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on 127.0.0.1 (stopped after the module)."""
    if oxigraph_binary() is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install oxigraph, part of the test extra)")
    with oxigraph_server_at(tmp_path_factory.mktemp("oxigraph") / "server") as server:
        yield server.url


@pytest.fixture(scope="module")
def sparql_kg(oxigraph_server) -> coopgraph.KnowledgeGraph:
    code = main(["push", "--quiet", "--default-graph", f"{oxigraph_server}/store"])
    assert code == 0
    return coopgraph.load(store="sparql", endpoint=f"{oxigraph_server}/query")


# -- the oxigraph store ---------------------------------------------------------------------
def test_build_is_incremental(oxigraph_dir, capsys):
    capsys.readouterr()
    assert main(["build", "--store", "oxigraph", str(oxigraph_dir)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_only_a_graph_file_change_rebuilds_the_store(data_copy, tmp_path, capsys):
    """The store holds the graph files: an edit to the shapes or a source text keeps it (and records the new inputs)."""
    import json

    from coopgraph.loader import open_layout
    from coopgraph.stores.oxigraph_store import input_key

    folder = tmp_path / "store"
    build = ["--data", str(data_copy), "build", "--store", "oxigraph", str(folder)]
    assert main(build) == 0
    built = json.loads((folder / "coopgraph-store.json").read_text(encoding="utf-8"))
    layout = open_layout(data_copy)
    shapes, text = layout.shapes_file, next(layout.corpus_dir.glob("*.txt"))
    for edited in (shapes, text):
        edited.write_bytes(edited.read_bytes() + b"\n")
        capsys.readouterr()
        assert main(build) == 0
        assert "its graphs are unchanged, only the shapes or source texts changed" in capsys.readouterr().out
        meta = json.loads((folder / "coopgraph-store.json").read_text(encoding="utf-8"))
        assert meta["built"] == built["built"] and meta["key"] == input_key(layout, "fast") != built["key"]
        assert meta["files"][edited.relative_to(data_copy).as_posix()] != built["files"][edited.relative_to(data_copy).as_posix()]
    assert main(build) == 0
    assert "up to date" in capsys.readouterr().out
    source = next(layout.sources_dir.glob("*.ttl"))
    source.write_bytes(source.read_bytes() + b"\n# a comment\n")
    assert main(build) == 0
    assert "named graphs" in capsys.readouterr().out  # built again: the bytes of a graph file changed


def test_oxigraph_store_has_the_same_graphs(memory_kg, oxigraph_kg):
    assert oxigraph_kg.graph_names() == memory_kg.graph_names()
    for name in memory_kg.graph_names():
        assert oxigraph_kg.store.graph_size(name) == memory_kg.store.graph_size(name), name
    assert len(oxigraph_kg) == len(memory_kg)
    assert oxigraph_kg.is_reasoned


def test_oxigraph_graph_names_leave_out_emptied_and_blank_node_graphs():
    """Oxigraph keeps a graph's name after its last quad is removed; graph_names does not list it."""
    import pyoxigraph as ox

    from coopgraph.stores.oxigraph_store import OxigraphStore

    raw = ox.Store()
    thing, label = ox.NamedNode("https://example.org/x"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    kept, emptied = ox.NamedNode("https://example.org/g/kept"), ox.NamedNode("https://example.org/g/emptied")
    for graph in (kept, emptied, ox.BlankNode("b")):
        raw.add(ox.Quad(thing, label, ox.Literal("x"), graph))
    raw.remove(ox.Quad(thing, label, ox.Literal("x"), emptied))
    assert emptied in set(raw.named_graphs())
    assert OxigraphStore(store=raw).graph_names() == [URIRef("https://example.org/g/kept")]


def test_graph_sizes_are_every_graph_counted_once(memory_kg, oxigraph_kg):
    expected = {name: memory_kg.store.graph_size(name) for name in memory_kg.graph_names()}
    assert memory_kg.store.graph_sizes() == expected
    assert oxigraph_kg.store.graph_sizes() == expected
    assert len(memory_kg) == len(oxigraph_kg) == sum(expected.values())
    assert oxigraph_kg.store.graph_size(URIRef("https://w3id.org/coopgraph/graph/no-such-graph")) == 0


def test_an_unreasoned_store_says_so(tmp_path):
    assert main(["build", "--store", "oxigraph", "--reasoner", "none", str(tmp_path / "store")]) == 0
    unreasoned = coopgraph.load(store="oxigraph", store_path=tmp_path / "store")
    assert not unreasoned.is_reasoned
    assert not coopgraph.load(reason=False, cache=False).is_reasoned
    with pytest.raises(CoopgraphError, match="holds no inferences"):
        unreasoned.ensure_reasoned()


def test_every_stored_query_same_rows_on_oxigraph(memory_kg, oxigraph_kg):
    checked = 0
    for stored, variant, params in _variants(memory_kg):
        expected = comparable(memory_kg.query(stored.name, **params), stored.text)
        actual = comparable(oxigraph_kg.query(stored.name, **params), stored.text)
        assert actual == expected, f"{stored.name} ({variant}: {params})"
        checked += 1
    assert checked >= 20


def test_oxigraph_store_from_the_command_line(oxigraph_dir, capsys):
    capsys.readouterr()
    args = ["--store", "oxigraph", "--store-path", str(oxigraph_dir)]
    assert main([*args, "query", "events-of-agent", "-p", "agent=dirk-hilbert", "-f", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("earliest,date,event,label,role,g")
    assert "dirk-hilbert" not in out.splitlines()[0] and len(out.splitlines()) > 2
    assert main([*args, "sparql", "ASK { cgr:dresden cg:locatedIn cgr:germany }"]) == 0
    assert capsys.readouterr().out.strip() == "yes"


def test_oxigraph_store_without_a_build_says_so(tmp_path):
    with pytest.raises(StoreError, match="coopgraph build"):
        coopgraph.load(store="oxigraph", store_path=tmp_path / "nothing")
    assert main(["--store", "oxigraph", "--store-path", str(tmp_path / "nothing"), "queries"]) in (0, 2)


def test_oxigraph_store_validates_and_exports_through_a_copy(oxigraph_kg, memory_kg):
    assert len(oxigraph_kg.dataset) == len(memory_kg.dataset)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_exports_read_from_the_oxigraph_store_are_byte_identical(oxigraph_kg, memory_kg, fmt, tmp_path):
    # the export reads each graph from the store (Store.triples), not from an rdflib copy
    expected = export(memory_kg, format=fmt, on_warning=lambda message: None)
    assert export(oxigraph_kg, format=fmt, on_warning=lambda message: None) == expected
    assert "_:b" in export(oxigraph_kg, format="nquads")  # the evidence selectors' blank nodes came through
    # written to a file (graph by graph but for Turtle, coopgraph.export_stream): the same bytes
    export(oxigraph_kg, format=fmt, destination=tmp_path / "out", on_warning=lambda message: None)
    assert (tmp_path / "out").read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize("derived", ["corroboration", "statistics"])
def test_derived_graphs_built_in_oxigraph_are_those_of_the_memory_store(oxigraph_kg, memory_kg, derived):
    # built by other code on each store (the corroboration index grouped by Oxigraph's SPARQL
    # engine, in Python on rdflib): the same nodes, IRIs included, and the same triples
    expected = export(memory_kg, format="nquads", graph=derived)
    assert expected.count("\n") > 100
    assert export(oxigraph_kg, format="nquads", graph=derived) == expected


def test_inferred_and_single_graph_exports_from_oxigraph(oxigraph_kg, memory_kg):
    assert export(oxigraph_kg, format="trig", inferred=True) == export(memory_kg, format="trig", inferred=True)
    stem = memory_kg.source_graph_names()[0]
    assert export(oxigraph_kg, format="turtle", graph=stem) == export(memory_kg, format="turtle", graph=stem)
    assert describe_text(oxigraph_kg) == describe_text(memory_kg)


# -- the sparql store against a real server -------------------------------------------------
@pytest.mark.slow
def test_every_stored_query_same_rows_on_a_sparql_endpoint(memory_kg, sparql_kg):
    assert sparql_kg.graph_names() == memory_kg.graph_names()
    assert sparql_kg.store.graph_sizes() == memory_kg.store.graph_sizes()
    assert sparql_kg.is_reasoned
    checked = 0
    for stored, variant, params in _variants(memory_kg):
        expected = comparable(memory_kg.query(stored.name, **params), stored.text)
        actual = comparable(sparql_kg.query(stored.name, **params), stored.text)
        assert actual == expected, f"{stored.name} ({variant}: {params})"
        checked += 1
    assert checked >= 20


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_file_exports_read_from_a_sparql_endpoint_are_byte_identical(memory_kg, sparql_kg, fmt, tmp_path):
    # graph by graph from the endpoint into the file (coopgraph.export_stream)
    expected = export(memory_kg, format=fmt, on_warning=lambda message: None).encode("utf-8")
    export(sparql_kg, format=fmt, destination=tmp_path / "out", on_warning=lambda message: None)
    assert (tmp_path / "out").read_bytes() == expected


@pytest.mark.slow
def test_sparql_store_from_the_command_line(oxigraph_server, sparql_kg, capsys):
    capsys.readouterr()
    code = main(["--store", "sparql", "--endpoint", f"{oxigraph_server}/query", "query", "sources", "-f", "tsv"])
    assert code == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 6  # header + five sources


def test_ntriples_parts_split_at_line_ends_and_keep_blank_nodes_whole():
    from coopgraph.stores.sparql_store import ntriples_parts

    lines = [f'<https://x/s{i}> <https://x/p> "value {i}" .\n'.encode() for i in range(1000)]
    data = b"".join(lines)
    parts = ntriples_parts(data, 1000)
    assert len(parts) > 10 and b"".join(parts) == data
    assert all(part.endswith(b" .\n") for part in parts)  # whole triples only
    assert all(len(part) <= 1000 + max(map(len, lines)) for part in parts)
    assert ntriples_parts(data, len(data)) == [data]
    with_blank_node = data + b'_:b1 <https://x/p> "x" .\n'
    assert ntriples_parts(with_blank_node, 1000) == [with_blank_node]
    assert ntriples_parts(b"", 10) == [b""]


@pytest.mark.slow
def test_push_in_parts_gives_the_same_graphs(memory_kg, tmp_path):
    """A tiny part size splits every graph without blank nodes; pushed twice, nothing is doubled."""
    from coopgraph.stores.sparql_store import ntriples_parts, push

    graphs = [(name, memory_kg.store.ntriples(name)) for name in memory_kg.graph_names()]
    split = [name for name, data in graphs if len(ntriples_parts(data, 2048)) > 1]
    whole = [name for name, data in graphs if len(data) > 2048 and len(ntriples_parts(data, 2048)) == 1]
    assert GRAPH_INFERRED in split and whole  # the source graphs hold blank nodes (evidence, selectors)
    with oxigraph_server_at(tmp_path / "server") as server:
        for _ in range(2):
            assert push(graphs, f"{server.url}/store", default_graph=True, part_bytes=2048) == len(graphs)
        parted = coopgraph.load(store="sparql", endpoint=f"{server.url}/query")
        assert parted.store.graph_sizes() == memory_kg.store.graph_sizes()
        # the default graph holds each triple once (no blank node is in two graphs here, so a
        # triple with one counts once per graph that holds it)
        ground, with_blank_nodes = set(), 0
        for name, _ in graphs:
            for triple in memory_kg.store.triples(name):
                if any(isinstance(term, BNode) for term in triple):
                    with_blank_nodes += 1
                else:
                    ground.add(triple)
        default_size = parted.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").bindings[0][0]
        assert int(default_size) == len(ground) + with_blank_nodes
        for stored, variant, params in _variants(memory_kg):
            expected = comparable(memory_kg.query(stored.name, **params), stored.text)
            assert comparable(parted.query(stored.name, **params), stored.text) == expected, f"{stored.name} ({variant})"


def _result_keys(report) -> set[tuple]:
    """Validation results without blank-node labels (each store has its own)."""
    return {(r.source_file, r.severity, r.focus, r.path, "_:b" if isinstance(r.value, BNode) else str(r.value),
             r.message, str(r.component)) for r in report}


@pytest.mark.slow
def test_validation_on_a_sparql_endpoint_reports_what_pyshacl_reports(tmp_path, monkeypatch):
    """Broken data pushed to an endpoint: ``validate`` there (the SPARQL engine on a copy) finds what pyshacl finds."""
    from rdflib.namespace import RDFS, XSD

    from coopgraph.namespaces import CG, CGG, CGR
    from coopgraph.stores.sparql_store import push
    from coopgraph.validation import validate

    broken = coopgraph.load(reason=False, cache=False)
    source = broken.dataset.graph(CGG["000_c3db9e2a9a8b4664"])
    source.add((CGR["dresden-jinan-office"], RDFS.label, Literal("one", lang="en")))  # a second English label
    source.add((CGR["dresden-jinan-office-establishment-2013"], CG.date, Literal("2013-02-30", datatype=XSD.date)))
    reference = _result_keys(validate(broken, cache=False, engine="pyshacl"))
    baseline = _result_keys(validate(coopgraph.load(reason=False, cache=False), cache=False, engine="pyshacl"))
    assert len(reference - baseline) >= 2
    with oxigraph_server_at(tmp_path / "server") as server:
        push(((name, broken.store.ntriples(name)) for name in broken.graph_names()), f"{server.url}/store",
             default_graph=True)
        remote = coopgraph.load(store="sparql", endpoint=f"{server.url}/query")
        one = _result_keys(validate(broken, sources=["000"], cache=False, engine="pyshacl"))

        def no_pyshacl(*args, **kwargs):
            raise AssertionError("auto chose pyshacl on an endpoint (it reads the whole endpoint into rdflib)")

        monkeypatch.setattr("coopgraph.validation._validate_pyshacl", no_pyshacl)
        assert _result_keys(remote.validate()) == reference  # auto: the SPARQL engine on a copy
        assert _result_keys(remote.validate(sources=["000"])) == one and one - baseline


# -- hostile parameter values, on every store -----------------------------------------------
@pytest.fixture(scope="module")
def every_store(memory_kg, oxigraph_kg, sparql_kg):
    return {"memory": memory_kg, "oxigraph": oxigraph_kg, "sparql": sparql_kg}


@pytest.mark.slow
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_just_values(every_store, value):
    for name, kg in every_store.items():
        echo = kg.sparql("SELECT ?echo WHERE { BIND (?_v AS ?echo) }", {"_v": Literal(value)})
        assert echo.rows == [{"echo": value}], name
        assert kg.query("search-label", text=value).rows == [], name
        same = kg.sparql("ASK { FILTER (?_v = ?_w) }", {"_v": Literal(value), "_w": Literal(value)})
        assert same.boolean is True, name
    tagged = Literal(value, lang="de")
    for name, kg in every_store.items():
        assert kg.sparql("SELECT ?x WHERE { BIND (?_v AS ?x) }", {"_v": tagged}).bindings == [(tagged,)], name


@pytest.mark.slow
def test_real_values_still_match_on_every_store(every_store):
    answers = {name: comparable(kg.query("search-label", text="Hilbert")) for name, kg in every_store.items()}
    assert answers["memory"] and answers["oxigraph"] == answers["memory"] == answers["sparql"]


@pytest.mark.slow
@pytest.mark.parametrize("value", ["cgr:x> } UNION { ?s ?p ?o", "<https://x/a b>", "x\ny"])
def test_hostile_iris_are_refused_before_any_store(every_store, value):
    for name, kg in every_store.items():
        with pytest.raises(ParameterError):
            kg.query("agreements", party=value)


def test_substitution_replaces_variables_only():
    text = 'SELECT ?x WHERE { ?x <http://p/?_v> "?_v" . FILTER (!BOUND(?_v) || ?x = ?_v) } # ?_v'
    out = substitute(text, {"_v": Literal('a" } UNION { ?s ?p ?o')})
    assert out == (
        'SELECT ?x WHERE { ?x <http://p/?_v> "?_v" . FILTER (!true || ?x = "a\\" } UNION { ?s ?p ?o") } # ?_v'
    )
    assert substitute("ASK { ?_v ?p ?_vv }", {"_v": URIRef("https://x/")}) == "ASK { <https://x/> ?p ?_vv }"
    with pytest.raises(StoreError):
        substitute("ASK { ?_v ?p ?o }", {"_v": URIRef("https://x/> . ?a ?b ?c")})


@pytest.mark.parametrize(
    "value, language, datatype",
    [("Dresden", None, None), ("", None, None), ("济南 – Jinan\n", "zh-Hans", None), ("Jinan", "en", None),
     ("x", None, "http://www.w3.org/2001/XMLSchema#string"), ("42", None, "http://www.w3.org/2001/XMLSchema#integer"),
     ("2013-05-01", None, "http://www.w3.org/2001/XMLSchema#date"), ("y", "EN-gb", None)],
)
def test_result_literals_are_what_rdflib_makes(value, language, datatype):
    """The fast constructor of text literals (Oxigraph and endpoint results) builds rdflib's own literal."""
    from coopgraph.stores.terms import _TEXT_LITERAL_OK, make_literal

    assert _TEXT_LITERAL_OK  # on the rdflib this project pins, the fast path is taken
    made = make_literal(value, language, datatype)
    plain = datatype in (None, "http://www.w3.org/2001/XMLSchema#string")
    reference = Literal(value, lang=language) if plain else Literal(value, datatype=URIRef(datatype))
    assert (made, made.language, made.datatype, made.value, made.n3()) == (
        reference, reference.language, reference.datatype, reference.value, reference.n3())
    assert hash(made) == hash(reference) and made.eq(reference)

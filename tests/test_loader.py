"""The loader: one named graph per data file, the union as default, clear errors, inputs untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import URIRef

import coopgraph
from coopgraph.errors import DataFolderError, ParseError
from coopgraph.namespaces import GRAPH_CATALOG, GRAPH_ONTOLOGY, GRAPH_PLACES, source_graph


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_each_source_file_is_its_own_named_graph(kg):
    stems = sorted(p.stem for p in kg.layout.sources_dir.glob("*.ttl"))
    assert stems, "the shipped data has source files"
    assert [str(g) for g in kg.source_graph_names()] == [str(source_graph(s)) for s in stems]
    for stem in stems:
        graph = kg.dataset.graph(source_graph(stem))
        assert len(graph) > 0
        # the graph holds exactly what the file holds
        from coopgraph.loader import parse_turtle

        assert len(parse_turtle(kg.layout.sources_dir / f"{stem}.ttl")) == len(graph)


def test_ontology_catalog_and_places_have_their_own_graphs(kg):
    names = kg.graph_names()
    for special in (GRAPH_ONTOLOGY, GRAPH_CATALOG, GRAPH_PLACES):
        assert special in names
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    rows = kg.sparql(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a ?k } FILTER(?g != cgg:inferred) }", {"k": owl_class}
    ).rows
    assert {r["g"] for r in rows} == {str(GRAPH_ONTOLOGY)}


def test_inferences_live_in_their_own_graph_and_never_in_files(kg):
    from coopgraph.namespaces import GRAPH_INFERRED

    assert kg.is_reasoned
    inferred = kg.dataset.graph(GRAPH_INFERRED)
    # Dresden is in Germany only by inference (the gazetteer says Dresden -> Saxony -> Germany)
    ask = "ASK { GRAPH cgg:inferred { cgr:dresden cg:locatedIn cgr:germany } }"
    assert kg.sparql(ask).boolean
    assert not kg.sparql("ASK { GRAPH cgg:places { cgr:dresden cg:locatedIn cgr:germany } }").boolean
    assert len(inferred) > 0
    # nothing in the inferred graph is asserted elsewhere, and no file holds an inferred triple
    from coopgraph.loader import parse_turtle

    for graph_file in kg.layout.graph_files():
        asserted = parse_turtle(graph_file.path)
        assert not any(t in asserted for t in inferred), graph_file.path


def test_queries_see_the_union_by_default(kg):
    # the catalog's documents and the ontology's classes are visible without GRAPH
    rows = kg.sparql("SELECT ?doc ?label WHERE { ?doc a cg:SourceDocument ; rdfs:label ?label }").rows
    assert len({r["doc"] for r in rows}) == 5
    union = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
    per_graph = sum(len(kg.dataset.graph(g)) for g in kg.graph_names())
    assert union <= per_graph  # duplicates across graphs collapse in the union
    assert union > len(kg.dataset.graph(GRAPH_ONTOLOGY))


def test_same_triple_in_two_graphs_is_visible_per_graph(kg):
    rows = kg.sparql(
        """SELECT ?s (COUNT(DISTINCT ?g) AS ?graphs) WHERE {
             GRAPH ?g { ?s rdfs:label ?l } FILTER(STRSTARTS(STR(?g), STR(cgg:0)))
           } GROUP BY ?s HAVING (COUNT(DISTINCT ?g) > 1)"""
    ).rows
    assert rows, "some resource is described by more than one source graph"


def test_malformed_turtle_names_file_and_line_and_leaves_file_unchanged(data_copy):
    target = sorted((data_copy / "data" / "sources").glob("*.ttl"))[0]
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(5, "this is ( not turtle .\n")
    target.write_text("".join(lines), encoding="utf-8")
    before = _digest(data_copy)
    with pytest.raises(ParseError) as info:
        coopgraph.load(data_copy)
    assert info.value.path.endswith(target.name)
    assert info.value.line == 6
    assert f"{target.name}, line 6" in str(info.value)
    assert _digest(data_copy) == before


def test_missing_data_folder(tmp_path):
    with pytest.raises(DataFolderError, match="not found"):
        coopgraph.load(tmp_path / "nowhere")


def test_folder_that_is_not_a_data_folder(tmp_path):
    with pytest.raises(DataFolderError, match="missing: ontology/coopgraph.ttl"):
        coopgraph.load(tmp_path)


def test_loading_never_modifies_inputs(kg):
    root = kg.layout.root
    before = {p: _digest(root / p) for p in ("ontology", "data")}
    coopgraph.load()
    assert {p: _digest(root / p) for p in ("ontology", "data")} == before


def test_catalog_checksums_match_the_corpus(kg):
    rows = kg.sparql("SELECT ?file ?sha ?n WHERE { ?d cg:fileName ?file ; cg:sha256 ?sha ; cg:characterCount ?n }").rows
    assert len(rows) == 5
    for row in rows:
        path = kg.layout.corpus_dir / row["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha"], row["file"]
        assert len(path.read_text(encoding="utf-8")) == row["n"]


def test_corpus_is_a_verbatim_copy_of_the_shared_sources(kg):
    shared = Path(__file__).resolve().parents[2] / "shared" / "sources"
    if not shared.is_dir():
        pytest.skip("../shared/sources is not beside this checkout")
    for original in shared.glob("*.txt"):
        assert (kg.layout.corpus_dir / original.name).read_bytes() == original.read_bytes()

"""The SPARQL validation engine (shapes compiled to SPARQL, run in Oxigraph) reports what pyshacl reports.

pyshacl is the reference. The two engines are compared on the shipped data, on an Oxigraph
store built from it, and on seeded random mutations of the shipped data (a triple removed,
a literal or link replaced by a wrong one, a triple added or copied to another file,
duplicate labels, a predicate changed): every mutation must give the same set of results,
compared by file, severity, focus node, path, value, message, shape and constraint component.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

import coopgraph
from coopgraph.cli import main
from coopgraph.namespaces import CG, CGR
from coopgraph.validation import ValidationResult, validate

pytest.importorskip("pyoxigraph")

from coopgraph.fastvalidate import UnsupportedShape, validate_fast  # noqa: E402

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes
MUTATIONS = 36  # about one second each (both engines)


def result_key(r: ValidationResult) -> tuple:
    """A result without blank-node labels (they differ between parsers)."""
    value = None if r.value is None else ("_:b" if isinstance(r.value, BNode) else str(r.value))
    shape = str(r.shape) if isinstance(r.shape, URIRef) else "_:b"
    return (r.source_file, r.severity, r.focus, r.path, value, r.message, shape, str(r.component))


def keys(report) -> set[tuple]:
    return {result_key(r) for r in report}


WRONG_LITERALS = [
    Literal("x"), Literal("x", lang="en"), Literal("2013-02-30", datatype=XSD.date),
    Literal("2013-02", datatype=XSD.gYearMonth), Literal("2013", datatype=XSD.gYear), Literal(5),
    Literal("5.5", datatype=XSD.decimal), Literal("-1", datatype=XSD.integer),
    Literal("2013-13", datatype=XSD.gYearMonth), Literal("abc", datatype=XSD.integer),
    Literal(" two  spaces"), Literal(""), Literal("2019-01-01", datatype=XSD.date),
    Literal("2012-05-05", datatype=XSD.date),
]
WRONG_NODES = [
    CGR["no-such-thing"], CG.Place, CG.Person, CG.Office, CG["NoSuchClass"], CG.DayPrecision, CG.Count,
    URIRef("http://example.org/x"),
]


def mutate(kg: coopgraph.KnowledgeGraph, rng: random.Random) -> str:
    """Break the loaded data in one random way; return what was done."""
    names = [g for g in kg.graph_names() if "/graph/0" in str(g)]
    names += [URIRef("https://w3id.org/coopgraph/graph/catalog"), URIRef("https://w3id.org/coopgraph/graph/places")]
    graph = kg.dataset.graph(rng.choice(names))
    triple = rng.choice(sorted(graph, key=lambda t: tuple(map(str, t))))
    s, p, o = triple
    kind = rng.randrange(7)
    if kind == 0:
        graph.remove(triple)
        return f"removed {triple}"
    if kind == 1:
        graph.remove(triple)
        graph.add((s, p, rng.choice(WRONG_LITERALS)))
        return f"literal object in {triple}"
    if kind == 2:
        graph.remove(triple)
        graph.add((s, p, rng.choice(WRONG_NODES + [BNode()])))
        return f"node object in {triple}"
    if kind == 3:
        graph.add((s, p, rng.choice(WRONG_LITERALS + WRONG_NODES)))
        return f"extra value for {s} {p}"
    if kind == 4:
        kg.dataset.graph(rng.choice(names)).add(triple)
        return f"copied {triple} to another file"
    if kind == 5:
        subject = rng.choice(sorted(set(graph.subjects()), key=str))
        graph.add((subject, RDFS.label, Literal("one", lang="en")))
        graph.add((subject, RDFS.label, Literal("two", lang="en")))
        return f"two English labels on {subject}"
    graph.remove(triple)
    graph.add((s, rng.choice(sorted(set(graph.predicates()), key=str)), o))
    return f"predicate changed in {triple}"


def test_shipped_data_same_results(kg: coopgraph.KnowledgeGraph) -> None:
    fast = validate_fast(kg)
    reference = validate(kg, cache=False, engine="pyshacl")
    assert keys(fast) == keys(reference)
    assert fast.conforms and len(fast) >= 1  # the figure about two offices (a warning)


@pytest.mark.parametrize("seed", range(MUTATIONS))
def test_mutation_same_results(seed: int) -> None:
    kg = coopgraph.load(reason=False, cache=False)
    what = mutate(kg, random.Random(seed))
    fast, reference = keys(validate_fast(kg)), keys(validate(kg, cache=False, engine="pyshacl"))
    assert fast == reference, f"{what}: only sparql {sorted(fast - reference)}; only pyshacl {sorted(reference - fast)}"


SELECTABLE = ["000", "001", "002", "003", "004", "catalog", "places"]


@pytest.mark.parametrize("seed", range(12))
def test_selected_files_same_results(seed: int) -> None:
    """``sources=``: the per-file passes of the files chosen, and the cross-source pass over them only."""
    kg = coopgraph.load(reason=False, cache=False)
    rng = random.Random(1000 + seed)
    what = mutate(kg, rng)
    chosen = rng.sample(SELECTABLE, 1 + seed % 3)
    fast = keys(validate_fast(kg, sources=chosen))
    reference = keys(validate(kg, sources=chosen, cache=False, engine="pyshacl"))
    assert fast == reference, f"{what}, {chosen}: only sparql {sorted(fast - reference)}; only pyshacl {sorted(reference - fast)}"


def test_selected_files_are_all_that_is_copied(kg: coopgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking one file of a memory store copies that file and the reference graphs, not the corpus."""
    import coopgraph.fastvalidate as fastvalidate

    copied = []
    original = fastvalidate._oxigraph_store

    def spy(kg, graphs):
        store = original(kg, graphs)
        copied.append(sorted(str(g.value) for g in store.named_graphs()))
        return store

    monkeypatch.setattr(fastvalidate, "_oxigraph_store", spy)
    validate_fast(kg, sources=["003"], cache=False)
    [stem] = [gf.path.stem for gf in kg.layout.graph_files() if gf.path.stem.startswith("003_")]
    base = "https://w3id.org/coopgraph/graph/"
    assert copied == [sorted(base + name for name in (stem, "catalog", "ontology", "places"))]


def test_mutations_do_break_the_data() -> None:
    """The mutations are not no-ops: most of them make both engines report something new."""
    baseline = keys(validate(coopgraph.load(reason=False, cache=False), cache=False, engine="pyshacl"))
    changed = 0
    for seed in range(12):
        kg = coopgraph.load(reason=False, cache=False)
        mutate(kg, random.Random(seed))
        changed += keys(validate_fast(kg)) != baseline
    assert changed >= 6


def test_nested_node_shape_details_are_reported() -> None:
    """A dangling cg:concerns link: the sh:node result and the nested shape's own result (as pyshacl)."""
    broken = coopgraph.load(reason=False, cache=False)
    source = next(g for g in broken.graph_names() if str(g).endswith("/000_c3db9e2a9a8b4664"))
    office = CGR["dresden-jinan-office"]
    broken.dataset.graph(source).remove((office, None, None))
    found = {(r.focus, r.shape.split("#")[-1], r.component.split("#")[-1]) for r in validate_fast(broken)}
    assert ("cgr:dresden-jinan-office", "DescribedNode-type", "MinCountConstraintComponent") in found
    assert any(shape == "DescribedLinkShape-concerns" and comp == "NodeConstraintComponent" for _f, shape, comp in found)


def test_oxigraph_store_validates_with_sparql(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    assert main(["build", "--store", "oxigraph", str(folder)]) == 0
    on_store = coopgraph.load(store="oxigraph", store_path=folder)
    report = on_store.validate()  # auto: the SPARQL engine on an Oxigraph store
    reference = validate(coopgraph.load(reason=False), cache=False, engine="pyshacl")
    assert keys(report) == keys(reference)
    assert report.conforms
    conforms = list(report.report_graph.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms")))
    assert [c.toPython() for c in conforms] == [True]


def test_oxigraph_store_cross_source_pass_covers_the_chosen_sources(data_copy: Path, tmp_path: Path) -> None:
    """A figure IRI given another value in a second file breaks the cross-source pass only when both files are chosen."""
    source = data_copy / "data" / "sources" / "003_5681c03170b8ac75.ttl"
    source.write_text(source.read_text(encoding="utf-8") + "\ncgc:001-foreign-enterprises cg:value 700 .\n",
                      encoding="utf-8")
    assert main(["--data", str(data_copy), "build", "--store", "oxigraph", str(tmp_path / "store")]) == 0
    on_store = coopgraph.load(data_copy, store="oxigraph", store_path=tmp_path / "store")
    in_memory = coopgraph.load(data_copy, reason=False, cache=False)
    found = {}
    for chosen in (None, ["001", "002"], ["001", "003"], ["003"]):
        reference = keys(validate(in_memory, sources=chosen, cache=False, engine="pyshacl"))
        assert keys(on_store.validate(sources=chosen)) == reference, chosen
        found[str(chosen)] = any("UnionFigureShape-value" in key[6] for key in reference)
    assert found == {"None": True, "['001', '002']": False, "['001', '003']": True, "['003']": False}


def test_cross_source_labels_are_asked_of_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The text report looks a focus label up in the store: on an Oxigraph store of 1M triples an
    rdflib copy of the whole store (``kg.dataset``) takes over 70 s (benchmarks/README.md)."""
    from coopgraph.stores.oxigraph_store import OxigraphStore
    from coopgraph.validation import _label_in

    folder = tmp_path / "store"
    assert main(["build", "--store", "oxigraph", str(folder)]) == 0
    on_store = coopgraph.load(store="oxigraph", store_path=folder)
    in_memory = coopgraph.load(reason=False, cache=False)

    def no_copy(self):
        raise AssertionError("the report copied the whole store into rdflib")

    monkeypatch.setattr(OxigraphStore, "to_dataset", no_copy)
    office, nothing = CGR["dresden-jinan-office"], CGR["no-such-thing"]
    assert _label_in(on_store, office) == _label_in(in_memory, office) == '"Dresden - Jinan Contact Office"@en'
    assert _label_in(on_store, nothing) is None and _label_in(on_store, BNode()) is None


def test_cli_engine_option(capsys: pytest.CaptureFixture[str], data_copy: Path) -> None:
    assert main(["--data", str(data_copy), "validate", "--engine", "sparql"]) == 0
    source = next((data_copy / "data" / "sources").glob("002_*.ttl"))
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("cg:hasEvidence ", "cg:hasEvidenze "), encoding="utf-8")  # facts lose their evidence
    capsys.readouterr()
    assert main(["--data", str(data_copy), "validate", "--engine", "sparql"]) == 1
    out = capsys.readouterr().out
    assert source.name in out


def test_unsupported_shape_falls_back_to_pyshacl(tmp_path: Path, data_copy: Path) -> None:
    shapes = data_copy / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\ncgsh:LabelShape sh:closed false .\n", encoding="utf-8")
    kg = coopgraph.load(data_copy, reason=False, cache=False)
    with pytest.raises(UnsupportedShape, match="closed"):
        validate_fast(kg)
    with pytest.raises(UnsupportedShape):
        kg.validate(engine="sparql")
    folder = tmp_path / "store"
    assert main(["--data", str(data_copy), "build", "--store", "oxigraph", str(folder)]) == 0
    on_store = coopgraph.load(data_copy, store="oxigraph", store_path=folder)
    assert on_store.validate().conforms  # auto: pyshacl, since the shapes are not all compiled


def test_auto_picks_sparql_for_large_memory_stores(kg: coopgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    import coopgraph.fastvalidate as fastvalidate
    import coopgraph.validation as validation

    calls: list[int] = []
    real = fastvalidate.validate_fast

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(fastvalidate, "validate_fast", spy)
    small = validate(kg, cache=False)  # 4k triples: pyshacl
    assert calls == []
    monkeypatch.setattr(validation, "AUTO_SPARQL_TRIPLES", 1000)
    large = validate(kg, cache=False)
    assert calls == [1]
    assert keys(large) == keys(small)


OA = "http://www.w3.org/ns/oa#"
ORDER_CASES = [  # an offset replaced by a value sh:lessThan must compare as pyshacl does
    ("end", Literal("abc", datatype=XSD.integer)),  # ill-typed: compared by its lexical form
    ("start", Literal("2013", datatype=XSD.gYear)),  # other datatype: ordered by datatype IRI
    ("start", Literal("5")),  # a string against a number: fails
    ("end", Literal("10", lang="en")),
    ("start", Literal("99999", datatype=XSD.integer)),  # by value: not less
    ("end", URIRef("http://example.org/x")),
    ("start", Literal("1.5", datatype=XSD.decimal)),  # decimal against integer, by value
    ("start", Literal("2013-01-01", datatype=XSD.date)),
    ("end", Literal("zz")),
]


@pytest.mark.parametrize("offset, value", ORDER_CASES, ids=[f"{o}={v!r}" for o, v in ORDER_CASES])
def test_less_than_orders_values_as_pyshacl(offset: str, value) -> None:
    kg = coopgraph.load(reason=False, cache=False)
    graph = kg.dataset.graph(next(g for g in kg.graph_names() if str(g).endswith("/002_3796d1144900ce85")))
    selector = min(graph.subjects(URIRef(OA + "start"), None), key=str)
    graph.remove((selector, URIRef(OA + offset), None))
    graph.add((selector, URIRef(OA + offset), value))
    fast, reference = keys(validate_fast(kg)), keys(validate(kg, cache=False, engine="pyshacl"))
    assert fast == reference
    assert any("oa:start" == key[3] or "oa:end" == key[3] for key in reference)  # the change is reported

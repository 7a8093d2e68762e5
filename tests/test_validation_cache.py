"""Validation results are cached per pass: an edit re-validates only what it touches, and the
results are those of a run without the cache (coopgraph.validation_cache).

Each test has a cache folder of its own (the session's cache is shared by every other test).
What ran is seen by wrapping the engines' own entry points: ``fastvalidate._run_checks``
(the files whose per-file checks run, and whether the cross-source checks run) and
``pyshacl.validate`` (one call per pass).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pyshacl
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

import coopgraph
from coopgraph.cache import file_digests
from coopgraph.cli import main
from coopgraph.errors import StoreError
from coopgraph.validation import validate
from coopgraph.validation_cache import PassCache, known_digests

pytest.importorskip("pyoxigraph")

import coopgraph.fastvalidate as fastvalidate  # noqa: E402
from test_fast_validation import keys  # noqa: E402

#: a source file whose every fact loses its evidence (per-file violations)
BROKEN_FILE = "002"
#: a figure of source 001 given another value in source 003 (a cross-source violation)
CLASH = "\ncgc:001-foreign-enterprises cg:value 700 .\n"


def _count_pyshacl_runs(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = pyshacl.validate

    def counting(*args, **kwargs):
        calls.append(len(args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(pyshacl, "validate", counting)
    return calls


def test_second_validation_reads_the_cache_and_an_edit_reruns_only_its_passes(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("COOPGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    calls = _count_pyshacl_runs(monkeypatch)
    kg = coopgraph.load(data_copy, reason=False)
    first = kg.validate()
    passes = len(calls)
    assert passes >= 7  # five sources, catalog, places, and the cross-source pass

    calls.clear()
    again = coopgraph.load(data_copy, reason=False).validate()
    assert calls == []
    assert [r.to_dict() for r in again] == [r.to_dict() for r in first]

    # a new label in one source: that file's pass and the cross-source pass run again
    source = sorted((data_copy / "data" / "sources").glob("*.ttl"))[1]
    text = source.read_text(encoding="utf-8")
    source.write_text(text + '\n<https://w3id.org/coopgraph/id/new-thing> a <https://w3id.org/coopgraph/ontology#Company> .\n', encoding="utf-8")
    calls.clear()
    edited = coopgraph.load(data_copy, reason=False).validate()
    assert len(calls) == 2
    assert any("new-thing" in r.focus_text() for r in edited.violations), "the new company has no label or evidence"


def test_no_cache_always_runs_pyshacl(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("COOPGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    calls = _count_pyshacl_runs(monkeypatch)
    kg = coopgraph.load(data_copy, reason=False)
    kg.validate(cache=False)
    kg.validate(cache=False)
    assert len(calls) >= 14
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("validation-*"))


def test_raise_for_violations(kg, data_copy, tmp_path, monkeypatch):
    import pytest

    from coopgraph.errors import ValidationFailed

    assert kg.validate().raise_for_violations().conforms  # the shipped data passes through
    monkeypatch.setenv("COOPGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    source = sorted((data_copy / "data" / "sources").glob("*.ttl"))[0]
    source.write_text(
        source.read_text(encoding="utf-8")
        + '\n<https://w3id.org/coopgraph/id/new-thing> a <https://w3id.org/coopgraph/ontology#Company> .\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as info:
        coopgraph.load(data_copy, reason=False).validate().raise_for_violations()
    assert info.value.exit_code == 1
    assert source.name in str(info.value) and "new-thing" in str(info.value)


# -- both engines, every store ------------------------------------------------------------

@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COOPGRAPH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], bool]]:
    """What each run of the SPARQL engine's checks covered: (file names of the per-file checks, cross-source)."""
    calls: list[tuple[list[str], bool]] = []
    real = fastvalidate._run_checks

    def spy(kg, checks, todo, union_sources, **options):
        calls.append(([gf.path.name for gf in todo], union_sources is not None))
        return real(kg, checks, todo, union_sources, **options)

    monkeypatch.setattr(fastvalidate, "_run_checks", spy)
    return calls


def _source(root: Path, number: str) -> Path:
    return next((root / "data" / "sources").glob(f"{number}_*.ttl"))


def _break(root: Path) -> str:
    path = _source(root, BROKEN_FILE)
    path.write_text(path.read_text(encoding="utf-8").replace("cg:hasEvidence ", "cg:hasEvidenze "), encoding="utf-8")
    return path.name


def _clash(root: Path) -> str:
    path = _source(root, "003")
    path.write_text(path.read_text(encoding="utf-8") + CLASH, encoding="utf-8")
    return path.name


def _reference(root: Path) -> set[tuple]:
    return keys(validate(coopgraph.load(root, reason=False, cache=False), cache=False, engine="pyshacl"))


def test_memory_store_reruns_only_the_edited_file_and_the_cross_source_pass(data_copy: Path, ran) -> None:
    files = len([gf for gf in coopgraph.load(data_copy, reason=False).layout.graph_files() if gf.kind != "ontology"])
    first = validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    assert len(ran) == 1 and len(ran[0][0]) == files and ran[0][1]
    again = validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    assert len(ran) == 1, "nothing changed, nothing ran"
    assert keys(again) == keys(first) == _reference(data_copy)

    edited = _break(data_copy)
    broken = validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    assert ran[1] == ([edited], True)
    assert keys(broken) == _reference(data_copy) != keys(first)
    assert any(edited in r.source_file for r in broken)

    clashing = _clash(data_copy)
    both = validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    assert ran[2] == ([clashing], True)
    assert keys(both) == _reference(data_copy)
    assert any("UnionFigureShape" in str(r.shape) for r in both)


def test_cached_results_match_a_run_without_the_cache(data_copy: Path) -> None:
    _break(data_copy)
    _clash(data_copy)
    validate(coopgraph.load(data_copy, reason=False), engine="sparql")  # fills the cache
    cached = validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    fresh = validate(coopgraph.load(data_copy, reason=False), engine="sparql", cache=False)
    assert [r.sort_key() for r in cached] == [r.sort_key() for r in fresh]
    assert [r.to_dict() for r in cached] == [r.to_dict() for r in fresh]
    kg = coopgraph.load(data_copy, reason=False)
    assert cached.to_text(kg) == fresh.to_text(kg)
    assert len(cached.report_graph) == len(fresh.report_graph)
    assert len(cached.violations) > 10 and any(r.graph is None for r in cached)  # both kinds of pass


def test_a_graph_changed_in_memory_is_validated_as_it_is_now(data_copy: Path, ran) -> None:
    """Changing a loaded graph makes its pass run, and its results are not kept for the file."""
    validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    kg = coopgraph.load(data_copy, reason=False)
    target = next(g for g in kg.graph_names() if str(g).endswith(_source(data_copy, "001").stem))
    subject = URIRef("https://w3id.org/coopgraph/id/dresden-jinan-office")
    kg.dataset.graph(target).add((subject, RDFS.label, Literal("one", lang="en")))
    kg.dataset.graph(target).add((subject, RDFS.label, Literal("two", lang="en")))
    changed = validate(kg, engine="sparql")
    assert ran[1] == ([_source(data_copy, "001").name], True)
    assert keys(changed) == keys(validate(kg, engine="pyshacl", cache=False)) != _reference(data_copy)
    # the next load reads the file again: its results, not the changed graph's
    assert keys(validate(coopgraph.load(data_copy, reason=False), engine="sparql")) == _reference(data_copy)
    assert len(ran) == 2


def test_a_dataset_replaced_or_built_by_hand_is_not_cached(data_copy: Path) -> None:
    kg = coopgraph.load(data_copy, reason=False)
    assert known_digests(kg)  # as loaded: every file's digest
    kg.dataset = coopgraph.load(data_copy, reason=False).dataset
    assert known_digests(kg) == {} and PassCache.open(kg, "sparql") is None


def test_files_edited_while_loading_are_not_trusted(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import coopgraph.kg as kg_module

    seen = iter([{"a.ttl": "0" * 64}, {"a.ttl": "1" * 64}])
    monkeypatch.setattr(kg_module, "file_digests", lambda layout: next(seen))
    kg = coopgraph.load(data_copy, reason=False)
    assert kg.read_from is None and known_digests(kg) == {}


def test_an_endpoint_is_never_cached() -> None:
    endpoint = SimpleNamespace(store=SimpleNamespace(kind="sparql"), read_from=None)
    assert known_digests(endpoint) == {}


def test_a_broken_cache_entry_is_ignored(data_copy: Path, own_cache: Path, ran) -> None:
    first = validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    [entry] = list(own_cache.glob("validation-*.pickle"))
    entry.write_bytes(b"not a pickle")
    again = validate(coopgraph.load(data_copy, reason=False), engine="sparql")
    assert len(ran) == 2 and keys(again) == keys(first)


def test_no_cache_option_runs_every_pass(data_copy: Path, ran, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(data_copy), "validate", "--engine", "sparql"]) == 0
    assert main(["--data", str(data_copy), "validate", "--engine", "sparql"]) == 0
    assert main(["--data", str(data_copy), "--no-cache", "validate", "--engine", "sparql"]) == 0
    assert [len(files) > 0 for files, _union in ran] == [True, True]


def test_oxigraph_store_reruns_only_the_edited_file(data_copy: Path, tmp_path: Path, ran) -> None:
    folder = tmp_path / "store"
    assert main(["--data", str(data_copy), "build", "--store", "oxigraph", str(folder)]) == 0
    meta = json.loads((folder / "coopgraph-store.json").read_text(encoding="utf-8"))
    assert meta["files"] == file_digests(coopgraph.load(data_copy, reason=False).layout)
    first = coopgraph.load(data_copy, store="oxigraph", store_path=folder).validate()
    assert keys(first) == _reference(data_copy)
    coopgraph.load(data_copy, store="oxigraph", store_path=folder).validate()
    assert len(ran) == 1

    edited = _break(data_copy)
    # edited but not built again: the store still holds what the old file said
    assert keys(coopgraph.load(data_copy, store="oxigraph", store_path=folder).validate()) == keys(first)
    assert len(ran) == 1
    assert main(["--data", str(data_copy), "build", "--store", "oxigraph", str(folder)]) == 0
    broken = coopgraph.load(data_copy, store="oxigraph", store_path=folder).validate()
    assert ran[1] == ([edited], True)
    assert keys(broken) == _reference(data_copy) != keys(first)
    # one file chosen: its own pass, from the cache
    assert keys(coopgraph.load(data_copy, store="oxigraph", store_path=folder).validate(sources=[BROKEN_FILE])) == \
        {k for k in keys(broken) if k[0].endswith(edited)}
    assert len(ran) == 2


def test_a_store_built_before_the_digests_gets_them_without_a_rebuild(data_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    assert main(["--data", str(data_copy), "build", "--store", "oxigraph", str(folder)]) == 0
    meta_file = folder / "coopgraph-store.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    digests = meta.pop("files")
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    store_files = sorted(p.name for p in (folder / "oxigraph").iterdir())
    assert main(["--data", str(data_copy), "build", "--store", "oxigraph", str(folder)]) == 0
    assert json.loads(meta_file.read_text(encoding="utf-8"))["files"] == digests
    assert sorted(p.name for p in (folder / "oxigraph").iterdir()) == store_files  # not rebuilt


def test_files_edited_while_building_stop_the_build(data_copy: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import coopgraph.cache as cache_module
    from coopgraph.loader import open_layout
    from coopgraph.stores.oxigraph_store import build_oxigraph

    real = cache_module.file_digests
    calls = []

    def drifting(layout):
        calls.append(1)
        found = real(layout)
        return found if len(calls) == 1 else {**found, "data/catalog.ttl": "0" * 64}

    monkeypatch.setattr(cache_module, "file_digests", drifting)
    folder = tmp_path / "store"
    with pytest.raises(StoreError, match="changed while the store was built"):
        build_oxigraph(open_layout(data_copy), folder)
    assert not (folder / "oxigraph").exists() and not list(folder.glob(".oxigraph-building-*"))

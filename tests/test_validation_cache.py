"""Validation results are cached per pass: an edit re-validates only what it touches."""

from __future__ import annotations

import pyshacl

import coopgraph


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

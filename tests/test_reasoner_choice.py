"""Which reasoner fills cgg:inferred on the memory store: owlrl, fast, or auto (by data size)."""

from __future__ import annotations

import pytest

import coopgraph
import coopgraph.kg as kg_module
from coopgraph.cli import main
from coopgraph.errors import StoreError
from coopgraph.kg import AUTO_OWLRL_BYTES, choose_reasoner
from coopgraph.namespaces import GRAPH_INFERRED


def _inferred(kg) -> set:
    return set(kg.dataset.graph(GRAPH_INFERRED))


def test_auto_keeps_owlrl_for_the_shipped_data(kg):
    size = sum(gf.path.stat().st_size for gf in kg.layout.graph_files())
    assert 0 < size <= AUTO_OWLRL_BYTES
    assert choose_reasoner(kg.layout) == "owlrl"
    assert coopgraph.load().reasoner == "owlrl"  # the default is auto
    assert coopgraph.load(reasoner="fast").reasoner == "fast"
    unreasoned = coopgraph.load(reason=False)
    assert unreasoned.reasoner is None
    unreasoned.ensure_reasoned()  # reasons with owlrl, the reference
    assert unreasoned.reasoner == "owlrl" and unreasoned.is_reasoned


def test_auto_takes_the_fast_path_above_the_size_limit(kg, monkeypatch):
    owlrl = coopgraph.load(reasoner="owlrl", cache=False)
    fast = coopgraph.load(reasoner="fast", cache=False)
    assert _inferred(fast) < _inferred(owlrl)  # a proper subset: the two can be told apart
    monkeypatch.setattr(kg_module, "AUTO_OWLRL_BYTES", 1_000)
    assert choose_reasoner(kg.layout) == "fast"
    auto = coopgraph.load(cache=False)
    assert auto.reasoner == "fast"
    assert _inferred(auto) == _inferred(fast)
    # every stored query still answers as with owlrl (tests/test_fast_reasoning.py proves it in full)
    assert auto.query("events-in-place", place="cgr:germany").rows == owlrl.query("events-in-place", place="cgr:germany").rows


def test_an_unknown_reasoner_is_refused_with_the_choices():
    with pytest.raises(StoreError, match="unknown reasoner 'hermit' .*auto, owlrl, fast"):
        coopgraph.load(reasoner="hermit")


def test_the_command_line_chooses_and_reports_the_reasoner(capsys):
    capsys.readouterr()
    assert main(["stats"]) == 0
    assert "Inferences (cgg:inferred) by: owlrl" in capsys.readouterr().out
    assert main(["--reasoner", "fast", "stats"]) == 0
    assert "Inferences (cgg:inferred) by: fast" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        main(["--reasoner", "hermit", "stats"])
    assert stopped.value.code == 2
    assert "invalid choice: 'hermit'" in capsys.readouterr().err


def test_the_quality_checks_report_the_same_rows_with_either_reasoner(capsys):
    """auto may pick the fast path for a large corpus: the checks must not depend on it."""
    reports = {}
    for reasoner in ("owlrl", "fast"):
        capsys.readouterr()
        assert main(["--reasoner", reasoner, "check"]) == 0
        reports[reasoner] = capsys.readouterr().out
    assert "5 warning row(s)" in reports["owlrl"]
    assert reports["fast"] == reports["owlrl"]

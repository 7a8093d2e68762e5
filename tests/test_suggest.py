"""Unknown names get the closest known ones and a short list, however large the corpus."""

from __future__ import annotations

import pytest

from coopgraph.errors import UnknownGraphError
from coopgraph.export import export
from coopgraph.suggest import LISTED, known_names_hint

MANY = [f"s{i:06d}_{i * 7919 % 100000:05d}" for i in range(9000)]


def test_a_long_list_is_cut_and_counted():
    hint = known_names_hint("nothing-like-it", MANY)
    assert hint.startswith("known: s000000_00000, s000001_07919,")
    assert hint.count(", ") == LISTED  # LISTED names, then the count
    assert hint.endswith(f"… ({9000 - LISTED:,} more)")
    assert "did you mean" not in hint


def test_the_closest_names_are_suggested():
    assert known_names_hint("004321", MANY).startswith("did you mean s004321_")  # contained in a name
    target = MANY[4321]
    assert known_names_hint(target[:1] + target[2:], MANY).startswith(f"did you mean {target}")  # a character lost
    assert known_names_hint("CATALOG", ["catalog", "places"]) == "did you mean catalog? known: catalog, places"


def test_a_short_list_is_given_whole():
    assert known_names_hint("x", ["catalog", "places"]) == "known: catalog, places"


def test_unknown_source_and_graph_errors_suggest_the_file(kg):
    stem = "004_2d85bd7537e4600b"
    with pytest.raises(UnknownGraphError, match=rf"did you mean {stem}\?"):
        kg.validate(sources=[stem[:-1] + "c"])
    with pytest.raises(UnknownGraphError, match=rf"did you mean cgg:{stem}\?"):
        export(kg, graph=stem[:-1] + "c")

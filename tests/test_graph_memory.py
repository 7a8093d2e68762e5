"""GraphAwareMemory answers every pattern with exactly the triples rdflib's Memory store gives."""

from __future__ import annotations

import random

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from coopgraph.graph_memory import GraphAwareMemory
from coopgraph.loader import new_dataset

EX = "https://example.org/"
PREDICATES = [URIRef(EX + f"p{i}") for i in range(4)]
OBJECTS = [URIRef(EX + f"o{i}") for i in range(5)] + [Literal("5"), Literal(5), Literal("5", lang="de")]


def _fill(dataset: Dataset, seed: int) -> None:
    """Many small graphs sharing predicates and objects, and one large graph."""
    rng = random.Random(seed)
    for graph_no in range(40):
        graph = dataset.graph(URIRef(EX + f"g{graph_no}"))
        size = 60 if graph_no == 0 else rng.randint(1, 6)
        for _ in range(size):
            graph.add((URIRef(EX + f"s{rng.randint(0, 30)}"), rng.choice(PREDICATES), rng.choice(OBJECTS)))


def _pair(seed: int) -> tuple[Dataset, Dataset]:
    plain, aware = Dataset(store=Memory(), default_union=True), Dataset(store=GraphAwareMemory(), default_union=True)
    _fill(plain, seed)
    _fill(aware, seed)
    return plain, aware


PATTERNS = [(None, p, None) for p in PREDICATES + [URIRef(EX + "absent")]] + [
    (None, p, o) for p in PREDICATES[:2] for o in OBJECTS
] + [(URIRef(EX + "s1"), PREDICATES[0], None), (None, None, OBJECTS[0]), (None, None, None)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_pattern_in_every_graph_gives_rdflibs_triples(seed: int) -> None:
    plain, aware = _pair(seed)
    for graph in list(plain.graphs()) + [None]:
        identifier = None if graph is None else graph.identifier
        for pattern in PATTERNS:
            expected = set(plain.graph(identifier).triples(pattern)) if identifier else set(plain.triples(pattern))
            got = list(aware.graph(identifier).triples(pattern)) if identifier else list(aware.triples(pattern))
            assert set(got) == expected, (identifier, pattern)
            assert len(got) == len(expected), (identifier, pattern)


def test_small_graph_is_read_from_its_own_triples_in_a_fixed_order() -> None:
    """A graph smaller than the predicate's index is read sorted by terms, the same in every process."""
    aware = Dataset(store=GraphAwareMemory(), default_union=True)
    big = aware.graph(URIRef(EX + "big"))
    for i in range(200):
        big.add((URIRef(EX + f"b{i}"), PREDICATES[0], Literal(i)))
    small = aware.graph(URIRef(EX + "small"))
    names = ["zeta", "alpha", "mu", "beta", "omega", "kappa", "eta", "delta"]
    for name in names:
        small.add((URIRef(EX + name), PREDICATES[0], Literal(name)))
    small.add((URIRef(EX + "alpha"), PREDICATES[1], Literal("other")))
    assert aware.store._predicate_size(PREDICATES[0]) > len(small)
    found = list(small.triples((None, PREDICATES[0], None)))
    assert [str(s)[len(EX):] for s, _, _ in found] == sorted(names)
    assert list(small.triples((None, PREDICATES[0], Literal("mu")))) == [(URIRef(EX + "mu"), PREDICATES[0], Literal("mu"))]


def test_counts_follow_additions_and_removals() -> None:
    plain, aware = _pair(4)
    graph_id = URIRef(EX + "g3")
    triple = (URIRef(EX + "new"), PREDICATES[1], OBJECTS[0])
    for dataset in (plain, aware):
        dataset.graph(graph_id).add(triple)
    assert set(aware.graph(graph_id).triples((None, PREDICATES[1], None))) == set(
        plain.graph(graph_id).triples((None, PREDICATES[1], None))
    )
    for dataset in (plain, aware):
        dataset.graph(graph_id).remove(triple)
        dataset.graph(URIRef(EX + "g0")).remove((None, PREDICATES[1], None))
    for pattern in PATTERNS:
        assert set(aware.graph(graph_id).triples(pattern)) == set(plain.graph(graph_id).triples(pattern))
        assert set(aware.graph(URIRef(EX + "g0")).triples(pattern)) == set(
            plain.graph(URIRef(EX + "g0")).triples(pattern)
        )


def test_the_loader_builds_datasets_on_it() -> None:
    assert isinstance(new_dataset().store, GraphAwareMemory)

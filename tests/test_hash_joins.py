"""The hash joins coopgraph gives rdflib: the same rows as rdflib's own joins, scoped to coopgraph."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef, Variable
from rdflib.plugins.sparql.evalutils import _join
from rdflib.plugins.sparql.sparql import FrozenDict

from coopgraph import hashjoin
from coopgraph.sparql import run_query

EX = Namespace("http://example.org/")
X, Y, Z = Variable("x"), Variable("y"), Variable("z")


def _rows(rng: random.Random, count: int, variables: list[Variable]) -> list[FrozenDict]:
    """Random rows over a few values, each variable left unbound now and then."""
    values = [EX.a, EX.b, EX.c, Literal("a"), Literal(1)]
    rows = []
    for _ in range(count):
        row = {var: rng.choice(values) for var in variables if rng.random() > 0.25}
        rows.append(FrozenDict(row))
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_hash_join_gives_the_rows_of_rdflibs_nested_loop_in_its_order(seed: int) -> None:
    rng = random.Random(seed)
    left = _rows(rng, rng.randint(0, 30), [X, Y])
    right = _rows(rng, rng.randint(0, 30), rng.choice([[X], [Y, Z], [X, Y, Z], [Z]]))
    expected = list(_join(left, right))
    assert list(hashjoin.hash_join(left, lambda: right)) == expected


def test_hash_join_does_not_evaluate_the_right_side_for_an_empty_left_side() -> None:
    def right() -> list[FrozenDict]:
        raise AssertionError("the right side was evaluated although no left row needs it")

    assert list(hashjoin.hash_join([], right)) == []


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset(default_union=True)
    g1 = ds.graph(EX.g1)
    g2 = ds.graph(EX.g2)
    for i in range(6):
        office = EX[f"office{i}"]
        g1.add((office, EX.type, EX.Office))
        g1.add((office, EX.city, EX[f"city{i % 3}"]))
        if i % 2:
            g2.add((office, EX.parent, EX[f"org{i % 4}"]))
        g2.add((office, EX.size, Literal(i)))
    g2.add((EX.city0, EX.country, EX.de))
    g2.add((EX.city1, EX.country, EX.fr))
    return ds


# queries whose joins rdflib evaluates eagerly or with sub-selects on the right: OPTIONAL
# blocks with a FILTER, unbound variables shared by both sides, a guard, GRAPH, UNION, BIND
QUERIES = [
    """SELECT * WHERE {
         { SELECT * WHERE { ?o <http://example.org/type> <http://example.org/Office> } }
         { SELECT DISTINCT ?o ?c WHERE { ?o <http://example.org/city> ?c } }
         OPTIONAL { SELECT * WHERE { ?o <http://example.org/parent> ?p } }
         OPTIONAL { SELECT * WHERE { ?c <http://example.org/country> ?k } }
       }""",
    """SELECT * WHERE {
         ?o <http://example.org/type> ?t .
         OPTIONAL { SELECT ?o ?n WHERE { ?o <http://example.org/size> ?n } } FILTER (!BOUND(?n) || ?n > 2)
         OPTIONAL { { SELECT ?o ?s WHERE { ?o <http://example.org/size> ?s } } FILTER (?s < 4) }
       }""",
    """SELECT ?o ?g ?p WHERE {
         { SELECT * WHERE { FILTER (!BOUND(?_none)) } }
         { SELECT DISTINCT ?o WHERE { GRAPH ?g0 { ?o ?any ?v } } }
         OPTIONAL { { SELECT * WHERE { GRAPH ?g { ?o <http://example.org/parent> ?p } } } }
       }""",
    """SELECT * WHERE {
         { SELECT * WHERE { FILTER (BOUND(?_none)) } }
         { SELECT * WHERE { ?o ?p ?v } }
       }""",
    """SELECT ?o ?c ?k (COUNT(?p) AS ?n) WHERE {
         { ?o <http://example.org/city> ?c } UNION { ?o <http://example.org/parent> ?p }
         { SELECT DISTINCT ?c ?k WHERE { ?c <http://example.org/country> ?k } }
         BIND (STR(?o) AS ?label)
       } GROUP BY ?o ?c ?k""",
    """SELECT * WHERE {
         { SELECT DISTINCT ?o WHERE { ?o <http://example.org/type> ?t } LIMIT 4 }
         ?o <http://example.org/city> ?c .
         OPTIONAL { ?c <http://example.org/country> ?k }
         { SELECT ?o (MAX(?s) AS ?top) WHERE { ?o <http://example.org/size> ?s } GROUP BY ?o }
       }""",
]


def _rdflib_rows(dataset: Dataset, text: str) -> Counter:
    result = dataset.query(text)
    return Counter(tuple(row[v] for v in result.vars) for row in result)


@pytest.mark.parametrize("index", range(len(QUERIES)))
def test_queries_give_rdflibs_rows_with_hash_joins(dataset: Dataset, index: int) -> None:
    text = QUERIES[index]
    expected = _rdflib_rows(dataset, text)  # outside coopgraph: rdflib's own joins
    got = run_query(dataset, text)
    assert Counter(got.bindings) == expected
    assert (sum(expected.values()) == 0) == ("BOUND(?_none)) } }\n         { SELECT * WHERE { ?o ?p ?v } }" in text)
    assert hashjoin._ACTIVE.get() is False


def test_hash_joins_act_only_inside_coopgraphs_queries(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = hashjoin._evaluate

    def counting(ctx, part):  # type: ignore[no-untyped-def]
        if hashjoin._ACTIVE.get():
            calls.append(part.name)
        return original(ctx, part)

    run_query(dataset, QUERIES[0])  # registers the extension
    monkeypatch.setitem(hashjoin.CUSTOM_EVALS, hashjoin._EXTENSION_NAME, counting)
    dataset.query(QUERIES[0]).bindings  # noqa: B018 - plain rdflib: the extension stays out
    assert calls == []
    run_query(dataset, QUERIES[0])
    assert "Join" in calls and "LeftJoin" in calls

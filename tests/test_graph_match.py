"""GRAPH ?g evaluated only in the graphs that can match: rdflib's rows, from fewer graphs."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from rdflib import Dataset, Literal, Namespace, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import QueryContext
from rdflib.plugins.stores.memory import Memory

from coopgraph import graph_match
from coopgraph.graph_memory import GraphAwareMemory
from coopgraph.sparql import run_query

EX = Namespace("http://example.org/")


def _dataset(seed: int, store: type = GraphAwareMemory) -> Dataset:
    """Twelve graphs sharing things, kinds and links, some things typed in several graphs."""
    rng = random.Random(seed)
    ds = Dataset(store=store(), default_union=True)
    things = [EX[f"t{i}"] for i in range(10)]
    for graph_no in range(12):
        graph = ds.graph(EX[f"g{graph_no}"])
        for _ in range(rng.randint(0, 8)):
            thing = rng.choice(things)
            choice = rng.random()
            if choice < 0.4:
                graph.add((thing, EX.type, rng.choice([EX.Zone, EX.Office, EX.City])))
            elif choice < 0.7:
                graph.add((thing, EX.link, rng.choice(things)))
            elif choice < 0.85:
                graph.add((thing, EX.size, Literal(rng.randint(0, 3))))
            else:
                graph.add((thing, EX.source, EX[f"g{rng.randint(0, 11)}"]))
    return ds


PREFIX = "PREFIX ex: <http://example.org/>\n"
QUERIES = [
    # one row per thing, GRAPH looked up with the subject bound
    "SELECT * WHERE { ?t ex:type ex:Zone . GRAPH ?g { ?t ex:type ?k } }",
    # object bound from the row, OPTIONAL and FILTER inside the GRAPH
    "SELECT * WHERE { ?a ex:link ?b . GRAPH ?g { ?x ex:link ?b OPTIONAL { ?x ex:size ?n } FILTER (!BOUND(?n) || ?n > 0) } }",
    # an OPTIONAL inside the GRAPH: only its first part is required
    "SELECT * WHERE { ?t ex:type ex:Zone . GRAPH ?g { ?t ex:type ?k OPTIONAL { ?t ex:size ?n } } }",
    # the graph variable used inside the graph pattern
    "SELECT * WHERE { ?t ex:type ?k . GRAPH ?g { ?t ex:source ?g } }",
    # a UNION first inside GRAPH: no required pattern, every graph is tried
    "SELECT * WHERE { ?t ex:type ex:Office . GRAPH ?g { { ?t ex:size ?n } UNION { ?t ex:link ?o } } }",
    # a property path, BIND and MINUS inside the graph
    "SELECT * WHERE { ?t ex:type ?k . GRAPH ?g { ?t ex:link+ ?far . ?t ex:link ?near BIND (STR(?near) AS ?s) MINUS { ?t ex:size 0 } } }",
    # a blank node in the pattern (a variable in SPARQL) and a literal as the known object
    "SELECT * WHERE { ?t ex:type ?k . GRAPH ?g { ?t ex:link [ ex:type ?k2 ] } }",
    "SELECT * WHERE { GRAPH ?g { ?t ex:size 2 ; ex:type ?k } }",
    # nothing bound from outside: the graph variable ranges over every graph
    "SELECT * WHERE { GRAPH ?g { ?t ex:type ?k . ?t ex:link ?o } }",
    # a graph given by VALUES (bound: rdflib's own evaluation)
    "SELECT * WHERE { VALUES ?g { ex:g1 ex:g2 } ?t ex:type ?k . GRAPH ?g { ?t ?p ?o } }",
    # a nested GRAPH with its own variable, and an aggregate over graphs
    "SELECT ?t (COUNT(DISTINCT ?g) AS ?n) WHERE { ?t ex:type ?k . GRAPH ?g { ?t ex:type ?k2 GRAPH ?h { ?t ex:link ?o } } } GROUP BY ?t",
]
# a graph pattern of one triple pattern: read in one pass over the store's matching triples
SINGLE_PATTERN_QUERIES = [
    "SELECT * WHERE { GRAPH ?g { ?t ex:type ?k } }",
    "SELECT * WHERE { { SELECT * WHERE { GRAPH ?g { ?t ex:link ?o } } } { SELECT * WHERE { GRAPH ?g { ?o ex:type ?k } } } }",
    "SELECT * WHERE { GRAPH ?g { ?t ?p ex:Zone } }",
    "SELECT * WHERE { GRAPH ?g { ?t ex:size 2 } }",
    "SELECT * WHERE { ?t ex:type ex:Zone . GRAPH ?g { ?t ?p ?o } }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?t ex:link ?o } } GROUP BY ?g",
    # rdflib's own way: a variable twice, the graph variable inside, nothing bound at all
    "SELECT * WHERE { GRAPH ?g { ?t ex:link ?t } }",
    "SELECT * WHERE { GRAPH ?g { ?t ex:source ?g } }",
    "SELECT * WHERE { GRAPH ?g { ?t ?p ?o } }",
]


@pytest.mark.parametrize("store", [GraphAwareMemory, Memory])
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("text", QUERIES + SINGLE_PATTERN_QUERIES)
def test_graph_queries_give_rdflibs_rows(store: type, seed: int, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """rdflib's rows; and in the order of coopgraph's evaluation without the graph pruning."""
    dataset = _dataset(seed, store)
    text = PREFIX + text
    result = dataset.query(text)  # outside coopgraph: rdflib's own evaluation
    expected = Counter(tuple(row[v] for v in result.vars) for row in result)
    got = run_query(dataset, text).bindings
    assert Counter(got) == expected
    with monkeypatch.context() as patch:
        patch.setattr(graph_match, "applies", lambda ctx, part: False)
        unpruned = run_query(dataset, text).bindings
    assert got == unpruned


def _graph_part(text: str):  # type: ignore[no-untyped-def]
    part = prepareQuery(PREFIX + text).algebra
    while part.name != "Graph":
        part = part.p
    return part


def test_candidates_are_the_graphs_that_hold_a_required_pattern() -> None:
    dataset = _dataset(5)
    graph_part = _graph_part("SELECT * WHERE { GRAPH ?g { ?t ex:type ?k . ?t ex:link ?o } }")
    graphs = list(dataset.graphs())

    def holding(*pattern):  # type: ignore[no-untyped-def]
        return {g.identifier for g in graphs if pattern in g}

    tried = 0
    for thing in {s for s, _, _ in dataset.triples((None, EX.link, None))}:
        ctx = QueryContext(dataset).push()
        ctx[Variable("t")] = thing
        candidates = graph_match.graph_candidates(ctx, graph_part)
        both = holding(thing, EX.type, None) & holding(thing, EX.link, None)
        assert candidates in (holding(thing, EX.type, None), holding(thing, EX.link, None))
        assert both <= candidates and len(candidates) < len(graphs)
        tried += 1
    assert tried > 3
    # nothing bound: no pattern to look up, every graph is tried
    assert graph_match.graph_candidates(QueryContext(dataset), graph_part) is None
    # a UNION first: no required pattern
    union = _graph_part("SELECT * WHERE { GRAPH ?g { { ?t ex:size ?n } UNION { ?t ex:link ?o } } }")
    ctx = QueryContext(dataset).push()
    ctx[Variable("t")] = EX.t1
    assert graph_match.graph_candidates(ctx, union) is None


def test_plain_rdflib_queries_keep_rdflibs_graph_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = _dataset(6)
    text = PREFIX + QUERIES[0]
    run_query(dataset, text)  # registers coopgraph's extension
    calls: list[int] = []
    original = graph_match.evaluate_graph

    def counting(ctx, part):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(ctx, part)

    monkeypatch.setattr(graph_match, "evaluate_graph", counting)
    list(dataset.query(text))
    assert calls == []
    run_query(dataset, text)
    assert calls


@pytest.mark.parametrize("text", SINGLE_PATTERN_QUERIES[:6])
def test_a_single_pattern_is_read_in_one_pass_not_per_graph(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No graph is asked for the pattern on its own: the store is read once, for all graphs."""
    dataset = _dataset(7)
    asked: list[object] = []
    original = dataset.store.triples

    def recording(pattern, context=None):  # type: ignore[no-untyped-def]
        asked.append(context)
        return original(pattern, context)

    monkeypatch.setattr(dataset.store, "triples", recording)
    rows = run_query(dataset, PREFIX + text).bindings
    assert rows and asked
    assert all(context is None for context in asked)

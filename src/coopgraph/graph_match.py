"""``GRAPH ?g { ... }`` evaluated only in the named graphs that can match, for rdflib.

rdflib evaluates ``GRAPH ?g { P }`` with ``?g`` unbound by evaluating ``P`` in every named
graph in turn. Inside a join that happens once per row: ``?zone a cg:Zone . GRAPH ?g { ?zone a
?type }`` evaluates the inner pattern in every graph of the corpus for every zone, rows x graphs
lookups. :func:`evaluate_graph` first reads one required triple pattern of ``P`` (with the row's
bindings) from the whole dataset at once, and evaluates ``P`` as rdflib does, in rdflib's order,
but only in the graphs that hold a match for it: a graph without one gives no solution.

A graph pattern of exactly one triple pattern, as in the blocks ``{ SELECT * WHERE { GRAPH ?g {
?f cg:metric ?metric } } }`` that hash-join one property at a time, is read from rdflib's
in-memory store in one pass over the matching triples, each with the graphs that hold it,
instead of once per graph: the same solutions in the same order (graph by graph as rdflib
lists the graphs, and within a graph in the order the store gives that graph's triples).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from rdflib.paths import Path
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _join
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import FrozenBindings, QueryContext
from rdflib.plugins.stores.memory import Memory
from rdflib.term import BNode, Node, Variable

# the child that every solution of the part must also be a solution of
_REQUIRED_CHILD = {"Join": "p1", "LeftJoin": "p1", "Filter": "p", "Extend": "p", "Minus": "p1"}


def _leading_triples(part: Any) -> list[tuple[Node, Node, Node]]:
    """The triple patterns of the basic graph pattern that every solution of ``part`` matches."""
    while isinstance(part, CompValue):
        if part.name == "BGP":
            return list(part.triples)
        child = _REQUIRED_CHILD.get(part.name)
        if child is None:
            return []
        part = part[child]
    return []


def _lookup_pattern(ctx: QueryContext, part: Any) -> tuple[Node | None, Node | None, Node | None] | None:
    """The most selective required triple pattern of ``part`` with subject or object known, else ``None``."""
    best, best_score = None, 0
    for s, p, o in _leading_triples(part):
        if isinstance(p, Path):
            continue
        pattern = (ctx[s], ctx[p], ctx[o])  # a variable's value (None: unbound), or the term itself
        score = 2 * (pattern[0] is not None) + 2 * (pattern[2] is not None) + (pattern[1] is not None)
        if (pattern[0] is not None or pattern[2] is not None) and score > best_score:
            best, best_score = pattern, score
    return best


def graph_candidates(ctx: QueryContext, part: CompValue) -> set[Node] | None:
    """The names of the graphs that hold a match for a required pattern of ``part.p``; ``None``: all."""
    pattern = _lookup_pattern(ctx, part.p)
    if pattern is None:
        return None
    names: set[Node] = set()
    for _triple, contexts in ctx.dataset.store.triples(pattern, None):
        names.update(getattr(context, "identifier", context) for context in contexts)
    return names


def _single_pattern(part: CompValue) -> tuple[Node, Node, Node] | None:
    """The triple pattern of ``GRAPH ?g { s p o }`` when that is all the graph pattern holds and
    each of its variables stands once (not the graph variable); else ``None``."""
    inner = part.p
    if not (isinstance(inner, CompValue) and inner.name == "BGP" and len(inner.triples) == 1):
        return None
    terms = tuple(inner.triples[0])
    if isinstance(terms[1], Path) or any(isinstance(term, BNode) for term in terms):
        return None
    variables = [term for term in terms if isinstance(term, Variable)]
    if len(set(variables)) != len(variables) or part.term in variables:
        return None
    return terms  # type: ignore[return-value]


def _graph_by_graph(
    ctx: QueryContext, part: CompValue, rows_in: Callable[[Any], Iterable[FrozenBindings] | None]
) -> Iterator[FrozenBindings]:
    """rdflib's ``evalGraph`` loop: for each named graph in rdflib's order, the rows that
    ``rows_in(graph)`` gives (``None``: the graph cannot match), with the graph variable bound."""
    prev_graph = ctx.graph
    default = ctx.dataset.default_context
    for graph in ctx.dataset.contexts():
        if graph == default:
            continue
        rows = rows_in(graph)
        if rows is None:
            continue
        for solution in _join(rows, [{part.term: graph.identifier}]):
            solution.ctx.graph = prev_graph
            yield solution


def _evaluate_single_pattern(ctx: QueryContext, part: CompValue, terms: tuple[Node, Node, Node]) -> Iterator[FrozenBindings]:
    """``GRAPH ?g { s p o }`` from one pass over the store's matching triples (see the module's text)."""
    store = ctx.dataset.store
    pattern = (ctx[terms[0]], ctx[terms[1]], ctx[terms[2]])
    by_graph: dict[Node, list[tuple[Node, Node, Node]]] = {}
    for triple, contexts in store.triples(pattern, None):
        for context in contexts:
            by_graph.setdefault(getattr(context, "identifier", context), []).append(triple)
    in_graph_order = getattr(store, "in_graph_order", None)
    unbound = [(index, term) for index, term in enumerate(terms) if pattern[index] is None]

    def rows_in(graph: Any) -> Iterator[FrozenBindings] | None:
        found = by_graph.get(graph.identifier)
        if not found:
            return None
        if in_graph_order is not None:
            found = in_graph_order(found, pattern, graph)
        return _bind_each(ctx.pushGraph(graph).push(), found, unbound)

    return _graph_by_graph(ctx, part, rows_in)


def _bind_each(ctx: QueryContext, triples: list[tuple[Node, Node, Node]], unbound: list[tuple[int, Node]]) -> Iterator[FrozenBindings]:
    """One solution per triple, its unbound variables bound as rdflib's evalBGP binds one pattern."""
    for triple in triples:
        row = ctx.push() if unbound else ctx
        for index, term in unbound:
            row[term] = triple[index]
        yield row.solution()


def evaluate_graph(ctx: QueryContext, part: CompValue) -> Iterator[FrozenBindings]:
    """rdflib's ``evalGraph`` for an unbound graph variable, skipping the graphs that cannot match
    (a generator: nothing is read before its first row is asked for)."""
    ctx = ctx.clone()
    terms = _single_pattern(part)
    if terms is not None and isinstance(ctx.dataset.store, Memory) and any(ctx[term] is not None for term in terms):
        yield from _evaluate_single_pattern(ctx, part, terms)
        return
    candidates = graph_candidates(ctx, part)

    def rows_in(graph: Any) -> Iterator[FrozenBindings] | None:
        if candidates is not None and graph.identifier not in candidates:
            return None
        return evalPart(ctx.pushGraph(graph).push(), part.p)

    yield from _graph_by_graph(ctx, part, rows_in)


def applies(ctx: QueryContext, part: CompValue) -> bool:
    """Whether ``part`` is a ``GRAPH`` with a graph variable that ``ctx`` leaves unbound, over a dataset."""
    return ctx.dataset is not None and isinstance(part.term, Variable) and ctx[part.term] is None

"""``GRAPH ?g { ... }`` evaluated only in the named graphs that can match, for rdflib.

rdflib evaluates ``GRAPH ?g { P }`` with ``?g`` unbound by evaluating ``P`` in every named
graph in turn. Inside a join that happens once per row: ``?zone a cg:Zone . GRAPH ?g { ?zone a
?type }`` evaluates the inner pattern in every graph of the corpus for every zone, rows x graphs
lookups. :func:`evaluate_graph` first reads one required triple pattern of ``P`` (with the row's
bindings) from the whole dataset at once, and evaluates ``P`` as rdflib does, in rdflib's order,
but only in the graphs that hold a match for it: a graph without one gives no solution.
"""

from __future__ import annotations

from typing import Any, Iterator

from rdflib.paths import Path
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _join
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import FrozenBindings, QueryContext
from rdflib.term import Node, Variable

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


def evaluate_graph(ctx: QueryContext, part: CompValue) -> Iterator[FrozenBindings]:
    """rdflib's ``evalGraph`` for an unbound graph variable, skipping the graphs that cannot match."""
    ctx = ctx.clone()
    candidates = graph_candidates(ctx, part)
    prev_graph = ctx.graph
    default = ctx.dataset.default_context
    for graph in ctx.dataset.contexts():
        if graph == default or (candidates is not None and graph.identifier not in candidates):
            continue
        inner = ctx.pushGraph(graph).push()
        for solution in _join(evalPart(inner, part.p), [{part.term: graph.identifier}]):
            solution.ctx.graph = prev_graph
            yield solution


def applies(ctx: QueryContext, part: CompValue) -> bool:
    """Whether ``part`` is a ``GRAPH`` with a graph variable that ``ctx`` leaves unbound, over a dataset."""
    return ctx.dataset is not None and isinstance(part.term, Variable) and ctx[part.term] is None

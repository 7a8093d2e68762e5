"""A hash join for rdflib's eager SPARQL joins, used only while coopgraph runs a query.

rdflib joins two parts it cannot evaluate one into the other (a part holding a sub-select,
DISTINCT or LIMIT) with a nested loop: every left row is tried against every right row,
O(|left| x |right|). :func:`hash_join` gives the same rows in the same order but looks the
right rows up by the variables they all bind, so each left row meets only its partners.

It is installed through rdflib's extension point ``rdflib.plugins.sparql.CUSTOM_EVALS`` and
acts only inside :func:`hash_joins` (a context variable, so other threads and other users of
rdflib in the same process keep rdflib's own join). The same extension hands ``GRAPH ?g``
with ``?g`` unbound to :mod:`coopgraph.graph_match`.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterable, Iterator, Mapping

from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalLazyJoin, evalPart
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.evalutils import _ebv
from rdflib.plugins.sparql.sparql import FrozenBindings, FrozenDict, QueryContext
from rdflib.term import Identifier, Variable

from coopgraph import graph_match

_ACTIVE: ContextVar[bool] = ContextVar("coopgraph_hash_joins", default=False)
_EXTENSION_NAME = "coopgraph-hash-join"


class _RightSide:
    """The rows of a join's right side, with a hash index per set of key variables."""

    def __init__(self, rows: Iterable[Mapping[Variable, Identifier]]) -> None:
        self.rows = list(rows)
        bound_everywhere = set(self.rows[0]) if self.rows else set()
        for row in self.rows[1:]:
            bound_everywhere.intersection_update(row)
            if not bound_everywhere:
                break
        self._key_order = sorted(bound_everywhere)
        self._indexes: dict[tuple[Variable, ...], dict[tuple[Identifier, ...], list[Mapping[Variable, Identifier]]]] = {}

    def candidates(self, left: FrozenDict) -> Iterable[Mapping[Variable, Identifier]]:
        """The right rows that agree with ``left`` on the variables all right rows bind, in order."""
        own = left._d  # own bindings only, as compatible() compares
        key_vars = tuple(var for var in self._key_order if var in own)
        if not key_vars:
            return self.rows
        index = self._indexes.get(key_vars)
        if index is None:
            index = self._indexes[key_vars] = {}
            for row in self.rows:
                index.setdefault(tuple(row[var] for var in key_vars), []).append(row)
        return index.get(tuple(own[var] for var in key_vars), ())


def hash_join(
    left: Iterable[FrozenDict], right: Callable[[], Iterable[Mapping[Variable, Identifier]]]
) -> Iterator[FrozenDict]:
    """Join ``left`` with the rows of ``right()`` like rdflib's nested loop (same rows), by hashing.

    The key of a left row is its values for the variables that every right row binds; rows
    that share no such variable with it are all candidates. The final test is rdflib's own
    ``compatible``, so unbound variables and initial bindings behave exactly as before.
    ``right`` is called at the first left row: a left side without rows (a guard that does
    not hold) never evaluates the right one.
    """
    right_side: _RightSide | None = None
    for row in left:
        if right_side is None:
            right_side = _RightSide(right())
        for partner in right_side.candidates(row):
            if row.compatible(partner):
                yield row.merge(partner)


def hash_left_join(
    ctx: QueryContext, left: Iterable[FrozenBindings], right: Callable[[], Iterable[FrozenBindings]], expr: Any
) -> Iterator[FrozenBindings]:
    """SPARQL's LeftJoin of ``left`` with ``right()`` (called once, at the first left row), ``expr`` on each pair."""
    right_side: _RightSide | None = None
    for row in left:
        if right_side is None:
            right_side = _RightSide(right())
        matched = False
        for partner in right_side.candidates(row):
            if row.compatible(partner):
                merged = row.merge(partner)
                if _ebv(expr, merged.forget(ctx)):
                    matched = True
                    yield merged
        if not matched:
            yield row


def _holds_subselect(part: Any) -> bool:
    """Whether the algebra ``part`` contains a sub-select or a VALUES block (a ToMultiSet)."""
    if isinstance(part, CompValue):
        return part.name == "ToMultiSet" or any(_holds_subselect(value) for value in part.values())
    if isinstance(part, (list, tuple)):
        return any(_holds_subselect(item) for item in part)
    return False


_PATTERN_PARTS = {"BGP": (), "Graph": ("p",), "Filter": ("p",), "Join": ("p1", "p2"), "LeftJoin": ("p1", "p2"), "Union": ("p1", "p2")}


def _accepts_bindings(part: Any) -> bool:
    """Whether ``part`` is built of triple patterns, GRAPH, FILTER, joins, OPTIONAL and UNION only.

    Such a part gives the same rows evaluated with a left row's bindings pushed in (rdflib's
    lazy join: index lookups) as evaluated alone and joined; a sub-select, VALUES, BIND or
    aggregate may not, so those are evaluated once and hashed.
    """
    if not isinstance(part, CompValue) or part.name not in _PATTERN_PARTS:
        return False
    return all(_accepts_bindings(part[child]) for child in _PATTERN_PARTS[part.name])


def _evaluate(ctx: QueryContext, part: CompValue) -> Any:
    """rdflib's evaluation of joins (lookups into plain patterns, blocks evaluated once and hashed)
    and of ``GRAPH ?g`` (only the graphs that can match, :mod:`coopgraph.graph_match`)."""
    if not _ACTIVE.get():
        raise NotImplementedError  # rdflib's own evaluation takes this part
    if part.name == "Graph":
        if graph_match.applies(ctx, part):
            return graph_match.evaluate_graph(ctx, part)
        raise NotImplementedError
    if part.name not in ("Join", "LeftJoin"):
        raise NotImplementedError
    if part.name == "Join":
        if _accepts_bindings(part.p2):
            return evalLazyJoin(ctx, part)  # rdflib's own, also where it would have joined eagerly
        if part.lazy and not _holds_subselect(part.p2):
            raise NotImplementedError  # e.g. a BIND on the right: rdflib's lazy join as it is
        # as rdflib's eager join: the right side as a set
        return hash_join(evalPart(ctx, part.p1), lambda: set(evalPart(ctx, part.p2)))
    if not _holds_subselect(part.p2):
        raise NotImplementedError
    return hash_left_join(ctx, evalPart(ctx, part.p1), lambda: evalPart(ctx, part.p2), part.expr)


@contextmanager
def hash_joins() -> Iterator[None]:
    """Within this block, rdflib evaluates eager joins and joins on blocks by hashing, and
    ``GRAPH ?g`` only in the graphs that can match."""
    CUSTOM_EVALS.setdefault(_EXTENSION_NAME, _evaluate)
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)

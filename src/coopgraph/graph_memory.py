"""rdflib's in-memory store, reading a pattern inside one named graph from that graph when cheaper.

rdflib's ``Memory`` store answers a pattern asked of one named graph, such as ``?f cg:metric
?m`` inside ``GRAPH ?g { ... }``, from its store-wide indexes: every ``cg:metric`` triple of every
graph, each then tested for membership of the graph asked about. SPARQL's ``GRAPH ?g`` asks
that of every graph in turn, so a corpus of N graphs of similar size pays N x N tests for one
pattern. :class:`GraphAwareMemory` answers such a pattern from the graph's own triples when the
graph holds fewer triples than the store-wide index would read: linear in the corpus, not
quadratic. The triples found are the same; they come sorted by their terms (a set's order
changes from one process to the next, and answers must not).
"""

from __future__ import annotations

from typing import Any, Iterator

from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

_TermKey = tuple[str, str, str, str]


def _term_key(term: Node) -> _TermKey:
    """A sort key for a term that no two different terms share and every process computes alike."""
    return (type(term).__name__, str(term), str(getattr(term, "datatype", None) or ""), getattr(term, "language", None) or "")


def _triple_key(triple: tuple[Node, Node, Node]) -> tuple[_TermKey, _TermKey, _TermKey]:
    return (_term_key(triple[0]), _term_key(triple[1]), _term_key(triple[2]))


class GraphAwareMemory(Memory):
    """rdflib's ``Memory`` store; a subject-free pattern asked of one small graph is read from that graph.

    After :meth:`track_changes` it also remembers which graphs were changed since (see
    :meth:`changed_graphs`): what a graph read from a file holds is then known from the file's
    bytes only while the graph is unchanged (the validation cache relies on it).
    """

    #: the identifiers of the graphs changed since :meth:`track_changes` (``None`` in it: a
    #: triple removed from every graph); ``None`` while changes are not tracked. A class
    #: default, so that stores pickled before the attribute existed read as untracked.
    _changes: set[Node | None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._predicate_sizes: dict[Node, int] = {}
        self._sized_at = -1

    def track_changes(self) -> None:
        """Start remembering which graphs are changed (forgetting what was changed before)."""
        self._changes = set()

    def changed_graphs(self) -> set[Node | None] | None:
        """The graphs changed since :meth:`track_changes` (``None`` in the set: possibly any), or ``None`` if not tracked."""
        return None if self._changes is None else set(self._changes)

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:  # type: ignore[override]
        if self._changes is not None:
            self._changes.add(getattr(context, "identifier", None))
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:  # type: ignore[override]
        if self._changes is not None:
            self._changes.add(getattr(context, "identifier", None))
        super().remove(triple_pattern, context)

    def _predicate_size(self, predicate: Node) -> int:
        """How many triples of the whole store have ``predicate`` (recounted when the store's size changes).

        A count taken before an equal number of additions and removals may be stale; that only
        chooses the slower way, never a different answer.
        """
        total = self.__len__()
        if total != self._sized_at:
            self._predicate_sizes.clear()
            self._sized_at = total
        size = self._predicate_sizes.get(predicate)
        if size is None:
            by_object = self._Memory__pos.get(predicate, {})  # type: ignore[attr-defined]
            size = self._predicate_sizes[predicate] = sum(len(subjects) for subjects in by_object.values())
        return size

    def _own_triples(self, triple_pattern: Any, context: Any) -> Any:
        """The triples of ``context`` when a pattern asked of it is read from them (a set), else ``None``."""
        subject, predicate, object_ = triple_pattern
        if context is None or subject is not None or predicate is None:
            return None
        graph_key = self._Memory__ctx_to_str(context)  # type: ignore[attr-defined]
        in_graph = self._Memory__contextTriples.get(graph_key) if graph_key is not None else None  # type: ignore[attr-defined]
        if in_graph is None:
            return None
        if object_ is None:
            index_size = self._predicate_size(predicate)
        else:
            index_size = len(self._Memory__pos.get(predicate, {}).get(object_, ()))  # type: ignore[attr-defined]
        return in_graph if len(in_graph) < index_size else None

    def in_graph_order(self, found: list[Any], triple_pattern: Any, context: Any) -> list[Any]:
        """``found``, the matches of ``triple_pattern`` in ``context`` in the order of the
        store-wide index, put in the order :meth:`triples` gives them for ``context``."""
        if self._own_triples(triple_pattern, context) is not None:
            return sorted(found, key=_triple_key)
        return found

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]
        """The triples matching ``triple_pattern`` in ``context``, each with the contexts that hold it."""
        in_graph = self._own_triples(triple_pattern, context)
        if in_graph is None:
            return super().triples(triple_pattern, context)
        _subject, predicate, object_ = triple_pattern
        # str.__eq__ (C) first, the term's own equality (type and text) on the few that pass
        same_text = str.__eq__
        found = [
            triple
            for triple in in_graph
            if same_text(triple[1], predicate) and triple[1] == predicate
            and (object_ is None or triple[2] == object_)
        ]
        found.sort(key=_triple_key)
        return self._with_contexts(found)

    def _with_contexts(self, found: list[Any]) -> Iterator[Any]:
        for triple in found:
            yield triple, self._Memory__contexts(triple)  # type: ignore[attr-defined]

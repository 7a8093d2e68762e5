"""Canonical blank-node labels: the same data gives the same labels, whatever the run.

Blank nodes get labels derived from their content (a hash of their surroundings, refined
until nodes can be told apart; symmetric ties are broken by a bounded search), so exports
are byte-identical from one run to the next and a blank node whose surroundings do not
change keeps its label from one release to the next.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Callable, Iterable, Mapping, Sequence

from rdflib import BNode, URIRef
from rdflib.term import Node

from coopgraph.rdfterms import nt_term

Quad = tuple[Node, Node, Node, "URIRef | None"]

#: how many candidate labellings the canonicaliser may try for one highly symmetric,
#: cyclic blank-node structure before it settles for the best found so far
_SEARCH_BUDGET = 512



def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical_bnode_labels(
    quads: Iterable[Quad], *, on_warning: Callable[[str], None] | None = None
) -> dict[BNode, str]:
    """Give every blank node of ``quads`` a label that depends only on the data.

    The labels are :func:`labels_from_digests` of :func:`canonical_bnode_digests`.
    """
    return labels_from_digests(canonical_bnode_digests(quads, on_warning=on_warning))


def labels_from_digests(digests: Mapping[BNode, str]) -> dict[BNode, str]:
    """``b`` + the first 16 hex digits of each digest, more (in steps of 8) only if two would collide."""
    length = 16
    while length < 64 and len({v[:length] for v in digests.values()}) < len(digests):
        length += 8
    return {node: "b" + digest[:length] for node, digest in digests.items()}


def canonical_bnode_digests(
    quads: Iterable[Quad], *, on_warning: Callable[[str], None] | None = None
) -> dict[BNode, str]:
    """A SHA-256 digest (64 hex digits) for every blank node of ``quads``, from the data alone.

    Only the quads that touch a blank node count (the edges of the blank nodes). A
    component's digests depend on its own quads and on how many identical components came
    before it; its edges name their graph, so identical components lie in one graph. Hence,
    when no blank node of a graph occurs in another graph, the digests of that graph's blank
    nodes are those computed from its own quads alone (:mod:`coopgraph.export_stream` relies
    on this to label graph by graph).

    The blank nodes linked to each other form connected components (an evidence selector is
    a component of one node). Each component is labelled on its own:

    1. colour refinement (1-dimensional Weisfeiler–Lehman): a node's colour is a hash of its
       previous colour and the sorted multiset of its edges — direction, predicate, graph,
       and the other end (an IRI or literal verbatim, a blank node by its colour) — repeated
       until the partition of the component into colours stops splitting;
    2. nodes that are still indistinguishable are told apart by individualising one of them
       and refining again. When the component's blank nodes form a tree (the usual case:
       nested ``[ ]``), indistinguishable nodes are interchangeable (an automorphism maps one
       onto the other), so any choice gives the same output. When they form a cycle, every
       choice is tried and the one giving the smallest canonical text wins (bounded search);
    3. the component's canonical text (its sorted quads written with the colours) is hashed;
       each node's digest is a hash of that, its colour, and the occurrence number among
       identical components (identical components are interchangeable too).
    """
    # edges[node] = list of (code, neighbour): code describes the edge and, for an IRI or
    # literal at the other end, that term; neighbour is the blank node at the other end.
    edges: dict[BNode, list[tuple[str, BNode | None]]] = defaultdict(list)
    parent: dict[BNode, BNode] = {}

    def find(node: BNode) -> BNode:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    cyclic_roots: set[BNode] = set()
    pairs: set[frozenset[BNode]] = set()
    for s, p, o, g in quads:
        gk = nt_term(g) if g is not None else "-"
        pk = nt_term(p)
        s_blank = isinstance(s, BNode)
        o_blank = isinstance(o, BNode)
        if s_blank:
            parent.setdefault(s, s)
            edges[s].append((f">{pk}{gk}", o) if o_blank else (f">{pk}{gk}{nt_term(o)}", None))
        if o_blank:
            parent.setdefault(o, o)
            edges[o].append((f"<{pk}{gk}", s) if s_blank else (f"<{pk}{gk}{nt_term(s)}", None))
        if s_blank and o_blank and s != o:
            pair = frozenset((s, o))
            if pair in pairs:
                continue
            pairs.add(pair)
            rs, ro = find(s), find(o)
            if rs == ro:
                cyclic_roots.add(rs)
            else:
                parent[rs] = ro
                if rs in cyclic_roots:
                    cyclic_roots.discard(rs)
                    cyclic_roots.add(ro)
    components: dict[BNode, list[BNode]] = defaultdict(list)
    for node in parent:
        components[find(node)].append(node)

    state = {"exhausted": False}
    results: list[tuple[str, dict[BNode, str]]] = []
    for root, nodes in components.items():
        colours = {n: "" for n in nodes}
        colours = _refine(nodes, edges, colours)
        budget = [_SEARCH_BUDGET]
        serial, colours = _search(nodes, edges, colours, root in cyclic_roots, budget)
        if budget[0] <= 0:
            state["exhausted"] = True
        results.append((_h(serial), colours))

    if state["exhausted"] and on_warning is not None:
        on_warning(
            "a highly symmetric cyclic blank-node structure could not be fully canonicalised; "
            "its blank-node labels may differ between runs"
        )

    occurrences: dict[str, int] = defaultdict(int)
    full: dict[BNode, str] = {}
    for comp_hash, colours in results:
        occurrence = occurrences[comp_hash]
        occurrences[comp_hash] += 1
        for node, colour in colours.items():
            full[node] = _h(f"{comp_hash}|{colour}|{occurrence}")
    return full


def _refine(
    nodes: Sequence[BNode], edges: Mapping[BNode, list[tuple[str, BNode | None]]], colours: dict[BNode, str]
) -> dict[BNode, str]:
    count = len(set(colours.values()))
    while True:
        new = {}
        for node in nodes:
            signature = sorted(code + "\x1f" + (colours[nb] if nb is not None else "") for code, nb in edges[node])
            new[node] = _h(colours[node] + "\x1e" + "\x1d".join(signature))
        new_count = len(set(new.values()))
        colours = new
        if new_count == count:
            return colours
        count = new_count


def _serial(nodes: Sequence[BNode], edges: Mapping[BNode, list[tuple[str, BNode | None]]], colours: Mapping[BNode, str]) -> str:
    lines = sorted(
        colours[node] + code + "\x1f" + (colours[nb] if nb is not None else "") for node in nodes for code, nb in edges[node]
    )
    return "\n".join(lines)


def _search(
    nodes: Sequence[BNode],
    edges: Mapping[BNode, list[tuple[str, BNode | None]]],
    colours: dict[BNode, str],
    cyclic: bool,
    budget: list[int],
) -> tuple[str, dict[BNode, str]]:
    classes: dict[str, list[BNode]] = defaultdict(list)
    for node in nodes:
        classes[colours[node]].append(node)
    ties = [c for c, members in classes.items() if len(members) > 1]
    if not ties:
        budget[0] -= 1
        return _serial(nodes, edges, colours), colours
    tie = min(ties)
    members = classes[tie]
    # In a tree, nodes of one colour are interchangeable: trying one suffices.
    choices = members if cyclic else members[:1]
    best: tuple[str, dict[BNode, str]] | None = None
    for member in choices:
        if best is not None and budget[0] <= 0:
            break
        trial = dict(colours)
        trial[member] = _h(tie + "*")
        trial = _refine(nodes, edges, trial)
        result = _search(nodes, edges, trial, cyclic, budget)
        if best is None or result[0] < best[0]:
            best = result
    assert best is not None
    return best

"""Deterministic exports of the knowledge graph: Turtle, TriG, N-Quads and JSON-LD.

rdflib's own serialisers do not promise byte-identical output from one run to the next
(blank-node labels are random, and set/dict iteration order follows object identity and
``PYTHONHASHSEED``). Data consumers diff one release against the next, so this module writes
every format itself, canonically:

* **Named graphs** are written in the order of their IRIs.
* **Blank nodes** get labels derived from their content, never from rdflib's random ids
  (see :func:`canonical_bnode_labels`): the same data gives the same labels, and a blank node
  whose surroundings do not change keeps its label from one release to the next.
* **Subjects** are sorted (IRIs by IRI, then labelled blank nodes by label), ``rdf:type`` comes
  first, the other predicates by IRI, and the objects of one predicate in a fixed order
  (IRIs, blank nodes, literals).
* **Turtle and TriG** are pretty-printed: the project prefixes (only those used), one block per
  subject with ``;`` and ``,``, and a blank node that is the object of exactly one triple
  (and occurs in no other graph) is written inline as ``[ ... ]`` — this is how the evidence
  selectors read. Every other blank node is written ``_:b<hash>``.
* **N-Quads** are the sorted lines of canonical N-Quads (full IRIs, ``_:b<hash>`` labels).
* **JSON-LD** uses the compact context of :func:`jsonld_context` (the project prefixes plus a
  few term definitions; the same context is shipped as ``ontology/context.jsonld``) and puts
  each named graph in the top-level ``@graph`` as an object with ``@id`` and ``@graph``.

Every export parses back (rdflib, or any RDF 1.1 parser) into a dataset isomorphic to the one
exported, graph by graph, blank nodes included.

Writing to a file is atomic: the output goes to a temporary file in the destination folder,
is flushed to disk and moved over the destination in one step, so a failed export never leaves
a half-written file where a good one was. TriG, N-Quads and JSON-LD written to a file are
produced graph by graph (:mod:`coopgraph.export_stream`: the same bytes, in memory bounded by the
blank nodes rather than by the whole dataset); Turtle, and any text returned, is produced in
memory.
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, Iterator, Mapping, Sequence

from rdflib import URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from coopgraph.errors import ExportError, UnknownGraphError
from coopgraph.canonical import canonical_bnode_labels
from coopgraph.export_stream import STREAMING_FORMATS, write_streaming
from coopgraph.namespaces import CGG, CGSRC, DERIVED_GRAPHS, GRAPH_INFERRED, PREFIXES
from coopgraph.rdfterms import PN_LOCAL
from coopgraph.suggest import known_names_hint
from coopgraph.writers import (
    TurtleWriter,
    is_writable,
    skipped_message,
    write_jsonld,
    write_nquads,
    jsonld_context,
    jsonld_context_document,
    jsonld_context_path,
)

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.kg import KnowledgeGraph

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "FILE_EXTENSIONS",
    "ExportWarning",
    "export",
    "export_graphs",
    "serialize",
    "resolve_graph",
    "canonical_bnode_labels",
    "jsonld_context",
    "jsonld_context_document",
    "jsonld_context_path",
    "write_atomically",
    "atomic_output",
]

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, "URIRef | None"]
#: a graph to write: its name (``None`` for the default graph) and its triples
GraphPart = tuple["URIRef | None", Iterable[Triple]]

#: the export formats, in the order help texts list them
FORMATS: tuple[str, ...] = ("turtle", "trig", "nquads", "jsonld")

#: other spellings users type, mapped to the format name
FORMAT_ALIASES: dict[str, str] = {
    "ttl": "turtle",
    "nq": "nquads",
    "n-quads": "nquads",
    "json-ld": "jsonld",
    "json": "jsonld",
}

MEDIA_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
}

FILE_EXTENSIONS: dict[str, str] = {
    "turtle": ".ttl",
    "trig": ".trig",
    "nquads": ".nq",
    "jsonld": ".jsonld",
}



class ExportWarning(UserWarning):
    """Something about an export the user should know (e.g. graph names dropped in Turtle)."""


# ======================================================================================
# Public entry points
# ======================================================================================


def normalise_format(format: str) -> str:
    """Return the canonical name of ``format`` (aliases such as ``ttl`` accepted).

    Raises :class:`~coopgraph.errors.ExportError` listing the valid formats.
    """
    name = (format or "").strip().lower()
    name = FORMAT_ALIASES.get(name, name)
    if name not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; valid formats: {', '.join(FORMATS)}")
    return name


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file name's extension suggests (``.ttl`` -> turtle ...), or ``None``."""
    suffix = Path(path).suffix.lower()
    for name, extension in FILE_EXTENSIONS.items():
        if suffix == extension:
            return name
    return {".json": "jsonld", ".turtle": "turtle"}.get(suffix)


def export(
    kg: "KnowledgeGraph",
    *,
    format: str = "trig",
    graph: str | URIRef | None = None,
    inferred: bool = False,
    destination: str | os.PathLike[str] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> str | None:
    """Serialise the knowledge graph deterministically.

    :param format: ``turtle``, ``trig``, ``nquads`` or ``jsonld``.
    :param graph: export only this named graph: a source file stem
        (``004_2d85bd7537e4600b``), a prefixed name (``cgg:004_2d85bd7537e4600b``,
        ``cgsrc:004_2d85bd7537e4600b``), a full graph IRI, or ``catalog``, ``places``,
        ``ontology``, ``inferred``, ``corroboration``, ``statistics``; only that graph is exported (its name kept in TriG,
        N-Quads and JSON-LD). Without it TriG, N-Quads and JSON-LD carry every named graph,
        and Turtle the union of them (graph names are dropped: a warning says so). The
        derived graphs (inferences, corroboration index, graph statistics) are left out unless asked for.
    :param inferred: also export the OWL-RL inferences (graph ``cgg:inferred``); the graph
        is reasoned first if it is not yet.
    :param destination: a file to write (atomically); the text is returned when ``None``.
    :param on_warning: called with each warning message; by default warnings go through
        :mod:`warnings` as :class:`ExportWarning`.
    :returns: the serialised text, or ``None`` when it was written to ``destination``.
    :raises ExportError: unknown format, or the destination cannot be written.
    :raises UnknownGraphError: ``graph`` names no graph of the dataset.
    """
    fmt = normalise_format(format)
    warn = _warner(on_warning)
    names = select_graphs(kg, graph=graph, inferred=inferred)
    if graph is not None and inferred and names != [GRAPH_INFERRED]:
        warn("--inferred has no effect with --graph: only the graph named is exported")
    if destination is not None and fmt in STREAMING_FORMATS:
        # written graph by graph: the memory needed does not grow with the graphs' size
        # (coopgraph.export_stream; the same bytes as serialize)
        folder = Path(destination).expanduser().parent
        with atomic_output(destination) as handle:
            write_streaming(
                ((name, kg.store.triples(name)) for name in names), fmt, handle, prefixes=_prefix_map(),
                warn=warn, scratch=folder if folder.is_dir() else None,
            )
        return None
    parts: list[GraphPart]
    if fmt == "turtle" and graph is None:
        if len(names) > 1:
            warn(
                f"Turtle holds a single graph: the union of {len(names)} named graphs is written "
                "and the graph names (which source says what) are dropped; use --format trig, "
                "nquads or jsonld to keep them, or --graph to export one graph"
            )
        union: set[Triple] = set()
        for name in names:
            union.update(kg.store.triples(name))
        parts = [(None, union)]
    elif fmt == "turtle":
        parts = [(None, kg.store.triples(names[0]))]
    else:
        parts = [(name, kg.store.triples(name)) for name in names]
    text = serialize(parts, fmt, on_warning=warn)
    if destination is None:
        return text
    write_atomically(destination, text)
    return None


def export_graphs(
    parts: Sequence[GraphPart],
    *,
    format: str = "trig",
    destination: str | os.PathLike[str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> str | None:
    """Serialise arbitrary graphs (e.g. a dataset description) like :func:`export` does."""
    fmt = normalise_format(format)
    text = serialize(parts, fmt, prefixes=prefixes, on_warning=_warner(on_warning))
    if destination is None:
        return text
    write_atomically(destination, text)
    return None


def select_graphs(kg: "KnowledgeGraph", *, graph: str | URIRef | None = None, inferred: bool = False) -> list[URIRef]:
    """The named graphs an export covers, sorted by IRI (reasons first when inferences are asked)."""
    if graph is not None:
        name = resolve_graph(kg, graph)
        if name == GRAPH_INFERRED:
            kg.ensure_reasoned()
        return [name]
    if inferred:
        kg.ensure_reasoned()
    names = [n for n in _asserted_graphs(kg)]
    if inferred and GRAPH_INFERRED not in names:
        names.append(GRAPH_INFERRED)
    return sorted(names, key=str)


def resolve_graph(kg: "KnowledgeGraph", graph: str | URIRef) -> URIRef:
    """Turn what a user typed into the IRI of a named graph of ``kg``.

    Accepts a source file stem (``004_2d85bd7537e4600b``, also with ``.ttl``), a prefixed
    name (``cgg:…``, or ``cgsrc:…`` for the graph of that source document), a full IRI (also
    in ``<>``), and the special graphs by name (``catalog``, ``places``, ``ontology``,
    ``inferred``, ``corroboration``, ``statistics``). Raises :class:`UnknownGraphError` with
    the closest graph names and a short list of the known ones.
    """
    known = _asserted_graphs(kg)
    known_set = set(known) | set(DERIVED_GRAPHS)
    for candidate in _graph_candidates(str(graph)):
        if candidate in known_set:
            return candidate
    listing = [_short(g) for g in sorted(known_set, key=str)]
    raise UnknownGraphError(f"unknown graph {str(graph)!r}; {known_names_hint(str(graph), listing)}")


def _asserted_graphs(kg: "KnowledgeGraph") -> list[URIRef]:
    return [
        g
        for g in kg.graph_names()
        if g not in DERIVED_GRAPHS and g != DATASET_DEFAULT_GRAPH_ID and isinstance(g, URIRef)
    ]


def _graph_candidates(text: str) -> list[URIRef]:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    candidates: list[URIRef] = []
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", text):
        prefix, _, local = text.partition(":")
        if prefix in PREFIXES and not local.startswith("//"):
            candidates.append(URIRef(str(PREFIXES[prefix]) + local))
        else:
            candidates.append(URIRef(text))
    else:
        stem = text[:-4] if text.endswith(".ttl") else text
        candidates.append(CGG[stem])
    more = []
    for c in candidates:
        if str(c).startswith(str(CGSRC)):
            more.append(CGG[str(c)[len(str(CGSRC)) :]])
    return candidates + more


def _short(iri: URIRef) -> str:
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if str(iri).startswith(ns) and PN_LOCAL.match(str(iri)[len(ns) :]):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return f"<{iri}>"


def _prefix_map(prefixes: Mapping[str, str] | None = None) -> dict[str, str]:
    """Prefix -> namespace IRI as text (the project prefixes unless others are given)."""
    return {p: str(ns) for p, ns in (prefixes if prefixes is not None else PREFIXES).items()}


def _warner(on_warning: Callable[[str], None] | None) -> Callable[[str], None]:
    if on_warning is not None:
        return on_warning

    def warn(message: str) -> None:
        warnings.warn(message, ExportWarning, stacklevel=3)

    return warn


# ======================================================================================
# Serialisation dispatch
# ======================================================================================


def serialize(
    parts: Sequence[GraphPart],
    format: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> str:
    """Serialise ``parts`` (graph name or ``None`` for the default graph, triples) canonically."""
    fmt = normalise_format(format)
    warn = _warner(on_warning)
    prefix_map = _prefix_map(prefixes)
    graphs: list[tuple[URIRef | None, list[Triple]]] = []
    skipped = 0
    for name, triples in sorted(parts, key=lambda part: "" if part[0] is None else "\x01" + str(part[0])):
        kept = []
        for s, p, o in triples:
            if is_writable(s, p, o):
                kept.append((s, p, o))
            else:
                skipped += 1
        graphs.append((name, kept))
    if skipped:
        warn(skipped_message(skipped))
    quads = [(s, p, o, name) for name, triples in graphs for (s, p, o) in triples]
    labels = canonical_bnode_labels(quads, on_warning=warn)
    if fmt == "nquads":
        return write_nquads(quads, labels)
    if fmt == "jsonld":
        return write_jsonld(graphs, labels)
    writer = TurtleWriter(prefix_map, labels, graphs)
    return writer.write(trig=(fmt == "trig"))


# ======================================================================================
# Atomic file writing
# ======================================================================================


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(destination: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that replaces ``destination`` only when the ``with`` block completes.

    What is written goes to a temporary file in the same folder, which is flushed and synced to
    disk and then moved over the destination in one ``os.replace``. Any failure (an
    ``OSError``, or an exception raised inside the block) removes the temporary file and leaves
    the destination untouched; an ``OSError`` is raised as :class:`ExportError` naming the path.
    """
    path = Path(destination).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
    except OSError:
        mode = _default_mode()
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(f"cannot write {path}: {reason}") from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    try:  # make the rename itself durable (best effort; not possible on every platform)
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_atomically(destination: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``destination`` so that it is either fully written or untouched
    (see :func:`atomic_output`)."""
    data = text.encode("utf-8")
    with atomic_output(destination) as handle:
        handle.write(data)


if __name__ == "__main__":  # pragma: no cover - maintenance helper
    import sys

    # `python -m coopgraph.export context` prints the JSON-LD context shipped as ontology/context.jsonld
    if sys.argv[1:] == ["context"]:
        sys.stdout.write(jsonld_context_document())
    else:
        print("usage: python -m coopgraph.export context", file=sys.stderr)
        raise SystemExit(2)

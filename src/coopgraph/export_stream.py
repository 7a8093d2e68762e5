"""TriG, N-Quads and JSON-LD written to a file graph by graph, in memory bounded by the blank nodes.

:func:`coopgraph.export.serialize` holds every quad, every output line and the whole text at
once: an N-Quads export of the 1M-triple synthetic corpus took 1.2 GB from the Oxigraph store
and 1.9 GB from a SPARQL endpoint, so a corpus ten times larger would not fit. Written to a
file, the three named-graph formats need not hold all that; :func:`write_streaming` writes the
same bytes as :func:`~coopgraph.export.serialize` and holds only:

* one digest per blank node, for its canonical label: each graph's blank nodes are labelled
  from that graph's quads as it is read (:class:`_GraphByGraphLabels`); only when a blank node
  occurs in two graphs are the quads that touch a blank node gathered and labelled together;
* for N-Quads, at most ``chunk_lines`` output lines: the lines are sorted in runs spilled to
  temporary files and merged (an external sort; identical lines are written once, as the
  in-memory writer's set does);
* for N-Quads, the triples that touch a blank node wait in a temporary spool file until the
  labels are known; the other lines go to the sort at once;
* for TriG, one graph at a time: each graph's triples are read from the store once, kept in
  the spool until the labels are known, then written one graph after the other; the
  ``@prefix`` lines, which name only the prefixes used, are written last in the writer's
  order and put in front of the body when the file is assembled;
* for JSON-LD, one graph at a time in the same way: the document's ``@graph`` holds one item
  per named graph, each written as :class:`~coopgraph.writers.JsonLdStream` places it.

Turtle (the union of the graphs: every subject's triples from every graph in one block) is
still written in memory.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Mapping

from rdflib import BNode, URIRef
from rdflib.term import Node

from coopgraph.canonical import canonical_bnode_digests, canonical_bnode_labels, labels_from_digests
from coopgraph.writers import JsonLdStream, TurtleWriter, is_writable, nquad_line, shared_blank_nodes, skipped_message

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, "URIRef | None"]
GraphPart = tuple["URIRef | None", Iterable[Triple]]

#: the formats this module writes
STREAMING_FORMATS = ("trig", "nquads", "jsonld")
#: N-Quads lines sorted in memory before a run is spilled to disk
CHUNK_LINES = 250_000


def write_streaming(
    parts: Iterable[GraphPart],
    fmt: str,
    handle: BinaryIO,
    *,
    prefixes: Mapping[str, str],
    warn: Callable[[str], None],
    scratch: str | os.PathLike[str] | None = None,
    chunk_lines: int = CHUNK_LINES,
) -> None:
    """Write ``parts`` as ``fmt`` (``trig``, ``nquads`` or ``jsonld``) to the binary ``handle``, UTF-8.

    ``parts`` must come in the order :func:`~coopgraph.export.serialize` sorts them (the
    default graph first, then by IRI); each part's triples are read once, when its turn comes.
    Temporary files go to ``scratch`` (default: the system's temporary folder).
    """
    if fmt not in STREAMING_FORMATS:
        raise ValueError(f"streaming export writes {', '.join(STREAMING_FORMATS)}, not {fmt!r}")
    with ExitStack() as stack:
        # N-Quads: the triples that touch a blank node, graph by graph (the others are written
        # to the sorter at once); TriG and JSON-LD: every triple, graph by graph
        spool = stack.enter_context(tempfile.TemporaryFile(dir=scratch))
        sorter = stack.enter_context(_ExternalSort(chunk_lines, scratch)) if fmt == "nquads" else None
        labeller = _GraphByGraphLabels()
        skipped = 0
        for name, triples in parts:
            kept: list[Triple] = []
            blank: list[Quad] = []
            for s, p, o in triples:
                if not is_writable(s, p, o):
                    skipped += 1
                    continue
                if isinstance(s, BNode) or isinstance(o, BNode):
                    blank.append((s, p, o, name))
                    if sorter is not None:
                        kept.append((s, p, o))
                elif sorter is not None:
                    sorter.add(nquad_line(s, p, o, name, {}))
                if sorter is None:
                    kept.append((s, p, o))
            labeller.add_graph(name, blank)
            pickle.dump((name, kept), spool, protocol=pickle.HIGHEST_PROTOCOL)
        if skipped:
            warn(skipped_message(skipped))
        labels, shared = labeller.result(lambda: _blank_quads(spool), warn)
        if sorter is not None:
            for name, triples in _spooled(spool):
                for s, p, o in triples:
                    sorter.add(nquad_line(s, p, o, name, labels))
            for line in sorter.merged():
                handle.write(line.encode("utf-8"))
            return
        if fmt == "jsonld":
            stream = JsonLdStream(labels, shared, lambda text: handle.write(text.encode("utf-8")))
            for name, triples in _spooled(spool):
                stream.add_graph(name, triples)
            stream.close()
            return
        _write_trig(spool, handle, prefixes, labels, shared, scratch)


class _GraphByGraphLabels:
    """The canonical blank-node labels of :func:`~coopgraph.canonical.canonical_bnode_labels`,
    computed graph by graph.

    While no blank node occurs in two graphs (the case of data read from files: each file's
    blank nodes are its own), each graph's digests come from its own quads
    (:func:`~coopgraph.canonical.canonical_bnode_digests` says why they are the same), and only
    one digest per blank node is kept. Once a blank node turns up in a second graph (a store
    filled otherwise than from files may share one between graphs; the export fixture does),
    the labels are computed as before, from every quad that touches a blank node, read back
    from the spool.
    """

    def __init__(self) -> None:
        self.digests: dict[BNode, str] = {}
        self.graph_of: dict[BNode, URIRef | None] = {}
        self.crossing = False
        self.messages: list[str] = []

    def add_graph(self, name: URIRef | None, quads: list[Quad]) -> None:
        """Take the quads of graph ``name`` that touch a blank node."""
        if self.crossing or not quads:
            return
        for s, _, o, _ in quads:
            for term in (s, o):
                if isinstance(term, BNode) and self.graph_of.setdefault(term, name) != name:
                    self.crossing = True
                    self.digests, self.graph_of, self.messages = {}, {}, []
                    return
        self.digests.update(canonical_bnode_digests(quads, on_warning=self.messages.append))

    def result(
        self, every_blank_quad: Callable[[], Iterable[Quad]], warn: Callable[[str], None]
    ) -> tuple[dict[BNode, str], set[BNode]]:
        """The labels, and the blank nodes that occur in more than one graph."""
        if not self.crossing:
            for message in dict.fromkeys(self.messages):  # the in-memory writer warns once
                warn(message)
            return labels_from_digests(self.digests), set()
        quads = list(every_blank_quad())
        return canonical_bnode_labels(quads, on_warning=warn), shared_blank_nodes(quads)


def _blank_quads(spool: BinaryIO) -> Iterator[Quad]:
    for name, triples in _spooled(spool):
        for s, p, o in triples:
            if isinstance(s, BNode) or isinstance(o, BNode):
                yield (s, p, o, name)


def _spooled(spool: BinaryIO) -> Iterator[tuple[URIRef | None, list[Triple]]]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def _write_trig(
    spool: BinaryIO,
    handle: BinaryIO,
    prefixes: Mapping[str, str],
    labels: Mapping[BNode, str],
    shared: set[BNode],
    scratch: str | os.PathLike[str] | None,
) -> None:
    # the chunks of TurtleWriter.write, one graph at a time, into a body file; the header
    # (the prefixes used) is known only at the end and goes in front
    writer = TurtleWriter(prefixes, labels, [], shared=shared)
    with tempfile.TemporaryFile(dir=scratch) as body:
        wrote_chunk = False
        for name, triples in _spooled(spool):
            chunk = writer.graph_chunk(name, triples, trig=True)
            if chunk is not None:
                body.write((("\n" if wrote_chunk else "") + chunk).encode("utf-8"))
                wrote_chunk = True
        handle.write(writer.header(any_chunk=wrote_chunk).encode("utf-8"))
        body.seek(0)
        shutil.copyfileobj(body, handle, 1 << 20)


class _ExternalSort:
    """Sorted, distinct lines from more lines than should be held at once."""

    def __init__(self, chunk_lines: int, scratch: str | os.PathLike[str] | None) -> None:
        self.chunk_lines = max(1, chunk_lines)
        self.scratch = scratch
        self.lines: set[str] = set()
        self.runs: list[Path] = []
        self.folder: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> "_ExternalSort":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.folder is not None:
            self.folder.cleanup()

    def add(self, line: str) -> None:
        self.lines.add(line)
        if len(self.lines) >= self.chunk_lines:
            self._spill()

    def _spill(self) -> None:
        if self.folder is None:
            self.folder = tempfile.TemporaryDirectory(prefix="coopgraph-sort-", dir=self.scratch)
        path = Path(self.folder.name) / f"run{len(self.runs):05d}"
        # lines end in "\n" and hold no other line break (N-Quads escapes them); surrogates
        # pass through to the final encoding, which decides as the in-memory writer does
        with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="\n") as run:
            run.writelines(sorted(self.lines))
        self.runs.append(path)
        self.lines = set()

    def merged(self) -> Iterator[str]:
        """Every line added, sorted, each once."""
        if not self.runs:
            yield from sorted(self.lines)
            return
        if self.lines:
            self._spill()
        with ExitStack() as stack:
            files = [
                stack.enter_context(open(path, encoding="utf-8", errors="surrogatepass", newline="\n"))
                for path in self.runs
            ]
            previous = None
            for line in heapq.merge(*files):
                if line != previous:
                    yield line
                    previous = line

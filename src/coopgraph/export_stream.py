"""TriG, N-Quads and JSON-LD written to a file graph by graph, in memory bounded by the blank nodes.

:func:`coopgraph.export.serialize` holds every quad, every output line and the whole text at
once: an N-Quads export of the 1M-triple synthetic corpus took 1.2 GB from the Oxigraph store
and 1.9 GB from a SPARQL endpoint, so a corpus ten times larger would not fit. Written to a
file, the three named-graph formats need not hold all that; :func:`write_streaming` writes the
same bytes as :func:`~coopgraph.export.serialize` and holds only:

* the quads that touch a blank node (their canonical labels depend on every such quad, and on
  nothing else: :func:`~coopgraph.canonical.canonical_bnode_labels` reads only the edges of
  blank nodes);
* for N-Quads, at most ``chunk_lines`` output lines: the lines are sorted in runs spilled to
  temporary files and merged (an external sort; identical lines are written once, as the
  in-memory writer's set does);
* for TriG, one graph at a time: each graph's triples are read from the store once, kept in a
  temporary spool file until the blank-node labels are known, then written one graph after
  the other; the ``@prefix`` lines, which name only the prefixes used, are written last in
  the writer's order and put in front of the body when the file is assembled;
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

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from coopgraph.canonical import canonical_bnode_labels
from coopgraph.rdfterms import iri_ref
from coopgraph.writers import JsonLdStream, TurtleWriter, nquad_line, shared_blank_nodes

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, "URIRef | None"]
GraphPart = tuple["URIRef | None", Iterable[Triple]]

#: the formats this module writes
STREAMING_FORMATS = ("trig", "nquads", "jsonld")
#: N-Quads lines sorted in memory before a run is spilled to disk (about 40-60 MB of lines)
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
        spool = stack.enter_context(tempfile.TemporaryFile(dir=scratch)) if fmt != "nquads" else None
        sorter = stack.enter_context(_ExternalSort(chunk_lines, scratch)) if fmt == "nquads" else None
        blank_quads: list[Quad] = []
        skipped = 0
        for name, triples in parts:
            kept: list[Triple] = []
            for s, p, o in triples:
                if not (isinstance(s, (URIRef, BNode)) and isinstance(p, URIRef) and isinstance(o, (URIRef, BNode, Literal))):
                    skipped += 1
                    continue
                if isinstance(s, BNode) or isinstance(o, BNode):
                    blank_quads.append((s, p, o, name))
                elif sorter is not None:
                    sorter.add(nquad_line(s, p, o, name, {}))
                if spool is not None:
                    kept.append((s, p, o))
            if spool is not None:
                pickle.dump((name, kept), spool, protocol=pickle.HIGHEST_PROTOCOL)
        if skipped:
            warn(f"{skipped} triple(s) that are not valid RDF (literal subject or non-IRI predicate) were not written")
        labels = canonical_bnode_labels(blank_quads, on_warning=warn)
        if sorter is not None:
            for s, p, o, name in blank_quads:
                sorter.add(nquad_line(s, p, o, name, labels))
            del blank_quads
            for line in sorter.merged():
                handle.write(line.encode("utf-8"))
            return
        assert spool is not None
        shared = shared_blank_nodes(blank_quads)
        del blank_quads
        if fmt == "jsonld":
            stream = JsonLdStream(labels, shared, lambda text: handle.write(text.encode("utf-8")))
            for name, triples in _spooled(spool):
                stream.add_graph(name, triples)
            stream.close()
            return
        _write_trig(spool, handle, prefixes, labels, shared, scratch)


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
            if name is None:
                text = writer.graph_body(triples, "")
                if not text:
                    continue
                chunk = text
            else:
                text = writer.graph_body(triples, writer.INDENT)
                head = writer.iri(name)
                chunk = f"{head} {{\n{text}}}\n" if text else f"{head} {{\n}}\n"
            body.write((("\n" if wrote_chunk else "") + chunk).encode("utf-8"))
            wrote_chunk = True
        header = "".join(f"@prefix {p}: {iri_ref(ns)} .\n" for p, ns in writer.prefixes.items() if p in writer.used)
        if header and wrote_chunk:
            header += "\n"
        handle.write(header.encode("utf-8"))
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

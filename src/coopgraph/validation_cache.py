"""Validation results kept between runs: a pass runs again only when what it reads has changed.

Both validation engines work pass by pass: one pass per input file (its own graph, typed by the
ontology, the catalog and the gazetteer) and a cross-source pass over the union of the chosen
sources. A pass's results depend only on what the graphs it reads hold, the shapes, the
ontology, the engine and the software; they are kept in the user's cache
(:mod:`coopgraph.cache`) under a key made of these, so after an edit to one source file of a
large corpus only that file's pass and the cross-source pass run again.

What a graph holds is known from the SHA-256 of the file it was read from:

* memory store: taken by :func:`coopgraph.load` (``KnowledgeGraph.read_from``); a graph
  changed in memory since (``kg.dataset.graph(g).add(...)``) is not known any more;
* Oxigraph store: recorded by ``coopgraph build`` (``coopgraph-store.json``, ``files``);
* SPARQL endpoint: never known (anyone may change it), so nothing is cached there.

A pass that reads a graph whose content is not known is neither taken from the cache nor kept.
One cache entry holds the passes of one data folder, store and engine
(``validation-<hash>.pickle``): each file's latest results, and the latest cross-source passes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from coopgraph.cache import read_entry, write_entry
from coopgraph.loader import GraphFile

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.kg import KnowledgeGraph

#: bumped when what an entry holds changes shape
_FORMAT = 1
#: how many cross-source passes (one per choice of sources) an entry keeps
KEEP_UNIONS = 4
_UNION = "union of sources:"


def known_digests(kg: "KnowledgeGraph") -> dict[str, str]:
    """The SHA-256 of the file each graph was read from, by path relative to the data folder,
    for the graphs whose content that still describes (see the module docstring)."""
    kind = kg.store.kind
    if kind == "oxigraph":
        return dict(getattr(kg.store, "meta", {}).get("files") or {})
    if kind != "memory" or kg.read_from is None:
        return {}
    changed = kg.dataset.store.changed_graphs() if hasattr(kg.dataset.store, "changed_graphs") else None
    if changed is None or None in changed:
        return {}
    changed_files = {_relative(gf.path, kg.layout.root) for gf in kg.layout.graph_files() if gf.graph in changed}
    return {name: digest for name, digest in kg.read_from.items() if name not in changed_files}


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"


class PassCache:
    """The kept results of the validation passes of one data folder, store and engine."""

    def __init__(self, entry: str, common: str, digests: dict[str, str], root: Path, present: set[str]) -> None:
        self._entry = entry
        self._common = common
        self._digests = digests
        self._root = root
        self._present = present
        stored = read_entry("validation", entry)
        valid = isinstance(stored, dict) and stored.get("format") == _FORMAT
        self._passes: dict[str, tuple[str, list]] = dict(stored["passes"]) if valid else {}
        self._changed = False

    @classmethod
    def open(cls, kg: "KnowledgeGraph", engine: str) -> "PassCache | None":
        """The cache of ``kg``'s passes with ``engine`` (``"pyshacl"`` or ``"sparql"``), or
        ``None`` when the reference graphs' content (ontology, catalog, gazetteer) is not known."""
        import rdflib

        import coopgraph
        import coopgraph.fastvalidate
        import coopgraph.shacl_sparql
        import coopgraph.validation

        layout = kg.layout
        digests = known_digests(kg)
        references = []
        for path in (layout.ontology_file, layout.catalog_file, layout.places_file):
            name = _relative(path, layout.root)
            if path.is_file() and name not in digests:
                return None
            references.append(f"{name}={digests.get(name, 'absent')}")
        engine_package = "pyshacl" if engine == "pyshacl" else "pyoxigraph"
        try:
            version = __import__(engine_package).__version__
        except ImportError:  # pragma: no cover - the engine would not run either
            return None
        # the code that turns shapes and data into results: a changed module is a new engine
        code = [_file_digest(Path(module.__file__ or "")) for module in
                (coopgraph.validation, coopgraph.fastvalidate, coopgraph.shacl_sparql)]
        common = "\n".join([
            f"format={_FORMAT}", f"engine={engine}", f"coopgraph={coopgraph.__version__}",
            f"rdflib={rdflib.__version__}", f"{engine_package}={version}", *code,
            f"shapes={_file_digest(layout.shapes_file)}", f"ontology file={_file_digest(layout.ontology_file)}",
            *references,
        ])
        directory = getattr(kg.store, "directory", None)
        where = f"{engine}|{kg.store.kind}|{layout.root.resolve()}|{Path(directory).resolve() if directory else ''}"
        entry = hashlib.sha256(where.encode()).hexdigest()[:40]
        present = {_relative(gf.path, layout.root) for gf in layout.graph_files()}
        return cls(entry, common, digests, layout.root, present)

    def pass_name(self, members: Sequence[GraphFile], *, union: bool = False) -> str:
        """What names a pass across runs: its file, or the choice of sources of a cross-source pass."""
        names = [_relative(gf.path, self._root) for gf in members]
        if not union:
            [name] = names
            return name
        return _UNION + hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:32]

    def pass_key(self, members: Sequence[GraphFile], *, union: bool = False) -> str | None:
        """The key of a pass over ``members``' graphs, or ``None`` when one of them is not known."""
        digest = hashlib.sha256(self._common.encode())
        digest.update(b"union\n" if union else b"file\n")
        for gf in members:
            name = _relative(gf.path, self._root)
            if name not in self._digests:
                return None
            digest.update(f"{name}|{gf.kind}|{gf.graph}|{self._digests[name]}\n".encode())
        return digest.hexdigest()

    def get(self, name: str, key: str | None) -> list | None:
        """The kept results of pass ``name`` when they were kept under ``key``, else ``None``."""
        kept = self._passes.get(name)
        if key is None or kept is None or kept[0] != key or not isinstance(kept[1], list):
            return None
        return list(kept[1])

    def put(self, name: str, key: str | None, results: list) -> None:
        """Keep the results of pass ``name`` under ``key`` (nothing is kept without a key)."""
        if key is None:
            return
        self._passes.pop(name, None)  # re-inserted last: the newest cross-source passes are kept
        self._passes[name] = (key, list(results))
        self._changed = True

    def save(self) -> None:
        """Write the entry when something was kept (the files gone from the folder are dropped)."""
        if not self._changed:
            return
        unions = [name for name in self._passes if name.startswith(_UNION)][-KEEP_UNIONS:]
        passes = {name: kept for name, kept in self._passes.items()
                  if name in self._present or name in unions}
        write_entry("validation", self._entry, {"format": _FORMAT, "passes": passes})
        self._changed = False

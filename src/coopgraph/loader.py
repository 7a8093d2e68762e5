"""Read a coopgraph folder (ontology, catalog, gazetteer, one Turtle file per source) into a Dataset.

Layout of a data folder (the repository root, or the ``_bundled`` folder of a wheel)::

    ontology/coopgraph.ttl      -> graph cgg:ontology
    ontology/shapes.ttl         -> SHACL shapes (not part of the dataset)
    data/catalog.ttl            -> graph cgg:catalog
    data/places.ttl             -> graph cgg:places
    data/sources/<stem>.ttl     -> graph cgg:<stem>
    data/corpus/<stem>.txt      -> the source text itself
    queries/*.rq                -> stored queries

Loading only reads: no input file is ever written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from coopgraph.errors import DataFolderError, ParseError
from coopgraph.graph_memory import GraphAwareMemory
from coopgraph.namespaces import GRAPH_CATALOG, GRAPH_ONTOLOGY, GRAPH_PLACES, PREFIXES, source_graph


@dataclass(frozen=True)
class GraphFile:
    """One input file and the named graph it is loaded into."""

    path: Path
    graph: URIRef
    kind: str  # "ontology", "catalog", "places" or "source"


@dataclass(frozen=True)
class DataLayout:
    """The files of one coopgraph data folder."""

    root: Path

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "coopgraph.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def catalog_file(self) -> Path:
        return self.root / "data" / "catalog.ttl"

    @property
    def places_file(self) -> Path:
        return self.root / "data" / "places.ttl"

    @property
    def sources_dir(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def corpus_dir(self) -> Path:
        return self.root / "data" / "corpus"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def corpus_file(self, stem: str) -> Path:
        """Return the path of the source text whose file stem is ``stem``."""
        return self.corpus_dir / f"{stem}.txt"

    def graph_files(self) -> list[GraphFile]:
        """List every file that goes into the dataset, in a stable order."""
        files = [
            GraphFile(self.ontology_file, GRAPH_ONTOLOGY, "ontology"),
            GraphFile(self.catalog_file, GRAPH_CATALOG, "catalog"),
        ]
        if self.places_file.is_file():
            files.append(GraphFile(self.places_file, GRAPH_PLACES, "places"))
        for path in sorted(self.sources_dir.glob("*.ttl")):
            files.append(GraphFile(path, source_graph(path.stem), "source"))
        return files

    def input_files(self) -> list[Path]:
        """Every file whose content determines the dataset and the checks (for cache keys)."""
        paths = [f.path for f in self.graph_files()]
        if self.shapes_file.is_file():
            paths.append(self.shapes_file)
        paths.extend(sorted(self.corpus_dir.glob("*.txt")))
        return paths


def open_layout(root: str | Path) -> DataLayout:
    """Check that ``root`` is a coopgraph data folder and return its layout."""
    root_path = Path(root).expanduser()
    if not root_path.exists():
        raise DataFolderError(f"data folder not found: {root_path}")
    if not root_path.is_dir():
        raise DataFolderError(f"not a folder: {root_path}")
    layout = DataLayout(root_path.resolve())
    missing = [p for p in (layout.ontology_file, layout.catalog_file) if not p.is_file()]
    if not layout.sources_dir.is_dir():
        missing.append(layout.sources_dir)
    if missing:
        names = ", ".join(str(p.relative_to(layout.root)) for p in missing)
        raise DataFolderError(f"{root_path} is not a coopgraph data folder (missing: {names})")
    return layout


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; a syntax error becomes a :class:`ParseError` naming file and line."""
    graph = into if into is not None else Graph()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(str(path), None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise ParseError(str(path), None, f"cannot read file: {exc.strerror}") from exc
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise ParseError(str(path), exc.lines + 1, f"Turtle syntax error: {exc._why}") from exc
    except Exception as exc:  # rdflib raises assorted errors for bad IRIs, literals, prefixes
        raise ParseError(str(path), _line_of(exc), f"cannot parse Turtle: {exc}") from exc
    return graph


def _line_of(exc: Exception) -> int | None:
    lines = getattr(exc, "lines", None)
    return lines + 1 if isinstance(lines, int) else None


def new_dataset() -> Dataset:
    """Return an empty Dataset whose default graph is the union of its named graphs."""
    dataset = Dataset(store=GraphAwareMemory(), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    return dataset


def read_dataset(layout: DataLayout) -> Dataset:
    """Parse every file of ``layout`` into its own named graph of a new Dataset."""
    dataset = new_dataset()
    for graph_file in layout.graph_files():
        parse_turtle(graph_file.path, into=dataset.graph(graph_file.graph))
    return dataset

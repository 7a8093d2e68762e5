"""The :class:`KnowledgeGraph` facade: one object to query, validate, check and export."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from rdflib import Dataset, URIRef
from rdflib.term import Node

from coopgraph.cache import file_digests, key_of_digests, read_cached, write_cached
from coopgraph.errors import CoopgraphError, StoreError, UnknownResourceError
from coopgraph.loader import DataLayout, open_layout, read_dataset
from coopgraph.corroboration import add_corroboration_index
from coopgraph.graph_statistics import add_graph_statistics
from coopgraph.namespaces import DERIVED_GRAPHS, GRAPH_CATALOG, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_PLACES, prefixed_name
from coopgraph.queries import QueryCatalog, StoredQuery
from coopgraph.reasoning import add_inferences
from coopgraph.resources import data_root
from coopgraph.results import QueryResult, sort_list_cells
from coopgraph.stores.base import STORE_KINDS, Store
from coopgraph.stores.memory import MemoryStore

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.checks import CheckReport
    from coopgraph.validation import ValidationReport

#: true when graph ?g (bound by the engine) holds a triple
_ANY_TRIPLE_IN = "ASK { GRAPH ?g { ?s ?p ?o } }"

#: the reasoners :func:`load` takes: ``auto`` picks one by the size of the data files
REASONERS = ("auto", "owlrl", "fast")
#: ``reasoner="auto"`` uses owlrl, the reference, while the graph files hold at most this many
#: bytes (the shipped data: 0.2 MB; the synthetic 10k corpus, 0.4 MB, took owlrl 6.8 s, the 100k
#: corpus 75-90 s), and coopgraph.fastreason above (owlrl does not finish at 1M triples)
AUTO_OWLRL_BYTES = 1_000_000


class KnowledgeGraph:
    """A loaded coopgraph: an rdflib :class:`~rdflib.Dataset` plus the folder it came from.

    Each source file is its own named graph; the ontology, the catalog, the gazetteer and
    (after reasoning) the inferences each have theirs. Queries see the union by default.
    """

    def __init__(self, dataset: Dataset | None, layout: DataLayout, store: Store | None = None) -> None:
        if store is None:
            if dataset is None:
                raise CoopgraphError("a KnowledgeGraph needs a dataset or a store")
            store = MemoryStore(dataset)
        self.store = store
        self._dataset = dataset
        self.layout = layout
        #: for a memory store filled by :func:`load`: the SHA-256 of each input file it was read
        #: from (path relative to the data folder), which says what each graph held then
        self.read_from: dict[str, str] | None = None
        #: the reasoner whose inferences ``cgg:inferred`` holds (``"owlrl"``, ``"fast"``), as far
        #: as it is known: set by :func:`load` and by ``coopgraph build``, unknown for an endpoint
        self.reasoner: str | None = None

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset (for the oxigraph and sparql stores: a copy, read on first use)."""
        if self._dataset is None:
            self._dataset = self.store.to_dataset()
        return self._dataset

    @dataset.setter
    def dataset(self, value: Dataset) -> None:
        self._dataset = value
        self.store = MemoryStore(value)
        self.read_from = None

    # -- graphs -------------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        """The IRIs of every non-empty named graph, sorted."""
        return self.store.graph_names()

    def source_graph_names(self) -> list[URIRef]:
        """The named graphs that hold source data (not ontology, catalog, places, or derived graphs)."""
        special = {GRAPH_ONTOLOGY, GRAPH_CATALOG, GRAPH_PLACES, *DERIVED_GRAPHS}
        return [g for g in self.graph_names() if g not in special]

    @property
    def is_reasoned(self) -> bool:
        """True when the OWL-RL inferences are present in graph ``cgg:inferred``."""
        # asked, not counted: counting the inferences took 0.17 s at 1M triples
        return self.store.query(_ANY_TRIPLE_IN, {"g": GRAPH_INFERRED}, origin="is_reasoned").boolean is True

    def __len__(self) -> int:
        """How many triples the named graphs hold (one count over the store, not one per graph)."""
        return sum(self.store.graph_sizes().values())

    # -- queries ------------------------------------------------------------------------
    def sparql(self, text: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run an ad-hoc SPARQL query over the union of all graphs (project prefixes pre-bound)."""
        return self.store.query(text, bindings, origin="sparql")

    # -- stored queries -----------------------------------------------------------------
    @cached_property
    def catalog(self) -> QueryCatalog:
        """The stored queries of this graph's data folder."""
        return QueryCatalog(self.layout.queries_dir)

    def queries(self) -> list[StoredQuery]:
        """Every stored query with its metadata (summary, description, tags, parameters)."""
        return self.catalog.all()

    def query(self, name: str, /, **params: object) -> QueryResult:
        """Run the stored query ``name``; ``params`` are text or rdflib terms, bound by the engine.

        The items of each ``GROUP_CONCAT`` list come back sorted (:func:`sort_list_cells`):
        the same data gives the same lists on every run and every store.
        """
        stored = self.catalog.get(name)
        bindings = stored.bindings(params)
        if self.store.kind == "memory":
            result = self.store.query(stored.text, bindings, origin=str(stored.path), prepared=stored.prepared)
        else:
            result = self.store.query(stored.text, bindings, origin=str(stored.path))
        return sort_list_cells(result, stored.list_separators)

    def resolve(self, iri_or_label: str) -> list[URIRef]:
        """Find the resources meant by an IRI, a prefixed name, or a label in any language."""
        from coopgraph.params import ParameterSpec, to_term

        text = iri_or_label.strip()
        if text.startswith(("<", "http://", "https://")) or (":" in text and " " not in text):
            try:
                term = to_term(ParameterSpec("resource", "iri"), text)
            except CoopgraphError:
                term = None
            if term is not None and self.sparql("ASK { { ?_r ?p ?o } UNION { ?s ?p ?_r } }", {"_r": term}).boolean:
                return [term]  # type: ignore[list-item]
        rows = self.query("search-label", text=text, exact="true").rows
        if not rows:
            rows = self.query("search-label", text=text).rows
        return sorted({URIRef(r["resource"]) for r in rows})

    def provenance(self, iri_or_label: str) -> list[dict[str, Any]]:
        """Every fact about a resource, with the source graph and the quote(s) that back it.

        Raises :class:`UnknownResourceError` when nothing matches and when a label is ambiguous.
        """
        matches = self.resolve(iri_or_label)
        if not matches:
            raise UnknownResourceError(f"no resource has the IRI or label {iri_or_label!r}")
        if len(matches) > 1:
            names = ", ".join(prefixed_name(m) for m in matches[:10])
            raise UnknownResourceError(f"{iri_or_label!r} is ambiguous; it names {names}")
        return self.query("provenance", resource=matches[0]).rows

    def sources(self) -> list[dict[str, Any]]:
        """The source documents of the catalog (title, language, date, author, graph, triples)."""
        return self.query("sources").rows

    def stats(self) -> dict[str, list[dict[str, Any]]]:
        """Summary statistics: triples per named graph and resources per class."""
        return {"graphs": self.query("stats-graphs").rows, "classes": self.query("stats-classes").rows}

    # -- reasoning ----------------------------------------------------------------------
    def ensure_reasoned(self) -> None:
        """Make sure the OWL-RL inferences are in graph ``cgg:inferred`` (computed or cached)."""
        if not self.is_reasoned:
            if self.store.kind != "memory":
                raise CoopgraphError(f"the {self.store.kind} store holds no inferences; rebuild or push it reasoned")
            add_inferences(self.dataset)
            self.reasoner = "owlrl"
            # rebuilt from the reasoned union, as load() does: a source document typed by a
            # subclass of cg:SourceDocument counts only once that type is inferred
            add_derived_graphs(self.dataset)

    def refresh_derived(self) -> None:
        """Compute the corroboration index and the graph statistics again (memory store).

        Both are computed when the graph is loaded; call this after changing ``dataset`` in
        place, so that ``corroborated-facts``, ``sources`` and ``stats-graphs`` see the change.
        The inferences are not recomputed (reason again from a fresh :func:`load`).
        """
        if self.store.kind != "memory":
            raise CoopgraphError(f"the {self.store.kind} store is computed when it is built or pushed; rebuild it")
        add_derived_graphs(self.dataset)

    # -- checks and exports (implemented in their own modules) --------------------------
    def validate(self, **options: Any) -> "ValidationReport":
        """Validate the data against the SHACL shapes; see :func:`coopgraph.validation.validate`."""
        from coopgraph.validation import validate

        return validate(self, **options)

    def check(self, **options: Any) -> "CheckReport":
        """Run the quality-check queries; see :func:`coopgraph.checks.run_checks`."""
        from coopgraph.checks import run_checks

        return run_checks(self, **options)

    def export(self, **options: Any) -> str | None:
        """Serialise the graph; see :func:`coopgraph.export.export`."""
        from coopgraph.export import export

        return export(self, **options)


def load(
    path: str | Path | None = None,
    *,
    reason: bool = True,
    cache: bool = True,
    store: str | None = None,
    store_path: str | Path | None = None,
    endpoint: str | None = None,
    reasoner: str = "auto",
) -> KnowledgeGraph:
    """Load the packaged data (no argument) or a data folder laid out like the repository.

    With ``reason`` (the default) the OWL-RL inferences are in graph ``cgg:inferred``; the
    corroboration index (:mod:`coopgraph.corroboration`) is always in ``cgg:corroboration`` and
    the size of every graph (:mod:`coopgraph.graph_statistics`) in ``cgg:statistics``; with
    ``cache`` the reasoned dataset is read from (or written to) the on-disk cache, keyed by
    every input file, so reasoning runs only when an input changed. ``reasoner`` is
    ``"owlrl"`` (the reference), ``"fast"`` (:mod:`coopgraph.fastreason`: the entailments the
    ontology relies on, the same rows for every stored query) or ``"auto"`` (the default:
    owlrl while the graph files hold at most :data:`AUTO_OWLRL_BYTES`, else fast; see
    :func:`choose_reasoner`). ``KnowledgeGraph.reasoner`` says which one ran.

    ``store`` says where the graph lives: ``"memory"`` (rdflib, the default),
    ``"oxigraph"`` (a folder built by ``coopgraph build``, given as ``store_path``; opened
    read-only, nothing is parsed) or ``"sparql"`` (the SPARQL 1.1 endpoint ``endpoint``,
    filled by ``coopgraph push``). For those two, ``path`` only says where the stored queries
    and source texts are (default: the folder the store was built from, else the packaged data).
    """
    store = store or "memory"
    if store not in STORE_KINDS:
        raise StoreError(f"unknown store {store!r} (choose from {', '.join(STORE_KINDS)})")
    if store == "oxigraph":
        from coopgraph.stores.oxigraph_store import OxigraphStore

        opened = OxigraphStore(store_path)
        built_from = opened.meta.get("data")
        if path is None and built_from and Path(built_from).is_dir():
            path = built_from
        kg = KnowledgeGraph(None, open_layout(path if path is not None else data_root()), opened)
        built_with = opened.meta.get("reasoner")
        kg.reasoner = built_with if built_with != "none" else None
        return kg
    if store == "sparql":
        from coopgraph.stores.sparql_store import SparqlStore

        return KnowledgeGraph(None, open_layout(path if path is not None else data_root()), SparqlStore(endpoint or ""))
    layout = open_layout(path if path is not None else data_root())
    if reason:
        reasoner = choose_reasoner(layout, reasoner)
    digests = file_digests(layout)
    key = key_of_digests(digests) if cache and reason else None
    if key and reasoner != "owlrl":
        key = f"{key[:48]}-{reasoner}"
    dataset = read_cached(key) if key else None
    if dataset is None:
        dataset = read_dataset(layout)
        if reason and reasoner == "fast":
            from coopgraph.fastreason import add_fast_inferences

            add_fast_inferences(dataset)
        elif reason:
            add_inferences(dataset)
        add_derived_graphs(dataset)
        if key:
            write_cached(key, dataset)
    kg = _loaded(dataset, layout, digests)
    kg.reasoner = reasoner if reason else None
    return kg


def choose_reasoner(layout: DataLayout, reasoner: str = "auto") -> str:
    """The reasoner :func:`load` runs for ``reasoner``: ``owlrl`` or ``fast`` as given, and for
    ``auto`` owlrl while ``layout``'s graph files hold at most :data:`AUTO_OWLRL_BYTES`, else fast
    (their size is known before parsing, so the reasoning cache is looked up without parsing)."""
    if reasoner not in REASONERS:
        raise StoreError(f"unknown reasoner {reasoner!r} (choose from {', '.join(REASONERS)})")
    if reasoner != "auto":
        return reasoner
    size = sum(gf.path.stat().st_size for gf in layout.graph_files() if gf.path.is_file())
    return "owlrl" if size <= AUTO_OWLRL_BYTES else "fast"


def _loaded(dataset: Dataset, layout: DataLayout, digests: dict[str, str]) -> KnowledgeGraph:
    """The KnowledgeGraph of a dataset read from ``layout``'s files, whose digests were taken before.

    The digests are kept (:attr:`KnowledgeGraph.read_from`) only when the files still have
    them (none was edited while it was read), and the store tracks the changes made from now on.
    """
    kg = KnowledgeGraph(dataset, layout)
    tracker = getattr(dataset.store, "track_changes", None)
    if tracker is not None and file_digests(layout) == digests:
        tracker()
        kg.read_from = digests
    return kg


def add_derived_graphs(dataset: Dataset) -> None:
    """Write the graphs computed from the others after the inferences: the corroboration index, then the statistics."""
    add_corroboration_index(dataset)
    add_graph_statistics(dataset)  # last: it counts every other graph

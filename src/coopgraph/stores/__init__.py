"""Where the graph lives: rdflib in memory, an on-disk Oxigraph store, or a SPARQL endpoint.

>>> import coopgraph
>>> kg = coopgraph.load(store="oxigraph", store_path="/tmp/cg-store")  # doctest: +SKIP
"""

from __future__ import annotations

from coopgraph.stores.base import STORE_KINDS, Store
from coopgraph.stores.memory import MemoryStore

__all__ = ["STORE_KINDS", "MemoryStore", "Store"]

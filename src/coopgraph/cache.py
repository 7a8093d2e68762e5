"""An on-disk cache of reasoned datasets, keyed by every input file and the software versions.

The cache lives in ``$COOPGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/coopgraph``, else
``~/.cache/coopgraph``. An entry is a pickle of the rdflib Dataset (its in-memory store
unpickles several times faster than re-adding the quads), written to a temporary
file and renamed into place, so a reader never sees a half-written entry and two processes
that build at once simply both write a complete, identical entry. Entries are only ever
read from the user's own cache folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from rdflib import Dataset

from coopgraph.loader import DataLayout

#: 2: the cached dataset also holds the corroboration index (graph cgg:corroboration)
#: 3: and the graph statistics (graph cgg:statistics)
#: 4: the statistics with the data subset's class partitions and an evidence partition per graph
#: 5: rdflib's memory store as coopgraph's GraphAwareMemory
_FORMAT = 5


def cache_dir() -> Path:
    """Return the folder where reasoned datasets are cached."""
    explicit = os.environ.get("COOPGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coopgraph"


def cache_key(layout: DataLayout) -> str:
    """Hash every input file (name and bytes) with the versions that shape the result."""
    return key_of_digests(file_digests(layout))


def file_digests(layout: DataLayout) -> dict[str, str]:
    """The SHA-256 of every input file, by its path relative to the data folder (in input order)."""
    return {path.relative_to(layout.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in layout.input_files()}


def key_of_digests(digests: dict[str, str]) -> str:
    """:func:`cache_key` of input files whose digests (:func:`file_digests`) are known already."""
    import owlrl
    import rdflib

    import coopgraph

    digest = hashlib.sha256(f"format={_FORMAT}".encode())
    for package in (coopgraph, rdflib, owlrl):
        digest.update(f"{package.__name__}={getattr(package, '__version__', '?')}\n".encode())
    for name, file_digest in digests.items():
        digest.update(name.encode() + b"\0")
        digest.update(bytes.fromhex(file_digest))
    return digest.hexdigest()


def _entry(kind: str, key: str) -> Path:
    return cache_dir() / f"{kind}-{key}.pickle"


def read_entry(kind: str, key: str) -> object | None:
    """Return the cached object of this kind and key, or ``None`` when there is none (or it is unreadable)."""
    try:
        with _entry(kind, key).open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError, IndexError):
        return None


def write_entry(kind: str, key: str, value: object) -> Path | None:
    """Store ``value`` atomically (temporary file, then rename); ``None`` if the cache is not writable."""
    folder = cache_dir()
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, _entry(kind, key))
        return _entry(kind, key)
    except (OSError, pickle.PicklingError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return None


def read_cached(key: str) -> Dataset | None:
    """Return the cached reasoned dataset for ``key``, or ``None``."""
    dataset = read_entry("reasoned", key)
    return dataset if isinstance(dataset, Dataset) else None


def write_cached(key: str, dataset: Dataset) -> Path | None:
    """Store the reasoned ``dataset`` under ``key``; return the path, or ``None`` if not writable."""
    return write_entry("reasoned", key, dataset)


def clear_cache() -> int:
    """Delete every cached entry (reasoned datasets and validation results); return how many."""
    removed = 0
    folder = cache_dir()
    if folder.is_dir():
        for path in folder.glob("*.pickle"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def cached_entries() -> list[Path]:
    """List the cache entries that exist now."""
    folder = cache_dir()
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []

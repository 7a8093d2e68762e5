"""Shared fixtures: the shipped graph (loaded once per session) and throw-away data copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import coopgraph
from coopgraph.resources import data_root

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keep the reasoning cache of the test run out of the user's own cache folder."""
    folder = tmp_path_factory.mktemp("coopgraph-cache")
    previous = os.environ.get("COOPGRAPH_CACHE_DIR")
    os.environ["COOPGRAPH_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("COOPGRAPH_CACHE_DIR", None)
    else:
        os.environ["COOPGRAPH_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def kg() -> coopgraph.KnowledgeGraph:
    """The shipped knowledge graph, loaded once (read-only: do not modify it in a test)."""
    return coopgraph.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped data folder that a test may break as it likes."""
    root = data_root()
    target = tmp_path / "data-copy"
    for part in ("ontology", "data", "queries"):
        if (root / part).exists():
            shutil.copytree(root / part, target / part)
    return target

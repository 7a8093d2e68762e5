"""The built wheel carries ontology, data and queries, and works installed, from any directory."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel, install it (non-editable) into a fresh virtual environment, return its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(REPO_ROOT)],
        check=True,
    )
    wheels = list(dist.glob("coopgraph-*.whl"))
    assert len(wheels) == 1
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])], check=True)
    return bin_dir


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["COOPGRAPH_CACHE_DIR"] = str(cwd / "cache")
    return subprocess.run(
        [str(bin_dir / "coopgraph"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_installed_package_contains_the_data(installed: Path):
    names: set[str] = set()
    for path in installed.parent.rglob("coopgraph/_bundled"):
        names |= {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()}
    assert "ontology/coopgraph.ttl" in names
    assert "data/catalog.ttl" in names
    assert any(n.startswith("data/sources/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("data/corpus/") and n.endswith(".txt") for n in names)
    assert "queries/timeline.rq" in names


def test_installed_cli_answers_a_real_question_outside_the_repository(installed: Path, tmp_path: Path):
    result = _run(installed, tmp_path, "query", "timeline", "-p", "about=cgr:dresden-jinan-office", "-f", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    opening = [r for r in rows if r["thing"].endswith("/dresden-office-opening-2013")]
    assert opening and opening[0]["date"] == "2013-08-27"


def test_installed_version_and_help(installed: Path, tmp_path: Path):
    result = _run(installed, tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip().startswith("coopgraph ")
    assert "validate" in _run(installed, tmp_path, "--help").stdout

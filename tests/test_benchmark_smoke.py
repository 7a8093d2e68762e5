"""The benchmark runs end to end on a tiny synthetic corpus, and the corpus is shaped like the real data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import coopgraph

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"

pytest.importorskip("pyoxigraph")


def test_synthetic_corpus_validates_and_passes_the_quote_check(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(BENCH))
    folder = generate(600, tmp_path / "corpus")
    kg = coopgraph.load(folder, reasoner="fast", cache=False)
    assert len(kg.source_graph_names()) >= 5
    report = kg.validate()
    assert report.conforms, report.to_text(kg)[:2000]
    from coopgraph.evidence import normalise_whitespace  # the documented whitespace rule

    rows = kg.sparql(
        "SELECT ?doc ?exact ?start ?end WHERE { ?e oa:hasSource ?doc ; oa:hasSelector ?q, ?p . "
        "?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"
    ).rows
    assert rows
    for row in rows:
        stem = row["doc"].rsplit("/", 1)[1]
        text = (folder / "data" / "corpus" / f"{stem}.txt").read_text(encoding="utf-8")
        assert normalise_whitespace(text[row["start"]:row["end"]]) == row["exact"]


@pytest.mark.slow
def test_benchmark_smoke(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        from oxigraph_server import oxigraph_binary
    finally:
        sys.path.remove(str(BENCH))
    if oxigraph_binary() is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install oxigraph, part of the test extra)")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "1k", "--repeat", "1", "--timeout", "120",
         "--corpora", str(tmp_path / "corpora"), "--out", str(out)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    [result_file] = out.glob("results-*.json")
    results = json.loads(result_file.read_text())["1k"]
    assert set(results) == {"plain", "memory", "oxigraph", "sparql"}
    for pipeline, result in results.items():
        assert result["status"] == "ok", (pipeline, result)
        assert result["conforms"] is True, pipeline
        assert all(result["phases"][k] is not None for k in ("load", "reason", "validate", "export")), pipeline
        assert len(result["queries"]) >= 20 and result["peak_mb"] > 0
    # the three pipelines agree on the answers' sizes
    for name, query in results["plain"]["queries"].items():
        # the plain rdflib stack has no corroboration index and no graph statistics: two graphs less to list
        plain_rows = query["rows"] + (2 if name == "stats-graphs" else 0)
        assert results["oxigraph"]["queries"][name]["rows"] == plain_rows == results["memory"]["queries"][name]["rows"], name
        assert results["sparql"]["queries"][name]["rows"] == plain_rows, name
    # validation through the cache: filled, read back, one source changed; the same results each time
    assert set(results["oxigraph"]["revalidate_seconds"]) == {"filling the cache", "nothing changed", "one source changed"}
    assert not [note for note in results["oxigraph"]["notes"] if "without the cache" in note]
    # the sparql pipeline pushed every named graph of its build to the server
    assert results["sparql"]["pushed_graphs"] == results["oxigraph"]["queries"]["stats-graphs"]["rows"]
    assert list(out.glob("results-*.md"))

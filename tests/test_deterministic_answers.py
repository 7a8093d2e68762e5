"""The same data gives the same answer, byte for byte, in every Python process.

rdflib iterates sets whose order follows Python's string hashing, which changes with every
process (``PYTHONHASHSEED``): the order of the values inside a ``GROUP_CONCAT`` and of rows
that tie under ``ORDER BY`` could follow it. Each stored query is run, with its defaults and
with its examples, in processes with different hash seeds, and their JSON answers compared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, coopgraph
kg = coopgraph.load()
answers = {}
for stored in kg.queries():
    for label, params in (("defaults", {p.name: p.example for p in stored.params if p.required}),
                          ("examples", {p.name: p.example for p in stored.params if p.example})):
        answers[f"{stored.name} ({label})"] = kg.query(stored.name, **params).to_json()
print(json.dumps(answers, sort_keys=True))
"""


def _answers(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_stored_queries_answer_the_same_in_every_process():
    first, second = _answers("1"), _answers("2")
    assert set(first) == set(second) and len(first) >= 40
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"answers that change with the hash seed: {differing}"
    # the lists inside GROUP_CONCAT cells come back sorted
    events = json.loads(first["events-in-place (defaults)"])["results"]["bindings"]
    lists = [row["sources"]["value"].split(" ") for row in events if " " in row["sources"]["value"]]
    assert lists and all(items == sorted(items) for items in lists)


def test_only_lists_of_iris_are_sorted():
    from rdflib import Literal

    from coopgraph.results import QueryResult, sort_list_cells

    result = QueryResult(kind="SELECT", variables=["sources", "quotes", "industries"], bindings=[(
        Literal("https://w3id.org/coopgraph/graph/004 https://w3id.org/coopgraph/graph/001"),
        Literal("B said so | A said so"),          # texts: may hold their separator, left as they are
        Literal("services; manufacturing", lang="en"),
    )])
    [row] = sort_list_cells(result, {"sources": " ", "quotes": " | ", "industries": "; "}).bindings
    assert str(row[0]) == "https://w3id.org/coopgraph/graph/001 https://w3id.org/coopgraph/graph/004"
    assert str(row[1]) == "B said so | A said so"
    assert row[2] == Literal("services; manufacturing", lang="en")
    # an unchanged answer comes back as it was
    ordered = QueryResult(kind="SELECT", variables=["sources"], bindings=[(Literal("http://a http://b"),)])
    assert sort_list_cells(ordered, {"sources": " "}) is ordered

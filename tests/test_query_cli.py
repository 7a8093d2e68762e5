"""The query side of the command line, and the cache of reasoned datasets.

Commands run in-process through :func:`coopgraph.cli.main` (output captured by capsys). Most
tests hand the commands the session graph instead of loading it again; the tests that prove
a command fails *before* loading replace the loader with one that raises.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

import coopgraph
import coopgraph.kg
from coopgraph.cache import cache_dir, cache_key, cached_entries, write_cached
from coopgraph.cli import main
from coopgraph.loader import open_layout
from coopgraph.namespaces import GRAPH_INFERRED
from coopgraph.params import TYPES

CGR = "https://w3id.org/coopgraph/id/"
G003 = "cgg:003_5681c03170b8ac75"
G004 = "cgg:004_2d85bd7537e4600b"


@pytest.fixture
def run(capsys):
    """Run ``coopgraph ARGS`` in-process; return (exit code, stdout, stderr)."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


@pytest.fixture
def on_session_graph(kg, monkeypatch):
    """Commands use the already loaded session graph."""
    monkeypatch.setattr("coopgraph.commands.common.load", lambda *args, **kwargs: kg)
    return kg


@pytest.fixture
def no_loading(monkeypatch):
    """Any attempt to load the graph fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the graph was loaded")

    monkeypatch.setattr("coopgraph.commands.common.load", refuse)
    monkeypatch.setattr("coopgraph.kg.load", refuse)


# ---------------------------------------------------------------------------------------
# coopgraph queries
# ---------------------------------------------------------------------------------------


def test_queries_lists_every_query_with_its_summary_and_parameters(kg, run, no_loading):
    code, out, err = run("queries")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    stored = kg.queries()
    width = max(len(q.name) for q in stored)
    headlines = [line for line in lines if not line.startswith(" ")]
    assert headlines == [f"{q.name.ljust(width)}  {q.summary}" for q in stored]
    assert len(headlines) == len(kg.catalog.names()) >= 15
    assert any(re.fullmatch(r"\s+-p agent=<iri>\s+\(required\) the person or organisation", line) for line in lines)
    assert any(re.fullmatch(r"\s+-p place=<iri>\s+\(default cgr:germany\) the country, region or city", line) for line in lines)
    assert any(re.fullmatch(r"\s+-p from=<date>\s+\(optional\) .*", line) for line in lines)


def test_queries_verbose_and_json(kg, run, no_loading):
    code, out, _ = run("queries", "--verbose")
    assert code == 0
    timeline = kg.catalog.get("timeline")
    assert timeline.description in out
    assert "tags: " + ", ".join(timeline.tags) in out
    code, out, _ = run("queries", "--json")
    document = json.loads(out)
    assert [q["name"] for q in document] == kg.catalog.names()
    by_name = {q["name"]: q for q in document}
    assert by_name["events-of-agent"]["params"][0] == {
        "name": "agent",
        "type": "iri",
        "required": True,
        "default": None,
        "example": "cgr:dirk-hilbert",
        "description": "the person or organisation",
    }
    assert all(q["summary"] == kg.catalog.get(q["name"]).summary for q in document)


# ---------------------------------------------------------------------------------------
# coopgraph query: names and parameters are checked before the graph is loaded
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("timline", "timeline"), ("figure", "figures"), ("source-note", "source-notes"), ("offices", "offices-abroad")],
)
def test_unknown_query_exits_2_and_suggests_close_names(run, no_loading, typo, suggestion):
    code, out, err = run("query", typo)
    assert code == 2 and out == ""
    assert err.startswith(f"coopgraph: error: unknown query {typo!r}; did you mean ")
    suggested = err.strip().split("did you mean ", 1)[1].rstrip("?").split(", ")
    assert suggestion in suggested


def test_unknown_query_without_close_names(run, no_loading):
    code, _, err = run("query", "zzzzzz")
    assert code == 2
    assert err.strip() == "coopgraph: error: unknown query 'zzzzzz'"


def test_a_path_is_not_a_query_name(run, no_loading):
    code, _, err = run("query", "../queries/timeline")
    assert code == 2 and "unknown query" in err


def test_missing_parameter_exits_2_naming_the_parameter_and_its_type(run, no_loading):
    code, out, err = run("query", "events-of-agent")
    assert code == 2 and out == ""
    assert err.startswith("coopgraph: error: query 'events-of-agent' needs parameter 'agent': ")
    assert TYPES["iri"] in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-p", "from=2015-13-45"], "parameter 'from': '2015-13-45' is not a date as YYYY-MM-DD (no such day)"),
        (["-p", "abuot=cgr:x"], "query 'timeline' has no parameter 'abuot' (parameters: about, from, to, lang)"),
        (["-p", "about"], "parameter 'about' is not KEY=VALUE"),
        (["-p", "lang=en", "-p", "lang=de"], "parameter 'lang' is given twice"),
        (["-p", "about=foo:bar"], "parameter 'about': 'foo:bar' is not an IRI"),
        (["-p", "lang=e n"], "parameter 'lang': 'e n' is not a language tag"),
    ],
)
def test_invalid_parameters_exit_2_with_the_reason(run, no_loading, argv, message):
    code, out, err = run("query", "timeline", *argv)
    assert code == 2 and out == ""
    assert err.startswith("coopgraph: error: ")
    assert message in err


def test_hostile_iri_parameter_on_the_command_line(run, no_loading):
    code, _, err = run("query", "provenance", "-p", 'resource="> . DROP ALL #')
    assert code == 2
    assert "parameter 'resource'" in err and TYPES["iri"] in err


def test_query_runs_end_to_end_with_the_real_loader(kg, run):
    """No stand-in: load() reads the session's reasoning cache and the stored query runs."""
    code, out, err = run("query", "timeline", "-p", "about=cgr:dresden-jinan-office", "-f", "csv")
    assert (code, err) == (0, "")
    table = list(csv.reader(io.StringIO(out, newline="")))
    assert table[0] == kg.query("timeline", about="cgr:dresden-jinan-office").variables
    assert ["2013-08-27", "2013-08-27"] == table[2][:2]  # 003 "Am 27.08.2013", 004 "On 27 August 2013"


def test_hostile_string_parameter_on_the_command_line(run, on_session_graph):
    code, out, _ = run("query", "search-label", "-p", "text=} UNION { ?s ?p ?o", "-f", "csv")
    assert code == 0
    assert out.splitlines() == ["resource,label,language,types"]
    code, out, _ = run("query", "search-label", "-p", 'text="Industry 4.0" and', "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["resource"] for r in rows] == [CGR + "jinan-europe-industry-cooperation-fair-2015"]


# ---------------------------------------------------------------------------------------
# coopgraph sparql
# ---------------------------------------------------------------------------------------


def test_sparql_syntax_error_exits_2_with_line_and_column(run, on_session_graph):
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER (\n}"
    code, out, err = run("sparql", query)
    assert code == 2 and out == ""
    assert "SPARQL syntax error at line 4, column 3" in err
    assert "Traceback" not in err


def test_sparql_unknown_prefix_is_a_usage_error(run, on_session_graph):
    code, _, err = run("sparql", "SELECT ?s WHERE { ?s nope:p ?o }")
    assert code == 2
    assert err.startswith("coopgraph: error: ") and "nope" in err


def test_sparql_reads_stdin(run, on_session_graph, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT ?l WHERE { cgr:lv-jiantao rdfs:label ?l }\nORDER BY ?l\n"))
    code, out, err = run("sparql", "-f", "csv", "-")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "l"
    assert sorted(lines[1:]) == ["Lv Jiantao", "Lü Jian Tao"]  # 004 and 003


def test_sparql_reads_a_query_file(run, on_session_graph, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH cgg:003_5681c03170b8ac75 { ?e a cg:Evidence } }\n")
    code, out, _ = run("sparql", "-f", "csv", str(path))
    assert code == 0
    assert out.splitlines() == ["n", "32"]  # 32 quoted passages curated from source 003


def test_sparql_sees_the_union_and_the_project_prefixes(run, on_session_graph):
    code, out, _ = run("sparql", "-f", "tsv", "SELECT ?c WHERE { cgr:vantaa cg:locatedIn ?c } ORDER BY ?c")
    assert code == 0
    # 003/004 "in Vantaa, Finnland/Finland" (source graphs), the gazetteer: Vantaa -> Uusimaa, and
    # Europe only by inference (Vantaa -> Uusimaa -> Finland -> Europe; cg:locatedIn is transitive)
    assert out.splitlines() == ["?c", f"<{CGR}europe>", f"<{CGR}finland>", f"<{CGR}uusimaa>"]


# ---------------------------------------------------------------------------------------
# coopgraph explain
# ---------------------------------------------------------------------------------------


def test_explain_lv_jiantao_quotes_both_history_pages(run, on_session_graph):
    code, out, err = run("explain", "Lv Jiantao")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "cgr:lv-jiantao"
    assert f"== {G003}" in lines and f"== {G004}" in lines
    german = out.split(f"== {G003}")[1].split(f"== {G004}")[0]
    english = out.split(f"== {G004}")[1]
    # 003: "... einer Delegation unter Leitung von Herrn Lü Jian Tao ..."; 004: "... Mr. Lv Jiantao and his delegation ..."
    assert "\u201cAm 27.08.2013 wurde das Büro, im Beisein des 1. Bürgermeisters Herrn Hilbert und einer Delegation unter Leitung von Herrn Lü Jian Tao" in german
    assert "cgr:dresden-office-opening-2013 cg:delegationLeader cgr:lv-jiantao" in german
    assert "rdfs:label Lü Jian Tao" in german
    assert "\u201cOn 27 August 2013, Dresden Office was officially opened under the witness of the first Mayor of Dresden, Mr. Hilbert, Mr. Lv Jiantao and his delegation" in english
    assert "rdfs:label Lv Jiantao" in english
    # the quotes' code-point offsets in 003 and 004, end exclusive: the texts hold them there
    assert "[chars 854\u20131051]" in german and "[chars 705\u2013915]" in english
    corpus = Path(__file__).resolve().parent.parent / "data" / "corpus"
    assert (corpus / "003_5681c03170b8ac75.txt").read_text(encoding="utf-8")[854:1051].endswith("offiziell eröffnet.")
    assert (corpus / "004_2d85bd7537e4600b.txt").read_text(encoding="utf-8")[705:915].startswith("On 27 August 2013,")


def test_explain_finds_the_same_person_by_either_spelling_or_iri(run, on_session_graph):
    outputs = {run("explain", name)[1] for name in ("Lü Jian Tao", "cgr:lv-jiantao", "lv jiantao")}
    assert len(outputs) == 1


def test_explain_json(run, on_session_graph, kg):
    code, out, _ = run("explain", "--json", "Rita Meißner")
    assert code == 0
    rows = json.loads(out)
    assert rows == json.loads(json.dumps(kg.provenance("cgr:rita-meissner"), default=str))
    assert {r["g"] for r in rows} == {
        "https://w3id.org/coopgraph/graph/003_5681c03170b8ac75",
        "https://w3id.org/coopgraph/graph/004_2d85bd7537e4600b",
    }


def test_explain_unknown_label_exits_2(run, on_session_graph):
    code, out, err = run("explain", "Nobody Nowhere 4711")
    assert code == 2 and out == ""
    assert err.strip() == "coopgraph: error: no resource has the IRI or label 'Nobody Nowhere 4711'"


def test_explain_ambiguous_label_exits_2_listing_the_candidates(run, on_session_graph):
    code, _, err = run("explain", "Dresden")
    assert code == 2
    assert "'Dresden' is ambiguous; it names cgr:dresden, cgr:dresden-city" in err


# ---------------------------------------------------------------------------------------
# coopgraph sources, coopgraph stats
# ---------------------------------------------------------------------------------------


def test_sources_lists_the_five_documents(run, on_session_graph, kg):
    code, out, err = run("sources")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "(5 rows)"
    for path in sorted(kg.layout.corpus_dir.glob("*.txt")):
        assert path.name in out
    assert "Liang Kaiyan" in out and "Xinhua=KYODO JBN" in out  # 002 byline, 001 dateline
    code, out, _ = run("sources", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["fileName"] for r in rows] == [p.name for p in sorted(kg.layout.corpus_dir.glob("*.txt"))]
    assert [r["language"] for r in rows] == ["en", "en", "en", "de", "en"]


def test_stats_tables(run, on_session_graph, kg):
    code, out, err = run("stats")
    assert (code, err) == (0, "")
    assert out.startswith("Triples per named graph\n")
    assert "\nResources per class (asserted)\n" in out
    inferred = len(kg.dataset.graph(GRAPH_INFERRED))
    assert re.search(rf"^cgg:inferred\s+{inferred}$", out, re.M)
    assert re.search(r"^cg:SourceDocument\s+5$", out, re.M)
    code, out, _ = run("stats", "-f", "csv")
    graphs_csv, classes_csv = out.split("\r\n\n")
    graphs = list(csv.DictReader(io.StringIO(graphs_csv + "\r\n", newline="")))
    classes = list(csv.DictReader(io.StringIO(classes_csv, newline="")))
    stats = kg.stats()
    assert [(r["graph"], int(r["triples"])) for r in graphs] == [(r["graph"], r["triples"]) for r in stats["graphs"]]
    assert [(r["class"], int(r["resources"])) for r in classes] == [(r["class"], r["resources"]) for r in stats["classes"]]


# ---------------------------------------------------------------------------------------
# coopgraph cache show / clear
# ---------------------------------------------------------------------------------------


@pytest.fixture
def scratch_cache(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test only (the session's warm cache is left alone)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("COOPGRAPH_CACHE_DIR", str(folder))
    return folder


def tiny_dataset() -> Dataset:
    dataset = Dataset()
    dataset.graph(GRAPH_INFERRED).add((URIRef(CGR + "a"), URIRef(CGR + "b"), Literal("c")))
    return dataset


def test_cache_show_and_clear(run, scratch_cache):
    code, out, _ = run("cache")
    assert code == 0
    assert out.splitlines() == [f"cache folder: {scratch_cache}", "  (empty)"]
    entry = write_cached("0" * 64, tiny_dataset())
    assert entry == scratch_cache / f"reasoned-{'0' * 64}.pickle"
    code, out, _ = run("cache", "show")
    assert code == 0
    assert out.splitlines() == [f"cache folder: {scratch_cache}", f"  {entry.name}  {entry.stat().st_size:,} bytes"]
    code, out, _ = run("cache", "clear")
    assert code == 0
    assert out.strip() == f"removed 1 cache file(s) from {scratch_cache}"
    assert not entry.exists()
    assert run("cache", "show")[1].splitlines()[-1] == "  (empty)"
    assert run("cache", "clear")[1].strip() == f"removed 0 cache file(s) from {scratch_cache}"


def test_cache_clear_needs_a_known_action(run, scratch_cache):
    with pytest.raises(SystemExit) as info:
        main(["cache", "wipe"])
    assert info.value.code == 2


# ---------------------------------------------------------------------------------------
# The reasoning cache
# ---------------------------------------------------------------------------------------


class Sentinel(Exception):
    pass


def test_a_second_load_reads_the_reasoned_graph_from_the_cache(kg, monkeypatch):
    key = cache_key(kg.layout)
    assert cache_dir() / f"reasoned-{key}.pickle" in cached_entries()  # written when the session graph was loaded

    def no_reasoning(dataset):
        raise Sentinel("reasoning ran although the cache is warm")

    monkeypatch.setattr(coopgraph.kg, "add_inferences", no_reasoning)
    again = coopgraph.load()
    assert again.is_reasoned
    assert len(again) == len(kg)
    assert again.graph_names() == kg.graph_names()
    assert {r["event"] for r in again.query("events-in-place").rows} == {
        r["event"] for r in kg.query("events-in-place").rows
    }
    with pytest.raises(Sentinel):
        coopgraph.load(cache=False)  # without the cache, load() reasons


def test_the_cache_key_follows_the_inputs(kg, data_copy):
    shipped = cache_key(kg.layout)
    copy = open_layout(data_copy)
    assert cache_key(copy) == shipped  # same bytes, same key: the key does not depend on the folder
    query = copy.queries_dir / "timeline.rq"
    query.write_text(query.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert cache_key(copy) == shipped  # stored queries are not part of the reasoned dataset
    places = copy.places_file
    places.write_text(places.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    changed = cache_key(copy)
    assert changed != shipped
    text = copy.corpus_file("000_c3db9e2a9a8b4664")
    text.write_bytes(text.read_bytes() + b"\n")
    assert cache_key(copy) not in (shipped, changed)


@pytest.fixture
def fake_reasoner(monkeypatch) -> list[int]:
    """Replace OWL-RL by a stand-in that adds one marker triple; returns the list of calls."""
    calls: list[int] = []

    def add_marker(dataset: Dataset) -> int:
        calls.append(1)
        dataset.graph(GRAPH_INFERRED).add((URIRef(CGR + "marker"), URIRef(CGR + "run"), Literal(len(calls))))
        return 1

    monkeypatch.setattr(coopgraph.kg, "add_inferences", add_marker)
    return calls


def marker(graph: coopgraph.KnowledgeGraph) -> int:
    values = list(graph.dataset.graph(GRAPH_INFERRED).objects(URIRef(CGR + "marker"), URIRef(CGR + "run")))
    assert len(values) == 1
    return int(values[0])


def test_reasoning_runs_once_per_input_state(data_copy, scratch_cache, fake_reasoner):
    first = coopgraph.load(data_copy)
    assert len(fake_reasoner) == 1 and marker(first) == 1
    assert len(cached_entries()) == 1
    second = coopgraph.load(data_copy)
    assert len(fake_reasoner) == 1, "the second load must come from the cache"
    assert marker(second) == 1 and len(second) == len(first)
    # a changed input is a new key: reasoning runs again and a second entry is written
    places = data_copy / "data" / "places.ttl"
    places.write_text(places.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    third = coopgraph.load(data_copy)
    assert len(fake_reasoner) == 2 and marker(third) == 2
    assert len(cached_entries()) == 2
    # without the cache: always reasoned, nothing written
    coopgraph.load(data_copy, cache=False)
    assert len(fake_reasoner) == 3
    assert len(cached_entries()) == 2


def test_no_cache_option_of_the_command_line(run, data_copy, scratch_cache, fake_reasoner):
    ask = "ASK { GRAPH cgg:inferred { cgr:marker cgr:run ?n } }"
    assert run("--data", str(data_copy), "--no-cache", "sparql", ask)[:2] == (0, "yes\n")
    assert len(fake_reasoner) == 1 and cached_entries() == []
    assert run("--data", str(data_copy), "sparql", ask)[:2] == (0, "yes\n")
    assert len(fake_reasoner) == 2 and len(cached_entries()) == 1
    assert run("--data", str(data_copy), "sparql", ask)[:2] == (0, "yes\n")
    assert len(fake_reasoner) == 2  # warm

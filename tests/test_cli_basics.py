"""The command line frame: help, version, exit codes of errors."""

from __future__ import annotations

import re

import pytest

import coopgraph
from coopgraph.cli import COMMANDS, main


def test_help_lists_every_subcommand_with_a_description(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps long lines
    for name, (_, summary) in COMMANDS.items():
        assert f"{name} {summary}" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"coopgraph {coopgraph.__version__}"


def test_no_subcommand_is_a_usage_error(capsys):
    assert main([]) == 2


def test_missing_data_folder_exits_2_with_one_line(tmp_path, capsys):
    code = main(["--data", str(tmp_path / "nope"), "sparql", "ASK { ?s ?p ?o }"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("coopgraph: error: data folder not found")
    assert "Traceback" not in err


def test_broken_turtle_exits_2_naming_file_and_line(data_copy, capsys):
    target = data_copy / "data" / "places.ttl"
    target.write_text(target.read_text(encoding="utf-8") + "\ncgr:x cg:locatedIn .\n", encoding="utf-8")
    code = main(["--data", str(data_copy), "sparql", "ASK { ?s ?p ?o }"])
    err = capsys.readouterr().err
    assert code == 2
    assert "places.ttl, line" in err


def test_debug_shows_traceback(tmp_path, capsys):
    main(["--debug", "--data", str(tmp_path / "nope"), "sparql", "ASK { ?s ?p ?o }"])
    assert "Traceback" in capsys.readouterr().err


def test_sparql_syntax_error_gives_line_and_column(capsys):
    code = main(["sparql", "SELECT ?s WHERE {\n  ?s ?p \n}"])
    err = capsys.readouterr().err
    assert code == 2
    assert re.search(r"line \d+, column \d+", err), err


def test_sparql_ask_and_select(capsys):
    assert main(["sparql", "ASK { cgr:dresden cg:locatedIn cgr:saxony }"]) == 0
    assert capsys.readouterr().out.strip() == "yes"
    assert main(["sparql", "--format", "csv", "SELECT ?l WHERE { cgr:dresden rdfs:label ?l FILTER(LANG(?l)='zh') }"]) == 0
    assert capsys.readouterr().out.splitlines() == ["l", "德累斯顿"]


def test_table_shows_prefixed_names_also_inside_iri_lists():
    from rdflib import Literal, URIRef

    from coopgraph.commands.output import shorten

    assert shorten(URIRef("https://w3id.org/coopgraph/id/dresden")) == "cgr:dresden"
    listed = Literal("https://w3id.org/coopgraph/graph/000_x https://w3id.org/coopgraph/graph/001_y")
    assert shorten(listed) == "cgg:000_x cgg:001_y"
    assert shorten(Literal("Dresden", lang="de")) == "Dresden@de"
    assert shorten(Literal("see https://example.org")) == "see https://example.org"  # prose stays prose

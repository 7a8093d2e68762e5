"""`coopgraph validate`: check the data against the SHACL shapes (ontology/shapes.ttl).

Each input file is validated on its own (see :mod:`coopgraph.validation`); the text report is
grouped by file, one entry per result (focus node with its label, path, value, message,
shape), and ends with a summary line. Exit 0 when the data conforms (warnings do not fail),
1 on violations, 2 on a usage or parse error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import contextmanager
from typing import Iterator

from coopgraph.commands.common import load_from_args
from coopgraph.errors import EXIT_CHECK_FAILED, EXIT_OK
from coopgraph.kg import KnowledgeGraph
from coopgraph.validation import ENGINES

FORMATS = ("text", "json", "turtle")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the output format and the optional choice of files."""
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="text",
        help="text: report grouped by source file (default); json: the results as JSON; "
        "turtle: the SHACL validation report graph",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="who evaluates the shapes: pyshacl (the reference), sparql (the shapes compiled to "
        "SPARQL and run in Oxigraph; fast on large corpora, same results), auto (sparql on an "
        "Oxigraph store, a SPARQL endpoint or above 50,000 triples, else pyshacl; the default)",
    )
    parser.add_argument(
        "--source",
        action="append",
        metavar="SOURCE",
        help="validate only this file: a source file stem or its 3-digit number (003), a path, "
        "'catalog' or 'places' (repeatable; default: every file and the cross-source checks)",
    )


def _load(args: argparse.Namespace) -> KnowledgeGraph:
    """Load the data without OWL-RL reasoning: the shapes do not need it.

    Reasoning takes seconds whenever an input changed (the curator's edit-validate loop), so
    validation skips it.
    """
    return load_from_args(args, reason=False)


@contextmanager
def quiet_literal_warnings() -> Iterator[None]:
    """Silence rdflib's traceback for each ill-typed literal (e.g. "2013-02-30"^^xsd:date).

    The shapes report such a literal with its node, file and the rule it breaks; rdflib's
    logged traceback would only bury that report. The logger's level is restored afterwards.
    """
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run(args: argparse.Namespace) -> int:
    """Validate, print the report, and return 0 (conforms) or 1 (violations)."""
    with quiet_literal_warnings():  # the report explains an ill-typed literal better
        kg = _load(args)
        report = kg.validate(sources=args.source, cache=not args.no_cache, engine=args.engine)
    if args.format == "json":
        sys.stdout.write(report.to_json())
        print(report.summary(), file=sys.stderr)
    elif args.format == "turtle":
        sys.stdout.write(report.report_graph.serialize(format="turtle"))
        print(report.summary(), file=sys.stderr)
    else:
        sys.stdout.write(report.to_text(kg))
    return EXIT_OK if report.conforms else EXIT_CHECK_FAILED

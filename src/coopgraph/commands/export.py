"""`coopgraph export`: write the graph as Turtle, TriG, N-Quads or JSON-LD (deterministic).

Examples::

    coopgraph export                                  # TriG, every named graph, to stdout
                                                      # (TriG, N-Quads, JSON-LD: graph by graph)
    coopgraph export --format nquads -o coopgraph.nq  # atomically written file
    coopgraph export -o coopgraph.jsonld              # format taken from the extension
    coopgraph export --format turtle --graph 004_2d85bd7537e4600b
    coopgraph export --format trig --inferred         # with graph cgg:inferred
    coopgraph export --describe                       # VoID + DCAT description (Turtle)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from coopgraph.errors import ExportError
from coopgraph.export import FORMATS, export, format_for_path, normalise_format
from coopgraph.export_stream import STREAMING_FORMATS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the options of ``coopgraph export``."""
    parser.add_argument(
        "-f",
        "--format",
        metavar="{" + ",".join(FORMATS) + "}",
        help="output format (default: from the -o file extension, else trig); turtle holds one "
        "graph: the one --graph names, or the union of all (graph names dropped, with a warning)",
    )
    parser.add_argument(
        "-g",
        "--graph",
        metavar="SOURCE",
        help="export only this named graph: a source file stem (004_2d85bd7537e4600b), cgg:… or "
        "cgsrc:… prefixed name, full IRI, or catalog, places, ontology, inferred, corroboration, statistics",
    )
    parser.add_argument(
        "--inferred",
        action="store_true",
        help="also export the OWL 2 RL inferences (graph cgg:inferred)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (atomically: a failed export leaves an existing file untouched); "
        "default or '-': standard output",
    )
    parser.add_argument(
        "--describe",
        action="store_true",
        help="print the dataset description (VoID subsets with counts, DCAT distributions) "
        "instead of the data; Turtle unless --format says otherwise",
    )


def _warn(message: str) -> None:
    print(f"coopgraph: warning: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Export the graph (or its description) to standard output or a file; returns 0."""
    output = args.output if args.output not in (None, "-") else None
    if args.format is not None:
        fmt = normalise_format(args.format)
    elif output is not None and format_for_path(output):
        fmt = format_for_path(output)  # type: ignore[assignment]
    else:
        fmt = "turtle" if args.describe else "trig"
    if args.describe and args.graph is not None:
        raise ExportError("--describe describes the whole dataset; it cannot be combined with --graph")

    from coopgraph.commands.common import load_from_args

    kg = load_from_args(args)
    if args.describe:
        from coopgraph.describe import describe_text

        text = describe_text(kg, format=fmt, inferred=args.inferred, destination=output, on_warning=_warn)
    elif output is None and fmt in STREAMING_FORMATS:
        # graph by graph into a temporary file, then copied out: bounded memory, and nothing
        # reaches standard output unless the whole export succeeded
        with tempfile.TemporaryDirectory(prefix="coopgraph-export-") as folder:
            staged = Path(folder) / f"export.{fmt}"
            export(kg, format=fmt, graph=args.graph, inferred=args.inferred, destination=staged, on_warning=_warn)
            sys.stdout.flush()
            with open(staged, "rb") as handle:
                shutil.copyfileobj(handle, sys.stdout.buffer, 1 << 20)
            sys.stdout.buffer.flush()
        return 0
    else:
        text = export(
            kg,
            format=fmt,
            graph=args.graph,
            inferred=args.inferred,
            destination=output,
            on_warning=_warn,
        )
    if text is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    return 0

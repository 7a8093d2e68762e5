"""The coopgraph exception hierarchy.

Every error the library raises on purpose derives from :class:`CoopgraphError`; the command
line maps each to an exit code (:attr:`CoopgraphError.exit_code`).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2


class CoopgraphError(Exception):
    """Base class of every coopgraph error."""

    exit_code: int = EXIT_USAGE


class DataFolderError(CoopgraphError):
    """The data folder is missing or does not look like a coopgraph folder."""


class ParseError(CoopgraphError):
    """An RDF file could not be parsed; the message names the file and the line."""

    def __init__(self, path: str, line: int | None, detail: str) -> None:
        self.path = path
        self.line = line
        self.detail = detail
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {detail}")


class UnknownQueryError(CoopgraphError):
    """No stored query has the given name."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown query {name!r}{hint}")


class QueryDefinitionError(CoopgraphError):
    """A stored query file or its header is malformed."""


class ParameterError(CoopgraphError):
    """A query parameter is missing, unknown, or has the wrong type."""


class SparqlSyntaxError(CoopgraphError):
    """A SPARQL string does not parse; the message gives the line and column."""


class UnknownResourceError(CoopgraphError):
    """No resource (or more than one) matches the IRI or label asked for."""


class UnknownGraphError(CoopgraphError):
    """A named graph or source was asked for that the dataset does not have."""


class ExportError(CoopgraphError):
    """An export could not be written."""


class StoreError(CoopgraphError):
    """A storage backend (Oxigraph, a SPARQL endpoint) failed or is unavailable."""


class ValidationFailed(CoopgraphError):
    """The data does not conform to the shapes or fails a quality check."""

    exit_code = EXIT_CHECK_FAILED

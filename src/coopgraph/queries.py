"""Stored queries: ``queries/*.rq`` files with a grlc-style ``#+`` header.

Header convention (a small YAML subset, one ``#+`` line each)::

    #+ summary: Offices a zone opened abroad, with place and date
    #+ description: Every office whose parent organisation is the zone ...
    #+ tags:
    #+   - offices
    #+   - timeline
    #+ params:
    #+   - name: zone
    #+     type: iri
    #+     default: cgr:jinan-hi-tech-zone
    #+     example: cgr:jinan-hi-tech-zone
    #+     description: the zone whose offices are listed

Each parameter ``name`` is bound to the query variable ``?_name`` (grlc's convention) by the
engine; see :mod:`coopgraph.params` for the types. A parameter with neither a default nor
``required: true`` is optional: left out, its variable stays unbound and matches anything.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Mapping

from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from coopgraph.errors import ParameterError, QueryDefinitionError, UnknownQueryError
from coopgraph.params import TYPES, ParameterSpec, to_term
from coopgraph.sparql import prepare

_HEADER_LINE = re.compile(r"^#\+ ?(.*)$")
_PARAM_VARIABLE = re.compile(r"[?$]_([A-Za-z][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class StoredQuery:
    """A stored query: its name (file stem), header metadata and SPARQL text."""

    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[ParameterSpec, ...]
    text: str = field(repr=False)
    extra: Mapping[str, object] = field(default_factory=dict, repr=False)

    @cached_property
    def list_separators(self) -> dict[str, str]:
        """Variable -> separator of each ``GROUP_CONCAT`` list the query returns."""
        from coopgraph.results import concat_separators

        return concat_separators(self.text)

    @cached_property
    def prepared(self) -> Query:
        """The parsed query (parsed once per process)."""
        return prepare(self.text, origin=str(self.path))

    def param(self, name: str) -> ParameterSpec:
        """Return the declared parameter ``name`` or raise :class:`ParameterError`."""
        for spec in self.params:
            if spec.name == name:
                return spec
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bindings(self, values: Mapping[str, object]) -> dict[str, Node]:
        """Turn user values (text or rdflib terms) into engine bindings, applying defaults."""
        for name in values:
            self.param(name)
        bound: dict[str, Node] = {}
        for spec in self.params:
            raw = values.get(spec.name, spec.default)
            if raw is None:
                if spec.required:
                    raise ParameterError(
                        f"query {self.name!r} needs parameter {spec.name!r}: {TYPES.get(spec.type, spec.type)}"
                        + (f", e.g. {spec.example}" if spec.example else "")
                    )
                continue
            bound[spec.variable] = raw if isinstance(raw, Node) else to_term(spec, str(raw))
        return bound


def parse_header(text: str, origin: str) -> dict[str, object]:
    """Parse the ``#+`` header lines of a query file (a small YAML subset)."""
    lines = []
    for line in text.splitlines():
        match = _HEADER_LINE.match(line)
        if match:
            lines.append(match.group(1).rstrip())
        elif lines and line.strip() and not line.startswith("#"):
            break
    header: dict[str, object] = {}
    key: str | None = None
    current: dict[str, str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if indent == 0:
            name, sep, value = stripped.partition(":")
            if not sep:
                raise QueryDefinitionError(f"{origin}: header line {number}: expected 'key: value', got {line!r}")
            key, value = name.strip(), value.strip()
            header[key] = value if value else []
            current = None
        elif stripped.startswith("- "):
            if key is None or not isinstance(header.get(key), list):
                raise QueryDefinitionError(f"{origin}: header line {number}: list item outside a list")
            item = stripped[2:].strip()
            name, sep, value = item.partition(":")
            if sep and re.fullmatch(r"[A-Za-z_]+", name.strip()):
                current = {name.strip(): value.strip()}
                header[key].append(current)  # type: ignore[union-attr]
            else:
                current = None
                header[key].append(item)  # type: ignore[union-attr]
        else:
            name, sep, value = stripped.partition(":")
            if current is None or not sep:
                raise QueryDefinitionError(f"{origin}: header line {number}: cannot read {line!r}")
            current[name.strip()] = value.strip()
    return header


def read_stored_query(path: Path) -> StoredQuery:
    """Read one ``.rq`` file; a malformed header or parameter list raises :class:`QueryDefinitionError`."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, str(path))
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary:
        raise QueryDefinitionError(f"{path}: the header needs a '#+ summary:' line")
    params = []
    for item in header.get("params", []) or []:
        if not isinstance(item, dict) or "name" not in item or "type" not in item:
            raise QueryDefinitionError(f"{path}: every parameter needs a name and a type")
        if item["type"] not in TYPES:
            raise QueryDefinitionError(
                f"{path}: parameter {item['name']!r} has unknown type {item['type']!r} (types: {', '.join(TYPES)})"
            )
        params.append(
            ParameterSpec(
                name=item["name"],
                type=item["type"],
                description=item.get("description", ""),
                default=item.get("default") or None,
                example=item.get("example") or None,
                required=item.get("required", "false").lower() == "true",
            )
        )
    declared = {p.name for p in params}
    used = set(_PARAM_VARIABLE.findall(re.sub(r"(?m)^\s*#.*$", "", text)))
    if used != declared:
        raise QueryDefinitionError(
            f"{path}: parameters declared {sorted(declared)} but the query uses {sorted(used)} as ?_ variables"
        )
    tags = header.get("tags", [])
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=summary,
        description=str(header.get("description", "")),
        tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (str(tags),),
        params=tuple(params),
        text=text,
        extra={k: v for k, v in header.items() if k not in ("summary", "description", "tags", "params")},
    )


class QueryCatalog:
    """The stored queries of one folder, read lazily and kept by name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, StoredQuery] = {}

    def names(self) -> list[str]:
        """The names of every stored query (file stems), sorted."""
        return sorted(p.stem for p in self.folder.glob("*.rq"))

    def get(self, name: str) -> StoredQuery:
        """Return the stored query ``name``; an unknown name suggests close matches."""
        if name not in self._cache:
            path = self.folder / f"{name}.rq"
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or not path.is_file():
                names = self.names()
                close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
                close += [n for n in names if name and name in n and n not in close][:3]
                raise UnknownQueryError(name, close)
            self._cache[name] = read_stored_query(path)
        return self._cache[name]

    def all(self) -> list[StoredQuery]:
        """Every stored query, sorted by name."""
        return [self.get(name) for name in self.names()]

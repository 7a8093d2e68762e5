"""Quality checks in the ROBOT ``verify`` style: one SPARQL query per rule, each returning the
rows that break it.

The rules are the files ``queries/checks/*.rq`` of the data folder. Each starts with a
``#+`` header::

    #+ name: dangling-iri
    #+ severity: ERROR            (ERROR, WARN or INFO)
    #+ description: An IRI in the project's namespaces used as an object but never described.
    #+ python: quote-in-source    (optional: a Python filter that keeps the violating rows)
    #+ reasoning: true            (optional: the rule needs the OWL-RL inferences)

A rule whose query cannot decide alone (a quote against its source text, the bounds of a
month) names a Python filter: the query lists the candidate rows and the filter keeps the
violating ones, adding a ``problem`` column. Run elsewhere, such a query returns candidates.

Queries run over the union of the graphs (in rdflib, or in Oxigraph on an Oxigraph store); a row
that binds ``?g`` (the named graph) gets the file it comes from in ``source_file``.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from coopgraph.errors import ParameterError, QueryDefinitionError
from coopgraph.evidence import locate_quote, quote_matches
from coopgraph.loader import new_dataset
from coopgraph.queries import parse_header
from coopgraph.namespaces import CGSRC, DERIVED_GRAPHS
from coopgraph.results import QueryResult, to_python
from coopgraph.sparql import prepare, run_query

if TYPE_CHECKING:  # pragma: no cover
    from coopgraph.kg import KnowledgeGraph
    from coopgraph.loader import DataLayout

SEVERITIES = ("ERROR", "WARN", "INFO")


# ------------------------------------------------------------------------------------------
# rules
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One quality rule: a query file and its header."""

    name: str
    severity: str
    description: str
    path: Path
    query: str
    python: str | None = None
    reasoning: bool = False


def parse_rule(path: Path) -> Rule:
    """Read one rule file; a missing or malformed header is a :class:`QueryDefinitionError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryDefinitionError(f"{path}: cannot read rule file: {exc.strerror}") from exc
    header = {key.lower(): str(value) for key, value in parse_header(text, str(path)).items()}
    for key in ("name", "severity", "description"):
        if not header.get(key):
            raise QueryDefinitionError(f"{path}: the header has no '#+ {key}:' line")
    severity = header["severity"].upper()
    if severity not in SEVERITIES:
        raise QueryDefinitionError(f"{path}: severity must be one of {', '.join(SEVERITIES)}, not {header['severity']!r}")
    python = header.get("python") or None
    if python is not None and python not in FILTERS:
        raise QueryDefinitionError(f"{path}: unknown Python filter {python!r} (known: {', '.join(sorted(FILTERS))})")
    return Rule(
        name=header["name"],
        severity=severity,
        description=header["description"],
        path=path,
        query=text,
        python=python,
        reasoning=header.get("reasoning", "").strip().lower() in ("true", "yes", "1"),
    )


def load_rules(layout: "DataLayout") -> list[Rule]:
    """Every rule of ``queries/checks/``, sorted by name; names must be unique."""
    folder = layout.queries_dir / "checks"
    rules = [parse_rule(p) for p in sorted(folder.glob("*.rq"))] if folder.is_dir() else []
    seen: dict[str, Path] = {}
    for rule in rules:
        if rule.name in seen:
            raise QueryDefinitionError(f"rule name {rule.name!r} is used by both {seen[rule.name]} and {rule.path}")
        seen[rule.name] = rule.path
    return sorted(rules, key=lambda r: r.name)


# ------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------


@dataclass
class RuleResult:
    """The rows one rule returned (the violations), with the files they come from."""

    rule: Rule
    result: QueryResult
    source_files: list[str | None] = field(default_factory=list)  # one per row, from ?g

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def description(self) -> str:
        return self.rule.description

    @property
    def variables(self) -> list[str]:
        return self.result.variables

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Plain-Python rows, each with ``source_file`` when the rule binds ``?g``."""
        out = []
        for row, source_file in zip(self.result.rows, self.source_files):
            if source_file is not None:
                row = {**row, "source_file": source_file}
            out.append(row)
        return out

    @property
    def source_file(self) -> str | None:
        """The file(s) the rows come from, comma-separated (None when ?g is not bound)."""
        files = sorted({f for f in self.source_files if f})
        return ", ".join(files) if files else None

    @property
    def failed(self) -> bool:
        return len(self.result) > 0

    def __len__(self) -> int:
        return len(self.result)


@dataclass
class CheckReport:
    """The outcome of :func:`run_checks`: one :class:`RuleResult` per rule run."""

    results: list[RuleResult] = field(default_factory=list)

    def __iter__(self):
        return iter(self.results)

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, name: str) -> RuleResult:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(name)

    def failed(self, fail_on: str = "error") -> bool:
        """True when an ERROR rule (or, with ``fail_on="warn"``, a WARN rule) returned rows."""
        levels = {"error": ("ERROR",), "warn": ("ERROR", "WARN"), "info": SEVERITIES}
        if fail_on not in levels:
            raise ParameterError(f"fail_on must be 'error' or 'warn', not {fail_on!r}")
        return any(r.failed and r.severity in levels[fail_on] for r in self.results)

    @property
    def conforms(self) -> bool:
        return not self.failed("error")

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITIES}
        for r in self.results:
            out[r.severity] += len(r)
        return out

    def summary(self) -> str:
        c = self.counts()
        failing = sum(1 for r in self.results if r.failed)
        return (
            f"Summary: {len(self.results)} rule(s) run, {failing} with violations: "
            f"{c['ERROR']} error row(s), {c['WARN']} warning row(s), {c['INFO']} info row(s)."
        )

    def to_json(self, indent: int | None = 2) -> str:
        document = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "rules": [
                {
                    "name": r.name,
                    "severity": r.severity,
                    "description": r.description,
                    "file": r.rule.path.name,
                    "violations": len(r),
                    "rows": [_json_row(row) for row in r.rows],
                }
                for r in self.results
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=indent, default=str) + "\n"


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v)) for k, v in row.items()}


# ------------------------------------------------------------------------------------------
# running
# ------------------------------------------------------------------------------------------


def run_checks(kg: "KnowledgeGraph", *, rules: Iterable[str] | None = None) -> CheckReport:
    """Run the quality rules (all, or those named in ``rules``) on ``kg``.

    Rules that need the OWL-RL inferences run after :meth:`KnowledgeGraph.ensure_reasoned`;
    every other rule ignores the derived graphs (inferences, corroboration index, graph statistics).
    """
    chosen = select_rules(kg.layout, rules)
    graph_files = {str(gf.graph): gf.path for gf in kg.layout.graph_files()}
    report = CheckReport()
    run = _rule_runner(kg)
    # rules that need no reasoning first, so that a cold run reasons at most once, at the end
    for rule in sorted(chosen, key=lambda r: (r.reasoning, r.name)):
        if rule.reasoning:
            kg.ensure_reasoned()
        result = run(rule)
        if rule.python is not None:
            result = FILTERS[rule.python](kg, result)
        result = _sorted(result)
        files = [_source_file(row, result.variables, graph_files, kg.layout.root) for row in result.bindings]
        report.results.append(RuleResult(rule, result, files))
    report.results.sort(key=lambda r: r.name)
    return report


def _rule_runner(kg: "KnowledgeGraph") -> Callable[[Rule], QueryResult]:
    """How to answer a rule's query on ``kg``'s store: the rules that ask for reasoning see the
    whole store, the others the asserted graphs only (copied once, on first use).

    An Oxigraph store answers in Oxigraph, from an in-memory Oxigraph copy of its asserted
    graphs (1M triples: the rdflib copy and rdflib's evaluation of the rules had not finished
    after 300 s), and so does a SPARQL endpoint when pyoxigraph is installed (the rules that
    ask for reasoning run at the endpoint, the others on a copy of its asserted graphs read as
    N-Triples); the memory store answers in rdflib, and so does an endpoint without pyoxigraph.
    """
    asserted: list = []
    copy_asserted = _oxigraph_copier(kg)

    if copy_asserted is not None:

        def run_oxigraph(rule: Rule) -> QueryResult:
            prepare(rule.query, origin=str(rule.path))  # the same syntax errors as on rdflib
            if rule.reasoning:
                return kg.store.query(rule.query, origin=str(rule.path))
            if not asserted:
                asserted.append(copy_asserted(kg.store))
            return asserted[0].query(rule.query, origin=str(rule.path))

        return run_oxigraph

    def run_rdflib(rule: Rule) -> QueryResult:
        prepared = prepare(rule.query, origin=str(rule.path))
        if rule.reasoning:
            return run_query(kg.dataset, prepared, origin=str(rule.path))
        if not asserted:
            asserted.append(_asserted_graphs(kg.dataset))
        return run_query(asserted[0], prepared, origin=str(rule.path))

    return run_rdflib


def _oxigraph_copier(kg: "KnowledgeGraph") -> Callable | None:
    """How to copy ``kg``'s asserted graphs into an in-memory Oxigraph store, or None (rdflib answers)."""
    if kg.store.kind == "oxigraph":
        from coopgraph.stores.oxigraph_store import asserted_copy

        return asserted_copy
    if kg.store.kind == "sparql":
        from importlib.util import find_spec

        if find_spec("pyoxigraph") is not None:
            from coopgraph.stores.oxigraph_store import asserted_copy_of_endpoint

            return asserted_copy_of_endpoint
    return None


def _asserted_graphs(dataset: Dataset) -> Dataset:
    """The dataset without the derived graphs (itself when it has none).

    Rules that do not ask for reasoning see only what the files say: an inferred triple must
    neither hide a defect (a dangling IRI that a range axiom types) nor slow the scans down,
    the corroboration index restates the source graphs' own triples, and the statistics
    describe the graphs rather than the world.
    """
    if not any(len(dataset.graph(name)) for name in DERIVED_GRAPHS):
        return dataset
    copy = new_dataset()
    for graph in dataset.graphs():
        if graph.identifier not in DERIVED_GRAPHS and isinstance(graph.identifier, URIRef) and len(graph):
            copy.graph(graph.identifier).addN((s, p, o, copy.graph(graph.identifier)) for s, p, o in graph)
    return copy


def select_rules(layout: "DataLayout", names: Iterable[str] | None = None) -> list[Rule]:
    """The rules of ``layout`` named in ``names`` (all when None); an unknown name is a ParameterError."""
    return _choose(load_rules(layout), names)


def _choose(available: list[Rule], names: Iterable[str] | None) -> list[Rule]:
    if names is None:
        return list(available)
    by_name = {r.name: r for r in available}
    chosen = []
    for name in names:
        if name not in by_name:
            close = get_close_matches(name, list(by_name), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else f" (known: {', '.join(sorted(by_name))})"
            raise ParameterError(f"unknown check rule {name!r}{hint}")
        if by_name[name] not in chosen:
            chosen.append(by_name[name])
    return chosen


def _source_file(row: tuple, variables: list[str], graph_files: dict[str, Path], root: Path) -> str | None:
    if "g" not in variables:
        return None
    graph = row[variables.index("g")]
    if graph is None:
        return None
    path = graph_files.get(str(graph))
    if path is None:
        return None
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _sorted(result: QueryResult) -> QueryResult:
    """Rows in a deterministic order (by their printed terms), whatever the engine returned."""
    if result.kind != "SELECT":
        return result
    rows = sorted(result.bindings, key=lambda row: tuple("" if t is None else t.n3() for t in row))
    return QueryResult(kind="SELECT", variables=list(result.variables), bindings=rows)


# ------------------------------------------------------------------------------------------
# Python filters
# ------------------------------------------------------------------------------------------


def _with_problems(result: QueryResult, problems: list[tuple[tuple, str]]) -> QueryResult:
    return QueryResult(
        kind="SELECT",
        variables=list(result.variables) + ["problem"],
        bindings=[tuple(row) + (Literal(problem),) for row, problem in problems],
    )


def _quote_in_source(kg: "KnowledgeGraph", result: QueryResult) -> QueryResult:
    """Keep the evidence rows whose quote is not its source passage at its offsets."""
    index = {name: i for i, name in enumerate(result.variables)}
    texts: dict[str, str | None] = {}
    problems: list[tuple[tuple, str]] = []
    for row in result.bindings:
        source, in_catalog, exact, start, end = (
            row[index["source"]],
            row[index["inCatalog"]],
            row[index["exact"]],
            row[index["start"]],
            row[index["end"]],
        )
        problem = None
        if source is None:
            problem = "evidence has no oa:hasSource"
        elif not isinstance(source, URIRef) or not str(source).startswith(str(CGSRC)):
            problem = f"source {source} is not a cgsrc: source document"
        elif not (isinstance(in_catalog, Literal) and in_catalog.toPython() is True):
            problem = f"source {to_python(source)} is not in the catalog"
        elif exact is None:
            problem = "evidence has no oa:TextQuoteSelector with oa:exact"
        elif start is None or end is None:
            problem = "evidence has no oa:TextPositionSelector with oa:start and oa:end"
        else:
            stem = str(source)[len(str(CGSRC)):]
            if stem not in texts:
                path = kg.layout.corpus_file(stem)
                texts[stem] = path.read_text(encoding="utf-8") if path.is_file() else None
            text = texts[stem]
            start_value, end_value = _as_int(start), _as_int(end)
            if text is None:
                problem = f"corpus file data/corpus/{stem}.txt is missing"
            elif start_value is None or end_value is None:
                problem = f"offsets {start} and {end} are not integers"
            elif not quote_matches(text, str(exact), start_value, end_value):
                problem = _quote_problem(text, str(exact), start_value, end_value)
        if problem is not None:
            problems.append((row, problem))
    return _with_problems(result, problems)


def _as_int(term: Node) -> int | None:
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _quote_problem(text: str, exact: str, start: int, end: int) -> str:
    found = locate_quote(text, exact)
    where = f"[{start}, {end})"
    if not found:
        return f"quote not found anywhere in the source text (offsets {where})"
    places = ", ".join(f"{loc.start} {loc.end}" for loc in found[:3])
    return f"quote is not at offsets {where}; it occurs at: {places}"


def _date_bounds(kg: "KnowledgeGraph", result: QueryResult) -> QueryResult:
    """Keep the dated rows whose bounds are not the first and last day the stated date allows."""
    index = {name: i for i, name in enumerate(result.variables)}
    problems: list[tuple[tuple, str]] = []
    for row in result.bindings:
        stated, earliest, latest = row[index["date"]], row[index["earliest"]], row[index["latest"]]
        expected = expected_bounds(stated)
        if expected is None:
            problems.append((row, f"cg:date {stated.n3() if stated is not None else ''} is not a valid xsd:date, xsd:gYearMonth or xsd:gYear"))
            continue
        first, last = expected
        wrong = []
        if earliest is None or _as_date(earliest) != first:
            wrong.append(f"cg:earliestDate should be {first.isoformat()}")
        if latest is None or _as_date(latest) != last:
            wrong.append(f"cg:latestDate should be {last.isoformat()}")
        if wrong:
            problems.append((row, "; ".join(wrong)))
    return _with_problems(result, problems)


def _as_date(term: Node) -> date | None:
    if isinstance(term, Literal) and term.datatype == XSD.date:
        try:
            return date.fromisoformat(str(term))
        except ValueError:
            return None
    return None


_YEAR = re.compile(r"^(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def expected_bounds(stated: Node | None) -> tuple[date, date] | None:
    """The first and last day a stated ``cg:date`` allows, or None if it is not a valid date."""
    if not isinstance(stated, Literal):
        return None
    lexical = str(stated)
    try:
        if stated.datatype == XSD.date:
            day = date.fromisoformat(lexical) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", lexical) else None
            return (day, day) if day else None
        if stated.datatype == XSD.gYearMonth:
            match = _YEAR_MONTH.match(lexical)
            if not match:
                return None
            year, month = int(match.group(1)), int(match.group(2))
            last_day = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last_day)
        if stated.datatype == XSD.gYear:
            match = _YEAR.match(lexical)
            if not match:
                return None
            year = int(match.group(1))
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # month 13, day 30 February, ...
        return None
    return None


#: the Python filters a rule may name in its ``#+ python:`` header
FILTERS: dict[str, Callable[["KnowledgeGraph", QueryResult], QueryResult]] = {
    "quote-in-source": _quote_in_source,
    "date-bounds": _date_bounds,
}

__all__ = [
    "CheckReport",
    "FILTERS",
    "Rule",
    "RuleResult",
    "expected_bounds",
    "load_rules",
    "parse_rule",
    "run_checks",
    "select_rules",
]

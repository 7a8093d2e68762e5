"""Quote matching between evidence nodes and the source texts.

Whitespace rule: an ``oa:exact`` quote is the source passage with every run of Unicode
whitespace (spaces, line breaks, U+00A0 no-break spaces, ...) replaced by one U+0020 and no
leading or trailing whitespace. A quote matches its offsets when
``normalise_whitespace(text[start:end]) == exact`` and neither ``text[start]`` nor
``text[end - 1]`` is whitespace. Offsets count Unicode code points, start inclusive, end
exclusive.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

_WHITESPACE_RUN = re.compile(r"\s+")


def normalise_whitespace(text: str) -> str:
    """Collapse every run of Unicode whitespace into one space and strip both ends."""
    return _WHITESPACE_RUN.sub(" ", text).strip()


def quote_matches(text: str, exact: str, start: int, end: int) -> bool:
    """Tell whether ``exact`` is the passage ``text[start:end]`` under the whitespace rule."""
    if not (0 <= start < end <= len(text)):
        return False
    if text[start].isspace() or text[end - 1].isspace():
        return False
    return normalise_whitespace(text[start:end]) == exact


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote was found in a source text (code-point offsets)."""

    start: int
    end: int


def locate_quote(text: str, exact: str) -> list[QuoteLocation]:
    """Return every place where ``exact`` occurs in ``text`` under the whitespace rule."""
    words = normalise_whitespace(exact).split(" ")
    if words == [""]:
        return []
    pattern = r"\s+".join(re.escape(word) for word in words)
    return [QuoteLocation(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _main(argv: list[str]) -> int:
    """``python -m coopgraph.evidence STEM_OR_PATH QUOTE``: print ``start end`` per match."""
    if len(argv) != 2:
        print("usage: python -m coopgraph.evidence SOURCE_STEM_OR_FILE QUOTE", file=sys.stderr)
        return 2
    source, quote = argv
    path = Path(source)
    if not path.is_file():
        from coopgraph.resources import data_root

        path = data_root() / "data" / "corpus" / f"{source}.txt"
    text = path.read_text(encoding="utf-8")
    found = locate_quote(text, quote)
    if not found:
        print(f"not found in {path}", file=sys.stderr)
        return 1
    for loc in found:
        print(loc.start, loc.end)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))

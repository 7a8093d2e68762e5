"""What to tell a user who typed a name that does not exist: the closest names, and a short list.

A corpus of thousands of sources has thousands of graphs; an error that listed them all
(the 1M-triple benchmark corpus: 8,856 graph names, about 400 kB) would bury the hint.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Sequence

#: how many known names an error lists before it says how many more there are
LISTED = 12


def known_names_hint(typed: str, known: Sequence[str], *, listed: int = LISTED) -> str:
    """``did you mean …?`` with the names that contain ``typed`` or are closest to it, then the known names.

    At most ``listed`` known names are written out, in the order given, then how many more
    there are, so the message stays short whatever the size of the corpus.
    """
    text = typed.strip()
    close = [name for name in known if text and text.lower() in name.lower()][:3]
    if not close:
        close = get_close_matches(text, list(known), n=3, cutoff=0.6)
    shown = ", ".join(known[:listed])
    if len(known) > listed:
        shown += f", … ({len(known) - listed:,} more)"
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return f"{hint}known: {shown}"

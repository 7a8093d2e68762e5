"""Where the packaged ontology, data and queries live (installed wheel or source checkout)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_bundled"


def data_root() -> Path:
    """Return the folder holding ``ontology/``, ``data/`` and ``queries/``.

    An installed wheel carries them in ``coopgraph/_bundled``; a source checkout (or an
    editable install) reads them from the repository root.
    """
    if (_BUNDLED / "ontology").is_dir():
        return _BUNDLED
    return _PACKAGE_DIR.parent.parent

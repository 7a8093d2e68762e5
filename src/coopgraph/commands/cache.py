"""`coopgraph cache [show|clear]`: inspect or empty the cache of reasoned datasets."""

from __future__ import annotations

import argparse

from coopgraph.cache import cache_dir, cached_entries, clear_cache


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the action."""
    parser.add_argument("action", nargs="?", choices=("show", "clear"), default="show", help="show (default) or clear")


def run(args: argparse.Namespace) -> int:
    """Show the cache folder and its entries, or delete them."""
    if args.action == "clear":
        removed = clear_cache()
        print(f"removed {removed} cache file(s) from {cache_dir()}")
        return 0
    entries = cached_entries()
    print(f"cache folder: {cache_dir()}")
    for path in entries:
        print(f"  {path.name}  {path.stat().st_size:,} bytes")
    if not entries:
        print("  (empty)")
    return 0

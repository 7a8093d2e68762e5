"""Time validation through the validation cache on a built Oxigraph store.

    python benchmarks/revalidate.py --store-path /tmp/bench/store1m --data benchmarks/corpora/1m

Runs, in one process and with a cache folder of its own: without the cache, filling it, again
with nothing changed, with one source file changed (the digest the build recorded for it is
replaced, as after an edit of the file and a build: its pass and the cross-source pass run),
then ``--source`` that file (cached), and ``--source`` that file changed once more. Prints the
seconds and result counts of each run, the cache entry's size and the peak memory.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-path", required=True, help="a store built by `coopgraph build --store oxigraph`")
    parser.add_argument("--data", help="the data folder it was built from (default: the one it records)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cg-validation-cache-") as folder:
        os.environ["COOPGRAPH_CACHE_DIR"] = folder
        return _runs(parser, args, Path(folder))


def _runs(parser: argparse.ArgumentParser, args: argparse.Namespace, cache: Path) -> int:

    import coopgraph
    from coopgraph.errors import CoopgraphError

    try:
        kg = coopgraph.load(args.data, store="oxigraph", store_path=args.store_path)
    except CoopgraphError as exc:
        parser.error(str(exc))
    files = kg.store.meta.get("files")
    if not files:
        parser.error(f"{args.store_path} records no file digests: run `coopgraph build` on it once more")
    edited = next(name for name in sorted(files) if name.startswith("data/sources/"))
    stem = Path(edited).stem

    def change() -> None:
        files[edited] = hashlib.sha256(f"edited {files[edited]}".encode()).hexdigest()

    runs = [
        ("without the cache", None, {"cache": False}),
        ("filling the cache", None, {}),
        ("nothing changed", None, {}),
        ("one source changed", change, {}),
        ("--source that file, cached", None, {"sources": [stem]}),
        ("--source that file, changed", change, {"sources": [stem]}),
    ]
    print("| run | seconds | results |\n|---|---:|---:|", flush=True)
    for what, before, options in runs:
        if before:
            before()
        start = time.perf_counter()
        report = kg.validate(engine="sparql", **options)
        print(f"| {what} | {time.perf_counter() - start:.2f} | {len(report)} |", flush=True)
    size = sum(path.stat().st_size for path in cache.iterdir())
    print(f"\ncache: {size / 1e6:.2f} MB; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

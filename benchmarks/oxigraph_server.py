"""A real Oxigraph SPARQL server (PyPI package ``oxigraph``) on 127.0.0.1, for the benchmark and the tests.

    with oxigraph_server(Path("/tmp/server-data")) as server:
        ...  # server.url is "http://127.0.0.1:PORT": SPARQL at + "/query", Graph Store at + "/store"
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


class ServerError(RuntimeError):
    """The Oxigraph server is not installed, did not start, or stopped answering."""


@dataclass(frozen=True)
class RunningServer:
    """A started server: its base URL and its process."""

    url: str
    process: subprocess.Popen

    def peak_mb(self) -> float | None:
        """The server's peak resident memory so far (Linux ``VmHWM``), or None where it cannot be read."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command: on PATH, or next to this Python (a virtual environment's bin)."""
    return shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def oxigraph_server(location: Path, *, start_timeout: float = 30.0) -> Iterator[RunningServer]:
    """Run ``oxigraph serve`` on ``location`` (a folder it creates) until the block ends.

    Its output goes to ``location``'s sibling ``<name>.log``.
    """
    binary = oxigraph_binary()
    if binary is None:
        raise ServerError("the Oxigraph server binary is not installed (pip install oxigraph, part of the test extra)")
    port = free_port()
    location.mkdir(parents=True, exist_ok=True)
    log_path = location.parent / f"{location.name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                if process.poll() is not None:
                    raise ServerError(f"the Oxigraph server exited with {process.returncode} (log: {log_path})")
                try:
                    with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise ServerError(f"the Oxigraph server did not answer within {start_timeout:.0f} s "
                                          f"(log: {log_path})") from None
                    time.sleep(0.2)
            yield RunningServer(base, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

"""Running `accord serve` in a subprocess for the command-line and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ACCORD = [sys.executable, "-m", "accord"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the test process's own service settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DJANGO_"))}
    env.update(extra)
    return env


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ACCORD, "serve", *args],
        capture_output=True,
        text=True,
        env=env or clean_env(),
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(
    data_dir: Path,
    *extra: str,
    workers: int = 2,
    port: int | None = None,
    own_group: bool = False,
    stdout: int = subprocess.PIPE,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`accord serve` on a (free) loopback port; yields its base URL and process, then stops it.

    ``own_group``: the server and its workers in a process group of their own (its id is the
    process's), so that a test can kill them all at once. ``stdout``: where its standard output
    (the access log, the printed links) goes; a pipe by default, read once it has stopped, so
    pass ``subprocess.DEVNULL`` for more than a few hundred requests."""
    port = port or free_port()
    log = (data_dir.parent / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [
            *ACCORD,
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--workers",
            str(workers),
            *extra,
        ],
        stdout=stdout,
        stderr=log,
        text=True,
        env=clean_env(),
        start_new_session=own_group,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/login/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"accord serve did not start: see {log.name}") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

"""Reading a scenario file's text: regular files only, within a size limit, UTF-8.

The file's type is checked before it is opened, so a device (``/dev/zero``), a FIFO without a
writer, a socket or a directory is refused at once instead of read forever or waited on; the
file is then opened without blocking and checked again on the open descriptor (it may have been
swapped in between), and at most ``MAX_FILE_SIZE`` bytes (see :mod:`accord.limits`) plus one are
read, so a file that grows while it is read is refused too. Every failure is a
:class:`~accord.model.problems.ScenarioError` naming the file: nothing the operating system says
about a path reaches the user as a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path as FilePath

from accord import limits
from accord.model.problems import Problem, ScenarioError, ScenarioLimitExceeded

__all__ = ["check_size", "decode", "read_bytes"]

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse(label: str, expected: str, found: str, *, limit: bool = False) -> ScenarioError:
    problem = Problem((), expected, found).located(label, None, None)
    return (ScenarioLimitExceeded if limit else ScenarioError)([problem], label)


def _kind(mode: int) -> str | None:
    """None for a regular file, else what the file is, in words."""
    if stat.S_ISREG(mode):
        return None
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def _too_big(size: int, limit: int) -> str:
    return f"{size:,} bytes"


def check_size(label: str, size: int) -> None:
    """Refuse a file of ``size`` bytes (or more) when that is past ``MAX_FILE_SIZE``."""
    limit = limits.current("MAX_FILE_SIZE")
    if size > limit:
        expected = (
            f"a scenario file of at most {limit:,} bytes (a limit; "
            f"{limits.how_to_raise('MAX_FILE_SIZE')} to raise it)"
        )
        raise _refuse(label, expected, _too_big(size, limit), limit=True)


def read_bytes(path: FilePath, label: str) -> bytes:
    """The bytes of the regular file at ``path``; ``label`` names it in messages."""
    limit = limits.current("MAX_FILE_SIZE")
    try:
        info = os.stat(path)
        kind = _kind(info.st_mode)
        if kind is not None:
            raise _refuse(label, "a regular file with a scenario", kind)
        check_size(label, info.st_size)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            kind = _kind(os.fstat(fd).st_mode)
            if kind is not None:
                raise _refuse(label, "a regular file with a scenario", kind)
            chunks: list[bytes] = []
            remaining = limit + 1
            while remaining > 0 and (chunk := os.read(fd, min(remaining, 1 << 20))):
                chunks.append(chunk)
                remaining -= len(chunk)
        finally:
            os.close(fd)
    except ScenarioError:
        raise
    except PermissionError:
        raise _refuse(label, "a file accord may read", "permission denied") from None
    except (OSError, ValueError) as e:  # ValueError: a NUL character in the path
        found = getattr(e, "strerror", None) or str(e)
        raise _refuse(label, "a readable scenario file", found) from None
    data = b"".join(chunks)
    check_size(label, len(data))
    return data


def decode(data: bytes, label: str) -> str:
    """UTF-8 text (a leading byte-order mark dropped, for JSON as for YAML)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(label, "a UTF-8 text file", "UTF-16 text (a UTF-16 byte-order mark)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        problem = Problem((), "a UTF-8 text file", f"bytes that are not UTF-8 ({e.reason})")
        raise ScenarioError([problem.located(label, line, column)], label) from None

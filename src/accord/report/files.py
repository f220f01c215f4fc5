"""Writing the report to disk without ever leaving a half-written or lost page.

The page is written to a temporary file in the target's own directory and renamed over the
target only once complete (a rename within one file system is atomic on POSIX and Windows):
a failure or an interrupt while writing leaves the previous report untouched and no partial
file behind.  :func:`check_writable` refuses an unusable path *before* any analysis runs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from accord.errors import UserInputError

__all__ = ["ReportPathError", "check_writable", "write_atomically"]


class ReportPathError(UserInputError):
    """The report cannot be written where the user asked."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Could not open file {str(path)!r} for the report: {reason}")


def check_writable(path: Path) -> None:
    """Raise :class:`ReportPathError` unless a file can be written at ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ReportPathError(path, "it is a directory")
    if not folder.is_dir():
        raise ReportPathError(path, f"no such directory {str(folder)!r}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReportPathError(path, f"the directory {str(folder)!r} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise ReportPathError(path, "the file exists and is read-only")


def _mode_for(path: Path) -> int:
    """The permissions the file would get if written directly: the old file's, else the
    default for new files under the process's umask."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, text: str) -> int:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed into place.

    Returns the number of bytes written.  Raises :class:`ReportPathError` when the file
    cannot be written; the previous file at ``path``, if any, is then unchanged.
    """
    data = text.encode("utf-8")
    check_writable(path)
    folder = path.parent if str(path.parent) else Path(".")
    mode = _mode_for(path)
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise ReportPathError(path, e.strerror or str(e)) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ReportPathError(path, e.strerror or str(e)) from None
    except BaseException:  # an interrupt: no partial file left behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return len(data)

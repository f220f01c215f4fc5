"""`accord import genius` and `accord export genius`: GENIUS (and NegMAS) domains in and out."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from accord.cli._common import read_or_exit, scenario_argument
from accord.errors import UserInputError

__all__ = ["export", "import_"]


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A failure to write ``path`` is the user's (a path it cannot write), said as such."""
    from accord.report.files import ReportPathError

    try:
        yield
    except ReportPathError as e:
        raise UserInputError(f"Could not write {str(path)!r}: {e.reason}") from None


@click.group(name="import")
def import_() -> None:
    """Convert a negotiation domain from another tool into an accord scenario."""


@import_.command(name="genius")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH..."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The scenario file to write (YAML; replaced only once complete).",
)
@click.option(
    "--real-steps",
    type=click.IntRange(min=2),
    default=11,
    show_default=True,
    help="Evenly spaced values a real (continuous) GENIUS issue becomes.",
)
@click.option(
    "--title", default=None, help="The scenario's title (default: the domain file's name)."
)
def genius(paths: tuple[Path, ...], output: Path, real_steps: int, title: str | None) -> None:
    """Import a GENIUS domain: PATH is its folder, or the domain and profile files one by one.

    Each profile becomes a negotiator with `normalize: max`, GENIUS's own scale, so every
    utility, reservation and solution is the one GENIUS and NegMAS compute; every conversion
    decision is written as a comment at the top of the file. Nothing is written when a file
    cannot be read exactly (exit status 2, the file and the element named).
    """
    from accord.interop import import_genius
    from accord.report.files import check_writable, write_atomically

    with _writing(output):
        check_writable(output)
        result = import_genius(list(paths), real_steps=real_steps, title=title)
        write_atomically(output, result.text)
    click.echo(f"wrote {output}: {len(result.profiles)} negotiators from {result.domain}")


@click.group()
def export() -> None:
    """Write an accord scenario in another tool's format."""


def _write_folder(folder: Path, files: dict[str, str]) -> None:
    """Every file complete or none: a new folder is filled aside and renamed into place; in an
    existing folder each file is replaced atomically, after all were made in memory."""
    from accord.report.files import write_atomically

    if folder.exists() and not folder.is_dir():
        raise UserInputError(f"Could not write {str(folder)!r}: it is a file, not a folder")
    if folder.is_dir():
        for name, text in files.items():
            with _writing(folder / name):
                write_atomically(folder / name, text)
        return
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise UserInputError(f"Could not write {str(folder)!r}: no such directory {str(parent)!r}")
    try:
        aside = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}."))
    except OSError as e:
        raise UserInputError(f"Could not write {str(folder)!r}: {e.strerror or e}") from None
    try:
        for name, text in files.items():
            (aside / name).write_text(text, encoding="utf-8")
        os.chmod(aside, 0o777 & ~_umask())
        os.replace(aside, folder)
    except OSError as e:
        raise UserInputError(f"Could not write {str(folder)!r}: {e.strerror or e}") from None
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@export.command(name="genius")
@scenario_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write domain.xml and one <party>.xml per negotiator into.",
)
def genius_export(file: str | None, output: Path) -> None:
    """Export a scenario as a GENIUS domain and profiles (NegMAS reads them too).

    Weights are divided by their sum and each negotiator's values are written on its own
    scale (`normalize`), so GENIUS's utilities are accord's. What GENIUS cannot hold
    (constraints, proposals, uncertainty, ...) is listed on stderr. FILE is a YAML or JSON
    scenario, or the name of an embedded scenario (default: cairo-2024).
    """
    from accord.interop import export_genius

    result = export_genius(read_or_exit(file).scenario)
    _write_folder(output, result.files)
    for what in result.left_out:
        click.echo(f"not exported (GENIUS has no place for it): {what}", err=True)
    click.echo(f"wrote {output}: {', '.join(result.files)}")

"""The examples of docs/reference/report.md run (in a temporary directory)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "report.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_command_line_examples_write_their_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_yaml: Any, base: dict[str, Any]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_yaml(base, "my-scenario.yaml")
    lines = [
        line for block in _blocks("") for line in block.splitlines() if line.startswith("accord ")
    ]
    commands = [line for line in lines if "[" not in line]  # the synopsis is not an example
    assert len(commands) == 3
    for line in commands:
        args = shlex.split(line)[1:]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (line, result.output)
        out = Path(args[args.index("-o") + 1])
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (block,) = _blocks("python")
    namespace: dict[str, Any] = {}
    exec(compile(block, str(DOC), "exec"), namespace)
    assert "Two proposals compared" in namespace["html"]
    assert (tmp_path / "cairo.html").exists()

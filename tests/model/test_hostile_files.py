"""Hostile files are refused at once, within bounded time and memory, with a clear message.

Issue 12, item 1: every case runs in a child process capped in memory and time (see
``bounded.py``), so a regression fails here instead of exhausting the machine.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from bounded import accord_bounded, load_bounded

from accord import limits


class _Os:
    """The ``os`` module as :mod:`accord.model.files` sees it, with some calls replaced."""

    def __init__(self, **replaced: Any) -> None:
        self.__dict__.update(replaced)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def _bomb(levels: int = 9) -> str:
    """The classic "billion laughs": each level repeats the one before nine times."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_the_alias_bomb_is_refused_at_the_alias_that_crosses_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb(), encoding="utf-8")
    assert len(path.read_bytes()) < 400
    out = load_bounded(str(path))
    assert out.returncode == 2, out.stderr
    assert "ScenarioLimitExceeded" in out.stdout and "Traceback" not in out.stderr
    # the fifth line holds the first alias whose expansion passes 10,000 values
    assert "bomb.yaml:5:" in out.stdout
    assert "aliases that repeat at most 10,000 values" in out.stdout
    assert "ACCORD_MAX_ALIAS_NODES" in out.stdout


def test_aliases_within_the_budget_are_read_as_repeated_values() -> None:
    from accord.model.yaml_reader import read_yaml

    document, problems = read_yaml("a: &x [1, 2]\nb: *x\nc: &y text\nd: *y\n", "f.yaml")
    assert problems == []
    assert document.data == {"a": [1, 2], "b": [1, 2], "c": "text", "d": "text"}


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nesting_500_levels_deep_is_a_clear_error_not_a_recursion_error(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"deep{suffix}"
    inner = "[" * 500 + "]" * 500
    path.write_text(
        f'{{"accord": 1, "title": {inner}}}' if suffix == ".json" else f"title: {inner}\n",
        encoding="utf-8",
    )
    assert len(path.read_bytes()) < 1100
    out = load_bounded(str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert f"at most {limits.MAX_NESTING} levels of nested" in out.stdout
    assert f"deep{suffix}:1:" in out.stdout  # where the nesting passed the limit


def test_nesting_past_what_the_json_parser_follows_is_the_same_clear_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deeper.json"
    path.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    out = load_bounded(str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "levels of nested objects and lists" in out.stdout


def test_dev_zero_is_refused_before_it_is_read() -> None:
    out = load_bounded("/dev/zero")
    assert out.returncode == 2, out.stderr
    assert "expected a regular file with a scenario; found a character device" in out.stdout


def test_a_fifo_without_a_writer_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    out = load_bounded(str(fifo))
    assert out.returncode == 2, out.stderr
    assert "found a FIFO (named pipe)" in out.stdout


def test_a_directory_is_refused(tmp_path: Path) -> None:
    out = load_bounded(str(tmp_path))
    assert out.returncode == 2 and "found a directory" in out.stdout


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(limits.MAX_FILE_SIZE + 1)  # sparse: no disk, no memory
    out = load_bounded(str(path))
    assert out.returncode == 2 and "ScenarioLimitExceeded" in out.stdout
    assert f"at most {limits.MAX_FILE_SIZE:,} bytes" in out.stdout
    assert "--max-file-size" in out.stdout


def test_the_size_limit_is_raised_by_the_environment_and_the_cli(
    tmp_path: Path, base: dict[str, Any]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(base), encoding="utf-8")
    size = len(path.read_bytes())
    small = {"ACCORD_MAX_FILE_SIZE": str(size - 1)}
    assert load_bounded(str(path), env=small).returncode == 2
    assert load_bounded(str(path), env={"ACCORD_MAX_FILE_SIZE": str(size)}).returncode == 0
    refused = accord_bounded("check", str(path), env=small)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    allowed = accord_bounded("--max-file-size", str(size), "check", str(path), env=small)
    assert allowed.returncode == 0, allowed.stderr


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.model import ScenarioError, files, read_scenario

    path = tmp_path / "growing.yaml"
    path.write_text("accord: 1\n", encoding="utf-8")
    monkeypatch.setattr(files, "os", _Os(read=lambda fd, n: b"#" * n))
    with limits.raised("MAX_FILE_SIZE", 4096), pytest.raises(ScenarioError) as info:
        read_scenario(str(path))
    assert "at most 4,096 bytes" in str(info.value)


@pytest.mark.parametrize(
    ("range_", "words"),
    [
        ({"min": 0, "max": 10**15, "step": 1}, "not about 10^15"),
        ({"min": 0, "max": 1.0e308, "step": 1.0e-308}, "not about 10^616"),
    ],
)
def test_a_range_past_the_option_limit_is_refused_by_check_with_its_place(
    tmp_path: Path, base: dict[str, Any], range_: dict[str, Any], words: str
) -> None:
    base["issues"][1]["range"] = range_
    path = tmp_path / "range.json"
    path.write_text(json.dumps(base, indent=1), encoding="utf-8")
    out = accord_bounded("check", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "error at issues[1].range: expected at most 2,000,000 values in a range" in out.stderr
    assert words in out.stderr
    line = int(out.stderr.split("range.json:")[2].split(":")[0])
    assert '"range"' in path.read_text().splitlines()[line - 1]


def test_an_analysis_of_a_range_past_the_limit_stops_at_loading(
    tmp_path: Path, base: dict[str, Any]
) -> None:
    base["issues"][1]["range"] = {"min": 0, "max": 10**15, "step": 1}
    path = tmp_path / "range.yaml"
    path.write_text(yaml.safe_dump(base), encoding="utf-8")
    out = accord_bounded("analyze", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr


def test_an_unreadable_file_is_a_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.model import ScenarioError, files, read_scenario

    path = tmp_path / "secret.yaml"
    path.write_text("accord: 1\n", encoding="utf-8")

    def denied(*args: Any, **kwargs: Any) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "os", _Os(open=denied))  # root may read anything: fake it
    with pytest.raises(ScenarioError) as info:
        read_scenario(str(path))
    assert "expected a file accord may read; found permission denied" in str(info.value)


def test_a_fifo_swapped_in_after_the_type_check_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is opened without blocking and checked again on the open descriptor."""
    from accord.model import ScenarioError, files, read_scenario

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    regular = tmp_path / "s.yaml"
    regular.write_text("accord: 1\n", encoding="utf-8")
    monkeypatch.setattr(files, "os", _Os(stat=lambda p: os.stat(regular)))
    done = threading.Event()

    def load() -> None:
        with pytest.raises(ScenarioError, match="FIFO"):
            read_scenario(str(fifo))
        done.set()

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(60)
    assert done.is_set()

"""Text from a scenario file reaches the terminal as text (issue 12, item 4).

A file is someone else's: its titles, names and labels must not be read as rich markup
(``[/]`` crashed ``stability``, a plan named ``[/x]`` crashed ``phases``, ``[israel-most-first]``
vanished from phases' titles) nor move the cursor, clear the screen or retitle the window.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import main
from accord.cli._output import plain
from accord.model import dump_scenario, load_scenario

MARKUP = "[/] [bold]loud[/bold] [/x] :smile:"
CONTROL = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\r\x08\x9b\u202eevil"
EVIL = f"{MARKUP} {CONTROL}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cairo-2024 with hostile text in every kind of field a command prints."""
    path = tmp_path_factory.mktemp("hostile") / "cairo.json"
    dump_scenario(load_scenario("cairo-2024"), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = f"Title {EVIL}"
    data["description"] = f"Description {EVIL}"
    data["parties"][0]["name"] = f"Israel {EVIL}"
    data["issues"][0]["name"] = f"Truce {EVIL}"
    data["positions"][0]["demand"] = f"Demand {EVIL}"
    data["proposals"][0]["name"] = f"Proposal {EVIL}"
    data["events"][0]["text"] = f"Event {EVIL}"
    data["sources"][0]["title"] = f"Source {EVIL}"
    data["plans"][0]["name"] = f"[/x] plan {EVIL}"
    last = list(data["conflict"]["labels"])[-1]
    data["conflict"]["labels"][last] += f" {EVIL}"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


PRINTS_NAMES = {"check", "show", "phases", "stability"}  # the others print ids and numbers
COMMANDS = [
    ["check"],
    ["show"],
    ["analyze"],
    ["improve", "cairo-draft"],
    ["phases"],
    ["phases", "--guarantee"],
    ["stability", "--status-quo", "--coalition", "israel,hamas"],
    ["robust", "--samples", "200"],
]


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_hostile_text_is_printed_as_text(hostile: Path, args: list[str], color: bool) -> None:
    env = {"COLUMNS": "100", "FORCE_COLOR": "1"} if color else {"COLUMNS": "100"}
    command, *rest = args
    result = CliRunner(env=env).invoke(main, [command, str(hostile), *rest])
    assert result.exit_code == 0, result.output
    out = result.output
    # nothing from the file reaches the terminal as a control sequence
    for raw in ("\x1b]", "\x1b[2J", "\x07", "\r", "\x08", "\x9b", "\u202e"):
        assert raw not in out, (args, repr(raw))
    if not color:
        assert "\x1b" not in out
        if command in PRINTS_NAMES:
            assert "\\x1b]0;pwned\\x07" in out  # visibly escaped, not dropped


def test_markup_in_names_prints_literally(hostile: Path) -> None:
    out = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["phases", str(hostile)]).output
    assert "[/x] plan [/] [bold]loud[/bold] [/x] :smile:" in out
    assert "[israel-most-first]" in out
    out = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["stability", str(hostile)]).output
    assert "Title [/] [bold]loud[/bold]" in out


def test_the_cairo_plan_ids_stay_in_the_titles() -> None:
    out = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["phases"]).output
    for plan in load_scenario("cairo-2024").plans:
        assert f"{plan.name} [{plan.id}]" in out


def test_plain_escapes_control_and_bidi_characters_only() -> None:
    assert plain("a\tb\nc") == "a\tb\nc"
    assert plain("\x1b[2J") == "\\x1b[2J"
    assert plain("\x00\x7f\x9b") == "\\x00\\x7f\\x9b"
    assert plain("\u202eevil\u2066") == "\\u202eevil\\u2066"
    assert plain("Hostage–prisoner exchange, 1,500 ≥ 1 — “quoted” [x]") == (
        "Hostage–prisoner exchange, 1,500 ≥ 1 — “quoted” [x]"
    )


def test_error_messages_escape_the_file_s_text_too(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"accord": 1, "title": "x", "parties": "\x1b[2J"}))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output

"""Shared fixtures: a small valid scenario as data, and a writer for YAML files in tmp_path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

BASE: dict[str, Any] = {
    "accord": 1,
    "title": "Two flatmates split the chores",
    "date": "2026-01-05",
    "sources": [
        {"id": "notes", "outlet": "Interview notes", "title": "Chore talks", "date": "2026-01-05"}
    ],
    "parties": [
        {"id": "ana", "name": "Ana", "role": "negotiator", "sources": ["notes"]},
        {"id": "ben", "name": "Ben", "role": "negotiator"},
        {"id": "landlord", "name": "The landlord", "role": "mediator"},
    ],
    "issues": [
        {"id": "dishes", "name": "Who does the dishes", "options": ["ana", "shared", "ben"]},
        {
            "id": "rent",
            "name": "Ana's share of the rent",
            "range": {"min": 40, "max": 60, "step": 5, "unit": "%"},
        },
    ],
    "positions": [
        {
            "party": "ana",
            "issue": "rent",
            "demand": "No more than half",
            "max": 50,
            "sources": ["notes"],
        }
    ],
    "preferences": {
        "ana": {
            "weights": {"dishes": 1, "rent": 3},
            "values": {"dishes": {"ana": 0, "shared": 5, "ben": 10}, "rent": [[40, 1], [60, 0]]},
            "reservation": 0.3,
            "estimate": True,
            "rationale": "From the notes.",
        },
        "ben": {
            "weights": {"dishes": 1, "rent": 1},
            "values": {"dishes": {"ana": 10, "shared": 5, "ben": 0}, "rent": [[40, 0], [60, 1]]},
            "reservation": 0.3,
            "estimate": True,
            "rationale": "From the notes.",
        },
    },
    "constraints": [
        {"forbid": {"dishes": "ben", "rent": [55, 60]}, "reason": "Ben will not do both."}
    ],
    "proposals": [
        {
            "id": "p1",
            "name": "Even split",
            "date": "2026-01-05",
            "by": "landlord",
            "package": {"dishes": "shared", "rent": 50},
            "sources": ["notes"],
        }
    ],
    "events": [{"date": "2026-01-05", "text": "They talk.", "sources": ["notes"]}],
}


@pytest.fixture
def base() -> dict[str, Any]:
    """A fresh deep copy of a small valid scenario, to break in tests."""
    return copy.deepcopy(BASE)


@pytest.fixture
def write_yaml(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write data (or raw text) to a YAML file in tmp_path and return its path."""

    def write(data: Any, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write

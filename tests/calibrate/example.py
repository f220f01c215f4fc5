"""The worked example of ``docs/reference/calibrate.md``: two flatmates, every number by hand."""

from __future__ import annotations

import copy
from typing import Any

NOTES = ["notes"]

FLATMATES: dict[str, Any] = {
    "accord": 1,
    "title": "Two flatmates split the chores",
    "sources": [{"id": "notes", "outlet": "Notes", "title": "Chore talks", "date": "2026-01-05"}],
    "parties": [
        {"id": "ana", "name": "Ana", "role": "negotiator"},
        {"id": "ben", "name": "Ben", "role": "negotiator"},
    ],
    "issues": [
        {"id": "dishes", "name": "Who does the dishes", "options": ["ana", "shared", "ben"]},
        {"id": "rent", "name": "Ana's share of the rent", "options": ["high", "mid", "low"]},
    ],
    "positions": [
        {
            "party": "ben",
            "issue": "dishes",
            "demand": "Ana does the dishes.",
            "options": ["ana"],
            "sources": NOTES,
        }
    ],
    "preferences": {
        "ana": {
            "weights": {"dishes": 10, "rent": 10},
            "values": {
                "dishes": {"ana": 0, "shared": 5, "ben": 10},
                "rent": {"high": 0, "mid": 8, "low": 20},
            },
            "reservation": 0.5,
            "estimate": True,
            "rationale": "From the notes.",
        },
        "ben": {
            "weights": {"dishes": 1, "rent": 1},
            "values": {
                "dishes": {"ana": 10, "shared": 5, "ben": 0},
                "rent": {"high": 10, "mid": 5, "low": 0},
            },
            "reservation": 0.3,
            "estimate": True,
            "rationale": "From the notes.",
        },
    },
    "proposals": [
        {
            "id": "p1",
            "name": "Shared dishes, middle rent",
            "date": "2026-01-05",
            "by": "ben",
            "package": {"dishes": "shared", "rent": "mid"},
            "responses": {"ana": "accepted", "ben": "accepted"},
            "sources": NOTES,
        },
        {
            "id": "p3",
            "name": "Shared dishes, Ana pays most",
            "date": "2026-01-05",
            "by": "ben",
            "package": {"dishes": "shared", "rent": "high"},
            "sources": NOTES,
        },
        {
            "id": "p4",
            "name": "Ana does the dishes, middle rent",
            "date": "2026-01-05",
            "by": "ben",
            "package": {"dishes": "ana", "rent": "mid"},
            "sources": NOTES,
        },
    ],
    "judgements": [
        {"id": "ana-p4", "party": "ana", "prefers": "p4", "over": "p3", "sources": NOTES}
    ],
}


def flatmates() -> dict[str, Any]:
    return copy.deepcopy(FLATMATES)


def contradictory() -> dict[str, Any]:
    """Ana accepts the worst package and rejects the best one twice: the record cannot all
    hold with one walk-away."""
    data = flatmates()
    data["positions"], data["judgements"] = [], []
    base = {"by": "ben", "sources": NOTES, "date": "2025-11-20"}
    data["proposals"] = [
        dict(
            base,
            id="pw",
            name="Worst",
            package={"dishes": "ana", "rent": "high"},
            responses={"ana": "accepted"},
        ),
        dict(
            base,
            id="pb",
            name="Best",
            package={"dishes": "ben", "rent": "low"},
            responses={"ana": {"response": "rejected", "date": "2026-01-05"}},
        ),
        dict(
            base,
            id="pb2",
            name="Best again",
            package={"dishes": "ben", "rent": "low"},
            responses={"ana": {"response": "rejected", "date": "2026-01-06"}},
        ),
    ]
    return data

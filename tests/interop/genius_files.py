"""Small GENIUS XML files written for the tests (no ANAC file is vendored).

``write_domain`` and ``write_profile`` build files in GENIUS's layout from plain Python
values, so each test states the numbers it checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

# issue: (name, "discrete", [values]) | (name, "integer", lo, hi) | (name, "real", lo, hi)
Issue = tuple[Any, ...]


def _bounds(issue: Issue) -> str:
    return f' lowerbound="{issue[2]}" upperbound="{issue[3]}"'


def _issue_head(k: int, issue: Issue, extra: str = "") -> str:
    kind = issue[1]
    return (
        f'<issue index="{k}" name={quoteattr(issue[0])} type="{kind}" etype="{kind}" '
        f'vtype="{kind}"{extra}'
    )


def domain_xml(issues: list[Issue]) -> str:
    body = []
    for k, issue in enumerate(issues, start=1):
        if issue[1] == "discrete":
            body.append(_issue_head(k, issue) + ">")
            body += [
                f'  <item index="{j}" value={quoteattr(v)}/>' for j, v in enumerate(issue[2], 1)
            ]
            body.append("</issue>")
        elif issue[1] == "integer":
            body.append(
                _issue_head(k, issue, f' lowerbound="{issue[2]}" upperbound="{issue[3]}"') + "/>"
            )
        else:
            body.append(_issue_head(k, issue) + ">")
            body.append(f'  <range lowerbound="{issue[2]}" upperbound="{issue[3]}"/>')
            body.append("</issue>")
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<negotiation_template>",
            f'<utility_space number_of_issues="{len(issues)}">',
            '<objective index="0" name="Test" type="objective" etype="objective">',
            *body,
            "</objective>",
            "</utility_space>",
            "</negotiation_template>",
            "",
        ]
    )


def profile_xml(
    issues: list[Issue],
    evaluations: list[Any],
    weights: list[str],
    *,
    reservation: str | None = None,
    discount: str | None = None,
    utility_type: str = "linear",
) -> str:
    """``evaluations[k]``: a dict value -> evaluation (discrete), (offset, slope) (integer) or
    (parameter0, parameter1) (real)."""
    body = []
    for k, (issue, ev) in enumerate(zip(issues, evaluations, strict=True), start=1):
        if issue[1] == "discrete":
            body.append(_issue_head(k, issue) + ">")
            body += [
                f'  <item index="{j}" value={quoteattr(v)} evaluation="{e}"/>'
                for j, (v, e) in enumerate(ev.items(), 1)
            ]
        elif issue[1] == "integer":
            body.append(
                _issue_head(k, issue, f' lowerbound="{issue[2]}" upperbound="{issue[3]}"') + ">"
            )
            body.append(f'  <evaluator ftype="linear" offset="{ev[0]}" slope="{ev[1]}"/>')
        else:
            body.append(_issue_head(k, issue) + ">")
            body.append(f'  <range lowerbound="{issue[2]}" upperbound="{issue[3]}"/>')
            body.append(f'  <evaluator ftype="linear" parameter0="{ev[0]}" parameter1="{ev[1]}"/>')
        body.append("</issue>")
    body += [f'<weight index="{k}" value="{w}"/>' for k, w in enumerate(weights, start=1)]
    tail = []
    if reservation is not None:
        tail.append(f'<reservation value="{reservation}"/>')
    if discount is not None:
        tail.append(f'<discount_factor value="{discount}"/>')
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<utility_space type="{utility_type}">',
            '<objective index="0" name="Test" type="objective" etype="objective">',
            *body,
            "</objective>",
            *tail,
            "</utility_space>",
            "",
        ]
    )


LAPTOP: list[Issue] = [
    ("Brand", "discrete", ["Dell", "Macintosh", "HP"]),
    ("Memory", "integer", 2, 10),
    ("Price", "real", 500, 1500),
]
BUYER = profile_xml(
    LAPTOP,
    [{"Dell": "4", "Macintosh": "8", "HP": "2"}, ("0.1", "0.15"), ("1.5", "-0.001")],
    ["0.5", "0.3", "0.2"],
    reservation="0.3",
    discount="0.9",
)
SELLER = profile_xml(
    LAPTOP,
    [{"Dell": "10", "Macintosh": "3", "HP": "6"}, ("1", "-0.1"), ("-0.5", "0.001")],
    ["0.2", "0.4", "0.4"],
    reservation="0.25",
)


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def laptop(folder: Path, **replace: str) -> Path:
    """The laptop domain with a buyer and a seller; ``replace`` swaps a file's text."""
    files = {"laptop_domain.xml": domain_xml(LAPTOP), "buyer.xml": BUYER, "seller.xml": SELLER}
    files.update(replace)
    return write_folder(folder, files)

"""A GENIUS domain and its profiles as an accord scenario file (``accord import genius``).

The conversion keeps GENIUS's utilities exactly (see :mod:`accord.interop.genius_xml` for the
semantics read):

* every profile becomes a negotiator with ``normalize: max``: a discrete issue's evaluations
  are written as GENIUS stores them and divided by the issue's largest, as GENIUS does; an
  integer or real issue's linear evaluator is written as value points that reproduce
  ``clip(offset + slope * (x - lowerbound), 0, 1)`` exactly at every step (the two ends and
  the steps on each side of a clip), used as written, as GENIUS does;
* an integer issue is a range with step 1; a real issue, continuous in GENIUS, becomes a range
  of ``real_steps`` evenly spaced values (a stated approximation: a solution between two
  steps is not seen);
* weights, reservation values and discount factors are written as read; a profile without a
  reservation gets GENIUS's default, 0; the discount factor is kept as data (accord's analyses
  are timeless).

Every decision above is also written as a comment at the top of the file, with the files it
came from. The text is validated by accord's own loader before it is returned, so what
``accord import genius`` writes is a scenario ``accord check`` accepts.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from accord import __version__, limits
from accord.errors import LimitExceeded
from accord.interop.genius_xml import (
    GeniusDomain,
    GeniusIssue,
    GeniusProfile,
    LinearEvaluator,
    read_genius_file,
)
from accord.model import scenario_from_text
from accord.model.problems import Problem, ScenarioError

__all__ = ["DEFAULT_REAL_STEPS", "GeniusImport", "decimal_text", "identifier", "import_genius"]

DEFAULT_REAL_STEPS = 11
"""Values a real issue is given (its bounds and nine between: the span divided by ten is
always a finite decimal)."""


@dataclass(frozen=True)
class GeniusImport:
    """The scenario text and the files it was made from."""

    text: str
    domain: str
    profiles: tuple[str, ...]


def decimal_text(x: Fraction) -> str:
    """``x`` as a plain decimal, exactly; ValueError when it has no finite decimal form."""
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        raise ValueError(f"{x} has no finite decimal form")
    places = max(twos, fives)
    scaled = abs(x.numerator) * 10**places // x.denominator
    sign = "-" if x < 0 else ""
    if places == 0:
        return f"{sign}{scaled}"
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")


def identifier(text: str, taken: set[str]) -> str:
    """An accord id made of ``text`` (letters, digits, ``_.-``), unique among ``taken``."""
    base = re.sub(r"[^A-Za-z0-9_.\-]+", "-", text).strip("-._") or "x"
    if not base[0].isalnum():
        base = f"x{base}"
    out, k = base, 2
    while out in taken:
        out, k = f"{base}-{k}", k + 1
    taken.add(out)
    return out


def _files(paths: Sequence[Path]) -> list[Path]:
    """The files named, or the XML files of the one folder named (GENIUS's ``*pareto.xml``
    frontier files and hidden files left out)."""
    if len(paths) == 1 and paths[0].is_dir():
        return sorted(
            p
            for p in paths[0].iterdir()
            if p.suffix.lower() == ".xml"
            and not p.name.lower().endswith("pareto.xml")
            and not p.name.startswith(".")
        )
    return list(paths)


def _fail(file: str, where: tuple[str, ...], expected: str, found: str) -> ScenarioError:
    return ScenarioError([Problem(where, expected, found).located(file, None, None)], file)


def read_domain_and_profiles(
    paths: Sequence[Path],
) -> tuple[GeniusDomain, tuple[GeniusProfile, ...]]:
    """One domain and at least two profiles, each profile checked against the domain."""
    label = str(paths[0]) if len(paths) == 1 else ", ".join(map(str, paths))
    read = [read_genius_file(p) for p in _files(paths)]
    domains = [r for r in read if isinstance(r, GeniusDomain)]
    profiles = tuple(r for r in read if isinstance(r, GeniusProfile))
    if len(domains) != 1:
        found = ", ".join(d.file for d in domains) or "none"
        raise _fail(label, (), "exactly one GENIUS domain file (root negotiation_template)", found)
    if len(profiles) < 2:
        found = ", ".join(p.file for p in profiles) or "none"
        raise _fail(
            label, (), "a profile (root utility_space) for each of two or more parties", found
        )
    for profile in profiles:
        _check_against(domains[0], profile)
    return domains[0], profiles


def _check_against(domain: GeniusDomain, profile: GeniusProfile) -> None:
    for issue in domain.issues:
        where = ("utility_space", f"issue {issue.name!r}")
        if issue.kind == "discrete":
            table = profile.evaluations.get(issue.index)
            if table is None:
                raise _fail(profile.file, where, "a discrete issue, as in the domain", "none")
            for value in table:
                if value not in issue.values:
                    expected = f"an item of the domain's issue ({', '.join(issue.values)})"
                    raise _fail(profile.file, (*where, f"item {value!r}"), expected, repr(value))
            missing = [v for v in issue.values if v not in table]
            if missing:
                raise _fail(
                    profile.file, where, "an evaluation for every item", f"none for {missing}"
                )
            if max(table.values()) <= 0:
                expected = "a positive largest evaluation (GENIUS divides by it)"
                raise _fail(profile.file, where, expected, "every evaluation 0")
        elif issue.index not in profile.evaluators:
            raise _fail(profile.file, where, f"an {issue.kind} issue, as in the domain", "none")
    extra = set(profile.weights) - {i.index for i in domain.issues}
    if extra:
        raise _fail(
            profile.file, ("utility_space",), "issues of the domain only", f"index {sorted(extra)}"
        )


def _grid(issue: GeniusIssue, real_steps: int, file: str) -> tuple[Fraction, int]:
    """(step, number of values) of the range a numeric issue becomes."""
    if issue.kind == "integer":
        step, count = Fraction(1), int(issue.upper - issue.lower) + 1
    else:
        count = real_steps if issue.upper > issue.lower else 1
        step = (issue.upper - issue.lower) / (count - 1) if count > 1 else Fraction(1)
    limit = limits.current("MAX_RANGE_OPTIONS")
    if count > limit:
        raise LimitExceeded(
            f"{file}: issue {issue.name!r}: at most {limit:,} values in a range (a limit; "
            f"{limits.how_to_raise('MAX_RANGE_OPTIONS')} to raise it), found {count:,}"
        )
    try:
        decimal_text(step)
    except ValueError:
        raise _fail(
            file,
            (f"issue {issue.name!r}",),
            "a real issue whose span divided by (--real-steps - 1) is a finite decimal",
            f"{decimal_text(issue.upper - issue.lower)} / {count - 1}",
        ) from None
    return step, count


def _points(
    evaluator: LinearEvaluator, lower: Fraction, step: Fraction, count: int
) -> list[tuple[Fraction, Fraction]]:
    """[x, value] points whose interpolation equals the clipped evaluator at every step: the
    ends, and the two steps around each place where the line crosses 0 or 1."""
    ks = {0, count - 1}
    if evaluator.slope != 0 and not evaluator.constant:
        for level in (Fraction(0), Fraction(1)):
            x = evaluator.shift + (level - evaluator.offset) / evaluator.slope
            t = (x - lower) / step
            ks |= {min(count - 1, max(0, math.floor(t))), min(count - 1, max(0, math.ceil(t)))}
    xs = [lower + k * step for k in sorted(ks)]
    return [(x, evaluator.at(x)) for x in xs]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _preamble(
    domain: GeniusDomain, profiles: Sequence[GeniusProfile], real_steps: int
) -> list[str]:
    kinds = {i.kind for i in domain.issues}
    lines = [
        f"# Imported from GENIUS by `accord import genius` (accord {__version__}).",
        f"# Domain: {domain.file}",
        *(f"# Profile: {p.file}" for p in profiles),
        "# Conversion decisions (GENIUS's semantics kept exactly unless said otherwise):",
        "# - each profile is a negotiator named after its file; ids are names made safe;",
        "# - normalize: max -- a discrete issue's evaluations are written as GENIUS stores",
        "#   them and divided by the issue's largest evaluation, as GENIUS does;",
        "# - weights, reservation values and discount factors are written as read (the",
        "#   weights sum to 1; accord divides by their sum all the same); a profile without",
        "#   a reservation value gets GENIUS's default, 0; discount is kept as data only",
        "#   (accord's analyses are timeless);",
    ]
    if kinds & {"integer", "real"}:
        lines += [
            "# - an integer or real issue's linear evaluator becomes value points used as",
            "#   written: the ends and the steps around each clip, so interpolation gives",
            "#   clip(offset + slope * (x - lowerbound), 0, 1) exactly at every step;",
        ]
    if "integer" in kinds:
        lines.append("# - an integer issue is a range from lowerbound to upperbound by 1;")
    if "real" in kinds:
        lines += [
            f"# - a real issue (continuous in GENIUS) is APPROXIMATED by {real_steps} evenly",
            "#   spaced values from lowerbound to upperbound (--real-steps to change);",
        ]
    lines.append("# - GENIUS domains have no proposals, positions or constraints.")
    return lines


def _issue_lines(
    issue: GeniusIssue, issue_id: str, option_ids: dict[str, str], grid: tuple[Fraction, int] | None
) -> list[str]:
    lines = [f"  - id: {_q(issue_id)}", f"    name: {_q(issue.name)}"]
    if grid is None:
        lines.append("    options:")
        for value in issue.values:
            lines.append(f"      - {{id: {_q(option_ids[value])}, name: {_q(value)}}}")
        return lines
    step, count = grid
    top = issue.lower + (count - 1) * step
    lines.append(
        f"    range: {{min: {decimal_text(issue.lower)}, max: {decimal_text(top)}, "
        f"step: {decimal_text(step)}}}"
    )
    return lines


def _preference_lines(
    profile: GeniusProfile,
    party: str,
    domain: GeniusDomain,
    ids: dict[str, tuple[str, dict[str, str], tuple[Fraction, int] | None]],
) -> list[str]:
    weights = ", ".join(
        f"{_q(ids[i.index][0])}: {decimal_text(profile.weights[i.index])}" for i in domain.issues
    )
    total = sum(profile.weights.values(), Fraction(0))
    lines = (
        []
        if total == 1
        else [
            f"  # {Path(profile.file).name}'s weights sum to {decimal_text(total)}, not 1: accord",
            "  # divides them by their sum, so its utilities are GENIUS's divided by that sum",
        ]
    )
    lines += [
        f"  {_q(party)}:",
        "    estimate: false",
        f"    rationale: {_q(f'Read from the GENIUS profile {Path(profile.file).name}.')}",
        "    normalize: max",
        f"    weights: {{{weights}}}",
        "    values:",
    ]
    for issue in domain.issues:
        issue_id, option_ids, grid = ids[issue.index]
        if grid is None:
            table = profile.evaluations[issue.index]
            cells = ", ".join(
                f"{_q(option_ids[v])}: {decimal_text(table[v])}" for v in issue.values
            )
            lines.append(f"      {_q(issue_id)}: {{{cells}}}")
        else:
            points = _points(profile.evaluators[issue.index], issue.lower, *grid)
            cells = ", ".join(f"[{decimal_text(x)}, {decimal_text(v)}]" for x, v in points)
            lines.append(f"      {_q(issue_id)}: [{cells}]")
    lines.append(f"    reservation: {decimal_text(profile.reservation or Fraction(0))}")
    if profile.discount is not None:
        lines.append(f"    discount: {decimal_text(profile.discount)}")
    return lines


def import_genius(
    paths: Sequence[Path], *, real_steps: int = DEFAULT_REAL_STEPS, title: str | None = None
) -> GeniusImport:
    """The accord scenario of a GENIUS folder (or of a domain and profile files named one by
    one), validated by accord's loader.

    Raises :class:`~accord.model.problems.ScenarioError` naming the file and the element for
    anything GENIUS's semantics do not allow or accord cannot represent exactly.
    """
    domain, profiles = read_domain_and_profiles(paths)
    taken: set[str] = set()
    ids: dict[str, tuple[str, dict[str, str], tuple[Fraction, int] | None]] = {}
    for issue in domain.issues:
        option_taken: set[str] = set()
        option_ids = {v: identifier(v, option_taken) for v in issue.values}
        grid = None if issue.kind == "discrete" else _grid(issue, real_steps, domain.file)
        ids[issue.index] = (identifier(issue.name, taken), option_ids, grid)
    party_taken: set[str] = set()
    parties = [identifier(Path(p.file).stem, party_taken) for p in profiles]
    name = title or Path(domain.file).stem
    about = f"The GENIUS domain {Path(domain.file).name}, imported with {len(profiles)} profiles."
    lines = [
        *_preamble(domain, profiles, real_steps),
        "accord: 1",
        f"title: {_q(name)}",
        f"description: {_q(about)}",
        "parties:",
        *(
            f"  - {{id: {_q(pid)}, name: {_q(Path(p.file).stem)}, role: negotiator}}"
            for pid, p in zip(parties, profiles, strict=True)
        ),
        "issues:",
    ]
    for issue in domain.issues:
        issue_id, option_ids, grid = ids[issue.index]
        lines += _issue_lines(issue, issue_id, option_ids, grid)
    lines.append("preferences:")
    for pid, profile in zip(parties, profiles, strict=True):
        lines += _preference_lines(profile, pid, domain, ids)
    text = "\n".join(lines) + "\n"
    scenario_from_text(text, file=f"<scenario imported from {domain.file}>")
    return GeniusImport(text, domain.file, tuple(p.file for p in profiles))

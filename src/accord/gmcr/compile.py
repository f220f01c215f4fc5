"""From the ``conflict:`` section of a scenario to a :class:`CompiledConflict`.

Both input forms (options, or explicit states and moves) end in the same
arrays.  Every mistake is reported as a :class:`~accord.model.problems.Problem`
with its path inside the document (``conflict.decision_makers[1].ranking[3]``),
and all of them are collected before anything is compiled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from accord import limits
from accord.gmcr.graph import CompiledConflict, OptionMoves
from accord.gmcr.prioritization import StatementError, parse_statement, prioritization_scores
from accord.model.conflict import Conflict
from accord.model.conflict_checks import state_code
from accord.model.problems import Path, Problem, ScenarioError, format_path
from accord.model.schema import Scenario

__all__ = ["MAX_OPTIONS", "compile_conflict", "conflict_problems"]

#: The option form enumerates 2**n codes; beyond this many options a model needs
#: more memory than an analysis on an ordinary machine should take (one limit, in accord.limits,
#: shared with the model's checks of the conflict section).
MAX_OPTIONS = limits.MAX_CONFLICT_OPTIONS

_ROOT: Path = ("conflict",)


def _list(items: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items)} in all)" if len(items) > limit else "")


@dataclass
class _Builder:
    conflict: Conflict
    problems: list[Problem] = field(default_factory=list)
    n: int = 0
    feasible: np.ndarray = field(default_factory=lambda: np.ones(1, dtype=bool))
    bit_of: dict[str, int] = field(default_factory=dict)
    removed_by: dict[int, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    label_of: dict[int, str] = field(default_factory=dict)
    code_of_label: dict[str, int] = field(default_factory=dict)

    def problem(self, path: Path, expected: str, found: str) -> None:
        self.problems.append(Problem((*_ROOT, *path), expected, found))

    # -- states -----------------------------------------------------------------------
    def vector(self, code: int) -> str:
        if self.conflict.is_explicit:
            return self.names[code]
        return "".join("Y" if code >> p & 1 else "N" for p in range(self.n))

    def resolve(self, ref: str, path: Path, *, feasible_only: bool = True) -> int | None:
        """The state a reference names, or None after reporting why it names none."""
        named = state_code(ref, self.conflict, self.n, self.names, self.code_of_label, self.bit_of)
        if isinstance(named, tuple):
            self.problem(path, *named)
            return None
        if feasible_only and not self.feasible[named]:
            self.problem(
                path, "a feasible state", f"{ref!r}, removed by {self.removed_by.get(named, '?')}"
            )
            return None
        return named

    # -- the option form -------------------------------------------------------------------
    def options(self) -> list[int]:
        sizes = []
        for i, dm in enumerate(self.conflict.decision_makers):
            if dm.moves is not None:
                self.problem(
                    ("decision_makers", i, "moves"),
                    "options (moves belong to the explicit form, with conflict.states)",
                    "moves",
                )
            if not dm.options:
                self.problem(
                    ("decision_makers", i, "options"),
                    "at least one option (or conflict.states and moves for the explicit form)",
                    "none",
                )
                sizes.append(0)
                continue
            sizes.append(len(dm.options))
            for j, opt in enumerate(dm.options):
                if opt.id in self.bit_of:
                    self.problem(
                        ("decision_makers", i, "options", j, "id"),
                        "option ids unique in the conflict (each option has one owner)",
                        f"a second {opt.id!r}",
                    )
                    continue
                self.bit_of[opt.id] = len(self.bit_of)
        self.n = sum(sizes)
        if self.n > MAX_OPTIONS:
            self.problem(
                ("decision_makers",),
                f"at most {MAX_OPTIONS} options in all (the option form enumerates 2^n states)",
                f"{self.n} options",
            )
        return sizes

    def option_ref(self, path: Path, option: str) -> int | None:
        if option in self.bit_of:
            return self.bit_of[option]
        self.problem(path, f"an option of this conflict ({_list(list(self.bit_of))})", repr(option))
        return None

    def infeasible(self) -> None:
        codes = np.arange(1 << self.n, dtype=np.int64)
        for k, pat in enumerate(self.conflict.infeasible):
            where = format_path((*_ROOT, "infeasible", k))
            groups: list[tuple[str, tuple[str, ...]]] = [("Y", pat.Y), ("N", pat.N)]
            for name in ("mutually_exclusive", "at_least_one_of", "exactly_one_of"):
                if getattr(pat, name) is not None:
                    groups = [(name, getattr(pat, name))]
            bits: dict[str, list[int]] = {}
            ok = True
            for name, ids in groups:
                bits[name] = []
                for j, option in enumerate(ids):
                    b = self.option_ref(("infeasible", k, name, j), option)
                    ok &= b is not None
                    if b is not None:
                        bits[name].append(b)
            if not ok:
                continue
            kind = groups[0][0]
            taken = [((codes >> b) & 1).astype(np.int64) for b in bits.get(kind, [])]
            if kind in ("Y", "N"):
                both = set(bits["Y"]) & set(bits["N"])
                if both:
                    self.problem(
                        ("infeasible", k),
                        "each option in Y or in N, not both",
                        _list([o for o, b in self.bit_of.items() if b in both]),
                    )
                    continue
                gone = np.ones(len(codes), dtype=bool)
                for b in bits["Y"]:
                    gone &= ((codes >> b) & 1).astype(bool)
                for b in bits["N"]:
                    gone &= ~((codes >> b) & 1).astype(bool)
            else:
                count = sum(taken, np.zeros(len(codes), dtype=np.int64))
                if kind == "mutually_exclusive":
                    gone = count > 1
                elif kind == "at_least_one_of":
                    gone = count == 0
                else:
                    gone = count != 1
            for code in np.flatnonzero(gone & self.feasible).tolist():
                self.removed_by[code] = where
            self.feasible &= ~gone
        if not self.feasible.any():
            self.problem(("infeasible",), "patterns that leave at least one feasible state", "none")

    def irreversible(self) -> tuple[int, int]:
        up = down = 0
        seen: set[str] = set()
        for k, item in enumerate(self.conflict.irreversible):
            b = self.option_ref(("irreversible", k, "option"), item.option)
            if b is None:
                continue
            if item.option in seen:
                self.problem(
                    ("irreversible", k, "option"), "each option once", f"{item.option!r} again"
                )
                continue
            seen.add(item.option)
            if item.direction == "N->Y":
                up |= 1 << b
            else:
                down |= 1 << b
        return up, down

    # -- shared -----------------------------------------------------------------------
    def labels(self) -> None:
        used: dict[str, str] = {}
        for key, text in self.conflict.labels.items():
            code = self.resolve(key, ("labels", key))
            if code is None:
                continue
            if text in used:
                self.problem(
                    ("labels", key), "labels that are unique", f"{text!r} also names {used[text]}"
                )
                continue
            if text != key and (
                (not self.conflict.is_explicit and len(text) == self.n and set(text) <= {"Y", "N"})
                or (self.conflict.is_explicit and text in self.names)
            ):
                self.problem(
                    ("labels", key), "a label that is not another state's name", repr(text)
                )
                continue
            used[text] = key
            self.label_of[code] = text
        self.code_of_label = {t: c for c, t in self.label_of.items()}

    def ranking_scores(self, i: int, ranking: tuple[str | tuple[str, ...], ...]) -> np.ndarray:
        size = len(self.feasible)
        scores = np.zeros(size, dtype=np.int64)
        placed: dict[int, Path] = {}
        groups = len(ranking)
        for g, item in enumerate(ranking):
            refs = (
                [(item, ("decision_makers", i, "ranking", g))]
                if isinstance(item, str)
                else [(ref, ("decision_makers", i, "ranking", g, j)) for j, ref in enumerate(item)]
            )
            for ref, path in refs:
                code = self.resolve(ref, path)
                if code is None:
                    continue
                if code in placed:
                    self.problem(
                        path,
                        "each feasible state once in a ranking",
                        f"{self.vector(code)} again"
                        f" (first at {format_path((*_ROOT, *placed[code]))})",
                    )
                    continue
                placed[code] = path
                scores[code] = groups - g
        missing = [c for c in np.flatnonzero(self.feasible).tolist() if c not in placed]
        if missing:
            shown = _list([self.label_of.get(c, self.vector(c)) for c in missing])
            self.problem(
                ("decision_makers", i, "ranking"),
                "every feasible state ranked once (ties as nested lists)",
                f"{len(missing)} missing: {shown}",
            )
        return scores

    def scores(self) -> np.ndarray:
        rows = []
        for i, dm in enumerate(self.conflict.decision_makers):
            if dm.ranking is not None:
                rows.append(self.ranking_scores(i, dm.ranking))
                continue
            assert dm.prioritization is not None
            if self.conflict.is_explicit:
                self.problem(
                    ("decision_makers", i, "prioritization"),
                    "a ranking (prioritization statements need options)",
                    "prioritization in the explicit-graph form",
                )
                rows.append(np.zeros(len(self.feasible), dtype=np.int64))
                continue
            parsed = []
            for k, text in enumerate(dm.prioritization):
                try:
                    parsed.append(parse_statement(text, list(self.bit_of)))
                except StatementError as e:
                    self.problem(
                        ("decision_makers", i, "prioritization", k),
                        "a statement over this conflict's options with and, or, not, "
                        "if ... then, iff and parentheses",
                        str(e),
                    )
            if len(dm.prioritization) > 62:
                self.problem(
                    ("decision_makers", i, "prioritization"),
                    "at most 62 statements",
                    f"{len(dm.prioritization)}",
                )
                parsed = []
            rows.append(prioritization_scores(parsed, self.bit_of, self.n))
        return np.stack(rows)

    def explicit(self) -> list[list[tuple[int, int]]]:
        assert self.conflict.states is not None
        self.names = list(self.conflict.states)
        for k, name in enumerate(self.names):
            if name in self.names[:k]:
                self.problem(("states", k), "state names that are unique", f"a second {name!r}")
        self.feasible = np.ones(len(self.names), dtype=bool)
        for key in ("infeasible", "irreversible"):
            if getattr(self.conflict, key):
                self.problem((key,), f"no {key} (it belongs to the option form)", key)
        arcs: list[list[tuple[int, int]]] = []
        for i, dm in enumerate(self.conflict.decision_makers):
            if dm.options is not None:
                self.problem(
                    ("decision_makers", i, "options"),
                    "moves (the conflict lists states, so it is in the explicit-graph form)",
                    "options",
                )
            dm_arcs = []
            for src, targets in (dm.moves or {}).items():
                a = self.resolve(src, ("decision_makers", i, "moves", src))
                for j, dst in enumerate(targets):
                    b = self.resolve(dst, ("decision_makers", i, "moves", src, j))
                    if a is not None and b is not None:
                        if a == b:
                            self.problem(
                                ("decision_makers", i, "moves", src, j),
                                "a move to a different state",
                                repr(dst),
                            )
                        dm_arcs.append((a, b))
            arcs.append(dm_arcs)
        return arcs

    def build(self) -> CompiledConflict | None:
        c = self.conflict
        dm_ids = [dm.id for dm in c.decision_makers]
        for i, dm_id in enumerate(dm_ids):
            if dm_id in dm_ids[:i]:
                self.problem(
                    ("decision_makers", i, "id"), "unique decision maker ids", f"a second {dm_id!r}"
                )
        if c.is_explicit:
            arcs = self.explicit()
            self.labels()
            scores = self.scores()
            sq = self.resolve(c.status_quo, ("status_quo",)) if c.status_quo is not None else None
            if self.problems:
                return None
            compiled = CompiledConflict.from_graph(dm_ids, self.names, arcs, scores)
            return CompiledConflict(
                compiled.decision_makers,
                compiled.feasible,
                compiled.scores,
                compiled.moves,
                state_names=tuple(self.names),
                labels=dict(self.label_of),
                status_quo=sq,
            )
        sizes = self.options()
        if self.problems:
            return None  # without a sound option list no state can be read
        self.feasible = np.ones(1 << self.n, dtype=bool)
        self.infeasible()
        up, down = self.irreversible()
        self.labels()
        scores = self.scores()
        sq = self.resolve(c.status_quo, ("status_quo",)) if c.status_quo is not None else None
        if self.problems:
            return None
        return CompiledConflict(
            tuple(dm_ids),
            self.feasible,
            scores,
            OptionMoves(tuple(sizes), up, down),
            option_ids=tuple(self.bit_of),
            labels=dict(self.label_of),
            status_quo=sq,
        )


def conflict_problems(conflict: Conflict) -> list[Problem]:
    """Every mistake in a ``conflict:`` section, each with its path."""
    builder = _Builder(conflict)
    builder.build()
    return builder.problems


def compile_conflict(source: Scenario | Conflict) -> CompiledConflict:
    """The compiled graph of a scenario's ``conflict:`` section (or of the section itself).

    Raises :class:`ScenarioError` listing every problem, or when the scenario
    has no ``conflict:`` section.
    """
    conflict = source if isinstance(source, Conflict) else getattr(source, "conflict", None)
    if conflict is None:
        raise ScenarioError([Problem(("conflict",), "a conflict: section", "none")])
    builder = _Builder(conflict)
    compiled = builder.build()
    if compiled is None:
        raise ScenarioError(builder.problems)
    return compiled

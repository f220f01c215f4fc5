"""Checks of the ``conflict:`` section: every state it names, every ranking, every statement.

The same rules as :mod:`accord.gmcr.compile`, which builds the graph as arrays, checked here in
plain Python so that the model needs nothing above it: a set of states is a Python integer used
as a bit set (bit ``c`` for the state whose option vector has code ``c``), so the 2^n states of
an option-form conflict (n <= ``MAX_CONFLICT_OPTIONS``) are filtered by a few whole-integer
operations per infeasibility pattern, never one by one. A hypothesis test holds these checks
and the graph builder's to the same problems (``tests/model/test_conflict_checks.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from accord import limits
from accord.model.conflict import Conflict, InfeasiblePattern
from accord.model.problems import Path, Problem, format_path
from accord.model.refs import Known
from accord.model.schema import Scenario
from accord.model.statements import StatementError, parse_statement

__all__ = ["check_conflict", "conflict_problems", "state_code"]

_ROOT: Path = ("conflict",)
_SHORTCUTS = ("mutually_exclusive", "at_least_one_of", "exactly_one_of")


def _list(items: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items)} in all)" if len(items) > limit else "")


def _codes(bits: int) -> Iterator[int]:
    """The members of a bit set, smallest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def state_code(
    ref: str,
    conflict: Conflict,
    n: int,
    names: Sequence[str],
    code_of_label: dict[str, int],
    bit_of: dict[str, int],
) -> int | tuple[str, str]:
    """The code of the state ``ref`` names (a label, a listed state of the explicit form, or
    ``n`` letters Y/N of the option form), feasible or not; or (expected, found) saying why
    it names none. Shared by these checks and :mod:`accord.gmcr.compile`."""
    if ref in code_of_label:
        return code_of_label[ref]
    if conflict.is_explicit:
        if ref in names:
            return list(names).index(ref)
        return f"a state listed in conflict.states ({_list(names)})", repr(ref)
    letters = set(ref)
    if not letters <= {"Y", "N"}:
        bad = sorted(letters - {"Y", "N"})
        return (
            f"a state: {n} letters Y or N (one per option, in declaration order), "
            "or a label from conflict.labels",
            f"{ref!r}, with {', '.join(repr(b) for b in bad)}",
        )
    if len(ref) != n:
        return (
            f"a state of {n} letters Y/N, one per option ({', '.join(bit_of)})",
            f"{ref!r}, {len(ref)} letters",
        )
    return sum(1 << p for p, c in enumerate(ref) if c == "Y")


@dataclass
class _Checker:
    conflict: Conflict
    problems: list[Problem] = field(default_factory=list)
    n: int = 0
    size: int = 1  # number of states
    feasible: int = 1  # bit set of feasible states
    bit_of: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    label_of: dict[int, str] = field(default_factory=dict)
    code_of_label: dict[str, int] = field(default_factory=dict)
    masks: dict[int, int] = field(default_factory=dict)
    gone: list[tuple[int, int]] = field(default_factory=list)  # (pattern index, states removed)

    def problem(self, path: Path, expected: str, found: str) -> None:
        self.problems.append(Problem((*_ROOT, *path), expected, found))

    # -- bit sets of states -------------------------------------------------------------------
    @property
    def everything(self) -> int:
        return (1 << self.size) - 1

    def mask(self, bit: int) -> int:
        """The states whose option ``bit`` is taken (Y)."""
        if bit not in self.masks:
            half = 1 << bit
            pattern, width = ((1 << half) - 1) << half, half << 1
            while width < self.size:
                pattern |= pattern << width
                width <<= 1
            self.masks[bit] = pattern
        return self.masks[bit]

    # -- states ---------------------------------------------------------------------------------
    def vector(self, code: int) -> str:
        if self.conflict.is_explicit:
            return self.names[code]
        return "".join("Y" if code >> p & 1 else "N" for p in range(self.n))

    def removed_by(self, code: int) -> str:
        for k, gone in self.gone:
            if gone >> code & 1:
                return format_path((*_ROOT, "infeasible", k))
        return "?"

    def resolve(self, ref: str, path: Path) -> int | None:
        """The state a reference names, or None after reporting why it names none."""
        named = state_code(ref, self.conflict, self.n, self.names, self.code_of_label, self.bit_of)
        if isinstance(named, tuple):
            self.problem(path, *named)
            return None
        if not self.feasible >> named & 1:
            self.problem(path, "a feasible state", f"{ref!r}, removed by {self.removed_by(named)}")
            return None
        return named

    # -- the option form --------------------------------------------------------------------------
    def options(self) -> None:
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
                continue
            for j, opt in enumerate(dm.options):
                if opt.id in self.bit_of:
                    self.problem(
                        ("decision_makers", i, "options", j, "id"),
                        "option ids unique in the conflict (each option has one owner)",
                        f"a second {opt.id!r}",
                    )
                    continue
                self.bit_of[opt.id] = len(self.bit_of)
        self.n = sum(len(dm.options or ()) for dm in self.conflict.decision_makers)
        if self.n > limits.MAX_CONFLICT_OPTIONS:
            self.problem(
                ("decision_makers",),
                f"at most {limits.MAX_CONFLICT_OPTIONS} options in all (the option form "
                "enumerates 2^n states)",
                f"{self.n} options",
            )

    def option_ref(self, path: Path, option: str) -> int | None:
        if option in self.bit_of:
            return self.bit_of[option]
        self.problem(path, f"an option of this conflict ({_list(list(self.bit_of))})", repr(option))
        return None

    def pattern_bits(self, k: int, pattern: InfeasiblePattern) -> dict[str, list[int]] | None:
        groups: list[tuple[str, tuple[str, ...]]] = [("Y", pattern.Y), ("N", pattern.N)]
        for name in _SHORTCUTS:
            if getattr(pattern, name) is not None:
                groups = [(name, getattr(pattern, name))]
        bits: dict[str, list[int]] = {}
        ok = True
        for name, ids in groups:
            bits[name] = []
            for j, option in enumerate(ids):
                b = self.option_ref(("infeasible", k, name, j), option)
                ok &= b is not None
                if b is not None:
                    bits[name].append(b)
        return bits if ok else None

    def pattern_states(self, bits: dict[str, list[int]]) -> int:
        """The states one pattern removes, as a bit set."""
        if "Y" in bits:
            gone = self.everything
            for b in bits["Y"]:
                gone &= self.mask(b)
            for b in bits["N"]:
                gone &= ~self.mask(b)
            return gone
        kind, group = next(iter(bits.items()))
        one = two = 0
        for b in group:
            two |= one & self.mask(b)
            one |= self.mask(b)
        if kind == "mutually_exclusive":
            return two
        if kind == "at_least_one_of":
            return self.everything & ~one
        return self.everything & ~(one & ~two)

    def infeasible(self) -> None:
        for k, pattern in enumerate(self.conflict.infeasible):
            bits = self.pattern_bits(k, pattern)
            if bits is None:
                continue
            both = set(bits.get("Y", ())) & set(bits.get("N", ()))
            if both:
                self.problem(
                    ("infeasible", k),
                    "each option in Y or in N, not both",
                    _list([o for o, b in self.bit_of.items() if b in both]),
                )
                continue
            gone = self.pattern_states(bits) & self.feasible
            self.gone.append((k, gone))
            self.feasible &= ~gone
        if not self.feasible:
            self.problem(("infeasible",), "patterns that leave at least one feasible state", "none")

    def irreversible(self) -> None:
        seen: set[str] = set()
        for k, item in enumerate(self.conflict.irreversible):
            if self.option_ref(("irreversible", k, "option"), item.option) is None:
                continue
            if item.option in seen:
                self.problem(
                    ("irreversible", k, "option"), "each option once", f"{item.option!r} again"
                )
            seen.add(item.option)

    # -- shared ---------------------------------------------------------------------------------
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

    def ranking(self, i: int, ranking: tuple[str | tuple[str, ...], ...]) -> None:
        placed: dict[int, Path] = {}
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
        missing = self.feasible & ~sum(1 << c for c in placed)
        if missing:
            first = [c for c, _ in zip(_codes(missing), range(8), strict=False)]
            shown = ", ".join(self.label_of.get(c, self.vector(c)) for c in first)
            count = missing.bit_count()
            if count > len(first):
                shown += f", ... ({count} in all)"
            self.problem(
                ("decision_makers", i, "ranking"),
                "every feasible state ranked once (ties as nested lists)",
                f"{count} missing: {shown}",
            )

    def preferences(self) -> None:
        for i, dm in enumerate(self.conflict.decision_makers):
            if dm.ranking is not None:
                self.ranking(i, dm.ranking)
                continue
            assert dm.prioritization is not None
            if self.conflict.is_explicit:
                self.problem(
                    ("decision_makers", i, "prioritization"),
                    "a ranking (prioritization statements need options)",
                    "prioritization in the explicit-graph form",
                )
                continue
            for k, text in enumerate(dm.prioritization):
                try:
                    parse_statement(text, list(self.bit_of))
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

    def explicit(self) -> None:
        assert self.conflict.states is not None
        self.names = list(self.conflict.states)
        for k, name in enumerate(self.names):
            if name in self.names[:k]:
                self.problem(("states", k), "state names that are unique", f"a second {name!r}")
        self.size = len(self.names)
        self.feasible = self.everything
        for key in ("infeasible", "irreversible"):
            if getattr(self.conflict, key):
                self.problem((key,), f"no {key} (it belongs to the option form)", key)
        for i, dm in enumerate(self.conflict.decision_makers):
            if dm.options is not None:
                self.problem(
                    ("decision_makers", i, "options"),
                    "moves (the conflict lists states, so it is in the explicit-graph form)",
                    "options",
                )
            for src, targets in (dm.moves or {}).items():
                a = self.resolve(src, ("decision_makers", i, "moves", src))
                for j, dst in enumerate(targets):
                    b = self.resolve(dst, ("decision_makers", i, "moves", src, j))
                    if a is not None and a == b:
                        self.problem(
                            ("decision_makers", i, "moves", src, j),
                            "a move to a different state",
                            repr(dst),
                        )

    def check(self) -> list[Problem]:
        c = self.conflict
        dm_ids = [dm.id for dm in c.decision_makers]
        for i, dm_id in enumerate(dm_ids):
            if dm_id in dm_ids[:i]:
                self.problem(
                    ("decision_makers", i, "id"), "unique decision maker ids", f"a second {dm_id!r}"
                )
        if c.is_explicit:
            self.explicit()
        else:
            self.options()
            if self.problems:
                return self.problems  # without a sound option list no state can be read
            self.size = 1 << self.n
            self.feasible = self.everything
            self.infeasible()
            self.irreversible()
        self.labels()
        self.preferences()
        if c.status_quo is not None:
            self.resolve(c.status_quo, ("status_quo",))
        return self.problems


def conflict_problems(conflict: Conflict) -> list[Problem]:
    """Every mistake in a ``conflict:`` section that concerns its states, each with its path."""
    return _Checker(conflict).check()


def check_conflict(scenario: Scenario, known: Known) -> list[Problem]:
    """Every problem of the scenario's ``conflict`` section (none if it has no such section):
    its states, rankings and statements, and the sources and parties it names."""
    conflict = scenario.conflict
    if conflict is None:
        return []
    out = known.sources(("conflict", "sources"), conflict.sources)
    for i, dm in enumerate(conflict.decision_makers):
        out += known.sources(("conflict", "decision_makers", i, "sources"), dm.sources)
        if dm.party is not None:
            out += known.ref(
                ("conflict", "decision_makers", i, "party"),
                "parties",
                dm.party,
                "a party id defined in 'parties'",
            )
    for k, pattern in enumerate(conflict.infeasible):
        out += known.sources(("conflict", "infeasible", k, "sources"), pattern.sources)
    return out + conflict_problems(conflict)

"""The renamed public names (issue 13, item 9): the old spelling still works for one release,
with a DeprecationWarning naming the new one; the project itself never uses it."""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from accord.deprecation import REMOVED_IN, deprecated_alias
from accord.gmcr.graph import CompiledConflict

SRC = Path(__file__).resolve().parents[1] / "src" / "accord"

RENAMED_FUNCTIONS = [
    ("accord.gmcr.stability", "analyse_stability", "analyze_stability"),
    ("accord.gmcr", "analyse_stability", "analyze_stability"),
    ("accord.gmcr.coalition", "analyse_coalitions", "analyze_coalitions"),
    ("accord.gmcr", "analyse_coalitions", "analyze_coalitions"),
    ("accord.robust.engine", "analyse_robustness", "analyze_robustness"),
    ("accord.robust", "analyse_robustness", "analyze_robustness"),
    ("accord.robust.plans", "analyse_plans", "analyze_plans"),
    ("accord.robust", "analyse_plans", "analyze_plans"),
]

RENAMED_CONSTANTS = [
    ("accord.gmcr.stability", "CONCEPTS", "STABILITY_CONCEPTS"),
    ("accord.gmcr", "CONCEPTS", "STABILITY_CONCEPTS"),
    ("accord.robust", "CONCEPTS", "SOLUTION_NAMES"),
]


@pytest.mark.parametrize(("module", "old", "new"), RENAMED_FUNCTIONS)
def test_an_old_function_name_warns_and_calls_the_new_one(module: str, old: str, new: str) -> None:
    mod = importlib.import_module(module)
    alias, target = getattr(mod, old), getattr(mod, new)
    assert alias is not target and alias.__wrapped__ is target
    assert old not in mod.__all__ and new in mod.__all__
    # an argument the analysis cannot use: the alias warns, then the analysis itself fails on it
    with (
        pytest.warns(DeprecationWarning, match=rf"\.{old} is deprecated .*{REMOVED_IN}.*use {new}"),
        pytest.raises((AttributeError, TypeError)) as through_alias,
    ):
        alias(object(), object())
    with pytest.raises((AttributeError, TypeError)) as direct:
        target(object(), object())
    assert str(through_alias.value) == str(direct.value)


def test_an_alias_forwards_every_argument_and_the_result() -> None:
    def negotiate(a: int, *, b: int = 2) -> tuple[int, int]:
        return a, b

    old = deprecated_alias(negotiate, "negociate")
    assert old.__name__ == "negociate" and "Deprecated alias" in (old.__doc__ or "")
    with pytest.warns(DeprecationWarning, match=r"negociate is deprecated .* use negotiate"):
        assert old(1, b=5) == (1, 5)


def test_the_deprecated_stability_alias_gives_the_same_result() -> None:
    from accord.gmcr import analyse_stability, analyze_stability

    conflict = CompiledConflict.from_options(
        ["a", "b"], [1, 1], np.array([[0, 1, 2, 3], [3, 1, 2, 0]])
    )
    with pytest.warns(DeprecationWarning, match="use analyze_stability"):
        old = analyse_stability(conflict)
    new = analyze_stability(conflict)
    for c in new.concepts:
        assert old.equilibria(c).tolist() == new.equilibria(c).tolist()


@pytest.mark.parametrize(("module", "old", "new"), RENAMED_CONSTANTS)
def test_an_old_constant_name_warns_and_is_the_new_one(module: str, old: str, new: str) -> None:
    mod = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=rf"{module}\.{old} is deprecated .*use {new}"):
        value = getattr(mod, old)
    assert value == getattr(mod, new)
    with pytest.raises(AttributeError):
        mod.no_such_name  # noqa: B018


def test_the_two_meanings_of_concepts_have_two_names() -> None:
    from accord.gmcr import STABILITY_CONCEPTS
    from accord.robust import SOLUTION_NAMES

    assert STABILITY_CONCEPTS == ("nash", "gmr", "smr", "seq")
    assert set(SOLUTION_NAMES) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}


def test_accord_itself_uses_only_the_new_spelling() -> None:
    """No module of accord calls an ``analyse_*`` name (except to define the aliases)."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "analyse_" in line and "deprecated_alias" not in line and "as analyse_" not in line:
                offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert offenders == []


def test_importing_every_command_raises_no_deprecation_warning() -> None:
    """The CLI and the report import no deprecated name (a DeprecationWarning is an error)."""
    code = "import accord.cli, accord.report, accord.gmcr, accord.robust, accord.phased"
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_warnings_point_at_the_caller() -> None:
    from accord.gmcr import analyse_stability

    conflict = CompiledConflict.from_options(["a", "b"], [1, 1], np.zeros((2, 4), dtype=int))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        analyse_stability(conflict)
    assert [Path(w.filename).name for w in caught] == [Path(__file__).name]

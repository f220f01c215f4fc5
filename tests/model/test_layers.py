"""The model depends on nothing above it (issue 13, item 3): no accord layer above, no numpy."""

from __future__ import annotations

import ast
from pathlib import Path

import accord.model

MODEL = Path(accord.model.__file__).parent
ABOVE = ("accord.space", "accord.analysis", "accord.phased", "accord.gmcr", "accord.robust")
# accord.jsonable, accord.errors and accord.limits sit below the model (tests/test_architecture.py):
# the model may use jsonable's field options, which import nothing (numpy only inside a call).
VIEWS = ("accord.report", "accord.cli", "accord.service", "accord.run")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_model_module_imports_a_higher_layer_or_numpy() -> None:
    for path in sorted(MODEL.glob("*.py")):
        for name in _imports(path):  # top-level and inside functions alike
            assert not name.startswith(ABOVE + VIEWS), f"{path.name} imports {name}"
            assert name.split(".")[0] not in ("numpy", "scipy", "matplotlib"), path.name


def test_one_frozen_base_for_every_schema_class() -> None:
    from pydantic import BaseModel

    from accord.model.base import Frozen

    for path in sorted(MODEL.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b) for b in node.bases}
                assert "BaseModel" not in bases or node.name == Frozen.__name__, (
                    f"{path.name}: {node.name} derives from BaseModel directly"
                )
    assert issubclass(Frozen, BaseModel)


def test_no_model_module_is_over_600_lines() -> None:
    for path in MODEL.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path.name

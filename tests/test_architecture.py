"""The shape of the code (issue 13, item 10; DESIGN.md "Shape").

* Layers import only downward::

      errors, limits, jsonable, statistics, processes  <-  model  <-  space
          <-  analysis, phased, gmcr, robust  <-  run (orchestration)  <-  report, cli, service

  Every import counts: at the top of a module, inside a function, or under
  ``TYPE_CHECKING`` (a type is a dependency too).  The package's ``__init__`` is the public
  facade and may name every layer (it imports them lazily, see ``test_api.py``); any module may
  read ``accord.__version__``.
* The model knows nothing of numpy.
* No module over 600 lines and no function over 80 lines in ``src/``, unless the function's
  docstring says why (it contains "long because").

``ALLOWED`` lists today's exceptions, each with the helper who owns the file: it only shrinks.
An entry that no longer applies fails the test too, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

LAYERS = {
    "errors": 0,
    "deprecation": 0,
    "embedded": 0,
    "limits": 0,
    "jsonable": 0,
    "statistics": 0,
    "processes": 0,
    "model": 1,
    "space": 2,
    "analysis": 3,
    "phased": 3,
    "gmcr": 3,
    "robust": 3,
    "calibrate": 3,
    "interop": 3,
    "negotiation": 3,
    "run": 4,
    "report": 5,
    "cli": 5,
    "service": 5,
    "__main__": 5,
}
FACADE = 6  # accord/__init__.py
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80

# (kind, where) -> owner; kind: "import" (module -> imported), "module" (path), "function"
# (path:function). The lead empties this list at merge; nobody adds to it.
ALLOWED: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> int:
    parts = module.split(".")
    if parts == ["accord"]:
        return FACADE
    return LAYERS[parts[1]]


def sources() -> Iterator[tuple[Path, str, ast.Module]]:
    for path in sorted((SRC / "accord").rglob("*.py")):
        yield path, module_name(path), ast.parse(path.read_text(encoding="utf-8"))


def imports(tree: ast.Module) -> Iterator[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every absolute import of accord."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "accord":
                yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "accord":
                    yield alias.name, []


def found_exceptions() -> dict[tuple[str, str], str]:
    """Every breach of the rules above, with what it is."""
    found: dict[tuple[str, str], str] = {}
    for path, module, tree in sources():
        rel = path.relative_to(SRC).as_posix()
        here = layer(module)
        for target, names in imports(tree):
            if target == "accord":
                # `from accord import limits` imports the submodule, not the facade
                modules = [f"accord.{n}" for n in names if n.split(".")[0] in LAYERS]
                rest = set(names) - {n for n in names if n.split(".")[0] in LAYERS}
                targets = modules + (["accord"] if rest - {"__version__"} else [])
            else:
                targets = [target]
            for target in targets:
                if layer(target) > here:
                    found[("import", f"{module} -> {target}")] = f"layer {here} imports layer"
        if module.startswith("accord.model"):
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                    roots = {n.split(".")[0] for n in names}
                    if isinstance(node, ast.ImportFrom) and node.module:
                        roots.add(node.module.split(".")[0])
                    if roots & {"numpy", "scipy"}:
                        found[("import", f"{module} -> numpy")] = "the model imports numpy"
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found[("module", rel)] = f"{lines} lines"
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                doc = ast.get_docstring(node) or ""
                if length > MAX_FUNCTION_LINES and not re.search(r"long because", doc, re.I):
                    found[("function", f"{rel}:{node.name}")] = f"{length} lines"
    return found


def test_layers_sizes_and_the_model_without_numpy() -> None:
    found = found_exceptions()
    new = {k: v for k, v in found.items() if k not in ALLOWED}
    assert new == {}, "new breaches of the code's shape (fix them; never add to ALLOWED)"


def test_the_allowlist_only_shrinks() -> None:
    found = found_exceptions()
    stale = [k for k in ALLOWED if k not in found]
    assert stale == [], "fixed: remove these entries from ALLOWED"
    assert set(ALLOWED.values()) <= {"model", "engine", "exact", "look", "views", "service"}


def test_every_module_has_a_layer() -> None:
    for _, module, _ in sources():
        layer(module)  # raises KeyError for a package no layer was given

"""Benchmark: loading large scenario files, beside the bare parsers, from one run.

Run:  PYTHONPATH=src python benchmarks/loader.py [--largest]

Files are generated in a temporary directory:

* 10⁴ issues (three options each) valued by two negotiators, as YAML and as JSON;
* 10⁴ negotiators valuing three issues, as YAML and as JSON;
* with ``--largest``, the largest file each format accepts (just under ``MAX_FILE_SIZE``), the
  largest range (``MAX_RANGE_OPTIONS`` values) and the refusals of hostile files, for
  ``docs/reference/limits.md``.

Each load runs in a fresh process (best of three), which reports its CPU time (the work done,
less disturbed than wall time by other processes on a shared machine) and its peak resident
memory; beside it, in the same way, the reference: the bare parse of the same file by
``json.loads`` or ``yaml.load(..., Loader=yaml.CSafeLoader)`` (PyYAML's C parser with its
Python constructor), which builds the data and nothing else. ``accord check`` adds validation,
every cross-reference check and the located problems to that. Target (issue 12): ``accord check``
of 10⁴ issues or negotiators under 2 s. The machine is shared: read the ratios.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

# The child's own peak resident memory (KiB): VmHWM, reset at exec (ru_maxrss is not: it keeps
# the parent's size at fork).
PEAK = (
    "(lambda: int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM'))))"
)
OURS = """
import sys, time
from accord.model import read_scenario, ScenarioError
t = time.process_time()
try:
    read_scenario(sys.argv[1]); outcome = "loaded"
except ScenarioError as e:
    outcome = type(e).__name__
print(time.process_time() - t, PEAK(), outcome)
"""
REFERENCE = """
import json, sys, time, yaml
text = open(sys.argv[1], encoding="utf-8").read()
t = time.process_time()
json.loads(text) if sys.argv[1].endswith(".json") else yaml.load(text, Loader=yaml.CSafeLoader)
print(time.process_time() - t, PEAK(), "parsed")
"""
BASELINE = """
print(0.0, PEAK(), "started")
"""


def scenario(n_issues: int, n_negotiators: int) -> dict[str, Any]:
    parties = [
        {"id": f"p{k}", "name": f"Party {k}", "role": "negotiator"} for k in range(n_negotiators)
    ]
    issues = [
        {"id": f"i{k}", "name": f"Issue {k}", "options": ["a", "b", "c"]} for k in range(n_issues)
    ]
    preferences = {
        p["id"]: {
            "weights": {i["id"]: 1 + (j + k) % 3 for k, i in enumerate(issues)},
            "values": {
                i["id"]: {"a": 0, "b": (j + k) % 5 + 1, "c": 10} for k, i in enumerate(issues)
            },
            "reservation": 0.2,
            "estimate": True,
            "rationale": "generated",
        }
        for j, p in enumerate(parties)
    }
    return {
        "accord": 1,
        "title": f"{n_issues} issues, {n_negotiators} negotiators",
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }


def dump(data: dict[str, Any], suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(data, indent=1)
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))


def write(directory: Path, name: str, data: dict[str, Any]) -> list[Path]:
    out = []
    for suffix in (".yaml", ".json"):
        path = directory / f"{name}{suffix}"
        path.write_text(dump(data, suffix), encoding="utf-8")
        out.append(path)
    return out


def measure(code: str, path: Path, repeat: int = 3) -> tuple[float, float, str]:
    """Best CPU time (s) over ``repeat`` fresh processes, their peak memory (MiB), the outcome."""
    best, peak, outcome = float("inf"), 0.0, ""
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", f"PEAK = {PEAK}\n{code}", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, kib, outcome = done.stdout.split()
        best, peak = min(best, float(seconds)), max(peak, int(kib) / 1024)
    return best, peak, outcome


def row(label: str, path: Path, *, reference: bool = True) -> None:
    size = path.stat().st_size / 2**20
    ours = measure(OURS, path)
    line = f"{label:<34} {size:5.1f} MiB  accord {ours[0]:6.2f} s {ours[1]:5.0f} MiB ({ours[2]})"
    if reference and ours[2] == "loaded":
        ref = measure(REFERENCE, path)
        line += f"   bare parse {ref[0]:6.2f} s {ref[1]:6.0f} MiB   ratio {ours[0] / ref[0]:4.2f}"
    print(line, flush=True)


def largest(directory: Path) -> None:
    from accord import limits

    budget = limits.MAX_FILE_SIZE
    for suffix in (".yaml", ".json"):
        per_issue = len(dump(scenario(1000, 2), suffix).encode()) / 1000
        n = int(budget / per_issue)
        while len((text := dump(scenario(n, 2), suffix)).encode()) > budget:
            n = int(n * 0.98)  # the largest file under the limit, to 2%
        path = directory / f"largest{suffix}"
        path.write_text(text, encoding="utf-8")
        row(f"largest {suffix[1:]} ({n:,} issues)", path)
    data = scenario(1, 2)
    data["issues"].append(
        {"id": "big", "name": "Big range", "range": {"min": 0, "max": 1.999999, "step": 1e-6}}
    )
    for p in data["preferences"].values():
        p["weights"]["big"] = 1
        p["values"]["big"] = [[0, 0], [1.999999, 1]]
    (path,) = [p for p in write(directory, "largest-range", data) if p.suffix == ".yaml"]
    row(f"range of {limits.MAX_RANGE_OPTIONS:,} values", path, reference=False)
    hostile = {
        "alias-bomb.yaml": 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(
            f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "deep.json": '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "huge-range.yaml": "accord: 1\ntitle: t\nissues:\n- {id: x, name: x, range: "
        "{min: 0, max: 1.0e308, step: 1.0e-308}}\n",
    }
    for name, text in hostile.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        row(f"refused: {name}", path, reference=False)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        print(f"python start-up alone: {measure(BASELINE, directory)[1]:.0f} MiB peak", flush=True)
        for path in write(directory, "issues-10k", scenario(10_000, 2)):
            row(f"10,000 issues ({path.suffix[1:]})", path)
        for path in write(directory, "negotiators-10k", scenario(3, 10_000)):
            row(f"10,000 negotiators ({path.suffix[1:]})", path)
        if "--largest" in sys.argv:
            largest(directory)


if __name__ == "__main__":
    main()

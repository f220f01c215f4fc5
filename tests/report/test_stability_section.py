"""The stability section: the table marks exactly what accord.gmcr finds stable."""

from __future__ import annotations

import re

from accord.gmcr import analyze_stability, compile_conflict
from accord.model import load_scenario
from accord.report.build import STABILITY

from .page_facts import page_facts


def test_table_rows_match_the_stability_analysis(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    conflict = compile_conflict(scenario)
    stability = analyze_stability(conflict)
    table = cairo_html[cairo_html.index('id="stability-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td>(.*?)</tr>", table, re.S)
    equilibria = {int(s) for c in stability.concepts for s in stability.equilibria(c)}
    assert len(rows) >= len(equilibria)
    for state in equilibria:
        label = conflict.label(state)
        (row,) = [r for r in rows if label.replace("'", "&#39;") in r.split("</td>")[0]]
        marks = re.findall(r'<td class="num">(.*?)</td>', row)
        expected = [
            stability.is_stable(dm, c, state)
            for dm in conflict.decision_makers
            for c in stability.concepts
        ]
        assert [m == "✓" for m in marks] == expected
    assert 'id="fig-evolution"' in cairo_html


def test_a_scenario_without_a_conflict_says_so(job_html: str) -> None:
    text = " ".join("".join(page_facts(job_html).text).split())
    assert f"{STABILITY} — the scenario has no conflict section" in text
    assert 'id="stability-table"' not in job_html

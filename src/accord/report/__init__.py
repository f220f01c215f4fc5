"""The HTML report: one self-contained page a mediator can read and print.

``build_report(scenario)`` returns the page as a string; ``write_report`` writes it.
Figures are matplotlib drawings inlined as SVG (see :mod:`accord.report.figures`).
"""

from accord.report.build import build_report, write_report

__all__ = ["build_report", "write_report"]

"""The HTML report: one self-contained page a mediator can read and print.

``build_report(scenario)`` returns the page as a string, ``render_report(analysis)`` the
page of an :class:`accord.run.Analysis` already holding some results; ``write_report``
writes it.  Figures are matplotlib drawings inlined as SVG (see :mod:`accord.report.figures`).
"""

from accord.report.build import Missing, build_report, render_report, write_report

__all__ = ["Missing", "build_report", "render_report", "write_report"]

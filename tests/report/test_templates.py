"""What the page's templates write around the analyses: the header's counts."""

from __future__ import annotations

import re


def header_counts(page: str) -> str:
    meta = re.search(r'<p class="meta">(.*?)</p>', page, re.S)
    assert meta
    return " ".join(meta.group(1).split())


def test_header_counts_agree_in_number(cairo_html: str, job_html: str) -> None:
    assert "6 parties (2 negotiators), 7 issues, 4 proposals, 2 sources" in header_counts(
        cairo_html
    )
    assert "3 parties (2 negotiators), 4 issues, 3 proposals, 1 source" in header_counts(job_html)

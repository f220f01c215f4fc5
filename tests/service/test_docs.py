"""The service's reference names every API operation and every page the service has."""

from __future__ import annotations

from pathlib import Path

from .test_access_matrix import API_RULE_TABLE, PAGE_RULES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_api_reference_lists_every_operation_and_page() -> None:
    text = (DOCS / "reference" / "service-api.md").read_text(encoding="utf-8")
    missing = [name for name in [*API_RULE_TABLE, *PAGE_RULES] if f"`{name}`" not in text]
    assert missing == []


def test_the_how_to_guides_exist_and_are_linked_from_the_readme() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for page in ("mediate-a-case", "take-part-as-a-delegate", "operate-the-service"):
        assert (DOCS / "how-to" / f"{page}.md").exists()
        assert f"docs/how-to/{page}.md" in readme
    assert "docs/reference/service-api.md" in readme

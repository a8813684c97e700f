"""The guides' links lead somewhere: every relative file and every README section they name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = [ROOT / "README.md", ROOT / "PRIVACY.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """Return GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    # Headings outside code blocks only.
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return {anchor(m[1]) for m in re.finditer(r"^#+ (.+)$", text, flags=re.MULTILINE)}


def relative_links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    # Not addresses (https:, mailto:), and not examples quoted in the text, like "[talk](…)".
    return [
        link
        for link in LINK.findall(text)
        if not re.match(r"[a-z]+:", link) and re.search(r"\w", link)
    ]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves(guide) -> None:
    broken = []
    for link in relative_links(guide):
        target, _, fragment = link.partition("#")
        path = (guide.parent / target).resolve() if target else guide
        if not path.exists():
            broken.append(link)
            continue
        if fragment and path.suffix == ".md" and fragment not in anchors(path):
            broken.append(link)
    assert not broken


def test_the_readme_keeps_the_sections_others_name() -> None:
    # docker-compose.yml and .env.example send hosts to these sections by name.
    names = anchors(ROOT / "README.md")

    assert {"quick-start", "docker-and-compose", "scaling", "configuration"} <= names
    assert "./run daybook demo\n./run pytest\n" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_licence_is_mit() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")

    assert licence.startswith("MIT License\n")
    assert "Copyright (c) 2026 The Daybook contributors" in licence

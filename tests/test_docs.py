"""The README is a front door that works: its commands, its links and the paths the docs name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devtools import doccheck

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_PATH = re.compile(
    r"`((?:app|loadtest|observability|security|analysis|tests|deploy|faults|devtools|docs|\.github|\.ci)/[\w./-]*)`"
)
GENERATED = ("reports/", "instance/")


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as '-'."""
    headings = re.findall(r"(?m)^#+ (.+)$", page.read_text())
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}


def _links(page: Path) -> list[str]:
    return [target for target in LINK.findall(page.read_text()) if "://" not in target]


def test_readme_starts_with_the_serve_and_test_commands() -> None:
    first_block = ROOT.joinpath("README.md").read_text().split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line]
    assert commands[0].endswith("nox -s serve") and commands[1].endswith("nox -s tests")
    assert all(command.startswith("python3 -m venv .venv && ") for command in commands)
    assert commands[1] in ROOT.joinpath(".ci/run").read_text()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in _links(page):
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        missing_anchor = (
            destination.suffix == ".md" and anchor and anchor not in _anchors(destination)
        )
        if not destination.exists() or missing_anchor:
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_repository_path_the_docs_name_exists(page: Path) -> None:
    named = {match for match in CODE_PATH.findall(page.read_text()) if "*" not in match}
    missing = sorted(p for p in named if not p.startswith(GENERATED) and not (ROOT / p).exists())
    assert not missing, f"{page.name} names paths that do not exist: {missing}"


def test_every_docs_page_is_reachable_from_the_readme() -> None:
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in _links(ROOT / "README.md")}
    orphans = [page.name for page in PAGES[1:] if page.resolve() not in linked]
    assert not orphans, f"docs pages the README does not link: {orphans}"


def test_every_documented_command_says_how_it_is_checked() -> None:
    """devtools.doccheck runs them from a fresh clone; here only that none is left unclassified."""
    documented = doccheck.commands(ROOT)
    assert any(command.text.endswith("nox -s serve") for command in documented)
    unknown = [f"{c.page}: {c.text}" for c in documented if doccheck.rule_for(c) is None]
    assert not unknown, f"add a rule in devtools/doccheck.py for: {unknown}"


def test_a_command_no_rule_knows_is_reported() -> None:
    assert doccheck.rule_for(doccheck.Command("x.md", "rm -rf /tmp/nothing")) is None

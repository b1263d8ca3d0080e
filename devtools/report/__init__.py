"""One page shell for every pipeline's HTML report: the verdict and its scope first, one style.

Each pipeline keeps its templates next to its code and extends ``layout.html`` from here;
``render`` finds both. Jinja2 comes with Flask; autoescaping is on for everything.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

SHELL = Path(__file__).with_name("templates")
ROOT = Path(__file__).resolve().parents[2]


def render(template_dir: Path, name: str, **context: Any) -> str:
    """Render ``name`` from ``template_dir`` (which may extend the shell's ``layout.html``)."""
    environment = Environment(
        loader=ChoiceLoader([FileSystemLoader(template_dir), FileSystemLoader(SHELL)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template(name).render(**context)


def write_page(
    out: Path, templates: Path, name: str, title: str, scope_note: str, **context: Any
) -> Path:
    """Render a pipeline's page (stamped with the time and commit) as ``out/index.html``."""
    page = render(
        templates,
        name,
        title=title,
        generated=f"Generated {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        commit=current_commit(ROOT),
        scope_note=scope_note,
        **context,
    )
    target = out / "index.html"
    target.write_text(page)
    return target


def _git(root: Path, *args: str) -> str | None:
    """What ``git ARGS`` prints in ``root`` (stripped), or None when git cannot tell."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def current_commit(root: Path, mark_dirty: bool = False) -> str:
    """The checked-out commit (short; ``+dirty`` when asked and tracked files changed)."""
    head = _git(root, "rev-parse", "--short=12", "HEAD")
    if not head:
        return "unknown"
    if mark_dirty and _git(root, "status", "--porcelain", "--untracked-files=no"):
        return f"{head}+dirty"
    return head

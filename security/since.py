"""New since a base ref: bandit's findings here against bandit run on a worktree of the ref.

Only the static findings that belong to the code (bandit) are compared: the live tools judge a
running server, and pip-audit the advisories of the day, neither of which a ref pins down.
"""

from __future__ import annotations

import json
from pathlib import Path

from devtools.portal import base, fingerprints
from devtools.report import current_commit

from . import bandit
from .context import Context

TOOLS = ("bandit",)


def compare_with(root: Path, out: Path, ref: str) -> list[str]:
    """Save the base's findings beside findings.json; return summary.md lines about them."""
    try:
        with base.checkout(root, ref) as tree:
            found = bandit.run(Context(tree, out / "base")).findings
            commit = current_commit(tree)
    except base.BaseUnavailable as exc:
        return [f"### New since {ref}", "", f"Not compared: {exc}", ""]
    fingerprints.write_base(out, ref, commit, [f.as_dict() for f in found], TOOLS)
    compared = fingerprints.against_base(out, "security")
    if compared is None:
        return []
    label, comparison = compared
    return fingerprints.markdown(comparison, fingerprints.describe_security, label)


def append_to_summary(out: Path, lines: list[str]) -> None:
    """Add the comparison to summary.md and its counts to findings.json."""
    if not lines:
        return
    with (out / "summary.md").open("a") as sink:
        sink.write("\n" + "\n".join(lines) + "\n")
    compared = fingerprints.against_base(out, "security")
    if compared is not None:
        data = json.loads((out / "findings.json").read_text())
        data["since_base"] = compared[1].counts()
        (out / "findings.json").write_text(json.dumps(data, indent=2))

"""Helpers for the browser tests: Chromium discovery, console capture, axe-core, screenshots."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("MINITWIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = ROOT / "reports" / "ui"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def missing_tool(reason: str) -> None:
    """Skip with ``reason``, or fail when MINITWIT_REQUIRE_TOOLS=1 makes the tool mandatory."""
    if os.environ.get("MINITWIT_REQUIRE_TOOLS") == "1":
        pytest.fail(f"required tool missing (MINITWIT_REQUIRE_TOOLS=1): {reason}")
    pytest.skip(reason)


def axe_source() -> str:
    """axe-core's script from node_modules, installing the pinned lockfile with npm if needed."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            missing_tool("axe-core is not installed and npm is missing (run `npm ci`)")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0 or not AXE.exists():
            missing_tool(f"`npm ci` could not install axe-core: {result.stderr.strip()[-300:]}")
    return AXE.read_text()


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions that the app's own origin produced."""

    origin: str
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and (not url or url.startswith(self.origin)):
            self.errors.append(f"{message.text} ({url})")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error}")

    def expect_http_error(self, status: int) -> None:
        """Forget the console line Chromium writes for a page we expected to be a 4xx."""
        self.errors = [e for e in self.errors if f"status of {status}" not in e]


def watch(page: Any, origin: str) -> ConsoleLog:
    """Start recording ``page``'s own-origin console errors."""
    log = ConsoleLog(origin)
    page.on("console", log.on_console)
    page.on("pageerror", log.on_page_error)
    return log


def serious_violations(page: Any, axe: str) -> list[dict[str, Any]]:
    """Run axe-core in ``page``; return violations of serious or critical impact."""
    # Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays on.
    page.evaluate(f"() => {{ {axe}\n }}")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as readable JSON for an assertion message."""
    return json.dumps(violations, indent=1)

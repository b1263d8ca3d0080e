"""index.html: a static, self-contained page (inline CSS and SVG) for reports/quality/."""

from __future__ import annotations

from html import escape
from typing import Any

from . import charts
from .gate import Check
from .report_md import ROWS
from .summary import Module

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{margin-bottom:.2em} .sub{color:#666} table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.ok{color:#2e7d32} .bad{color:#c62828;font-weight:bold} .cards{display:flex;flex-wrap:wrap;gap:8px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:150px}
.card b{display:block;font-size:20px} .chart{margin:8px 16px 8px 0} .chart text{font-size:11px}
.ctitle{font-weight:bold} section{border-top:1px solid #ccc;margin-top:1.5em}
code{background:#f4f4f4;padding:0 3px} .charts{display:flex;flex-wrap:wrap}
"""


def line_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` as ``1-3, 7``."""
    parts: list[str] = []
    for n in sorted(numbers):
        if parts and parts[-1].split("-")[-1] == str(n - 1):
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


def _cards(summary: dict[str, Any], checks: list[Check]) -> str:
    failed_keys = {c.name.split(":", 1)[-1] for c in checks if not c.ok}
    cards = []
    for label, key in ROWS:
        state = (
            "bad"
            if key in failed_keys or (key == "tests_outcome" and "tests" in failed_keys)
            else "ok"
        )
        value = escape(str(summary[key]))
        cards.append(f'<div class="card">{escape(label)}<b class="{state}">{value}</b></div>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _checks(checks: list[Check]) -> str:
    rows = "".join(
        f'<tr><td class="{"ok" if c.ok else "bad"}">{"pass" if c.ok else "FAIL"}</td>'
        f"<td>{escape(c.name)}</td><td>{escape(c.message)}</td></tr>"
        for c in checks
    )
    return f"<table><tr><th></th><th>Check</th><th>Detail</th></tr>{rows}</table>"


def _charts(summary: dict[str, Any], table: list[Module]) -> str:
    cov = [(m.path.rsplit("minitwit/", 1)[-1], m.coverage.percent) for m in table if m.coverage]
    mi = [
        (m.path.rsplit("minitwit/", 1)[-1], m.maintainability)
        for m in table
        if m.maintainability is not None
    ]
    return (
        '<div class="charts">'
        + charts.hbars(cov, 100.0, 90.0, 75.0, "Branch coverage per module (%)")
        + charts.hbars([(k, float(v)) for k, v in mi], 100.0, 50.0, 20.0, "Maintainability index")
        + charts.rank_histogram(summary["complexity_ranks"])
        + "</div>"
    )


def _module(module: Module) -> str:
    cov = module.coverage
    facts = [
        ("Coverage", f"{cov.percent:.1f}%" if cov else "not measured"),
        ("Statements (missed)", f"{cov.statements} ({cov.missing_statements})" if cov else "-"),
        ("Branches (missed)", f"{cov.branches} ({cov.missing_branches})" if cov else "-"),
        ("Missed lines", line_ranges(cov.missing_lines) if cov else "-"),
        (
            "Maintainability",
            f"{module.maintainability:.1f}" if module.maintainability is not None else "-",
        ),
        ("Worst complexity", f"{module.worst_rank} (max {module.max_complexity})"),
    ]
    fact_rows = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    blocks = sorted(module.blocks, key=lambda b: -b.complexity)[:5]
    block_list = ", ".join(f"{escape(b.name)} {b.rank}{b.complexity} (l.{b.line})" for b in blocks)
    finding_rows = "".join(
        f"<tr><td>{escape(f.path)}:{f.line}</td><td>{escape(f.tool)}</td>"
        f"<td>{escape(f.code)}</td><td>{escape(f.message)}</td></tr>"
        for f in module.findings
    )
    findings = (
        f"<table><tr><th>Where</th><th>Tool</th><th>Code</th><th>Message</th></tr>{finding_rows}</table>"
        if finding_rows
        else '<p class="ok">No findings.</p>'
    )
    return (
        f'<section id="{escape(module.path)}"><h3><code>{escape(module.path)}</code></h3>'
        f"<table>{fact_rows}</table><p>Most complex: {block_list or '-'}</p>{findings}</section>"
    )


def render(summary: dict[str, Any], checks: list[Check], table: list[Module], commit: str) -> str:
    """The whole page."""
    passed = all(c.ok for c in checks)
    verdict = '<span class="ok">passed</span>' if passed else '<span class="bad">FAILED</span>'
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>MiniTwit quality report</title><style>{STYLE}</style></head><body>"
        f"<h1>MiniTwit quality: gate {verdict}</h1>"
        f'<p class="sub">Commit <code>{escape(commit)}</code>. Static report written by '
        "<code>nox -s quality</code>; figures are in summary.json.</p>"
        f"{_cards(summary, checks)}<h2>Gate</h2>{_checks(checks)}"
        f"<h2>Overview</h2>{_charts(summary, table)}"
        f"<h2>Modules</h2>{''.join(_module(m) for m in table)}</body></html>\n"
    )

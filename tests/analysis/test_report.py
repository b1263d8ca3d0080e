"""Summary figures, the per-module table and the rendered reports."""

from __future__ import annotations

from analysis import charts, gate, report_html, report_md, summary
from analysis.findings import Block, Duplicate, FileCoverage, Finding, Results

PKG = "app/minitwit"


def sample() -> Results:
    """A small run with one finding of each kind."""
    return Results(
        coverage={
            f"{PKG}/a.py": FileCoverage(20, 2, 10, 1, [4, 5]),
            f"{PKG}/b.py": FileCoverage(10, 0, 0, 0, []),
        },
        coverage_percent=90.0,
        tests_outcome="12 passed",
        ruff=[Finding("ruff", f"{PKG}/a.py", 3, "E501", "Line too long <script>")],
        unformatted=[Finding("ruff-format", "tests/test_x.py", 4, "format", "reformat")],
        mypy=[Finding("mypy", f"{PKG}/b.py", 9, "no-any-return", "Returning Any")],
        blocks=[
            Block(f"{PKG}/a.py", "simple", 1, 2, "A"),
            Block(f"{PKG}/a.py", "tangled", 10, 22, "D"),
            Block(f"{PKG}/b.py", "middling", 3, 12, "C"),
        ],
        maintainability={f"{PKG}/a.py": 35.0, f"{PKG}/b.py": 80.0},
        duplicates=[Duplicate(8, ((f"{PKG}/a.py", 30), (f"{PKG}/b.py", 40)))],
        duplicated_lines=16,
        total_lines=400,
        dead_code=[Finding("vulture", f"{PKG}/b.py", 2, "dead", "unused function 'x'")],
    )


def test_summary_holds_the_keys_other_tools_read_with_their_types() -> None:
    figures = summary.summarise(sample())
    assert isinstance(figures["coverage_branch_percent"], float)
    assert figures["coverage_branch_percent"] == 90.0
    assert (figures["ruff_findings"], figures["mypy_errors"]) == (1, 1)
    assert figures["ruff_unformatted_files"] == 1
    assert figures["worst_complexity"] == "D"
    assert figures["complex_blocks"] == 2
    assert figures["duplicated_lines_percent"] == 4.0
    assert figures["complexity_ranks"] == {"A": 1, "B": 0, "C": 1, "D": 1, "E": 0, "F": 0}
    assert figures["maintainability_min"] == 35.0


def test_modules_list_the_package_first_with_findings_in_line_order() -> None:
    table = summary.modules(sample(), PKG)
    assert [m.path for m in table] == [f"{PKG}/a.py", f"{PKG}/b.py", "tests/test_x.py"]
    a = table[0]
    assert [(f.tool, f.line) for f in a.findings] == [("ruff", 3), ("radon", 10), ("symilar", 30)]
    assert a.worst_rank == "D" and a.max_complexity == 22
    assert "also at app/minitwit/b.py:40" in a.findings[2].message


def test_html_report_shows_verdict_figures_charts_and_escaped_findings() -> None:
    results = sample()
    figures = summary.summarise(results)
    verdict = gate.evaluate(figures, {})
    page = report_html.render(figures, verdict, summary.modules(results, PKG), "abc123")
    assert "<title>MiniTwit quality: FAIL" in page and "abc123" in page
    assert page.index("Findings (") < page.index("<h2>Gate</h2>") < page.index("<h2>Modules")
    assert "floor:worst_complexity" in page
    assert page.count("<svg") == 3
    assert f"{PKG}/a.py:10" in page and "tangled has complexity 22" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "4-5" in page  # missed lines as ranges


def test_markdown_summary_lists_failed_checks_and_findings() -> None:
    results = sample()
    figures = summary.summarise(results)
    verdict = gate.evaluate(figures, {})
    text = report_md.render(figures, verdict, summary.modules(results, PKG))
    assert text.startswith("## Quality gate: FAIL")
    assert "- floor:mypy_errors: mypy_errors = 1 (floor: at most 0)" in text
    assert f"- `{PKG}/b.py:9` mypy no-any-return: Returning Any" in text


def test_a_clean_run_renders_as_passed() -> None:
    results = Results(coverage_percent=100.0, tests_outcome="1 passed")
    figures = summary.summarise(results)
    verdict = gate.evaluate(figures, {"metrics": {"ruff_findings": 0}})
    assert report_md.render(figures, verdict, []).startswith("## Quality gate: PASS")


def test_line_ranges_compress_runs() -> None:
    assert report_html.line_ranges([9, 1, 2, 3, 7, 8]) == "1-3, 7-9"
    assert report_html.line_ranges([]) == ""


def test_bars_are_clamped_and_coloured_by_threshold() -> None:
    svg = charts.hbars([("full", 150.0), ("low", 10.0)], 100.0, 90.0, 50.0, "t")
    assert 'width="260.0"' in svg  # 150 clamps to the maximum (span 260)
    assert "#2e7d32" in svg and "#c62828" in svg


def test_a_chart_without_data_says_so() -> None:
    assert "not measured" in charts.hbars([], 100.0, 90.0, 50.0, "Coverage")
    assert "<svg" not in charts.hbars([], 100.0, 90.0, 50.0, "Coverage")

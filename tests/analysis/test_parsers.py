"""The parsers read each tool's real output format (samples in the tools' documented shapes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import parsers, runners

ROOT = Path("/repo")


def test_mypy_errors_keep_file_line_and_code_and_skip_notes() -> None:
    text = (
        'app/minitwit/db.py:31: error: Returning Any from function declared to return "Database"'
        "  [no-any-return]\n"
        "app/minitwit/server.py:7: note: Hint: install types-gunicorn\n"
        'app/minitwit/web/x.py:3:5: error: Name "y" is not defined  [name-defined]\n'
        "Found 2 errors in 2 files (checked 21 source files)\n"
    )
    findings = parsers.parse_mypy(text)
    assert [(f.path, f.line, f.code) for f in findings] == [
        ("app/minitwit/db.py", 31, "no-any-return"),
        ("app/minitwit/web/x.py", 3, "name-defined"),
    ]
    assert findings[0].message.startswith("Returning Any")


def test_ruff_json_paths_become_relative_to_the_root() -> None:
    text = json.dumps(
        [
            {
                "code": "E501",
                "message": "Line too long (104 > 100)",
                "filename": "/repo/app/minitwit/seed.py",
                "location": {"row": 134, "column": 101},
            },
            {
                "code": None,
                "message": "SyntaxError: unexpected indent",
                "filename": "/repo/broken.py",
                "location": {"row": 2, "column": 1},
            },
        ]
    )
    findings = parsers.parse_ruff(text, ROOT)
    assert [(f.path, f.line, f.code) for f in findings] == [
        ("app/minitwit/seed.py", 134, "E501"),
        ("broken.py", 2, "syntax"),
    ]


def test_ruff_format_check_lists_the_files_it_would_reformat() -> None:
    text = json.dumps(
        [
            {
                "code": "unformatted",
                "message": "File would be reformatted",
                "filename": "/repo/security/audit.py",
                "location": {"row": 18, "column": 68},
            }
        ]
    )
    findings = parsers.parse_ruff_format(text, ROOT)
    assert [(f.tool, f.path, f.line, f.code) for f in findings] == [
        ("ruff-format", "security/audit.py", 18, "format")
    ]


def test_radon_cc_yields_functions_methods_and_closures_but_not_class_sums() -> None:
    closure = {"type": "function", "rank": "A", "name": "inner", "lineno": 5, "complexity": 2}
    text = json.dumps(
        {
            "m.py": [
                {"type": "class", "rank": "B", "name": "K", "lineno": 1, "complexity": 7},
                {
                    "type": "method",
                    "rank": "B",
                    "name": "go",
                    "classname": "K",
                    "lineno": 2,
                    "complexity": 7,
                    "closures": [closure],
                },
            ],
            "bad.py": {"error": "invalid syntax"},
        }
    )
    blocks = parsers.parse_radon_cc(text)
    assert [(b.name, b.rank, b.complexity) for b in blocks] == [
        ("K.go", "B", 7),
        ("K.go.inner", "A", 2),
    ]


def test_radon_mi_reads_the_index_per_file_and_skips_errors() -> None:
    text = json.dumps({"a.py": {"mi": 42.5, "rank": "A"}, "b.py": {"error": "boom"}})
    assert parsers.parse_radon_mi(text) == {"a.py": 42.5}


def test_symilar_blocks_are_one_based_and_totals_are_read() -> None:
    text = (
        "\n10 similar lines in 2 files\n==a.py:[2:12]\n==b.py:[20:30]\n       x = 1\n"
        "\n6 similar lines in 3 files\n==a.py:[40:46]\n==c.py:[0:6]\n==d.py:[1:7]\n"
        "TOTAL lines=200 duplicates=16 percent=8.00\n"
    )
    duplicates, duplicated, total = parsers.parse_symilar(text)
    assert [(d.lines, d.places) for d in duplicates] == [
        (10, (("a.py", 3), ("b.py", 21))),
        (6, (("a.py", 41), ("c.py", 1), ("d.py", 2))),
    ]
    assert (duplicated, total) == (16, 200)


def test_vulture_lines_become_dead_code_findings() -> None:
    text = (
        "app/minitwit/models.py:160: unused property 'cursor' (60% confidence)\n"
        "app/minitwit/x.py:3: unused import 'os' (90% confidence, 1 line)\n"
        "garbage line\n"
    )
    findings = parsers.parse_vulture(text)
    assert [(f.path, f.line) for f in findings] == [
        ("app/minitwit/models.py", 160),
        ("app/minitwit/x.py", 3),
    ]
    assert findings[1].message == "unused import 'os' (90% confidence)"


def test_coverage_json_gives_branch_figures_per_file_and_the_total() -> None:
    text = json.dumps(
        {
            "files": {
                "/repo/app/minitwit/db.py": {
                    "summary": {
                        "num_statements": 30,
                        "missing_lines": 3,
                        "num_branches": 10,
                        "missing_branches": 1,
                        "percent_covered": 90.0,
                    },
                    "missing_lines": [7, 8, 9],
                }
            },
            "totals": {"percent_covered": 91.25},
        }
    )
    files, total = parsers.parse_coverage(text, ROOT)
    cov = files["app/minitwit/db.py"]
    assert (cov.statements, cov.missing_statements, cov.branches, cov.missing_branches) == (
        30,
        3,
        10,
        1,
    )
    assert cov.percent == 90.0
    assert cov.missing_lines == [7, 8, 9]
    assert total == 91.25


def test_long_steps_echo_their_output_as_it_comes_and_keep_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "step.txt"
    outcome = runners.run_streaming(["no_such_module_here"], tmp_path, log, {})
    assert outcome.returncode == 1
    assert "No module named no_such_module_here" in outcome.stdout
    assert log.read_text() == outcome.stdout
    assert "No module named no_such_module_here" in capsys.readouterr().out

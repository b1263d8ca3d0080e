"""New, fixed and remaining findings by fingerprint: a moved line is not new."""

from __future__ import annotations

from typing import Any

from devtools.portal.fingerprints import compare, normalise, of_quality, of_security


def ruff(path: str = "app/minitwit/db.py", line: int = 3, code: str = "F401") -> dict[str, Any]:
    message = "`os` imported but unused"
    return {"tool": "ruff", "path": path, "line": line, "code": code, "message": message}


def test_a_finding_that_moved_to_another_line_is_not_new() -> None:
    result = compare([ruff(line=40)], [ruff(line=3)], of_quality)
    assert result.counts() == {"new": 0, "fixed": 0, "remaining": 1}


def test_a_changed_rule_is_new_and_the_old_one_fixed() -> None:
    result = compare([ruff(code="F811")], [ruff()], of_quality)
    assert result.counts() == {"new": 1, "fixed": 1, "remaining": 0}


def test_the_same_finding_in_another_file_is_new() -> None:
    result = compare([ruff(), ruff(path="app/minitwit/models.py")], [ruff()], of_quality)
    assert [f["path"] for f in result.new] == ["app/minitwit/models.py"]


def test_a_second_copy_in_the_same_file_is_new() -> None:
    result = compare([ruff(line=3), ruff(line=9)], [ruff(line=3)], of_quality)
    assert result.counts() == {"new": 1, "fixed": 0, "remaining": 1}


def test_numbers_and_spacing_in_messages_do_not_make_a_finding_new() -> None:
    assert (
        normalise("f has complexity  12\n(also at x.py:40)")
        == "f has complexity N (also at x.py:N)"
    )
    old = {
        "tool": "radon",
        "path": "a.py",
        "line": 1,
        "code": "CC-C",
        "message": "f has complexity 12",
    }
    new = {**old, "line": 30, "message": "f has complexity 14"}
    assert of_quality(old) == of_quality(new)
    assert of_quality(old) != of_quality({**new, "code": "CC-D"})


def test_security_findings_are_matched_by_tool_rule_location_and_title() -> None:
    bandit = {"tool": "bandit", "rule": "B608", "location": "app/x.py", "title": "SQL", "line": 4}
    assert of_security(bandit) == of_security({**bandit, "line": 80})
    assert of_security(bandit) != of_security({**bandit, "location": "app/y.py"})

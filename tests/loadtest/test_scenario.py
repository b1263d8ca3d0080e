"""The scenario reader: the course's format, and clear errors for anything else."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from loadtest.scenario import (
    Action,
    ScenarioError,
    format_action,
    parse_line,
    parse_lines,
    read_scenario,
    write_scenario,
)

from ..benchmarks.servers import SHARED_SCENARIO

REGISTER_LINE = (
    "0\t0\t1582246860738\tregister\tRoger Histand\tRoger+Histand@hotmail.com\t]=)[X{Km{z\n"
)


def test_register_line_parses_into_its_fields() -> None:
    action = parse_line(REGISTER_LINE)
    assert action == Action(
        0,
        0,
        1582246860738,
        "register",
        "Roger Histand",
        ("Roger+Histand@hotmail.com", "]=)[X{Km{z"),
    )
    assert action.named_users == ("Roger Histand",)


def test_follow_names_its_target() -> None:
    action = parse_line("7\t5\t9\tfollow\tA B\tC D")
    assert action.target == "C D"
    assert action.named_users == ("A B", "C D")


def test_tweet_keeps_tabs_inside_its_content() -> None:
    assert parse_line("3\t1\t2\ttweet\tA\tone\ttwo").args == ("one\ttwo",)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1\t2\t3\tdance\tA\tB", "unknown command"),
        ("x\t2\t3\ttweet\tA\thi", "must be integers"),
        ("1\t-2\t3\ttweet\tA\thi", "negative"),
        ("1\t2\t3\tfollow\tA", "needs 6 fields"),
        ("1\t2\t3", "at least 5"),
        ("1\t2\t3\ttweet\t\thi", "empty username"),
    ],
)
def test_malformed_lines_are_rejected_with_line_number(line: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as raised:
        list(parse_lines(["0\t0\t0\tregister\tA\ta@b\tpw\n", line]))
    assert "line 2" in str(raised.value)


def test_blank_lines_are_skipped_and_lines_round_trip() -> None:
    actions = list(parse_lines([REGISTER_LINE, "\n", "5\t1\t2\tunfollow\tA\tB\n"]))
    out = io.StringIO()
    assert write_scenario(actions, out) == 2
    assert list(parse_lines(out.getvalue().splitlines(keepends=True))) == actions
    assert format_action(actions[0]) == REGISTER_LINE


def test_fields_with_tabs_cannot_be_written() -> None:
    with pytest.raises(ScenarioError):
        format_action(Action(1, 0, 0, "follow", "A\tB", ("C",)))


def test_rows_for_messages_round_trip() -> None:
    action = parse_line(REGISTER_LINE)
    assert Action.from_row(list(action.as_row())) == action


@pytest.mark.skipif(not SHARED_SCENARIO.exists(), reason="course scenario not in ../shared/data")
def test_course_scenario_reads_completely(tmp_path: Path) -> None:
    commands = Counter(action.command for action in read_scenario(SHARED_SCENARIO))
    assert commands == {"register": 200, "tweet": 11_306, "follow": 9_751, "unfollow": 4_665}

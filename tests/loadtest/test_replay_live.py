"""The replay against a live MiniTwit under gunicorn, driven by a real Locust process."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from loadtest.scenario import FOLLOW, REGISTER, TWEET, UNFOLLOW, read_scenario

from .conftest import read_record, run_locust, wrapped_minitwit

pytestmark = pytest.mark.live
# Registration hashes a password on purpose (slow); ordering tests must not see timeouts.
GENEROUS = ("--request-timeout", "10", "--slo-p95-ms", "10000")


def test_short_scenario_replays_without_errors_and_passes_integrity(
    tmp_path: Path, scenario_file: Path
) -> None:
    with wrapped_minitwit(tmp_path) as server:
        run = run_locust(
            server.url, tmp_path / "report", "--scenario", str(scenario_file), "-u", "8", *GENEROUS
        )
    assert run.returncode == 0, run.output[-3000:]
    summary = run.summary
    assert summary["verdict"]["passed"] is True
    assert summary["errors_by_category"] == {}
    assert summary["replay"]["completed"] == 300
    assert summary["requests"] == 300
    assert summary["integrity"]["ok"] is True
    assert summary["integrity"]["checked_users"] == 12
    assert summary["integrity"]["latest"] == {"expected": 299, "got": 299}
    for name in ("throughput.png", "latency.png", "progress.png", "errors.png"):
        assert (tmp_path / "report" / name).stat().st_size > 1000
    page = (tmp_path / "report" / "index.html").read_text()
    assert "<title>MiniTwit load test: PASS</title>" in page
    assert 'src="latency.png"' in page and "p95 latency ms" in page


def test_server_answering_500_to_tweets_fails_the_run_with_categorised_errors(
    tmp_path: Path, scenario_file: Path
) -> None:
    """Real MiniTwit, except that a test middleware answers 500 to every tweet (a fake fault)."""
    tweets = sum(1 for action in read_scenario(scenario_file) if action.command == TWEET)
    with wrapped_minitwit(tmp_path, LOADTEST_FAIL_TWEETS="1") as server:
        run = run_locust(
            server.url, tmp_path / "report", "--scenario", str(scenario_file), "-u", "8", *GENEROUS
        )
    assert run.returncode == 1, run.output[-3000:]
    summary = run.summary
    assert summary["errors_by_category"] == {"unexpected status 500": tweets}
    assert summary["errors_by_command"] == {"tweet": {"unexpected status 500": tweets}}
    failed = {check["name"] for check in summary["verdict"]["checks"] if not check["passed"]}
    assert "simulator errors" in failed
    assert "SLO verdict: FAIL" in run.output
    assert "POST tweet: unexpected status 500" in run.output
    page = (tmp_path / "report" / "index.html").read_text()
    assert "<title>MiniTwit load test: FAIL" in page
    assert f"unexpected status 500: {tweets}" in page


def test_dependency_order_holds_under_16_concurrent_users(
    tmp_path: Path, scenario_file: Path
) -> None:
    record = tmp_path / "requests.tsv"
    with wrapped_minitwit(tmp_path, LOADTEST_RECORD=str(record)) as server:
        run = run_locust(
            server.url, tmp_path / "report", "--scenario", str(scenario_file), "-u", "16", *GENEROUS
        )
    assert run.returncode == 0, run.output[-3000:]
    timing = {latest: (start, end) for latest, _path, start, end, _status in read_record(record)}
    actions = list(read_scenario(scenario_file))
    overlapping = 0
    last_of_user: dict[str, int] = {}
    registration: dict[str, int] = {}
    for action in actions:
        start, _end = timing[action.id]
        deps = [last_of_user.get(action.username)]
        deps += [registration.get(name) for name in action.named_users[1:]]
        for dep in filter(lambda d: d is not None, deps):
            assert timing[dep][1] <= start, f"action {action.id} started before {dep} ended"
        last_of_user[action.username] = action.id
        if action.command == REGISTER:
            registration[action.username] = action.id
        overlapping += any(s <= start < e for s, e in timing.values())
    # Concurrency really happened: many requests started while another was being served.
    assert overlapping > len(actions) // 4
    last = actions[-1].id
    assert all(end <= timing[last][0] for ident, (_s, end) in timing.items() if ident != last)


def test_two_processes_send_each_action_exactly_once(tmp_path: Path, scenario_file: Path) -> None:
    record = tmp_path / "requests.tsv"
    with wrapped_minitwit(tmp_path, LOADTEST_RECORD=str(record)) as server:
        run = run_locust(
            server.url,
            tmp_path / "report",
            "--scenario",
            str(scenario_file),
            "-u",
            "8",
            "--processes",
            "2",
            *GENEROUS,
        )
    assert run.returncode == 0, run.output[-3000:]
    sent = Counter(latest for latest, *_rest in read_record(record))
    assert sent == Counter(action.id for action in read_scenario(scenario_file))
    commands = Counter(action.command for action in read_scenario(scenario_file))
    assert run.summary["replay"]["sent_by_command"] == dict(commands)
    assert run.summary["integrity"]["ok"] is True
    assert set(commands) <= {REGISTER, TWEET, FOLLOW, UNFOLLOW}


def test_web_user_browses_the_site_without_failures(tmp_path: Path) -> None:
    with wrapped_minitwit(tmp_path) as server:
        run = run_locust(
            server.url,
            tmp_path / "report",
            "-u",
            "3",
            "--run-time",
            "8s",
            "--slo-p95-ms",
            "10000",
            "WebUser",
            timeout=90,
        )
    assert run.returncode == 0, run.output[-3000:]
    summary = run.summary
    assert "replay" not in summary
    assert summary["failures"] == 0
    assert summary["requests"] >= 3 * 3  # each user registers (form + post) and logs in
    assert "POST     /login" in run.output

"""A real Prometheus scrapes a live `minitwit serve` (2 gunicorn workers) under traffic.

Prometheus is Debian's package, started with the project's own scrape config (targets
pointed at the live server, 1 s intervals) and the project's own rule files. Tests skip
with the reason when it is not installed, and fail with MINITWIT_REQUIRE_TOOLS=1.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from devtools.live import LiveServer, live_minitwit

from ..conftest import SIMULATOR_AUTH
from .promstack import (
    PROMETHEUS_DIR,
    dashboard_panels,
    expand,
    query,
    require_tool,
    rule_expressions,
    running_prometheus,
    scrape_config_for,
    wait_for,
)

pytestmark = [pytest.mark.live, pytest.mark.prometheus]
TOKEN = "scrape-token-for-tests"


def simulate(base: str, start: int, rounds: int) -> int:
    """Simulator-like traffic (with some 4xx); returns the next `latest` value."""
    latest = start
    session = requests.Session()
    for i in range(rounds):
        for method, path, body in (
            ("POST", "/register", {"username": f"u{start}-{i}", "email": "e@x", "pwd": "p"}),
            ("POST", f"/msgs/u{start}-{i}", {"content": f"hello {i}"}),
            ("POST", f"/fllws/u{start}-{i}", {"follow": f"u{start}-0"}),
            ("POST", f"/fllws/u{start}-{i}", {"unfollow": f"u{start}-0"}),
            ("GET", "/msgs", None),
            ("GET", f"/msgs/nobody-{i}", None),
        ):
            latest += 1
            session.request(
                method,
                f"{base}{path}",
                params={"latest": latest},
                json=body,
                headers={**SIMULATOR_AUTH, "Connection": "close"},
                timeout=5,
            )
        session.get(f"{base}/latest", timeout=5)
    return latest


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """A live MiniTwit with a metrics token, and a Prometheus scraping it."""
    require_tool("prometheus")
    workdir = tmp_path_factory.mktemp("prometheus-stack")
    token_file = workdir / "token"
    token_file.write_text(TOKEN)
    env = {"SECRET_KEY": "live-test-key", "METRICS_TOKEN": TOKEN}
    with live_minitwit(workdir, env, workers=2) as server:
        config = scrape_config_for(server.url.removeprefix("http://"), token_file)
        with running_prometheus(workdir, config) as prometheus:
            simulate(server.url, 0, 8)
            wait_for(
                lambda: _value(prometheus, "sum(minitwit_simulator_requests_total)") >= 40,
                30,
                "simulator requests scraped",
            )
            last = simulate(server.url, 1000, 4)  # a second burst, so rates see movement
            wait_for(
                lambda: _value(prometheus, "max(minitwit_latest)") == last,
                30,
                "the last burst scraped",
            )
            wait_for(
                lambda: query(prometheus, "minitwit:sli_latency_slow:ratio_rate5m")["data"][
                    "result"
                ],
                30,
                "recording rules evaluated",
            )
            yield server, prometheus


def _value(base: str, expr: str) -> float:
    result = query(base, expr).get("data", {}).get("result", [])
    return float(result[0]["value"][1]) if result else -1.0


def test_scrape_target_is_up(stack: tuple[LiveServer, str]) -> None:
    _server, prometheus = stack
    assert _value(prometheus, 'up{job="minitwit"}') == 1.0


@pytest.mark.parametrize(("name", "expr"), rule_expressions(), ids=lambda v: str(v)[:40])
def test_rule_expression_evaluates(stack: tuple[LiveServer, str], name: str, expr: str) -> None:
    answer = query(stack[1], expr)
    assert answer["status"] == "success", f"{name}: {answer.get('error')}"


def _prometheus_targets(panel: dict[str, Any]) -> list[str]:
    return [
        t["expr"]
        for t in panel.get("targets", [])
        if t.get("datasource", {}).get("type") == "prometheus"
    ]


PROM_PANELS = [(board, panel) for board, panel in dashboard_panels() if _prometheus_targets(panel)]


@pytest.mark.parametrize(
    ("board", "panel"), PROM_PANELS, ids=[f"{b}:{p['title']}" for b, p in PROM_PANELS]
)
def test_dashboard_panel_evaluates_and_has_data(
    stack: tuple[LiveServer, str], board: str, panel: dict[str, Any]
) -> None:
    answers = [query(stack[1], expand(expr)) for expr in _prometheus_targets(panel)]
    for expr, answer in zip(_prometheus_targets(panel), answers, strict=True):
        assert answer["status"] == "success", f"{board} {expr}: {answer.get('error')}"
    assert any(a["data"]["result"] for a in answers), f"{board}: {panel['title']} has no data"


def test_latest_gauge_and_business_counters_reach_prometheus(
    stack: tuple[LiveServer, str],
) -> None:
    prometheus = stack[1]
    assert _value(prometheus, "max(minitwit_latest)") == 1024  # 4 rounds of 6 after 1000
    assert _value(prometheus, 'sum(minitwit_registrations_total{surface="api"})') == 12
    assert _value(prometheus, 'sum(minitwit_unfollows_total{surface="api"})') == 12
    statuses = _value(
        prometheus, 'sum(minitwit_simulator_requests_total{command="msgs_user",code_class="4xx"})'
    )
    assert statuses == 12  # the unknown users' 404s


def test_metrics_add_up_across_both_workers(stack: tuple[LiveServer, str]) -> None:
    server, _prometheus = stack
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def count() -> float:
        text = requests.get(server.url + "/metrics", headers=auth, timeout=5).text
        lines = [
            line
            for line in text.splitlines()
            if line.startswith('minitwit_http_requests_total{method="GET",route="/readyz"')
        ]
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines)

    before = count()
    marker = "adds-up"
    for i in range(60):
        requests.get(
            server.url + "/readyz",
            headers={"Connection": "close", "X-Request-ID": f"{marker}-{i}"},
            timeout=5,
        )
    # A worker counts and logs a request once its response is closed, just after the client
    # has the answer: wait (briefly) for the last one.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        entries = [e for e in _log_entries(server) if str(e.get("request_id")).startswith(marker)]
        if count() - before == 60 and len(entries) == 60:
            break
        time.sleep(0.05)
    assert count() - before == 60
    pids = {entry["pid"] for entry in entries}
    assert len(pids) == 2, f"requests were served by {pids}: both workers should have served"


def test_metrics_refuse_a_scrape_without_the_token(stack: tuple[LiveServer, str]) -> None:
    server, _prometheus = stack
    assert requests.get(server.url + "/metrics", timeout=5).status_code == 401
    wrong = requests.get(
        server.url + "/metrics", headers={"Authorization": "Bearer nope"}, timeout=5
    )
    assert wrong.status_code == 401


def _log_entries(server: LiveServer) -> list[dict[str, Any]]:
    entries = []
    for line in server.output().splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


def test_promtool_checks_the_committed_config(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    (tmp_path / "token").write_text(TOKEN)  # the compose secret's stand-in
    for job in config["scrape_configs"]:
        if "authorization" in job:
            job["authorization"]["credentials_file"] = str(tmp_path / "token")
    config["rule_files"] = [str(PROMETHEUS_DIR / "rules" / "*.yml")]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    result = subprocess.run(
        [promtool, "check", "config", str(tmp_path / "prometheus.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_checks_the_rules() -> None:
    promtool = require_tool("promtool")
    rules = sorted(str(p) for p in (PROMETHEUS_DIR / "rules").glob("*.yml"))
    result = subprocess.run(
        [promtool, "check", "rules", *rules], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_of_every_alert_pass() -> None:
    promtool = require_tool("promtool")
    test_files = sorted((PROMETHEUS_DIR / "tests").glob("*_test.yml"))
    alerts = {
        rule["alert"]
        for group in yaml.safe_load((PROMETHEUS_DIR / "rules" / "alerts.yml").read_text())["groups"]
        for rule in group["rules"]
    }
    tested = {
        case["alertname"]
        for path in test_files
        for test in yaml.safe_load(path.read_text())["tests"]
        for case in test.get("alert_rule_test", [])
    }
    assert alerts <= tested, f"alerts without unit tests: {alerts - tested}"
    result = subprocess.run(
        [promtool, "test", "rules", *(p.name for p in test_files)],
        cwd=PROMETHEUS_DIR / "tests",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

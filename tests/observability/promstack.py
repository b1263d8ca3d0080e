"""A real Prometheus (Debian's package) started with the project's rules, for the tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
import yaml

from devtools.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = ROOT / "observability" / "prometheus"
DASHBOARDS = ROOT / "observability" / "grafana" / "dashboards"
# Grafana's variables, replaced by what they mean for a short test run.
GRAFANA_VARIABLES = {
    "$__rate_interval": "10s",
    "$__range": "5m",
    "$__interval": "5s",
    "$__auto": "10s",
    "$route": ".*",
}


def require_tool(name: str) -> str:
    """The tool's path; skip (or fail with MINITWIT_REQUIRE_TOOLS=1) when it is missing."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package `prometheus`; .ci/run installs it)"
        if os.environ.get("MINITWIT_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def scrape_config_for(target: str, token_file: Path) -> dict[str, Any]:
    """The project's prometheus.yml, pointed at ``target`` with 1 s scrapes and local rules."""
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config["rule_files"] = [str(path) for path in sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))]
    config.pop("alerting", None)
    for job in config["scrape_configs"]:
        if job["job_name"] == "minitwit":
            job.pop("dns_sd_configs")
            job["static_configs"] = [{"targets": [target]}]
            job["authorization"]["credentials_file"] = str(token_file)
    return config


@contextmanager
def running_prometheus(workdir: Path, config: dict[str, Any]) -> Iterator[str]:
    """Run ``prometheus`` on a free port until the block ends; yield its base URL."""
    binary = require_tool("prometheus")
    port = free_port()
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config))
    log = (workdir / "prometheus.log").open("w")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config_path}",
            f"--storage.tsdb.path={workdir / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _get(url + "/-/ready", raw=True) is not None, 30, "Prometheus ready")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _get(url: str, raw: bool = False) -> Any:
    try:
        with urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            body = response.read()
    except OSError:
        return None
    return body if raw else json.loads(body)


def query(base: str, expr: str) -> dict[str, Any]:
    """An instant query; the API's whole answer (status, data or error)."""
    from urllib.error import HTTPError

    try:
        with urlopen(f"{base}/api/v1/query?{urlencode({'query': expr})}", timeout=10) as r:  # noqa: S310
            return dict(json.loads(r.read()))
    except HTTPError as exc:
        return dict(json.loads(exc.read()))


def wait_for(check: Any, timeout: float, what: str) -> None:
    """Poll ``check()`` until it is truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise TimeoutError(f"timed out waiting for {what}")


def expand(expr: str) -> str:
    """A dashboard expression with Grafana's variables replaced."""
    for name in sorted(GRAFANA_VARIABLES, key=len, reverse=True):
        expr = expr.replace(name, GRAFANA_VARIABLES[name])
    return expr


def dashboard_panels() -> Iterator[tuple[str, dict[str, Any]]]:
    """(dashboard file, panel) for every panel of every generated dashboard."""
    for path in sorted(DASHBOARDS.glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            yield path.name, panel


def rule_expressions() -> list[tuple[str, str]]:
    """(rule name, expression) for every recording and alerting rule."""
    found = []
    for path in sorted((PROMETHEUS_DIR / "rules").glob("*.yml")):
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                found.append((rule.get("record") or rule["alert"], rule["expr"]))
    return found

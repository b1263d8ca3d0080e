"""The stack as code: generated dashboards are current, compose is valid, versions agree."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
GRAFANA = ROOT / "observability" / "grafana"


def test_committed_dashboards_equal_what_the_generator_produces() -> None:
    from observability.grafana.dashgen import OUTPUT, render

    rendered = render()
    assert sorted(rendered) == sorted(p.name for p in OUTPUT.glob("*.json"))
    for name, text in rendered.items():
        assert (OUTPUT / name).read_text() == text, f"{name} is stale: run the generator"


def test_generator_check_mode_fails_on_a_stale_dashboard(tmp_path: Path) -> None:
    copy = tmp_path / "observability"
    shutil.copytree(ROOT / "observability", copy)
    stale = copy / "grafana" / "dashboards" / "slo.json"
    stale.write_text(stale.read_text().replace("error budget", "budget"))
    run = subprocess.run(
        [sys.executable, "-m", "observability.grafana.dashgen", "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "slo.json" in run.stderr


def test_dashboards_use_only_provisioned_datasources() -> None:
    provisioned = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "datasources.yml").read_text()
    )
    uids = {source["uid"] for source in provisioned["datasources"]}
    used = set()
    for path in (GRAFANA / "dashboards").glob("*.json"):
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel.get("targets", []):
                used.add(target["datasource"]["uid"])
    assert used == uids == {"prometheus", "loki"}


def test_grafana_image_matches_the_pinned_sdk() -> None:
    sdk = metadata.version("grafana-foundation-sdk")  # e.g. 1769699379!11.6.0
    grafana_version = sdk.split("!", 1)[1]
    image = yaml.safe_load(COMPOSE.read_text())["services"]["grafana"]["image"]
    assert image == f"grafana/grafana:{grafana_version}"


def test_every_image_is_pinned() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    for name, service in services.items():
        assert re.fullmatch(r"[\w./-]+:[\w.-]*\d[\w.-]*", service["image"]), name


def _check_jsonschema() -> str:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(tool).exists():
        pytest.fail("check-jsonschema is a test dependency (observability group) but is missing")
    return tool


def test_compose_file_validates_against_the_compose_spec() -> None:
    run = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_compose_validation_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    text = COMPOSE.read_text().replace("    healthcheck:\n", "    healthcheck_typo:\n", 1)
    broken.write_text(text)
    run = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.compose-spec", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0


def test_compose_keeps_secrets_out_and_leaves_room_for_the_profiles() -> None:
    text = COMPOSE.read_text()
    assert "super_safe" not in text and "change-me" not in text
    # The placeholders were filled by the load-testing and security work.
    assert "profiles: [load]" in text
    assert "profiles: [security]" in text
    example = (ROOT / ".env.example").read_text()
    for variable in set(re.findall(r"\$\{(\w+):\?", text)):
        assert f"{variable}=" in example, f"{variable} is missing from .env.example"


def test_only_nginx_publishes_the_app_and_uses_the_shared_config() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    app, nginx = services["minitwit"], services["nginx"]
    assert "ports" not in app  # the replicas are reached through nginx only
    assert app["environment"]["TRUST_PROXY"] == "1"
    assert nginx["ports"] == ["${MINITWIT_PORT:-5000}:8080"]
    listen = (ROOT / "deploy/nginx/compose/listen.conf").read_text().splitlines()
    assert listen[-1] == "listen 8080;"
    conf = nginx["command"][nginx["command"].index("-c") + 1]
    folder = conf.rsplit("/", 1)[0]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in nginx["volumes"]}
    assert mounts == {
        conf: "./deploy/nginx/nginx.conf",
        f"{folder}/upstream.conf": "./deploy/nginx/compose/upstream.conf",
        f"{folder}/listen.conf": "./deploy/nginx/compose/listen.conf",
    }
    for source in mounts.values():
        assert (ROOT / source).is_file(), source


def test_load_and_security_profiles_go_through_nginx() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    master = services["locust-master"]["command"]
    assert master[master.index("--host") + 1] == "http://nginx:8080"
    assert "http://nginx:8080/" in services["zap"]["command"]
    for name in ("locust-master", "zap"):
        assert services[name]["depends_on"] == {"nginx": {"condition": "service_healthy"}}

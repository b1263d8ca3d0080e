"""/metrics and the request hooks, through Flask's test client (one process, no multiprocess)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from minitwit import create_app

from ..conftest import Simulator


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_requests_are_labelled_by_route_template_not_path(sim: Simulator) -> None:
    sim.register("alice")
    before = sample(
        "minitwit_http_requests_total", method="GET", route="/msgs/<username>", status="200"
    )
    sim.get("/msgs/alice")
    after = sample(
        "minitwit_http_requests_total", method="GET", route="/msgs/<username>", status="200"
    )
    assert after - before == 1
    text = sim.client.get("/metrics").get_data(as_text=True)
    assert 'route="/msgs/<username>"' in text
    assert "alice" not in text


def test_a_request_is_counted_when_its_response_is_closed(client: FlaskClient) -> None:
    """Metrics, like the log line, are written after the answer is handed to the server."""
    labels = {"method": "GET", "route": "/latest", "status": "200"}
    before = sample("minitwit_http_requests_total", **labels)
    response = client.get("/latest", buffered=False)  # not closed yet: still being sent
    assert response.headers["X-Request-ID"]
    assert sample("minitwit_http_requests_total", **labels) == before
    response.close()  # what a WSGI server does once the body is out
    assert sample("minitwit_http_requests_total", **labels) == before + 1


def test_unmatched_paths_share_one_label(client: FlaskClient) -> None:
    before = sample("minitwit_http_requests_total", method="GET", route="unmatched", status="404")
    client.get("/no/such/page/1")
    client.get("/no/such/page/2")
    after = sample("minitwit_http_requests_total", method="GET", route="unmatched", status="404")
    assert after - before == 2


def test_unknown_methods_share_one_label(client: FlaskClient) -> None:
    before = sample("minitwit_http_requests_total", method="other", route="unmatched", status="405")
    client.open("/latest", method="BREW")
    client.open("/latest", method="PROPFIND")
    after = sample("minitwit_http_requests_total", method="other", route="unmatched", status="405")
    assert after - before == 2


def test_latency_histogram_has_a_bucket_at_the_simulator_timeout(client: FlaskClient) -> None:
    client.get("/latest")
    assert (
        sample(
            "minitwit_http_request_duration_seconds_bucket",
            method="GET",
            route="/latest",
            status="200",
            le="0.3",
        )
        >= 1
    )


def test_simulator_errors_are_counted_as_the_simulator_counts_them(sim: Simulator) -> None:
    def errors(command: str) -> float:
        return sample("minitwit_simulator_errors_total", command=command, reason="status")

    before = {c: errors(c) for c in ("register", "tweet", "follow", "unfollow")}
    assert sim.register("bob").status_code == 204
    assert sim.register("bob").status_code == 400  # taken: 400 is fine for the simulator
    assert sim.tweet("nobody", "hi").status_code == 404  # a tweet must get 204
    assert sim.follow("bob", "nobody").status_code == 404
    assert sim.follow("bob", "nobody", action="unfollow").status_code == 404
    assert errors("register") - before["register"] == 0
    assert errors("tweet") - before["tweet"] == 1
    assert errors("follow") - before["follow"] == 1
    assert errors("unfollow") - before["unfollow"] == 1


def test_business_counters_follow_successful_actions(sim: Simulator) -> None:
    names = (
        "minitwit_registrations_total",
        "minitwit_messages_posted_total",
        "minitwit_follows_total",
        "minitwit_unfollows_total",
    )
    before = [sample(n, surface="api") for n in names]
    sim.register("carol")
    sim.register("dave")
    sim.tweet("carol", "hello")
    sim.follow("carol", "dave")
    sim.follow("carol", "dave", action="unfollow")
    sim.tweet("nobody", "lost")  # 404: not a message
    changes = [sample(n, surface="api") - b for n, b in zip(names, before, strict=True)]
    assert changes == [2, 1, 1, 1]


def test_latest_gauge_holds_the_last_value(sim: Simulator) -> None:
    sim.register("erin", latest=41)
    sim.get("/msgs", latest=42)
    assert sample("minitwit_latest") == 42
    sim.get("/msgs", latest="not-a-number")
    assert sample("minitwit_latest") == 42


def test_database_statements_are_timed_by_kind(sim: Simulator) -> None:
    before = sample("minitwit_db_query_duration_seconds_count", statement="insert")
    sim.register("frank")
    assert sample("minitwit_db_query_duration_seconds_count", statement="insert") > before


def test_build_info_and_openmetrics(client: FlaskClient) -> None:
    response = client.get("/metrics", headers={"Accept": "application/openmetrics-text"})
    assert response.content_type.startswith("application/openmetrics-text")
    assert response.get_data(as_text=True).rstrip().endswith("# EOF")
    assert "minitwit_build_info{" in response.get_data(as_text=True)


@pytest.fixture
def token_app(database_url: str) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "k",
            "METRICS_TOKEN": "s3cret",
        }
    )


def test_metrics_token_is_required_when_set(token_app: Flask) -> None:
    client = token_app.test_client()
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_request_id_is_accepted_generated_and_returned(client: FlaskClient) -> None:
    assert (
        client.get("/latest", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"]
        == "abc-123"
    )
    generated = client.get("/latest").headers["X-Request-ID"]
    assert len(generated) == 32
    hostile = client.get("/latest", headers={"X-Request-ID": "x" * 500}).headers["X-Request-ID"]
    assert hostile != "x" * 500


def test_metrics_is_a_reserved_username(sim: Simulator) -> None:
    response = sim.register("metrics")
    assert response.status_code == 400
    assert "reserved" in response.get_json()["error_msg"]


def test_telemetry_can_be_switched_off(database_url: str) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "k",
            "TELEMETRY_ENABLED": False,
        }
    )
    client = app.test_client()
    response = client.get("/latest")
    assert response.status_code == 200
    assert "X-Request-ID" not in response.headers
    assert client.get("/metrics").status_code == 404

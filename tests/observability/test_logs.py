"""JSON log lines on stdout, and shipping them to Loki.

Loki cannot run here: shipping is checked against a loopback receiver that speaks Loki's
push API (tests/observability/loki_receiver.py), and against a socket that never answers.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from prometheus_client import REGISTRY

from minitwit import create_app
from minitwit.telemetry import logs
from minitwit.telemetry.loki import LokiShipper

from .loki_receiver import loki_receiver, silent_receiver


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def make_app(database_url: str, **settings: Any) -> Flask:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "top-secret", **settings}
    )

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("kaboom")

    return app


@pytest.fixture(autouse=True)
def _plain_logger() -> Iterator[None]:
    """Leave the `minitwit` logger without a Loki shipper for the next test."""
    yield
    logging.getLogger("minitwit").handlers.clear()


def test_every_request_is_one_json_line_with_its_id(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_app(database_url).test_client()
    capsys.readouterr()
    client.get("/msgs/someone?latest=7", headers={"X-Request-ID": "req-42"})
    entries = [e for e in json_lines(capsys.readouterr().out) if e["msg"] == "request"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["request_id"] == "req-42"
    assert entry["route"] == "/msgs/<username>"
    assert entry["path"] == "/msgs/someone"
    assert entry["status"] == 403
    assert entry["latest"] == 7
    assert entry["duration_ms"] >= 0


def test_errors_are_logged_with_stack_trace_and_request_id(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_app(database_url).test_client()
    capsys.readouterr()
    assert client.get("/boom", headers={"X-Request-ID": "req-boom"}).status_code == 500
    errors = [e for e in json_lines(capsys.readouterr().out) if e["level"] == "error"]
    traced = [e for e in errors if "stack" in e]
    assert traced, errors
    assert "RuntimeError: kaboom" in traced[0]["stack"]
    assert all(e["request_id"] == "req-boom" for e in errors)


def test_a_failure_while_recording_is_logged_and_the_answer_stands(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from minitwit.telemetry import hooks

    def broken(*_args: object) -> None:
        raise OSError("metrics folder gone")

    client = make_app(database_url).test_client()
    monkeypatch.setattr(hooks, "count_request", broken)
    capsys.readouterr()
    response = client.get("/latest")
    assert response.status_code == 200
    assert response.get_json() == {"latest": -1}
    errors = [e for e in json_lines(capsys.readouterr().out) if e["level"] == "error"]
    assert [e["msg"] for e in errors] == ["recording a request failed"]
    assert "metrics folder gone" in errors[0]["stack"]


def test_startup_configuration_is_logged_redacted(database_url: str) -> None:
    from minitwit import config
    from minitwit.telemetry import logs

    shown = config.redacted(
        {
            "SECRET_KEY": "top-secret",
            "METRICS_TOKEN": "tok",
            "LOKI_URL": "https://user:pw@loki.example/",
            "LOG_LEVEL": "INFO",
        }
    )
    line = logs.JsonFormatter().format(
        logging.makeLogRecord(
            {"msg": "startup", "config": shown, "levelname": "INFO", "name": "minitwit"}
        )
    )
    assert "top-secret" not in line and 'tok"' not in line and "pw@" not in line
    assert json.loads(line)["config"]["LOG_LEVEL"] == "INFO"


def test_lines_are_pushed_to_loki_with_few_bounded_labels(database_url: str) -> None:
    with loki_receiver() as receiver:
        url = f"http://127.0.0.1:{receiver.server_address[1]}"
        client = make_app(database_url, LOKI_URL=url, APP_ENV="test").test_client()
        client.get("/latest", headers={"X-Request-ID": "shipped-1"})
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not _shipped(receiver.pushes, "shipped-1"):
            time.sleep(0.1)
        stream = _shipped(receiver.pushes, "shipped-1")
    assert stream is not None, receiver.pushes
    assert stream["stream"] == {"app": "minitwit", "env": "test", "level": "info"}
    line = json.loads(next(v[1] for v in stream["values"] if "shipped-1" in v[1]))
    assert line["route"] == "/latest"
    assert int(stream["values"][0][0]) > 1_600_000_000 * 10**9  # nanoseconds


def _shipped(pushes: list[dict[str, Any]], request_id: str) -> dict[str, Any] | None:
    for push in pushes:
        for stream in push["streams"]:
            if any(request_id in value[1] for value in stream["values"]):
                return stream
    return None


def test_a_loki_that_never_answers_does_not_slow_requests(database_url: str) -> None:
    with silent_receiver() as url:
        client = make_app(database_url, LOKI_URL=url).test_client()
        timings = []
        for _ in range(200):
            started = time.perf_counter()
            assert client.get("/latest").status_code == 200
            timings.append(time.perf_counter() - started)
    timings.sort()
    # A blocking push would cost at least the 1 s connect/2 s read timeout per batch.
    assert timings[-1] < 0.5, f"slowest request took {timings[-1]:.3f} s"
    assert timings[len(timings) // 2] < 0.05


def test_a_full_queue_drops_lines_and_counts_them() -> None:
    def dropped() -> float:
        return (
            REGISTRY.get_sample_value("minitwit_log_lines_dropped_total", {"reason": "queue_full"})
            or 0.0
        )

    with silent_receiver() as url:
        shipper = LokiShipper(
            url, {"app": "minitwit", "env": "test"}, queue_size=5, batch_interval=60
        )
        logger = logging.getLogger("minitwit.test-overflow")
        logger.propagate = False
        logger.addHandler(shipper)
        before = dropped()
        try:
            for i in range(2000):
                logger.warning("line %d", i)
        finally:
            logger.removeHandler(shipper)
            shipper.close()
    assert dropped() - before > 1000  # bounded: a 5-line queue cannot hold 2,000 lines


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_format_auto_is_text_at_a_terminal_and_json_elsewhere() -> None:
    assert isinstance(logs.formatter_for("auto", _Terminal()), logs.TextFormatter)
    assert isinstance(logs.formatter_for("auto", io.StringIO()), logs.JsonFormatter)
    assert isinstance(logs.formatter_for("json", _Terminal()), logs.JsonFormatter)
    assert isinstance(logs.formatter_for("text", io.StringIO()), logs.TextFormatter)


def test_a_request_line_reads_plainly_in_text() -> None:
    record = logging.LogRecord("minitwit", logging.INFO, "", 0, "request", None, None)
    record.fields = {"method": "POST", "path": "/msgs/a", "status": 204, "duration_ms": 1.5}
    record.fields |= {"command": "tweet", "latest": 7, "request_id": "abc"}
    line = logs.TextFormatter().format(record)
    assert line.endswith("INFO    POST /msgs/a 204 1.5 ms command=tweet latest=7")


def test_other_lines_read_plainly_with_their_extras_and_stack() -> None:
    try:
        raise RuntimeError("kaboom")
    except RuntimeError:
        record = logging.LogRecord("minitwit", logging.WARNING, "", 0, "db %s", ("down",), None)
        record.exc_info = sys.exc_info()
    record.reason = "unreachable"
    line = logs.TextFormatter().format(record)
    assert "WARNING db down reason=unreachable\nTraceback" in line and "RuntimeError" in line

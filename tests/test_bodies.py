"""server/bodies.py in-process: the body is read before the app runs, and few requests run at once.

The live behaviour (stalled bodies beside normal clients under granian) is in test_server.py;
these pin the middleware's own rules with plain WSGI calls.
"""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path
from typing import Any

from minitwit.server.bodies import BodyFirst
from minitwit.server.granian import load_app, reap_dead_workers

LIMIT = 64


class Recorder:
    """A WSGI app that remembers what it was given, optionally taking its time."""

    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.seen: list[dict[str, Any]] = []
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(self.pause)
        self.seen.append(dict(environ) | {"body": environ["wsgi.input"].read()})
        with self.lock:
            self.running -= 1
        start_response("204 No Content", [])
        return []


def call(app: BodyFirst, body: bytes = b"", **environ: str) -> dict[str, Any]:
    app({"wsgi.input": io.BytesIO(body), **environ}, lambda *_: None)
    seen: dict[str, Any] = app.app.seen[-1]  # type: ignore[attr-defined]
    return seen


def test_a_body_is_read_whole_before_the_app_runs() -> None:
    seen = call(BodyFirst(Recorder(), LIMIT, 1), b'{"content": "hi"}', CONTENT_LENGTH="17")
    assert seen["body"] == b'{"content": "hi"}'
    assert isinstance(seen["wsgi.input"], io.BytesIO) and seen["CONTENT_LENGTH"] == "17"


def test_requests_without_a_body_keep_their_input() -> None:
    original = io.BytesIO(b"")
    recorder = Recorder()
    BodyFirst(recorder, LIMIT, 1)({"wsgi.input": original}, lambda *_: None)
    assert recorder.seen[0]["wsgi.input"] is original


def test_a_body_over_the_limit_is_left_for_the_app_to_refuse() -> None:
    original, recorder = io.BytesIO(b"x" * 100), Recorder()
    BodyFirst(recorder, LIMIT, 1)({"wsgi.input": original, "CONTENT_LENGTH": "100"}, print)
    assert recorder.seen[0]["wsgi.input"] is original  # not read here: the app answers 413


def test_a_chunked_body_is_read_up_to_one_byte_past_the_limit() -> None:
    seen = call(BodyFirst(Recorder(), LIMIT, 1), b"y" * 100, HTTP_TRANSFER_ENCODING="chunked")
    assert seen["body"] == b"y" * (LIMIT + 1)
    assert seen["CONTENT_LENGTH"] == str(LIMIT + 1)  # so the app answers 413


def test_a_malformed_length_is_left_for_the_app() -> None:
    seen = call(BodyFirst(Recorder(), LIMIT, 1), b"abc", CONTENT_LENGTH="many")
    assert seen["CONTENT_LENGTH"] == "many" and seen["body"] == b"abc"


def test_no_more_than_the_allowed_requests_run_the_app_at_once() -> None:
    recorder = Recorder(pause=0.05)
    app = BodyFirst(recorder, LIMIT, 2)
    threads = [
        threading.Thread(target=app, args=({"wsgi.input": io.BytesIO()}, lambda *_: None))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(recorder.seen) == 6 and recorder.most_at_once == 2


def test_granian_workers_load_the_app_behind_the_middleware(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("MINITWIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    app = load_app("minitwit.wsgi:app", concurrency=3)
    assert isinstance(app, BodyFirst) and app.limit == 64 * 1024


def test_a_starting_worker_drops_the_live_gauges_of_dead_workers(tmp_path: Path) -> None:
    gone, alive = 2**22 + 12345, os.getpid()  # above Linux's default pid_max: never running
    for pid in (gone, alive):
        (tmp_path / f"gauge_livesum_{pid}.db").write_bytes(b"")
    assert reap_dead_workers(str(tmp_path)) == [gone]
    assert not (tmp_path / f"gauge_livesum_{gone}.db").exists()
    assert (tmp_path / f"gauge_livesum_{alive}.db").exists()
    assert reap_dead_workers("") == []

"""Ship log lines to Loki without ever making a request wait for it.

The request's thread only formats the line and appends it to a bounded buffer (a full
buffer drops the line and counts it); nothing wakes another thread per line. A pusher
thread wakes once per interval, takes up to a batch of lines and pushes them with
inuits-python-logging-loki's handler, which posts with connect and read timeouts.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from typing import Any

from logging_loki.emitter import LokiEmitter
from logging_loki.handlers import LokiHandler

from .logs import JsonFormatter
from .metrics import LOG_LINES_DROPPED, LOKI_PUSH_FAILURES

QUEUE_SIZE = 10_000
BATCH_SIZE = 500
BATCH_INTERVAL = 5.0  # seconds; each push costs the worker a few ms of CPU
TIMEOUT = (1.0, 2.0)  # connect, read (seconds)
SHUTDOWN_GRACE = 2.0
PUSH_PATH = "/loki/api/v1/push"
ERROR_LOGGER = "waylay.loglog"  # where logging_loki reports failed pushes


class _GroupingEmitter(LokiEmitter):  # type: ignore[misc]  # untyped library
    """LokiEmitter that sends one stream per label set (not one per line) and copies less."""

    def build_tags(self, record: Any, line: str) -> dict[str, str]:
        return {**self.tags, self.level_tag: record.levelname.lower()}

    def emit_batch(self, records: list[tuple[Any, str]]) -> None:
        streams: dict[tuple[tuple[str, str], ...], list[list[str]]] = {}
        for record, line in records:
            key = tuple(sorted(self.build_tags(record, line).items()))
            streams.setdefault(key, []).append([str(int(record.created * 1e9)), line])
        payload = {"streams": [{"stream": dict(k), "values": v} for k, v in streams.items()]}
        self._post_to_loki(payload)


class _Line:
    """What the pusher needs of a log record: level, time and the formatted JSON line."""

    __slots__ = ("created", "json_line", "levelname")

    def __init__(self, record: logging.LogRecord, line: str) -> None:
        self.levelname, self.created, self.json_line = record.levelname, record.created, line


class _CountingLokiHandler(LokiHandler):  # type: ignore[misc]  # untyped library
    """LokiHandler that counts failed pushes and the lines they lose."""

    _batch_size = 0
    emitter: Any

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        old = self.emitter
        self.emitter = _GroupingEmitter(
            old.url,
            old.tags,
            old.headers,
            old.auth,
            old.as_json,
            None,
            old.level_tag,
            None,
            old.verify,
            timeout=old.timeout,
        )

    def format(self, record: Any) -> str:
        return str(record.json_line)

    def emit_batch(self, records: list[_Line]) -> None:
        self._batch_size = len(records)
        super().emit_batch(records)

    def handleError(self, exc: Exception) -> None:
        LOKI_PUSH_FAILURES.inc()
        LOG_LINES_DROPPED.labels("push_failed").inc(self._batch_size)
        super().handleError(exc)


class LokiShipper(logging.Handler):
    """A non-blocking handler: a bounded buffer in front, a batching Loki pusher behind."""

    def __init__(
        self,
        url: str,
        labels: dict[str, str],
        queue_size: int = QUEUE_SIZE,
        batch_interval: float = BATCH_INTERVAL,
    ) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.capacity = queue_size
        self.interval = batch_interval
        self.buffer: collections.deque[_Line] = collections.deque()
        self.pusher = _CountingLokiHandler(
            url=push_url(url),
            tags=dict(labels),
            level_tag="level",
            logger_tag=None,
            timeout=TIMEOUT,
        )
        self.pusher.setFormatter(self.formatter)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="LokiPusher", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        """Format now, keep a light copy, never block."""
        if len(self.buffer) >= self.capacity:
            LOG_LINES_DROPPED.labels("queue_full").inc()
            return
        self.buffer.append(_Line(record, self.format(record)))  # atomic: no lock, no wake-up

    def push_pending(self) -> None:
        """Push everything buffered now, in batches (called by the pusher thread)."""
        while self.buffer:
            batch: list[_Line] = []
            while self.buffer and len(batch) < BATCH_SIZE:
                batch.append(self.buffer.popleft())
            self.pusher.emit_batch(batch)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.push_pending()

    def close(self) -> None:
        """Push what is buffered, but never hold up shutdown longer than a short grace."""
        self._stop.set()
        final = threading.Thread(target=self._final_push, name="LokiShutdown", daemon=True)
        final.start()
        final.join(SHUTDOWN_GRACE)
        super().close()

    def _final_push(self) -> None:
        self._thread.join()
        self.push_pending()
        self.pusher.close()


def push_url(url: str) -> str:
    """Accept Loki's base URL or its push URL."""
    url = url.rstrip("/")
    return url if url.endswith(PUSH_PATH) else url + PUSH_PATH


class _OncePerMinute(logging.Filter):
    """Let one report of failed pushes through per minute (a dead Loki fails every second)."""

    def __init__(self) -> None:
        super().__init__()
        self._next = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now < self._next:
            return False
        self._next = now + 60
        return True


def quiet_push_errors(handler: logging.Handler) -> None:
    """Route logging_loki's own error reports to ``handler`` (not to Loki), rate-limited."""
    logger = logging.getLogger(ERROR_LOGGER)
    logger.propagate = False
    for old in list(logger.handlers):
        logger.removeHandler(old)
    handler.addFilter(_OncePerMinute())
    logger.addHandler(handler)

"""Ship log lines to Loki without ever making a request wait for it.

The emitting thread only formats the line and puts it on a bounded queue (a full queue
drops the line and counts it). A listener thread batches lines and pushes them with
inuits-python-logging-loki's handler, which posts with connect and read timeouts.
"""

from __future__ import annotations

import logging
import logging.handlers
import queue
import threading
import time

from logging_loki.handlers import LokiBatchHandler, LokiHandler

from .logs import JsonFormatter
from .metrics import LOG_LINES_DROPPED, LOKI_PUSH_FAILURES

QUEUE_SIZE = 10_000
BATCH_SIZE = 500
BATCH_INTERVAL = 1.0
TIMEOUT = (1.0, 2.0)  # connect, read (seconds)
SHUTDOWN_GRACE = 2.0
PUSH_PATH = "/loki/api/v1/push"
ERROR_LOGGER = "waylay.loglog"  # where logging_loki reports failed pushes


class _CountingLokiHandler(LokiHandler):
    """LokiHandler that counts failed pushes and the lines they lose."""

    _batch_size = 0

    def emit_batch(self, records: list[logging.LogRecord]) -> None:
        self._batch_size = len(records)
        super().emit_batch(records)

    def handleError(self, exc: Exception) -> None:  # type: ignore[override]  # noqa: N802
        LOKI_PUSH_FAILURES.inc()
        LOG_LINES_DROPPED.labels("push_failed").inc(self._batch_size)
        super().handleError(exc)


class LokiShipper(logging.handlers.QueueHandler):
    """A non-blocking handler: bounded queue in front, a batching Loki pusher behind."""

    def __init__(self, url: str, labels: dict[str, str], queue_size: int = QUEUE_SIZE,
                 batch_interval: float = BATCH_INTERVAL) -> None:
        super().__init__(queue.Queue(queue_size))
        self.setFormatter(JsonFormatter())
        pusher = _CountingLokiHandler(
            url=push_url(url), tags=dict(labels), level_tag="level", logger_tag=None,
            timeout=TIMEOUT,
        )
        self.batcher = LokiBatchHandler(batch_interval, capacity=BATCH_SIZE, target=pusher)
        self.listener = logging.handlers.QueueListener(self.queue, self.batcher)
        self.listener.start()

    def enqueue(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            LOG_LINES_DROPPED.labels("queue_full").inc()

    def close(self) -> None:
        """Push what is queued, but never hold up shutdown longer than a short grace."""
        stopper = threading.Thread(target=self._drain, name="LokiShutdown", daemon=True)
        stopper.start()
        stopper.join(SHUTDOWN_GRACE)
        super().close()

    def _drain(self) -> None:
        if self.listener._thread is not None:  # noqa: SLF001 - stop() is not idempotent
            self.listener.stop()
        self.batcher.close()


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

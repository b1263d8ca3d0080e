"""Logs on stdout with the request id of the request being served: one JSON object per line,
or readable lines for a person at a terminal (LOG_FORMAT=auto picks by whether stdout is one)."""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from typing import Any, TextIO

from flask import has_request_context, request

LOGGER_NAME = "minitwit"
REQUEST_ID_KEY = "minitwit.request_id"
"""Where the request hooks keep the request's id in the WSGI environ."""
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None)))


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object: ts, level, logger, msg, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        fields = record.__dict__.get("fields")
        if isinstance(fields, dict):  # the request line: its fields as gathered
            entry.update(fields)
        else:
            for key, value in vars(record).items():
                if key not in _STANDARD and key not in entry and not key.startswith("_"):
                    entry[key] = value
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["stack"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Render a record for a person: time, level, message, then the extras as key=value."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
        fields = record.__dict__.get("fields")
        if isinstance(fields, dict):  # the request line: "GET /public 200 3.1 ms"
            message, extras = _request_line(fields)
        else:
            message, extras = record.getMessage(), _extras(record)
        text = f"{stamp} {record.levelname:<7} {message}"
        text += "".join(f" {key}={value}" for key, value in extras.items())
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _request_line(fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``GET /public 200 3.1 ms`` and the simulator's command and latest, if any."""
    head = " ".join(str(fields.get(key, "")) for key in ("method", "path", "status"))
    extras = {key: value for key, value in fields.items() if key in ("command", "latest")}
    return f"{head} {fields.get('duration_ms', '?')} ms", extras


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    """A record's own fields (not logging's, not the startup line's whole configuration)."""
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD and not key.startswith("_") and key != "config"
    }


def formatter_for(log_format: str, stream: TextIO | None = None) -> logging.Formatter:
    """The formatter LOG_FORMAT asks for; ``auto`` is text on a terminal, JSON elsewhere."""
    if log_format == "auto":
        target = stream or sys.stdout
        log_format = "text" if target.isatty() else "json"
    return TextFormatter() if log_format == "text" else JsonFormatter()


def _timestamp(created: float) -> str:
    """ISO 8601 UTC with milliseconds."""
    return f"{_second(int(created))}.{int(created % 1 * 1000):03d}Z"


@functools.lru_cache(maxsize=4)
def _second(whole: int) -> str:
    """A whole second, formatted once rather than for every request's line (about 3 us of
    the 50 us that publishing a request takes)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))


class RequestContext(logging.Filter):
    """Attach the current request's id to every record logged while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "fields" in record.__dict__ or "request_id" in record.__dict__:
            return True
        if has_request_context():
            request_id = request.environ.get(REQUEST_ID_KEY)
            if request_id is not None:
                record.request_id = request_id
        return True


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that always writes to the current ``sys.stdout``."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def json_handler(log_format: str = "json") -> logging.Handler:
    """A stdout handler with the request-id filter, formatting as ``log_format`` says."""
    handler = StdoutHandler()
    handler.setFormatter(formatter_for(log_format))
    handler.addFilter(RequestContext())
    return handler


def configure(
    level: str, extra_handlers: list[logging.Handler] | None = None, log_format: str = "json"
) -> logging.Logger:
    """Make the ``minitwit`` logger write to stdout (and extra handlers); idempotent."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    logger.propagate = False
    for handler in list(logger.handlers):
        if getattr(handler, "minitwit_owned", False):
            logger.removeHandler(handler)  # the Loki shipper's owner closes it
    for handler in [json_handler(log_format), *(extra_handlers or [])]:
        handler.minitwit_owned = True  # type: ignore[attr-defined]
        if not any(isinstance(f, RequestContext) for f in handler.filters):
            handler.addFilter(RequestContext())
        logger.addHandler(handler)
    return logger

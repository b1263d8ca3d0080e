"""JSON logs: one object per line on stdout, with the request id of the request being served."""

from __future__ import annotations

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


def _timestamp(created: float) -> str:
    """ISO 8601 UTC with milliseconds."""
    second = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{second}.{int(created % 1 * 1000):03d}Z"


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


def json_handler() -> logging.Handler:
    """A stdout handler with the JSON formatter and the request-id filter."""
    handler = StdoutHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    return handler


def configure(level: str, extra_handlers: list[logging.Handler] | None = None) -> logging.Logger:
    """Make the ``minitwit`` logger emit JSON to stdout (and extra handlers); idempotent."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    logger.propagate = False
    for handler in list(logger.handlers):
        if getattr(handler, "minitwit_owned", False):
            logger.removeHandler(handler)  # the Loki shipper's owner closes it
    for handler in [json_handler(), *(extra_handlers or [])]:
        handler.minitwit_owned = True  # type: ignore[attr-defined]
        if not any(isinstance(f, RequestContext) for f in handler.filters):
            handler.addFilter(RequestContext())
        logger.addHandler(handler)
    return logger

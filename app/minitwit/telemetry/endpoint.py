"""``GET /metrics``: Prometheus text (or OpenMetrics when asked for), optionally behind a token."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, request
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from ..errors import json_error

bp = Blueprint("telemetry", __name__)


@bp.get("/metrics")
def metrics() -> Response:
    """All metrics of this process (or of every gunicorn worker in multiprocess mode)."""
    if not current_app.config["TELEMETRY_ENABLED"]:
        return json_error(404, "Metrics are switched off (TELEMETRY_ENABLED=0)")
    token = current_app.config["METRICS_TOKEN"]
    if token and not _bearer_matches(token):
        response = json_error(401, "A valid bearer token is required for /metrics")
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encoder(_registry()), content_type=content_type)


def _bearer_matches(token: str) -> bool:
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        offered.strip().encode(), token.encode()
    )


def _registry() -> CollectorRegistry:
    """A fresh registry over the workers' shared files, or the process's own registry."""
    folder = current_app.config["METRICS_MULTIPROC_DIR"]
    if not folder:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
    return registry

"""Operations endpoints: liveness and readiness, outside the username space."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..db import is_ready

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: the database answers too."""
    ready = is_ready()
    response = jsonify({"status": "ok" if ready else "unavailable", "database": ready})
    response.status_code = 200 if ready else 503
    return response

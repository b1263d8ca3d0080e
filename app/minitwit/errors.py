"""One path for errors: JSON bodies on the API, plain pages elsewhere, never a traceback."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

API_PREFIXES = ("/latest", "/msgs", "/fllws", "/openapi.json")
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def json_error(status: int, message: str) -> Response:
    """The simulator API's error shape: ``{"status": n, "error_msg": text}``."""
    response = jsonify({"status": status, "error_msg": message})
    response.status_code = status
    return response


def is_api_registration() -> bool:
    """A POST to /register that is not a browser form is the simulator's JSON registration."""
    return (
        request.method == "POST"
        and request.path == "/register"
        and request.mimetype not in FORM_TYPES
    )


def wants_json() -> bool:
    """Whether the current request is an API request that expects JSON errors."""
    path = request.path
    api_path = any(path == prefix or path.startswith(prefix + "/") for prefix in API_PREFIXES)
    return api_path or request.is_json or is_api_registration()


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if wants_json():
            response = json_error(exc.code or 500, exc.description or exc.name)
            if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
                response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
            return response
        return exc

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response | HTTPException:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _http_error(InternalServerError())

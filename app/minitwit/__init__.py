"""MiniTwit: a drop-in replacement for the DevOps course's Twitter clone."""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, abort, request
from flask.testing import FlaskClient
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config, db, errors, security

MAX_BODY_BYTES = 64 * 1024
STATE_CHANGING_GETS = frozenset({"timelines.follow_user", "timelines.unfollow_user", "auth.logout"})


class TestClient(FlaskClient):
    """Flask's test client, closing each response the way a WSGI server does (PEP 3333).

    Telemetry publishes a request when its response is closed; Flask's own client only
    closes responses that a test closes explicitly.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


class MiniTwitFlask(Flask):
    """Flask, asking once per hook or view whether it is a coroutine (Flask asks on every call:
    eight times per request, about 10 us in all; see docs/benchmarks.md, "Hot path")."""

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self.async_to_sync(func) if _is_coroutine(func) else func


@functools.lru_cache(maxsize=1024)
def _is_coroutine(func: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(func)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build a MiniTwit application: settings from the environment unless a mapping is given."""
    app = MiniTwitFlask(
        __name__,
        instance_path=config.instance_path(os.environ),
        static_folder="web/static",
        template_folder="web/templates",
    )
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
    )
    if test_config is None:
        app.config.update(config.from_environ(os.environ))
    else:
        app.config.update(config.DEFAULTS | dict(test_config))
    app.session_interface = security.SessionInterface()
    app.test_client_class = TestClient
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    db.init_app(app)
    # Imported here, not at the top: prometheus_client must first see `serve`'s multiprocess dir.
    from . import api, ops, telemetry, web

    # Telemetry's hooks go first: its request hook runs before every other one, its response
    # hook after every other one but db's (which only schedules a WAL checkpoint).
    telemetry.init_app(app)
    errors.init_app(app)
    app.register_blueprint(ops.bp)
    app.register_blueprint(api.bp)
    web.init_app(app)

    @app.before_request
    def _refuse_cross_site() -> None:
        req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
        changes_state = req.method not in security.SAFE_METHODS
        if (changes_state or req.endpoint in STATE_CHANGING_GETS) and security.is_cross_site(req):
            abort(403, "Cross-site request refused")

    security.init_app(app)
    return app

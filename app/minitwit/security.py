"""Security headers, cross-site request checks and the simulator's credentials."""

from __future__ import annotations

import base64
import functools
import hmac
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' https://www.gravatar.com",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# With locally generated identicons no page needs another origin: images from 'self' only.
CONTENT_SECURITY_POLICY_OFFLINE = CONTENT_SECURITY_POLICY.replace(
    "img-src 'self' https://www.gravatar.com", "img-src 'self'"
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose cookie is Secure whenever the request came over HTTPS.

    Requests without a session cookie (every simulator request) get an empty session
    without building the signing serializer, and an empty untouched session is not saved.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and "HTTP_COOKIE" not in request.environ:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    """Attach the security headers to every answer (a header a view set wins)."""
    policy = CONTENT_SECURITY_POLICY
    if app.config["AVATARS"] == "identicon":
        policy = CONTENT_SECURITY_POLICY_OFFLINE
    app.wsgi_app = SecurityHeaders(app.wsgi_app, HEADERS | {"Content-Security-Policy": policy})  # type: ignore[method-assign]


class SecurityHeaders:
    """WSGI middleware that adds headers to every answer the app starts, unless already set.

    A middleware, not an ``after_request`` hook: it appends plain pairs to the WSGI header
    list, where werkzeug's ``Headers`` checks every value again (15 us per request against
    about 2 us here; docs/benchmarks.md, "Hot path"). It also covers answers no hook sees.
    """

    def __init__(self, app: WSGIApplication, headers: Mapping[str, str]) -> None:
        self.app = app
        self.headers = [(name.lower(), (name, value)) for name, value in headers.items()]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            added = [pair for key, pair in self.headers if key not in present]
            return start_response(status, headers + added, exc_info)

        return self.app(environ, start)


def is_cross_site(req: Request) -> bool:
    """Whether a browser told us this request was made by another site.

    Browsers send ``Sec-Fetch-Site`` (and ``Origin`` on POST); scripted clients send
    neither and keep working without a CSRF token. Read from the WSGI environ: this runs
    for every request, and the simulator's answer is "neither header" (two lookups).
    """
    environ = req.environ
    fetch_site = environ.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site not in {"same-origin", "none"}
    origin = environ.get("HTTP_ORIGIN")
    if origin is None:
        return False
    if origin == "null":
        return True
    try:
        return urlsplit(origin).netloc != req.host
    except ValueError:  # not a URL (e.g. "http://["): no site of ours sends that
        return True


def simulator_authorized(req: Request) -> bool:
    """Whether the request carries the simulator's Basic credentials (constant-time check).

    The header the simulator sends is compared as a whole first; any other spelling of
    the same credentials (scheme case, padding) is parsed and compared field by field.
    """
    expected_user = current_app.config["SIMULATOR_USERNAME"].encode()
    expected_password = current_app.config["SIMULATOR_PASSWORD"].encode()
    header = req.environ.get("HTTP_AUTHORIZATION", "").encode("latin-1", "replace")
    if hmac.compare_digest(header, _basic_header(expected_user, expected_password)):
        return True
    auth = req.authorization
    if auth is None or auth.type != "basic":
        return False
    user_ok = hmac.compare_digest((auth.username or "").encode(), expected_user)
    password_ok = hmac.compare_digest((auth.password or "").encode(), expected_password)
    return user_ok and password_ok


@functools.lru_cache(maxsize=4)
def _basic_header(user: bytes, password: bytes) -> bytes:
    """The Authorization header value a client sends for these credentials."""
    return b"Basic " + base64.b64encode(user + b":" + password)

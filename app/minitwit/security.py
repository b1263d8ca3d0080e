"""Security headers, cross-site request checks and the simulator's credentials."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface

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
    """Signed cookie sessions whose cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def add_security_headers(response: Response) -> Response:
    """Attach the security headers to every response."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    policy = response.headers.get("Content-Security-Policy")
    if policy == CONTENT_SECURITY_POLICY and current_app.config.get("AVATARS") == "identicon":
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY_OFFLINE
    return response


def is_cross_site(req: Request) -> bool:
    """Whether a browser told us this request was made by another site.

    Browsers send ``Sec-Fetch-Site`` (and ``Origin`` on POST); scripted clients send
    neither and keep working without a CSRF token.
    """
    fetch_site = req.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in {"same-origin", "none"}
    origin = req.headers.get("Origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc != req.host


def simulator_authorized(req: Request) -> bool:
    """Whether the request carries the simulator's Basic credentials (constant-time check)."""
    auth = req.authorization
    if auth is None or auth.type != "basic":
        return False
    expected_user = current_app.config["SIMULATOR_USERNAME"].encode()
    expected_password = current_app.config["SIMULATOR_PASSWORD"].encode()
    user_ok = hmac.compare_digest((auth.username or "").encode(), expected_user)
    password_ok = hmac.compare_digest((auth.password or "").encode(), expected_password)
    return user_ok and password_ok

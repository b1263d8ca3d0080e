"""Avatars: identicons drawn here (the default: works offline, no request leaves the site), or
Gravatar as in the original (AVATARS=gravatar), falling back to the identicon when it fails;
and the site's icon."""

from __future__ import annotations

import colorsys
import hashlib
import re

from flask import Blueprint, abort, current_app, redirect, url_for
from werkzeug.wrappers import Response

from ..models import User

bp = Blueprint("avatars", __name__)

GRID = 5
DIGEST = re.compile(r"[0-9a-f]{32}")
ONE_WEEK = 7 * 24 * 3600


@bp.app_template_filter("gravatar")
def gravatar_url(email: str, size: int = 80) -> str:
    """The Gravatar URL for an email address (identicon default)."""
    digest = hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}?d=identicon&s={size}"


@bp.app_template_filter("identicon")
def identicon_url(user: User) -> str:
    """The address of ``user``'s locally drawn identicon."""
    return url_for("avatars.identicon", digest=identicon_digest(user.username))


@bp.app_template_filter("avatar")
def avatar_url(user: User, size: int = 48) -> str:
    """The configured avatar URL for ``user`` (Gravatar at twice ``size``, for sharp screens)."""
    if current_app.config["AVATARS"] == "gravatar":
        return gravatar_url(user.email, size * 2)
    return identicon_url(user)


def identicon_digest(username: str) -> str:
    """A stable key for a user's identicon; built from the public name, so it leaks no email."""
    return hashlib.sha256(f"minitwit-identicon:{username}".encode()).hexdigest()[:32]


def identicon_svg(digest: str) -> str:
    """A symmetric 5x5 identicon for a hex digest, as a standalone SVG document."""
    bits = int(digest, 16)
    hue = (bits & 0xFFF) / 0xFFF
    red, green, blue = colorsys.hls_to_rgb(hue, 0.42, 0.55)
    colour = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
    cells = []
    for column in range((GRID + 1) // 2):
        for row in range(GRID):
            if bits >> (12 + column * GRID + row) & 1:
                for x in {column, GRID - 1 - column}:
                    cells.append(f"M{x} {row}h1v1h-1z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 {GRID + 1} {GRID + 1}" '
        f'width="96" height="96" shape-rendering="crispEdges">'
        f'<rect x="-0.5" y="-0.5" width="{GRID + 1}" height="{GRID + 1}" fill="#eef2f6"/>'
        f'<path fill="{colour}" d="{"".join(cells)}"/></svg>'
    )


@bp.get("/identicon/<digest>.svg")
def identicon(digest: str) -> Response:
    """A locally generated avatar (no request leaves the site)."""
    if not DIGEST.fullmatch(digest):
        abort(404)
    response = Response(identicon_svg(digest), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = f"public, max-age={ONE_WEEK}, immutable"
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers that ignore <link rel=icon> ask here; send them to the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)

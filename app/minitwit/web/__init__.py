"""The web UI: the HTML pages people (and the course's browser tests) use.

Three blueprints, one per module: ``auth`` (sign up, sign in, sign out), ``timelines``
(the timelines, posting, following) and ``avatars`` (identicons and the site icon).
"""

from __future__ import annotations

from flask import Flask, abort, g, request, session
from werkzeug.wrappers import Response

from ..models import User

Page = str | Response | tuple[str, int]


def init_app(app: Flask) -> None:
    """Register the web blueprints and the logged-in user's lookup."""
    from . import auth, avatars, timelines

    app.before_request(load_user)
    for module in (auth, timelines, avatars):
        app.register_blueprint(module.bp)


def load_user() -> None:
    """Make the logged-in user available as ``g.user`` (API requests carry no session)."""
    if request.blueprint in {"api", "ops"}:  # probes must not depend on the database
        g.user = None
        return
    user_id = session.get("user_id")
    g.user = User.by_id(user_id) if isinstance(user_id, int) else None


def login_required() -> User:
    """The logged-in user, or a 401."""
    user: User | None = g.user
    if user is None:
        abort(401, "You need to sign in to do that.")
    return user

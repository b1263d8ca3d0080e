"""The web UI: the HTML pages people (and the course's browser tests) use."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from .. import accounts, api
from ..models import Message, User
from ..text import is_storable

bp = Blueprint("web", __name__)

PER_PAGE = 30

Page = str | Response


@bp.app_template_filter("gravatar")
def gravatar_url(email: str, size: int = 80) -> str:
    """The Gravatar URL for an email address (identicon default)."""
    digest = hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}?d=identicon&s={size}"


@bp.app_template_filter("datetimeformat")
def format_datetime(timestamp: int) -> str:
    """A Unix timestamp as ``YYYY-MM-DD @ HH:MM`` (UTC)."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d @ %H:%M")


@bp.before_app_request
def load_user() -> None:
    """Make the logged-in user available as ``g.user``."""
    user_id = session.get("user_id")
    g.user = User.get_or_none(User.id == user_id) if isinstance(user_id, int) else None


def login_required() -> User:
    """The logged-in user, or a 401."""
    if g.user is None:
        abort(401)
    return g.user


@bp.get("/")
def timeline() -> Page:
    """Your messages and those of the people you follow; anonymous visitors go to /public."""
    if g.user is None:
        return redirect(url_for("web.public_timeline"))
    return render_template("timeline.html", messages=Message.timeline_of(g.user, PER_PAGE))


@bp.get("/public")
def public_timeline() -> Page:
    """Everyone's messages."""
    return render_template("timeline.html", messages=Message.public(PER_PAGE))


@bp.get("/<username>")
def user_timeline(username: str) -> Page:
    """One user's messages, with follow/unfollow for logged-in visitors."""
    profile_user = User.by_name(username)
    if profile_user is None:
        abort(404)
    followed = g.user is not None and g.user.is_following(profile_user)
    return render_template(
        "timeline.html",
        messages=Message.by_author(profile_user, PER_PAGE),
        profile_user=profile_user,
        followed=followed,
    )


@bp.route("/<username>/follow", methods=["GET", "POST"])
def follow_user(username: str) -> Page:
    """Follow a user."""
    user = login_required()
    whom = User.by_name(username)
    if whom is None:
        abort(404)
    user.follow(whom)
    flash(f'You are now following "{username}"')
    return redirect(url_for("web.user_timeline", username=username))


@bp.route("/<username>/unfollow", methods=["GET", "POST"])
def unfollow_user(username: str) -> Page:
    """Stop following a user."""
    user = login_required()
    whom = User.by_name(username)
    if whom is None:
        abort(404)
    user.unfollow(whom)
    flash(f'You are no longer following "{username}"')
    return redirect(url_for("web.user_timeline", username=username))


@bp.post("/add_message")
def add_message() -> Page:
    """Post a message as the logged-in user."""
    user = login_required()
    text = request.form.get("text", "")
    if text and is_storable(text):
        Message.post(user, text)
    flash("Your message was recorded")
    return redirect(url_for("web.timeline"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Page:
    """Log in with username and password."""
    if g.user is not None:
        return redirect(url_for("web.timeline"))
    error = None
    if request.method == "POST":
        user = User.by_name(request.form.get("username", ""))
        if user is None:
            error = "Invalid username"
        elif not user.check_password(request.form.get("password", "")):
            error = "Invalid password"
        else:
            session.clear()
            session["user_id"] = user.id
            flash("You were logged in")
            return redirect(url_for("web.timeline"))
    return render_template("login.html", error=error)


@bp.route("/register", methods=["GET", "POST"])
def register() -> Page:
    """Create an account (a JSON body is the simulator API's registration)."""
    if request.method == "POST" and request.is_json:
        return api.register()
    if g.user is not None:
        return redirect(url_for("web.timeline"))
    error = None
    if request.method == "POST":
        form = request.form
        error = accounts.register(
            form.get("username", ""),
            form.get("email", ""),
            form.get("password", ""),
            form.get("password2", ""),
        )
        if error is None:
            flash("You were successfully registered and can login now")
            return redirect(url_for("web.login"))
    return render_template("register.html", error=error)


@bp.get("/logout")
def logout() -> Page:
    """Log out."""
    flash("You were logged out")
    session.pop("user_id", None)
    return redirect(url_for("web.public_timeline"))

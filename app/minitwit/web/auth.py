"""Signing up, in and out (a JSON ``POST /register`` is the simulator API's registration)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from .. import accounts, api, errors, events
from ..models import User
from . import Page

bp = Blueprint("auth", __name__)


def field_of(error: str | None) -> str | None:
    """Which form field a registration or login error is about (for aria-invalid)."""
    if error is None:
        return None
    lowered = error.lower()
    if "passwords do not match" in lowered:
        return "password2"
    if "password" in lowered:
        return "password"
    if "email" in lowered:
        return "email"
    return "username"


@bp.route("/login", methods=["GET", "POST"])
def login() -> Page:
    """Log in with username and password."""
    if g.user is not None:
        return redirect(url_for("timelines.timeline"))
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
            return redirect(url_for("timelines.timeline"))
    return render_template("login.html", error=error, error_field=field_of(error))


@bp.route("/register", methods=["GET", "POST"])
def register() -> Page:
    """Create an account (a JSON body is the simulator API's registration)."""
    if errors.is_api_registration():
        response: Response = api.register()
        return response
    if g.user is not None:
        return redirect(url_for("timelines.timeline"))
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
            events.record(events.user_registered, surface="web")
            flash("You were successfully registered and can login now")
            return redirect(url_for("auth.login"))
    return render_template("register.html", error=error, error_field=field_of(error))


@bp.get("/logout")
def logout() -> Page:
    """Log out."""
    flash("You were logged out")
    session.pop("user_id", None)
    return redirect(url_for("timelines.public_timeline"))

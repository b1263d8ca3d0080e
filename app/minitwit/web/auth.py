"""Signing up, in and out (a JSON ``POST /register`` is the simulator API's registration)."""

from __future__ import annotations

import math

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from .. import accounts, api, errors, events, throttle
from ..models import User
from . import Page

bp = Blueprint("auth", __name__)

TOO_MANY_LOGINS = "Too many failed sign-in attempts; please try again in {wait}"
TOO_MANY_SIGNUPS = "Too many new accounts from your address; please try again in {wait}"


def refused(template: str, message: str, gate: throttle.Gate) -> Response:
    """The form again with the throttle's message: 429 with ``Retry-After`` (same for everyone)."""
    seconds = gate.retry_after
    wait = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    page = render_template(template, error=message.format(wait=wait), error_field=None)
    response = Response(page, status=429, mimetype="text/html")
    response.headers["Retry-After"] = str(seconds)
    return response


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
        username = request.form.get("username", "")
        gate = throttle.login_gate(username, request.remote_addr or "")
        if gate.retry_after:
            events.record(
                events.auth_throttled, action="login", username=username, reason=gate.reason
            )
            return refused("login.html", TOO_MANY_LOGINS, gate)
        user = User.by_name(username)
        if user is None:
            error, reason = "Invalid username", "unknown_user"
        elif not user.check_password(request.form.get("password", "")):
            error, reason = "Invalid password", "wrong_password"
        else:
            throttle.login_succeeded(gate)
            events.record(events.login_succeeded, username=user.username)
            session.clear()
            session["user_id"] = user.id
            flash("You were logged in")
            return redirect(url_for("timelines.timeline"))
        throttle.strike(gate)
        events.record(events.login_failed, username=username, reason=reason)
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
        gate = throttle.registration_gate(request.remote_addr or "")
        if gate.retry_after:
            name = request.form.get("username", "")
            events.record(
                events.auth_throttled, action="registration", username=name, reason=gate.reason
            )
            return refused("register.html", TOO_MANY_SIGNUPS, gate)
        form = request.form
        error = accounts.register(
            form.get("username", ""),
            form.get("email", ""),
            form.get("password", ""),
            form.get("password2", ""),
        )
        if error is None:
            throttle.strike(gate)
            events.record(events.user_registered, surface="web", username=form["username"])
            flash("You were successfully registered and can login now")
            return redirect(url_for("auth.login"))
    return render_template("register.html", error=error, error_field=field_of(error))


@bp.get("/logout")
def logout() -> Page:
    """Log out."""
    if g.user is not None:
        events.record(events.logged_out, username=g.user.username)
    flash("You were logged out")
    session.pop("user_id", None)
    return redirect(url_for("timelines.public_timeline"))

"""The web UI: the HTML pages people (and the course's browser tests) use."""

from __future__ import annotations

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
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .. import accounts, api, errors
from ..models import User

bp = Blueprint("web", __name__)

Page = str | Response | tuple[str, int]

# Codes with a friendly page; others keep errors.py's plain page. The API keeps its JSON.
ERROR_PAGES = (400, 401, 403, 404)


@bp.before_app_request
def load_user() -> None:
    """Make the logged-in user available as ``g.user`` (API requests carry no session)."""
    if request.blueprint in {"api", "ops"}:  # probes must not depend on the database
        g.user = None
        return
    user_id = session.get("user_id")
    g.user = User.get_or_none(User.id == user_id) if isinstance(user_id, int) else None


def login_required() -> User:
    """The logged-in user, or a 401."""
    user: User | None = g.user
    if user is None:
        abort(401, "You need to sign in to do that.")
    return user


def error_page(exc: HTTPException) -> Response | tuple[str, int]:
    """A readable HTML error page; API requests get errors.py's JSON shape as before."""
    code = exc.code or 500
    if errors.wants_json():
        return errors.json_error(code, exc.description or exc.name)
    g.setdefault("user", None)
    return render_template("error.html", error=exc), code


for _code in ERROR_PAGES:
    bp.app_errorhandler(_code)(error_page)


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


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers that ignore <link rel=icon> ask here; send them to the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


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
    return render_template("login.html", error=error, error_field=field_of(error))


@bp.route("/register", methods=["GET", "POST"])
def register() -> Page:
    """Create an account (a JSON body is the simulator API's registration)."""
    if errors.is_api_registration():
        response: Response = api.register()
        return response
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
    return render_template("register.html", error=error, error_field=field_of(error))


@bp.get("/logout")
def logout() -> Page:
    """Log out."""
    flash("You were logged out")
    session.pop("user_id", None)
    return redirect(url_for("web.public_timeline"))


from . import avatars, timelines  # noqa: E402  (registers their routes on ``bp``)

__all__ = ["avatars", "bp", "login_required", "timelines"]

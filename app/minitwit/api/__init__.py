"""The simulator API: the JSON endpoints the course's simulator and API tests drive."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import accounts, commands, events
from ..errors import json_error
from ..models import Latest, Message, User
from ..security import simulator_authorized
from ..text import is_storable

bp = Blueprint("api", __name__)

NOT_AUTHORIZED = "You are not authorized to use this resource!"
DEFAULT_NO = 100
MAX_NO = 10_000
MAX_LATEST = 2**63 - 1

View = Callable[..., Any]


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """A bounded integer query parameter, or a 400 that says what is wrong."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        abort(400, f"Query parameter '{name}' must be an integer, got {raw[:40]!r}")
    if not low <= value <= high:
        abort(400, f"Query parameter '{name}' must be between {low} and {high}")
    return value


def simulator_command(*names: str) -> Callable[[View], View]:
    """Declare the simulator command (a row of ``commands.COMMANDS``) this view serves.

    The command is noted (``events.note``) once the view is done, however it ended (also on
    400, 403, 404).
    A route that serves two commands (``follow``/``unfollow``) is told which by the key of
    its JSON body, as the simulator sends it; the first name is the default.
    """
    unknown = [name for name in names if name not in commands.BY_NAME]
    if not names or unknown:
        raise ValueError(f"not in commands.COMMANDS: {unknown or 'no command named'}")

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            finally:
                events.note(command=_chosen(names))

        wrapper.simulator_commands = names  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _chosen(names: tuple[str, ...]) -> str:
    """The one of ``names`` that the JSON body has as a key (the first by default)."""
    if len(names) == 1:
        return names[0]
    try:
        body = request.get_json(force=True, silent=True)  # parsed by the view already
    except HTTPException:  # e.g. a body over the size limit: the view answered that
        body = None
    if isinstance(body, dict):
        return next((name for name in names[1:] if name in body), names[0])
    return names[0]


def records_latest(view: View) -> View:
    """Store the ``latest`` query parameter before anything else (also before auth)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        latest = int_arg("latest", -1, -MAX_LATEST, MAX_LATEST)
        if latest != -1:
            Latest.store(latest)
            events.note(latest=latest)
        return view(*args, **kwargs)

    return wrapper


def simulator_only(view: View) -> View:
    """Answer 403 in the API's shape unless the simulator's credentials are present."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not simulator_authorized(request):
            return json_error(403, NOT_AUTHORIZED)
        return view(*args, **kwargs)

    return wrapper


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 400."""
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        abort(400, "The request body must be a JSON object")
    return body


def string_field(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    """A string field of a JSON body; missing (when required) or non-string gives a 400."""
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        abort(400, f"Field '{name}' must be a string")
    if not is_storable(value):
        abort(400, f"Field '{name}' may not contain NUL characters or invalid Unicode")
    return value


def known_user(username: str) -> User:
    """The user named in the path, or a 404."""
    user = User.by_name(username)
    if user is None:
        abort(404, f"Unknown user: {username[:80]}")
    return user


def no_content() -> Response:
    """The simulator's success answer: 204, no body."""
    return Response(status=204)


@bp.get("/latest")
@simulator_command("latest")
def get_latest() -> Response:
    """The last ``latest`` value a simulator request carried (-1 when none)."""
    return jsonify({"latest": Latest.current()})


@simulator_command("register")
@records_latest
def register() -> Response:
    """Register a user from a JSON body (dispatched from ``POST /register``)."""
    body = json_object()
    username = string_field(body, "username", required=False)
    error = accounts.register(
        username,
        string_field(body, "email", required=False),
        string_field(body, "pwd", required=False),
    )
    if error:
        return json_error(400, error)
    events.record(events.user_registered, surface="api", username=username)
    return no_content()


@bp.get("/msgs")
@simulator_command("msgs")
@records_latest
@simulator_only
def messages() -> Response:
    """Everyone's latest messages."""
    no = int_arg("no", DEFAULT_NO, 0, MAX_NO)
    return jsonify(Message.as_api(Message.public(no)))


@bp.get("/msgs/<username>")
@simulator_command("msgs_user")
@records_latest
@simulator_only
def user_messages(username: str) -> Response:
    """One user's latest messages."""
    user = known_user(username)
    no = int_arg("no", DEFAULT_NO, 0, MAX_NO)
    return jsonify(Message.as_api(Message.by_author(user, no)))


@bp.post("/msgs/<username>")
@simulator_command("tweet")
@records_latest
@simulator_only
def post_message(username: str) -> Response:
    """Post a message as a user."""
    user = known_user(username)
    Message.post(user, string_field(json_object(), "content"))
    events.record(events.message_posted, surface="api")
    return no_content()


@bp.get("/fllws/<username>")
@simulator_command("fllws_user")
@records_latest
@simulator_only
def follows(username: str) -> Response:
    """The users someone follows."""
    user = known_user(username)
    no = int_arg("no", DEFAULT_NO, 0, MAX_NO)
    return jsonify({"follows": user.followed_names(no)})


@bp.post("/fllws/<username>")
@simulator_command("follow", "unfollow")
@records_latest
@simulator_only
def change_follow(username: str) -> Response:
    """Follow or unfollow a user on someone's behalf."""
    user = known_user(username)
    body = json_object()
    actions = [key for key in ("follow", "unfollow") if key in body]
    if len(actions) != 1:
        abort(400, "The body must contain exactly one of 'follow' or 'unfollow'")
    action = actions[0]
    other = known_user(string_field(body, action))
    if action == "follow":
        user.follow(other)
        events.record(events.user_followed, surface="api")
    else:
        user.unfollow(other)
        events.record(events.user_unfollowed, surface="api")
    return no_content()


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return Response(openapi_document(), mimetype="application/json")


@functools.cache
def openapi_document() -> bytes:
    """The OpenAPI document shipped with the package."""
    return files(__package__).joinpath("openapi.json").read_bytes()

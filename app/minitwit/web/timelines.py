"""The three timelines (keyset-paginated), posting, following and unfollowing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from peewee import ModelSelect

from .. import events
from ..models import Cursor, Message, User
from ..text import is_storable
from . import Page, login_required

bp = Blueprint("timelines", __name__)

PER_PAGE = 30
MAX_MESSAGE_LENGTH = 280
CURSOR = re.compile(r"(-?\d{1,15})_(\d{1,18})")

Query = Callable[..., "ModelSelect[Message]"]


@bp.app_template_filter("datetimeformat")
def format_datetime(timestamp: int) -> str:
    """A Unix timestamp as ``YYYY-MM-DD @ HH:MM`` (UTC)."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d @ %H:%M")


@bp.app_template_filter("isodatetime")
def iso_datetime(timestamp: int) -> str:
    """A Unix timestamp as an ISO 8601 UTC time, for ``<time datetime>``."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%MZ")


def page_cursor() -> Cursor | None:
    """The ``before`` query parameter as a cursor; a malformed one is a 400."""
    value = request.args.get("before")
    if value is None:
        return None
    match = CURSOR.fullmatch(value)
    if match is None:
        abort(400, "The page address is not valid: 'before' must look like 1700000000_42.")
    return int(match.group(1)), int(match.group(2))


def render_timeline(query: Query, title: str, endpoint: str, **context: Any) -> str:
    """Render one page of a timeline with links to older (and the newest) messages."""
    before = page_cursor()
    rows = list(query(limit=PER_PAGE + 1, before=before))
    messages = rows[:PER_PAGE]
    args = dict(request.view_args or {})
    older_url = newest_url = None
    if len(rows) > PER_PAGE:
        pub_date, message_id = messages[-1].cursor
        older_url = url_for(endpoint, **args, before=f"{pub_date}_{message_id}")
    if before is not None:
        newest_url = url_for(endpoint, **args)
    return render_template(
        "timeline.html",
        title=title,
        endpoint=endpoint,
        messages=messages,
        older_url=older_url,
        newest_url=newest_url,
        max_length=MAX_MESSAGE_LENGTH,
        **context,
    )


@bp.get("/")
def timeline() -> Page:
    """Your messages and those of the people you follow; anonymous visitors go to /public."""
    if g.user is None:
        return redirect(url_for("timelines.public_timeline"))
    user = g.user
    return render_timeline(
        lambda **page: Message.timeline_of(user, **page), "My Timeline", "timelines.timeline"
    )


@bp.get("/public")
def public_timeline() -> Page:
    """Everyone's messages."""
    return render_timeline(Message.public, "Public Timeline", "timelines.public_timeline")


@bp.get("/<username>")
def user_timeline(username: str) -> Page:
    """One user's messages, with follow/unfollow for logged-in visitors."""
    profile_user = User.by_name(username)
    if profile_user is None:
        abort(404, f'There is no user called "{username}".')
    followed = g.user is not None and g.user.is_following(profile_user)
    return render_timeline(
        lambda **page: Message.by_author(profile_user, **page),
        f"{profile_user.username}'s Timeline",
        "timelines.user_timeline",
        profile_user=profile_user,
        followed=followed,
    )


def _other_user(username: str) -> tuple[User, User]:
    """The logged-in user (or 401) and the named user (or 404)."""
    user = login_required()
    whom = User.by_name(username)
    if whom is None:
        abort(404, f'There is no user called "{username}".')
    return user, whom


@bp.route("/<username>/follow", methods=["GET", "POST"])
def follow_user(username: str) -> Page:
    """Follow a user."""
    user, whom = _other_user(username)
    user.follow(whom)
    events.record(events.user_followed, surface="web")
    flash(f'You are now following "{username}"')
    return redirect(url_for("timelines.user_timeline", username=username))


@bp.route("/<username>/unfollow", methods=["GET", "POST"])
def unfollow_user(username: str) -> Page:
    """Stop following a user."""
    user, whom = _other_user(username)
    user.unfollow(whom)
    events.record(events.user_unfollowed, surface="web")
    flash(f'You are no longer following "{username}"')
    return redirect(url_for("timelines.user_timeline", username=username))


@bp.post("/add_message")
def add_message() -> Page:
    """Post a message as the logged-in user (at most MAX_MESSAGE_LENGTH characters)."""
    user = login_required()
    text = request.form.get("text", "")
    if len(text) > MAX_MESSAGE_LENGTH:
        error = (
            f"Your message is {len(text)} characters long; "
            f"the limit is {MAX_MESSAGE_LENGTH}. Please shorten it."
        )
        return render_timeline(
            lambda **page: Message.timeline_of(user, **page),
            "My Timeline",
            "timelines.timeline",
            draft=text,
            post_error=error,
        )
    if text and is_storable(text):
        Message.post(user, text)
        events.record(events.message_posted, surface="web")
    flash("Your message was recorded")
    return redirect(url_for("timelines.timeline"))

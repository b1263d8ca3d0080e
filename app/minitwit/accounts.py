"""Registration rules shared by the web form and the simulator API."""

from __future__ import annotations

import unicodedata

from flask import current_app

from .models import User, UsernameTaken
from .text import is_storable

MAX_USERNAME = 64
MAX_EMAIL = 254
TAKEN = "The username is already taken"


def reserved_names() -> frozenset[str]:
    """Top-level path segments the application routes itself (cannot be usernames)."""
    names = {"favicon.ico", "robots.txt"}
    for rule in current_app.url_map.iter_rules():
        first = rule.rule.split("/")[1]
        if first and "<" not in first:
            names.add(first)
    return frozenset(names)


def username_problem(username: str) -> str | None:
    """Why a (non-empty) username cannot be used as a page address, or None."""
    if len(username) > MAX_USERNAME:
        return f"The username can be at most {MAX_USERNAME} characters long"
    if username != username.strip():
        return "The username may not start or end with spaces"
    control = any(unicodedata.category(ch).startswith("C") for ch in username)
    if not is_storable(username) or "/" in username or control:
        return "The username may not contain '/' or control characters"
    if username.lower() in reserved_names():
        return f'The username "{username}" is reserved, please choose another'
    return None


def registration_error(
    username: str, email: str, password: str, password2: str | None = None
) -> str | None:
    """The first problem with a registration, in the original's order, or None."""
    if not username:
        return "You have to enter a username"
    if not email or "@" not in email or len(email) > MAX_EMAIL or not is_storable(email):
        return "You have to enter a valid email address"
    if not password:
        return "You have to enter a password"
    if not is_storable(password):
        return "The password may not contain NUL characters or invalid Unicode"
    if password2 is not None and password != password2:
        return "The two passwords do not match"
    problem = username_problem(username)
    if problem:
        return problem
    if User.by_name(username) is not None:
        return TAKEN
    return None


def register(username: str, email: str, password: str, password2: str | None = None) -> str | None:
    """Register a user; return the error text, or None on success."""
    error = registration_error(username, email, password, password2)
    if error:
        return error
    try:
        User.create_account(username, email, password)
    except UsernameTaken:
        return TAKEN
    return None

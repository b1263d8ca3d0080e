"""docs/contract.md, "Data": what a message and a follow are, seen through the API.

Two clauses of that section need the database and are not checked over HTTP: flagged
messages never appear (nothing in the contract flags one), and a database written by the
original opens as schema version 1. The report lists them as out of scope.
"""

from __future__ import annotations

import time

from ..clause import Probe, clause
from ..client import path_of

OUT_OF_SCOPE = [
    "data: flagged messages never appear (no HTTP request flags a message)",
    "data: a database written by the original is upgraded in place (needs the database file)",
]
YEAR_2000 = 946_684_800


@clause(
    "data.message",
    "A message has an author, a text and a publication time in whole Unix seconds: the API "
    "lists exactly content, pub_date (an integer) and user.",
)
def message_fields(probe: Probe) -> None:
    username = probe.api_user("fields")
    before = int(time.time())
    probe.status(probe.tweet(username, "shape of a message"), 204)
    response = probe.get(f"/msgs/{path_of(username)}")
    probe.status(response, 200)
    body = probe.json(response)
    probe.expect(
        isinstance(body, list) and len(body) == 1, f"expected one message, got {body}", response
    )
    message = body[0]
    probe.expect(
        isinstance(message, dict) and set(message) == {"content", "pub_date", "user"},
        f"expected the keys content, pub_date, user; got {sorted(message)}",
        response,
    )
    probe.expect(
        message["content"] == "shape of a message" and message["user"] == username,
        f"content or user differ: {message}",
        response,
    )
    stamp = message["pub_date"]
    probe.expect(
        isinstance(stamp, int) and not isinstance(stamp, bool) and stamp > YEAR_2000,
        f"pub_date must be integer Unix seconds, got {stamp!r}",
        response,
    )
    probe.expect(
        abs(stamp - before) < 24 * 3600,
        f"pub_date {stamp} is more than a day away from this machine's clock ({before})",
        response,
    )


@clause(
    "data.follow.twice",
    "Following someone twice leaves one pair and is not an error (204 both times).",
)
def follow_twice(probe: Probe) -> None:
    who, whom = probe.api_user("fan"), probe.api_user("star")
    for attempt in ("first", "second"):
        response = probe.post_json(f"/fllws/{path_of(who)}", {"follow": whom})
        probe.status(response, 204, what=f"{attempt} follow")
    got = probe.follows(who)
    probe.expect(got == [whom], f"after following twice: expected [{whom!r}], got {got}")


@clause(
    "data.unfollow.stranger",
    "Unfollowing someone you do not follow is not an error (204).",
)
def unfollow_stranger(probe: Probe) -> None:
    who, whom = probe.api_user("loner"), probe.api_user("stranger")
    response = probe.post_json(f"/fllws/{path_of(who)}", {"unfollow": whom})
    probe.status(response, 204)
    got = probe.follows(who)
    probe.expect(got == [], f"expected no follows, got {got}")

"""docs/contract.md, "Bad input": a 4xx with the JSON error shape and a useful text, never a 5xx."""

from __future__ import annotations

from typing import Any

from ..clause import Probe, clause
from ..client import path_of


def _bodies(probe: Probe, path: str, cases: list[bytes]) -> None:
    for data in cases:
        shown = data.decode("utf-8", "replace") or "(empty)"
        probe.error_shape(probe.post_raw(path, data), what=f"POST {path} {shown}")


@clause(
    "bad-input.body.not-json",
    "A body that is not a JSON object (empty, text, a list) is a 4xx with the JSON error shape.",
)
def body_not_json(probe: Probe) -> None:
    username = probe.api_user("body")
    _bodies(probe, f"/msgs/{path_of(username)}", [b"", b"not json", b"[1, 2]", b"{"])
    _bodies(probe, "/register", [b"not json", b"[]"])


@clause(
    "bad-input.body.fields",
    "A missing field or a null or non-string content (tweet, follow) is a 4xx with the JSON "
    "error shape.",
)
def body_fields(probe: Probe) -> None:
    username = probe.api_user("fields")
    _bodies(
        probe,
        f"/msgs/{path_of(username)}",
        [b'{"content": null}', b'{"content": 5}', b'{"text": "wrong field"}'],
    )
    _bodies(probe, f"/fllws/{path_of(username)}", [b"{}", b'{"follow": null}', b'{"unfollow": 3}'])
    _bodies(probe, "/register", [b'{"username": 12, "email": "a@b", "pwd": "x"}'])


@clause(
    "bad-input.query.no",
    "A ?no that is not a number, negative or huge is a 4xx with the JSON error shape.",
)
def query_no(probe: Probe) -> None:
    username = probe.api_user("query")
    for path in ("/msgs", f"/msgs/{path_of(username)}", f"/fllws/{path_of(username)}"):
        for value in ("abc", "-1", "99999999999999999999999"):
            probe.error_shape(probe.get(path, no=value), what=f"GET {path}?no={value}")


@clause(
    "bad-input.unknown-user",
    "An unknown user posting is a 404 with the JSON error shape, naming the user.",
)
def unknown_user(probe: Probe) -> None:
    nobody = probe.name("ghost")
    response = probe.post_json(f"/msgs/{path_of(nobody)}", {"content": "boo"})
    message = probe.error_shape(response, 404)
    probe.expect(nobody in message, f"the error does not name {nobody!r}: {message!r}", response)


@clause(
    "bad-input.never-5xx",
    "Odd requests (wrong method, odd bytes in names, ?latest not a number, a body that is not "
    "UTF-8) never get a 5xx, and the server keeps serving.",
)
def never_5xx(probe: Probe) -> None:
    username = probe.api_user("odd")
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("DELETE", "/msgs", {}),
        ("POST", "/latest", {}),
        ("GET", "/msgs/%00", {}),
        ("GET", "/msgs/%ED%A0%80", {}),
        ("GET", "/fllws/" + "x" * 5000, {}),
        ("GET", "/msgs", {"params": {"latest": "abc"}}),
        ("POST", f"/msgs/{path_of(username)}", {"data": b"\x00\xff"}),
        ("GET", "/%00", {}),
    ]
    for method, path, extra in cases:
        headers = {"Content-Type": "application/json"} if "data" in extra else None
        response = probe.client.send(method, path, auth=True, headers=headers, **extra)
        probe.expect(
            response.status_code < 500,
            f"{method} {response.request.path_url[:60]}: expected an answer below 500, "
            f"got {response.status_code}",
            response,
        )
    latest = probe.latest_value()
    probe.status(
        probe.register(probe.name("after"), latest=latest), 204, what="a request after bad input"
    )
    probe.expect(probe.latest() == latest, "after bad input, GET /latest lost the stored value")

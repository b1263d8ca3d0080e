"""docs/contract.md, "Simulator API": authentication, ``latest``, and the endpoint table."""

from __future__ import annotations

from ..clause import NotJudged, Probe, clause
from ..client import path_of

NOT_AUTHORIZED = {"status": 403, "error_msg": "You are not authorized to use this resource!"}
TAKEN = "The username is already taken"


@clause("api.latest.fresh", 'GET /latest answers {"latest": -1} before any value was stored.')
def latest_fresh(probe: Probe) -> None:
    if not probe.fresh:
        raise NotJudged("the target already had data (--allow-dirty)")
    response = probe.get("/latest", auth=False)
    probe.status(response, 200)
    body = probe.json(response)
    probe.expect(body == {"latest": -1}, f'expected {{"latest": -1}}, got {body}', response)


@clause(
    "api.register.ok",
    "POST /register needs no credentials and answers 204 with an empty body; a latest value "
    "other than -1 is stored and GET /latest answers it.",
)
def register_ok(probe: Probe) -> None:
    latest = probe.latest_value()
    response = probe.register(probe.name("reg"), latest=latest)
    probe.status(response, 204)
    probe.expect(
        not response.content, f"expected an empty body, got {response.text[:80]!r}", response
    )
    got = probe.latest()
    probe.expect(got == latest, f"GET /latest: expected {latest}, got {got}", None)


@clause(
    "api.register.taken",
    'Registering a taken username answers 400 {"status": 400, "error_msg": '
    '"The username is already taken"}, and the latest value is still stored.',
)
def register_taken(probe: Probe) -> None:
    username = probe.api_user("taken")
    latest = probe.latest_value()
    response = probe.register(username, latest=latest)
    probe.status(response, 400, what="registering a taken username")
    body = probe.json(response)
    wanted = {"status": 400, "error_msg": TAKEN}
    probe.expect(body == wanted, f"expected {wanted}, got {body}", response)
    probe.expect(probe.latest() == latest, f"GET /latest did not answer {latest}", None)


REGISTER_ERRORS = [
    ({"username": "", "email": "a@b", "pwd": "x"}, "You have to enter a username"),
    ({"username": "{u}", "email": "ab", "pwd": "x"}, "You have to enter a valid email address"),
    ({"username": "{u}", "email": "a@b", "pwd": ""}, "You have to enter a password"),
    ({"email": "a@b", "pwd": "x"}, "You have to enter a username"),
    ({"username": "{u}", "pwd": "x"}, "You have to enter a valid email address"),
    ({"username": "{u}", "email": "a@b"}, "You have to enter a password"),
]


@clause(
    "api.register.errors",
    "Registration errors answer 400 with the web form's texts in its order (username, email "
    "with an @, password), a missing field counting as empty.",
)
def register_errors(probe: Probe) -> None:
    for template, message in REGISTER_ERRORS:
        username = probe.name("bad")
        body = {key: value.replace("{u}", username) for key, value in template.items()}
        response = probe.post_json("/register", body, auth=False)
        wanted = {"status": 400, "error_msg": message}
        probe.status(response, 400, what=f"POST /register {body}")
        got = probe.json(response)
        probe.expect(
            got == wanted, f"POST /register {body}: expected {wanted}, got {got}", response
        )


UNAUTHORIZED = [
    ("GET", "/msgs", None),
    ("GET", "/msgs/{u}", None),
    ("POST", "/msgs/{u}", {"content": "x"}),
    ("GET", "/fllws/{u}", None),
    ("POST", "/fllws/{u}", {"follow": "{u}"}),
]


@clause(
    "api.auth.required",
    "/msgs* and /fllws* without credentials answer 403 with the fixed error body; the latest "
    "value is stored before the credentials are checked.",
)
def auth_required(probe: Probe) -> None:
    username = probe.api_user("auth")
    for method, template, body in UNAUTHORIZED:
        path = template.replace("{u}", path_of(username))
        payload = {k: v.replace("{u}", username) for k, v in body.items()} if body else None
        latest = probe.latest_value()
        response = probe.client.send(method, path, json=payload, params={"latest": latest})
        probe.status(response, 403)
        got = probe.json(response)
        probe.expect(got == NOT_AUTHORIZED, f"expected {NOT_AUTHORIZED}, got {got}", response)
        stored = probe.latest()
        probe.expect(
            stored == latest,
            f"{method} {template} refused with 403 but GET /latest answers {stored}, "
            f"not {latest}: latest must be stored before the credentials are checked",
            response,
        )


@clause("api.auth.wrong", "Wrong credentials (password, scheme, encoding) are refused with 403.")
def auth_wrong(probe: Probe) -> None:
    for value in ("Basic c2ltdWxhdG9yOndyb25n", "Bearer c2ltdWxhdG9yOnN1cGVyX3NhZmUh", "Basic !!"):
        response = probe.client.send("GET", "/msgs", headers={"Authorization": value})
        probe.status(response, 403, what=f"GET /msgs with Authorization: {value}")


@clause("api.latest.minus-one", "latest=-1 stores nothing: GET /latest keeps the previous value.")
def latest_minus_one(probe: Probe) -> None:
    latest = probe.latest_value()
    probe.api_user("neg")
    probe.status(probe.get("/msgs", latest=latest, no=1), 200)
    response = probe.get("/msgs", latest=-1, no=1)
    probe.status(response, 200)
    got = probe.latest()
    probe.expect(got == latest, f"after ?latest=-1, GET /latest answers {got}, not {latest}")


@clause(
    "api.msgs.post",
    'POST /msgs/<username> with {"content"} answers 204 with an empty body; GET /msgs/<username> '
    "and GET /msgs list the messages newest first as {content, pub_date, user}.",
)
def msgs_post_and_read(probe: Probe) -> None:
    username = probe.api_user("tweeter")
    for text in (f"first {probe.tag}", f"second {probe.tag}"):
        response = probe.tweet(username, text)
        probe.status(response, 204)
        probe.expect(
            not response.content, f"expected an empty body, got {response.text[:80]!r}", response
        )
    own = probe.contents(f"/msgs/{path_of(username)}")
    wanted = [f"second {probe.tag}", f"first {probe.tag}"]
    probe.expect(own == wanted, f"GET /msgs/<user>: expected {wanted} (newest first), got {own}")
    public = [c for c in probe.contents("/msgs", no=100) if c.endswith(probe.tag)]
    probe.expect(
        public[:2] == wanted, f"GET /msgs: expected {wanted} (newest first), got {public[:2]}"
    )


@clause(
    "api.msgs.no",
    "?no=N returns at most N messages (default 100), on /msgs and /msgs/<username>.",
)
def msgs_no(probe: Probe) -> None:
    username = probe.api_user("many")
    for number in range(101):
        probe.status(probe.tweet(username, f"bulk {number:03d}"), 204)
    path = f"/msgs/{path_of(username)}"
    for params, wanted in (({"no": 2}, 2), ({}, 100)):
        got = len(probe.contents(path, **params))
        probe.expect(
            got == wanted, f"GET {path} {params or '(no ?no)'}: {got} messages, not {wanted}"
        )
    got = len(probe.contents("/msgs", no=3))
    probe.expect(got == 3, f"GET /msgs?no=3: {got} messages, not 3")


@clause(
    "api.fllws",
    'POST /fllws/<username> with {"follow"} or {"unfollow"} answers 204 (empty body); '
    'GET /fllws/<username>?no=N answers {"follows": [names]}, at most N.',
)
def fllws(probe: Probe) -> None:
    who, b, c = probe.api_user("who"), probe.api_user("b"), probe.api_user("c")
    path = f"/fllws/{path_of(who)}"
    for whom in (b, c):
        response = probe.post_json(path, {"follow": whom})
        probe.status(response, 204)
        probe.expect(not response.content, "expected an empty body", response)
    got = probe.follows(who)
    probe.expect(sorted(got) == sorted([b, c]), f"expected follows {[b, c]}, got {got}")
    one = probe.follows(who, no=1)
    probe.expect(len(one) == 1 and one[0] in (b, c), f"?no=1: expected one of {[b, c]}, got {one}")
    probe.status(probe.post_json(path, {"unfollow": b}), 204)
    got = probe.follows(who)
    probe.expect(got == [c], f"after unfollowing {b}: expected [{c!r}], got {got}")


@clause(
    "api.unknown-user",
    "An unknown user answers 404 on GET and POST /msgs/<username> and /fllws/<username>, also "
    "as the one followed or unfollowed; the latest value is still stored.",
)
def unknown_user(probe: Probe) -> None:
    known, nobody = probe.api_user("known"), probe.name("nobody")
    cases = [
        ("GET", f"/msgs/{path_of(nobody)}", None),
        ("POST", f"/msgs/{path_of(nobody)}", {"content": "x"}),
        ("GET", f"/fllws/{path_of(nobody)}", None),
        ("POST", f"/fllws/{path_of(nobody)}", {"follow": known}),
        ("POST", f"/fllws/{path_of(known)}", {"follow": nobody}),
        ("POST", f"/fllws/{path_of(known)}", {"unfollow": nobody}),
    ]
    for method, path, body in cases:
        latest = probe.latest_value()
        response = probe.client.send(method, path, auth=True, json=body, params={"latest": latest})
        probe.status(response, 404)
        stored = probe.latest()
        probe.expect(
            stored == latest, f"{method} {path}: GET /latest answers {stored}, not {latest}"
        )


@clause(
    "api.usernames-with-spaces",
    "Usernames with spaces (as in the course's scenario) work in API paths.",
)
def usernames_with_spaces(probe: Probe) -> None:
    username = probe.api_user("Roger Histand")
    probe.status(probe.tweet(username, "From hour to hour"), 204)
    response = probe.get(f"/msgs/{path_of(username)}")
    probe.status(response, 200)
    body = probe.json(response)
    users = [m.get("user") for m in body] if isinstance(body, list) else body
    probe.expect(
        users == [username], f"expected one message by {username!r}, got {users}", response
    )

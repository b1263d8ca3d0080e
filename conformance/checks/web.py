"""docs/contract.md, "Web pages": addresses, texts, flashes, the register form, timelines."""

from __future__ import annotations

import re

from ..browser import DATE, browser, page_path, web_user
from ..clause import Probe, clause

REGISTER_ERRORS = [
    ("", "a@b", "pw", "pw", "You have to enter a username"),
    ("{u}", "", "pw", "pw", "You have to enter a valid email address"),
    ("{u}", "broken", "pw", "pw", "You have to enter a valid email address"),
    ("{u}", "a@b", "", "", "You have to enter a password"),
    ("{u}", "a@b", "x", "y", "The two passwords do not match"),
    ("", "", "", "", "You have to enter a username"),
    ("{u}", "", "", "x", "You have to enter a valid email address"),
    ("{u}", "a@b", "", "x", "You have to enter a password"),
]


@clause("web.root.anonymous", "GET / when logged out redirects to /public, which shows a page.")
def root_anonymous(probe: Probe) -> None:
    client = browser(probe)
    page = client.redirect(client.get("/"), "/public")
    probe.status(page, 200)
    probe.expect("text/html" in page.headers.get("Content-Type", ""), "/public is not HTML", page)


@clause(
    "web.register.form",
    "The register form's inputs are, in this order, username, email, password, password2 and "
    'the submit button, and nothing else; the button is inside <div class="actions">.',
)
def register_form(probe: Probe) -> None:
    page = browser(probe).get("/register")
    probe.status(page, 200)
    form = re.search(r"<form[^>]*>(.*?)</form>", page.text, re.S)
    probe.expect(form, "GET /register has no <form>", page)
    inputs = re.findall(r"<input[^>]*>", form.group(1) if form else "")
    names = [m.group(1) for tag in inputs if (m := re.search(r'name="([^"]+)"', tag))]
    wanted = ["username", "email", "password", "password2"]
    probe.expect(names == wanted, f"expected inputs {wanted} then submit, got {names}", page)
    probe.expect(
        len(inputs) == 5 and 'type="submit"' in inputs[4],
        f"expected 5 inputs, the fifth the submit button; got {inputs}",
        page,
    )
    probe.expect(
        re.search(r'<div class="actions">\s*<input type="submit"', page.text),
        'the submit button is not inside <div class="actions">',
        page,
    )


@clause(
    "web.register.ok",
    "A registration flashes 'You were successfully registered and can login now' and "
    'redirects to /login; flashes are <li> items inside <ul class="flashes">.',
)
def register_ok(probe: Probe) -> None:
    client = browser(probe)
    page = client.redirect(client.register(probe.name("newbie")), "/login")
    client.flash(page, "You were successfully registered and can login now")


@clause(
    "web.register.errors",
    "The first failing check wins, in this order: username, valid email (with @), password, "
    "the two passwords match, the username is not taken.",
)
def register_errors(probe: Probe) -> None:
    client = browser(probe)
    for username, email, password, password2, message in REGISTER_ERRORS:
        form = {
            "username": username.replace("{u}", probe.name("form")),
            "email": email,
            "password": password,
            "password2": password2,
        }
        page = client.post("/register", form)
        probe.status(page, 200, what=f"POST /register expecting '{message}'")
        client.shows(page, message)
        client.shows(page, "You were successfully registered", present=False)
    taken = probe.name("taken")
    client.register(taken)
    page = client.register(taken)
    probe.status(page, 200, what="registering a taken name")
    client.shows(page, "The username is already taken")


@clause(
    "web.login",
    "Login errors say 'Invalid username' or 'Invalid password'; success flashes 'You were "
    "logged in' and redirects to /; /login and /register then redirect to /.",
)
def login(probe: Probe) -> None:
    client = browser(probe)
    username = probe.name("login")
    client.register(username)
    client.shows(client.login(probe.name("nobody")), "Invalid username")
    client.shows(client.login(username, "wrong-password"), "Invalid password")
    page = client.redirect(client.login(username), "/")
    client.flash(page, "You were logged in")
    for path in ("/login", "/register"):
        client.redirect(client.get(path), "/")


@clause("web.logout", "GET /logout flashes 'You were logged out' and redirects to /public.")
def logout(probe: Probe) -> None:
    client, _ = web_user(probe, "leaver")
    page = client.redirect(client.get("/logout"), "/public")
    client.flash(page, "You were logged out")


@clause(
    "web.add-message",
    "POST /add_message is 401 when logged out; logged in it flashes 'Your message was recorded' "
    "and redirects to /, which shows the text HTML-escaped; an empty text records nothing.",
)
def add_message(probe: Probe) -> None:
    anonymous = browser(probe)
    probe.status(anonymous.add("from nobody"), 401, what="POST /add_message logged out")
    client, username = web_user(probe, "writer")
    probe.status(client.add(""), 301, 302, 303, what="POST /add_message with an empty text")
    own = client.get(page_path(username))
    probe.expect(not DATE.search(own.text), "an empty text was recorded as a message", own)
    page = client.redirect(client.add(f"<b>bold {probe.tag}</b>"), "/")
    client.flash(page, "Your message was recorded")
    client.shows(page, f"&lt;b&gt;bold {probe.tag}&lt;/b&gt;")
    client.shows(page, f"<b>bold {probe.tag}</b>", present=False)


@clause(
    "web.timeline",
    "A timeline shows 30 messages, newest first, each with the author's name linking to their "
    "page and the date as YYYY-MM-DD @ HH:MM; an unknown user's page is 404.",
)
def timeline(probe: Probe) -> None:
    client, username = web_user(probe, "Thirty Times")
    for number in range(31):
        probe.status(client.add(f"thirty {probe.tag} {number:02d}"), 301, 302, 303)
    page = client.get(page_path(username))
    probe.status(page, 200)
    found = re.findall(rf"thirty {probe.tag} (\d\d)", page.text)
    wanted = [f"{n:02d}" for n in range(30, 0, -1)]
    probe.expect(found == wanted, f"expected messages 30 down to 01, got {found}", page)
    dates = len(DATE.findall(page.text))
    probe.expect(dates == 30, f"expected 30 dates as YYYY-MM-DD @ HH:MM, found {dates}", page)
    links = (f'href="{page_path(username)}"', f'href="/{username}"')
    probe.expect(
        any(link in page.text for link in links), f"no link to {page_path(username)}", page
    )
    probe.status(client.get(page_path(probe.name("nobody"))), 404, what="an unknown user's page")


@clause(
    "web.follow",
    "GET or POST /<username>/follow and /unfollow: 401 logged out, 404 for an unknown user; "
    'they flash You are now following "<username>" (or no longer following) and redirect to '
    "that user's page; / shows your messages and those of the people you follow.",
)
def follow(probe: Probe) -> None:
    star, star_name = web_user(probe, "star")
    star.add(f"by the star {probe.tag}")
    probe.status(
        browser(probe).get(f"{page_path(star_name)}/follow"), 401, what="follow logged out"
    )
    probe.status(
        browser(probe).get(f"{page_path(star_name)}/unfollow"), 401, what="unfollow logged out"
    )
    fan, _ = web_user(probe, "fan")
    fan.add(f"by the fan {probe.tag}")
    probe.status(fan.get(f"{page_path(probe.name('nobody'))}/follow"), 404, what="following nobody")
    home = fan.get("/")
    fan.shows(home, f"by the star {probe.tag}", present=False)
    page = fan.redirect(fan.get(f"{page_path(star_name)}/follow"), page_path(star_name))
    fan.flash(page, f"You are now following &#34;{star_name}&#34;")
    page = fan.redirect(fan.post(f"{page_path(star_name)}/follow", {}), page_path(star_name))
    fan.flash(page, f"You are now following &#34;{star_name}&#34;")
    home = fan.get("/")
    fan.shows(home, f"by the star {probe.tag}")
    fan.shows(home, f"by the fan {probe.tag}")
    page = fan.redirect(fan.post(f"{page_path(star_name)}/unfollow", {}), page_path(star_name))
    fan.flash(page, f"You are no longer following &#34;{star_name}&#34;")
    fan.shows(fan.get("/"), f"by the star {probe.tag}", present=False)


@clause(
    "web.actions",
    'Every form\'s submit button is inside <div class="actions"> (register, login, timeline).',
)
def actions(probe: Probe) -> None:
    anonymous = browser(probe)
    pages = [anonymous.get("/register"), anonymous.get("/login")]
    client, _ = web_user(probe, "forms")
    pages.append(client.get("/"))
    for page in pages:
        submits = re.findall(r'<input[^>]*type="submit"', page.text)
        inside = re.findall(r'<div class="actions">\s*<input[^>]*type="submit"', page.text)
        probe.expect(
            submits and len(inside) == len(submits),
            f"{page.request.path_url}: {len(submits)} submit buttons, "
            f'{len(inside)} inside <div class="actions">',
            page,
        )

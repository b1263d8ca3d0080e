"""A baseline for benchmarks: the original MiniTwit simulator API's way of working.

Written for this project (not copied) to reproduce what the course's reference
costs per request: Flask + the sqlite3 module, a new connection per request,
hand-written SQL on tables without indexes, ``latest`` kept in a text file, and
Werkzeug's default password hash. It only implements the simulator endpoints.
Run it with gunicorn: ``tests.benchmarks.reference_app:app`` (REFERENCE_DB names the file).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask, g, jsonify, request
from werkzeug.security import generate_password_hash

from devtools.simulator import basic_auth

DATABASE = os.environ.get("REFERENCE_DB", "reference.sqlite")
LATEST_FILE = Path(DATABASE).with_suffix(".latest.txt")
SCHEMA = """
create table if not exists user (user_id integer primary key autoincrement,
  username string not null, email string not null, pw_hash string not null);
create table if not exists follower (who_id integer, whom_id integer);
create table if not exists message (message_id integer primary key autoincrement,
  author_id integer not null, text string not null, pub_date integer, flagged integer);
"""
AUTH = basic_auth()

app = Flask(__name__)
with sqlite3.connect(DATABASE) as _db:
    _db.executescript(SCHEMA)


@app.before_request
def before_request() -> None:
    g.db = sqlite3.connect(DATABASE)


@app.teardown_request
def teardown(_exc: BaseException | None) -> None:
    g.db.close()


def query(sql: str, args: tuple[Any, ...] = (), one: bool = False) -> Any:
    rows = g.db.execute(sql, args).fetchall()
    return (rows[0] if rows else None) if one else rows


def user_id(username: str) -> int | None:
    row = query("select user_id from user where username = ?", (username,), one=True)
    return row[0] if row else None


def update_latest() -> None:
    latest = request.args.get("latest", type=int, default=-1)
    if latest != -1:
        LATEST_FILE.write_text(str(latest))


def forbidden() -> Any:
    if request.headers.get("Authorization") != AUTH:
        return jsonify({"status": 403, "error_msg": "not authorized"}), 403
    return None


@app.get("/readyz")
def ready() -> Any:
    return jsonify({"status": "ok"})


@app.get("/latest")
def latest() -> Any:
    try:
        return jsonify({"latest": int(LATEST_FILE.read_text())})
    except (OSError, ValueError):
        return jsonify({"latest": -1})


@app.post("/register")
def register() -> Any:
    update_latest()
    data = request.json or {}
    if user_id(data["username"]) is not None:
        return jsonify({"status": 400, "error_msg": "The username is already taken"}), 400
    g.db.execute(
        "insert into user (username, email, pw_hash) values (?, ?, ?)",
        (data["username"], data["email"], generate_password_hash(data["pwd"])),
    )
    g.db.commit()
    return "", 204


@app.route("/msgs", methods=["GET"])
def messages() -> Any:
    update_latest()
    if (denied := forbidden()) is not None:
        return denied
    no = request.args.get("no", type=int, default=100)
    rows = query(
        "select message.text, message.pub_date, user.username from message, user "
        "where message.flagged = 0 and message.author_id = user.user_id "
        "order by message.pub_date desc limit ?",
        (no,),
    )
    return jsonify([{"content": r[0], "pub_date": r[1], "user": r[2]} for r in rows])


@app.route("/msgs/<username>", methods=["GET", "POST"])
def user_messages(username: str) -> Any:
    update_latest()
    if (denied := forbidden()) is not None:
        return denied
    uid = user_id(username)
    if uid is None:
        return "", 404
    if request.method == "GET":
        no = request.args.get("no", type=int, default=100)
        rows = query(
            "select message.text, message.pub_date, user.username from message, user "
            "where message.flagged = 0 and user.user_id = message.author_id "
            "and user.user_id = ? order by message.pub_date desc limit ?",
            (uid, no),
        )
        return jsonify([{"content": r[0], "pub_date": r[1], "user": r[2]} for r in rows])
    g.db.execute(
        "insert into message (author_id, text, pub_date, flagged) "
        "values (?, ?, strftime('%s','now'), 0)",
        (uid, request.json["content"]),
    )
    g.db.commit()
    return "", 204


@app.route("/fllws/<username>", methods=["GET", "POST"])
def follows(username: str) -> Any:
    update_latest()
    if (denied := forbidden()) is not None:
        return denied
    uid = user_id(username)
    if uid is None:
        return "", 404
    data = request.json if request.method == "POST" else None
    if data and "follow" in data:
        g.db.execute(
            "insert into follower (who_id, whom_id) values (?, ?)", (uid, user_id(data["follow"]))
        )
        g.db.commit()
        return "", 204
    if data and "unfollow" in data:
        g.db.execute(
            "delete from follower where who_id=? and whom_id=?", (uid, user_id(data["unfollow"]))
        )
        g.db.commit()
        return "", 204
    rows = query(
        "select user.username from user inner join follower on "
        "follower.whom_id=user.user_id where follower.who_id=? limit ?",
        (uid, request.args.get("no", type=int, default=100)),
    )
    return jsonify({"follows": [r[0] for r in rows]})

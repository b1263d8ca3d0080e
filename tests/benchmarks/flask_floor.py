"""A second floor: the least a Flask app can do per request, answering as the null app does.

``/latest`` and ``/readyz`` answer JSON, everything else reads its body and answers 204.
No database, no telemetry, no session: what Flask and Werkzeug alone cost on top of the
HTTP server, so MiniTwit's own share can be told from the framework's.
"""

from __future__ import annotations

from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/latest")
@app.get("/readyz")
def latest() -> Response:
    """The shape of MiniTwit's ``GET /latest``, from memory."""
    return Response(b'{"latest": -1}', mimetype="application/json")


@app.route("/<path:_path>", methods=["GET", "POST"])
def anything(_path: str) -> tuple[str, int]:
    """Read the body and answer as a successful simulator action does."""
    request.get_data()
    return "", 204

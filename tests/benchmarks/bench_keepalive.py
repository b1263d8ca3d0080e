"""Keep-alive throughput of MiniTwit against two floors on one HTTP server.

The do-nothing WSGI app (``null_app``: what the server and wrk cost), the least a Flask app
can do (``flask_floor``: the server plus Flask and Werkzeug) and MiniTwit on SQLite, each
with 2 workers of ``--server`` (default: ``minitwit serve``'s), measured with wrk (8
connections, ``GET /latest`` and ``POST /msgs/<user>``) in ``--rounds`` interleaved turns.
Prints the median requests/s and MiniTwit's ratio to each floor (the performance issue's
target: 50 % of the do-nothing app's). Results: reports/bench/keepalive.json.

    python -m tests.benchmarks.bench_keepalive [--seconds 4] [--rounds 4] [--server S]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path

from minitwit.server import DEFAULT_SERVER, SERVERS

from . import server_probes as probe
from .bench_servers import throughput
from .servers import served

KINDS = ("null", "flask", "minitwit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="each wrk run")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved wrk turns")
    parser.add_argument("--server", choices=SERVERS, default=DEFAULT_SERVER)
    parser.add_argument("--out", default="reports/bench/keepalive.json")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-ka-")))
        urls = {
            kind: stack.enter_context(served(kind, workdir, server=args.server)).url
            for kind in KINDS
        }
        for url in urls.values():
            probe.register(url)
        results = throughput(urls, args.seconds, args.rounds)
    print(f"{'app':10s} {'GET /latest/s':>14s} {'POST /msgs/s':>13s}  (median, {args.server})")
    for kind, row in results.items():
        print(f"{kind:10s} {row['get_rps']:14,.0f} {row['post_rps']:13,.0f}")
    mine = results["minitwit"]
    ratios = {
        floor: {
            verb: round(mine[f"{verb}_rps"] / max(results[floor][f"{verb}_rps"], 1), 3)
            for verb in ("get", "post")
        }
        for floor in ("null", "flask")
    }
    for floor, ratio in ratios.items():
        print(f"MiniTwit / {floor}: GET {ratio['get']:.2f}, POST {ratio['post']:.2f}")
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {"settings": vars(args), "results": results, "ratios": ratios}
    out.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()

"""``python -m conformance [--target URL]``: judge a MiniTwit against the contract; exit = verdict.

Without ``--target`` a fresh MiniTwit is started (SQLite, or ``--postgres``) and stopped after.
Exit codes: 0 every judged clause holds (possibly "PASS, limited"), 1 a clause is broken,
2 the run was refused (guard, a target that already has data without --allow-dirty, bad options).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import requests

from devtools.live import fresh_minitwit
from devtools.postgres import PostgresUnavailable
from devtools.simulator import basic_auth
from devtools.target import TargetRefused, add_target_options, check_target

from . import report, runner
from .checks import OUT_OF_SCOPE, ordered
from .clause import GROUPS, Probe
from .client import Budget, Client


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    add_target_options(parser, "base URL of a running MiniTwit", where)
    where.add_argument("--postgres", action="store_true", help="fresh MiniTwit on PostgreSQL")
    parser.add_argument(
        "--only", default="", help=f"comma-separated groups of {', '.join(GROUPS)} (default: all)"
    )
    parser.add_argument(
        "--allow-dirty",
        action="store_true",
        help="the target already has data: unique names, judge only what this run created",
    )
    parser.add_argument("--max-requests", type=int, default=2000, help="bound (default 2000)")
    parser.add_argument("--max-seconds", type=float, default=300, help="bound (default 300)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds per request")
    parser.add_argument("--require-complete", action="store_true", help="clauses not judged fail")
    parser.add_argument("--out", type=Path, default=Path("reports/conformance"))
    parser.add_argument("--workers", type=int, default=2, help="workers of the fresh MiniTwit")
    return parser.parse_args(argv)


def groups(only: str) -> list[str]:
    """The chosen groups, or ValueError naming the unknown ones."""
    chosen = [name.strip() for name in only.split(",") if name.strip()] or list(GROUPS)
    unknown = sorted(set(chosen) - set(GROUPS))
    if unknown:
        raise ValueError(
            f"--only: unknown group {', '.join(unknown)} (choose from {', '.join(GROUPS)})"
        )
    return chosen


def already_has_data(client: Client) -> str:
    """Why the target is not fresh ('' when it looks fresh or cannot tell)."""
    try:
        latest = client.send("GET", "/latest")
        if latest.ok and latest.json().get("latest", -1) != -1:
            return f"GET /latest answers {latest.json()['latest']}"
        messages = client.send("GET", "/msgs", auth=True, params={"no": 1})
        if messages.ok and messages.json():
            return "GET /msgs lists messages"
    except (requests.RequestException, ValueError, AttributeError):
        return ""
    return ""


def judge(args: argparse.Namespace, target: str, chosen: list[str], started_here: str) -> int:
    """Run the clauses against ``target``, write the reports, print the verdict."""
    budget = Budget(args.max_requests, args.max_seconds)
    client = Client(target, budget, basic_auth(args.sim_username, args.sim_password), args.timeout)
    dirty = already_has_data(client)
    if dirty and not args.allow_dirty:
        print(
            f"conformance: {target} already has data ({dirty}). Point it at a fresh MiniTwit, or "
            "add --allow-dirty to use unique names and judge only what this run creates.",
            file=sys.stderr,
        )
        return 2
    probe = Probe(client, fresh=not dirty and not args.allow_dirty)
    results = runner.run(ordered(chosen), probe)
    verdict = runner.verdict(results, strict=args.require_complete)
    seconds = time.monotonic() - budget.started
    data = report.summary(
        results,
        verdict,
        target=target,
        started_here=started_here,
        groups=chosen,
        fresh=probe.fresh,
        requests=budget.used,
        seconds=round(seconds, 2),
        bounds={"requests": args.max_requests, "seconds": args.max_seconds},
        out_of_scope=OUT_OF_SCOPE,
    )
    page = report.write(args.out, results, verdict, data)
    print(verdict.text(f"conformance of {target}"))
    for result in results:
        if result.passed is False and result.evidence:
            print(f"\n{result.id}: {result.detail}\n" + result.evidence[-1])
    print(f"\n{budget.used} requests in {seconds:.1f} s; report: {page}")
    return 0 if verdict.passed else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        chosen = groups(args.only)
        target = check_target(args.target, args.i_own_it) if args.target else ""
    except (ValueError, TargetRefused) as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    print(
        f"conformance: {target or 'a fresh MiniTwit'}; groups {', '.join(chosen)}; bounds: at "
        f"most {args.max_requests} requests and {args.max_seconds:g} s "
        "(--max-requests, --max-seconds)",
        flush=True,
    )
    if target:
        return judge(args, target, chosen, "")
    credentials = {"SIMULATOR_USERNAME": args.sim_username, "SIMULATOR_PASSWORD": args.sim_password}
    try:
        with fresh_minitwit(
            "minitwit-conformance-", args.postgres, workers=args.workers, env=credentials
        ) as (server, database):
            return judge(args, server.url, chosen, f"MiniTwit from this checkout on {database}")
    except PostgresUnavailable as exc:
        print(f"--postgres: {exc}", file=sys.stderr)
        return 2

"""Start a fresh MiniTwit, replay against it with Locust, stop it; exit with Locust's verdict.

    python -m loadtest.run [--postgres | --database-url URL] [--workers N] [LOCUST ARGS...]
    python -m loadtest.run --target URL [--i-own-this-target] [--max-seconds S] [LOCUST ARGS...]

Without a database option MiniTwit gets a new SQLite file in a temporary folder;
``--postgres`` starts a throwaway PostgreSQL from the installed binaries. The server is
started through its own CLI (``python -m minitwit serve``), as an operator would. Every
other argument goes to Locust (see loadtest/locust.conf and ``--help`` of the locustfile).

``--target URL`` replays against a running server instead (any MiniTwit; loopback unless
``--i-own-this-target``) and starts nothing; the integrity check reads the state back through
the simulator API. A generated scenario then gets usernames unique to the run, so a target
that already has data is judged only on what this replay created; the run is bounded by the
scenario's actions and ``--max-seconds`` (Locust's ``--run-time``).
"""

from __future__ import annotations

import argparse
import dataclasses
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from devtools.live import exit_on_sigterm, fresh_minitwit
from devtools.postgres import PostgresUnavailable
from devtools.target import TargetRefused, add_target_options, check_target

from .generate import generate
from .scenario import Action, format_action

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 900  # default bound of a replay against a --target


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The runner's own options, and the arguments left for Locust."""
    parser = argparse.ArgumentParser(
        prog="python -m loadtest.run", description=__doc__, allow_abbrev=False
    )
    database = parser.add_mutually_exclusive_group()
    database.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    database.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL (installed binaries)"
    )
    add_target_options(parser, "replay against this running server", database, credentials=False)
    parser.add_argument("--workers", type=int, default=2, help="server workers (default 2)")
    parser.add_argument(
        "--max-seconds",
        type=int,
        default=TARGET_SECONDS,
        help=f"with --target: Locust's --run-time unless given (default {TARGET_SECONDS})",
    )
    args, rest = parser.parse_known_args(argv)
    return args, [arg for arg in rest if arg != "--"]


def _value(locust_args: list[str], name: str) -> str | None:
    """The value of ``--name V`` or ``--name=V`` among Locust's arguments."""
    for index, arg in enumerate(locust_args):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name and index + 1 < len(locust_args):
            return locust_args[index + 1]
    return None


def tagged(action: Action, tag: str) -> Action:
    """``action`` with every username it names suffixed with `` <tag>``."""
    args = action.args
    if action.target is not None:
        args = (f"{action.target} {tag}", *action.args[1:])
    return dataclasses.replace(action, username=f"{action.username} {tag}", args=args)


def unique_scenario(folder: Path, locust_args: list[str]) -> tuple[Path, str]:
    """The generated scenario Locust would replay, with usernames unique to this run."""
    actions = int(_value(locust_args, "--generate-actions") or 2000)
    users = int(_value(locust_args, "--generate-users") or 50)
    seed = int(_value(locust_args, "--generate-seed") or 0)
    tag = secrets.token_hex(3)
    path = folder / f"scenario-{tag}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        for action in generate(actions, users, seed):
            out.write(format_action(tagged(action, tag)))
    return path, tag


def replay(target: str, locust_args: list[str]) -> int:
    """Run Locust against ``target``; its exit code is the verdict."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--config",
        str(ROOT / "loadtest" / "locust.conf"),
        "--host",
        target,
        *locust_args,
    ]
    return subprocess.call(command, cwd=ROOT)  # noqa: S603 - Locust, our arguments


def against_target(args: argparse.Namespace, locust_args: list[str]) -> int:
    """Replay against a running server: guard, bounds printed first, no server started."""
    try:
        target = check_target(args.target, args.i_own_it)
    except TargetRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="minitwit-load-") as folder:
        extra: list[str] = []
        given = _value(locust_args, "--scenario")
        if given is None:
            path, tag = unique_scenario(Path(folder), locust_args)
            extra += ["--scenario", str(path)]
            scenario = f"a generated scenario, usernames suffixed with ' {tag}'"
        else:
            path, scenario = Path(given), given
        with path.open("rb") as lines:
            actions = sum(1 for _ in lines)
        seconds = _value(locust_args, "--run-time") or _value(locust_args, "-t")
        if seconds is None:
            seconds = f"{args.max_seconds}s"
            extra += ["--run-time", seconds]
        print(
            f"Replaying {scenario} against {target} (no server started); bounds: {actions} "
            f"actions, one request each, then integrity reads; at most {seconds} (--max-seconds)",
            flush=True,
        )
        return replay(target, [*locust_args, *extra])


def scenario_problem(locust_args: list[str]) -> str | None:
    """Why the ``--scenario`` file cannot be replayed, checked before anything starts."""
    for index, arg in enumerate(locust_args):
        if arg.startswith("--scenario="):
            path = arg.split("=", 1)[1]
        elif arg == "--scenario" and index + 1 < len(locust_args):
            path = locust_args[index + 1]
        else:
            continue
        if not Path(path).is_file():
            return (
                f"--scenario {path}: no such file. Generate one with "
                "`python -m loadtest.generate --actions 20000 --users 300 -o scenario.csv`, "
                "or leave --scenario out to replay a generated scenario."
            )
    return None


def main(argv: list[str] | None = None) -> int:
    """Serve, replay, stop; return Locust's exit code (the SLO verdict)."""
    args, locust_args = parse_args(sys.argv[1:] if argv is None else argv)
    problem = scenario_problem(locust_args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.target:
        return against_target(args, locust_args)
    try:
        with fresh_minitwit("minitwit-load-", args.postgres, args.database_url, args.workers) as (
            server,
            database,
        ):
            print(
                f"MiniTwit ({args.workers} workers, {database}) at {server.url}; "
                "replaying with Locust",
                flush=True,
            )
            return replay(server.url, locust_args)
    except PostgresUnavailable as exc:
        print(f"--postgres: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    exit_on_sigterm()
    sys.exit(main())

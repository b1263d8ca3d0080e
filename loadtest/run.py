"""Start a fresh MiniTwit, replay against it with Locust, stop it; exit with Locust's verdict.

    python -m loadtest.run [--postgres | --database-url URL] [--workers N] [LOCUST ARGS...]

Without a database option MiniTwit gets a new SQLite file in a temporary folder;
``--postgres`` starts a throwaway PostgreSQL from the installed binaries. The server is
started through its own CLI (``python -m minitwit serve``), as an operator would. Every
other argument goes to Locust (see loadtest/locust.conf and ``--help`` of the locustfile).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from devtools.live import live_minitwit
from devtools.postgres import PostgresUnavailable, start_postgres

ROOT = Path(__file__).resolve().parent.parent


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
    parser.add_argument("--workers", type=int, default=2, help="server workers (default 2)")
    args, rest = parser.parse_known_args(argv)
    return args, [arg for arg in rest if arg != "--"]


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
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="minitwit-load-")))
        database_url = args.database_url or f"sqlite:///{folder / 'load.sqlite'}"
        if args.postgres:
            try:
                postgres = start_postgres()
            except PostgresUnavailable as exc:
                print(f"--postgres: {exc}", file=sys.stderr)
                return 2
            stack.callback(postgres.stop)
            database_url = postgres.create_database("minitwit_load")
        env = {"SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only")}
        server = stack.enter_context(
            live_minitwit(folder, {**env, "DATABASE_URL": database_url}, args.workers)
        )
        database = "PostgreSQL" if args.postgres or args.database_url else "SQLite"
        print(
            f"MiniTwit ({args.workers} workers, {database}) at {server.url}; replaying with Locust",
            flush=True,
        )
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--config",
            str(ROOT / "loadtest" / "locust.conf"),
            "--host",
            server.url,
            *locust_args,
        ]
        code = subprocess.call(command, cwd=ROOT)  # noqa: S603 - Locust, our arguments
    return code


if __name__ == "__main__":
    sys.exit(main())

"""Versions side by side over HTTP: does this checkout answer slower than an earlier commit?

Each git revision named is checked out into a temporary worktree and served with its own
``minitwit serve`` (its defaults, 2 workers, SQLite) next to this checkout's and the
do-nothing app (the floor). They take turns of 500 actions of the course scenario, one
request at a time with ``Connection: close``, so a machine that gets faster or slower hits
all alike. Prints p50 and ms per action, and each server's ratio to the first revision.
With no revision, HEAD against this checkout (an unchanged checkout shows the noise).

    python -m tests.benchmarks.bench_versions [REV ...] [--actions 4000] [--telemetry-off]

``--telemetry-off`` adds this checkout with ``TELEMETRY_ENABLED=0``, which tells what of a
difference is telemetry's. Results: reports/bench/versions.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from devtools.live import exit_on_sigterm, live_minitwit

from .bench_sequential import load_actions, replay_in_turns
from .servers import served

REPOSITORY = Path(__file__).resolve().parents[2]
TURN = 500


@contextmanager
def worktree(revision: str, folder: Path) -> Iterator[Path]:
    """A detached checkout of ``revision`` in ``folder``, removed when the block ends."""
    run = ["git", "-C", str(REPOSITORY), "worktree"]
    add = [*run, "add", "--detach", str(folder), revision]
    subprocess.run(add, check=True, capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run([*run, "remove", "--force", str(folder)], check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="*", default=["HEAD"], help="git revisions (HEAD)")
    parser.add_argument("--actions", type=int, default=4000, help="0 = the whole scenario")
    parser.add_argument("--scenario", help="scenario file (default: the course's, if present)")
    parser.add_argument("--telemetry-off", action="store_true", help="add this checkout, off")
    parser.add_argument("--out", default="reports/bench/versions.json")
    args = parser.parse_args()
    exit_on_sigterm()  # the worktrees and servers go when the block ends
    actions, source = load_actions(args.scenario, args.actions)
    print(f"{len(actions):,} actions from {source}, one at a time, turns of {TURN}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-versions-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        settings: dict[str, dict[str, str]] = {}
        for number, revision in enumerate(args.revisions):
            tree = stack.enter_context(worktree(revision, work / f"tree{number}"))
            settings[revision] = {"PYTHONPATH": str(tree / "app")}
        settings["this checkout"] = {"PYTHONPATH": str(REPOSITORY / "app")}
        if args.telemetry_off:
            settings["this checkout, telemetry off"] = {
                **settings["this checkout"],
                "TELEMETRY_ENABLED": "0",
            }
        urls = {}
        for number, (name, env) in enumerate(settings.items()):
            folder = work / f"serve{number}"
            folder.mkdir()
            env = {"SECRET_KEY": f"bench-{number}", **env}
            urls[name] = stack.enter_context(live_minitwit(folder, env, 2)).url
        urls["do-nothing app"] = stack.enter_context(served("null", work)).url
        results: dict[str, Any] = replay_in_turns(urls, actions, TURN)
    first = results[next(iter(settings))]
    for name, row in results.items():
        row["p50_ratio"] = round(row["p50_ms"] / first["p50_ms"], 3)
        row["ratio"] = round(row["ms_per_action"] / first["ms_per_action"], 3)
        print(
            f"  {name:30s} p50 {row['p50_ms']:.3f} ms ({row['p50_ratio']:.3f})  "
            f"{row['ms_per_action']:.3f} ms/action ({row['ratio']:.3f})  "
            f"errors {row['errors'] or 0}",
            flush=True,
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"source": source, "servers": results}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()

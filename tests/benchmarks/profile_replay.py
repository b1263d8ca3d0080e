"""Where a worker's time goes during a replay: py-spy samples of ``minitwit serve``.

Starts ``minitwit serve`` (its default server, 2 workers, SQLite), attaches ``py-spy record``
to it and its workers (``--subprocesses``; ``--gil``: only samples of a thread running Python,
so threads waiting for work do not count; raw collapsed stacks), replays a generated
scenario of ``--actions`` simulator actions with Locust (8 users, as fast as possible), and
prints the share of samples by area (inclusive: a sample counts for every area on its
stack) and the functions with the most samples of their own. Raw stacks and the summary:
reports/bench/profile/. Profiling only: py-spy needs ptrace (root, or
``kernel.yama.ptrace_scope = 0``). Bounded by the replay; loopback only.

    python -m tests.benchmarks.profile_replay [--actions 5000] [--rate 250]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from devtools.live import live_minitwit
from loadtest.generate import write_generated

from .bench_replay import replay

ROOT = Path(__file__).resolve().parents[2]
AREAS = {
    "app views and models": r"\(minitwit/(api/|web/|models\.py|sql\.py)",
    "telemetry (metrics, log line)": r"\(minitwit/telemetry/",
    "request hooks and errors": r"\(minitwit/(security|errors|events|db)\.py",
    "body-first middleware": r"\(minitwit/server/",
    "Flask and Werkzeug": r"\((flask|werkzeug)/",
    "Peewee": r"\(peewee\.py",
    "prometheus_client": r"\(prometheus_client/",
    "logging": r"\(logging/",
    "password hashing": r"\(argon2/",
}
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:()]+)(?::\d+)?\)$")


def frames(stack: str) -> list[str]:
    """The frames of one collapsed stack (the process header dropped)."""
    return [frame for frame in stack.split(";") if not frame.startswith("process ")]


def summarise(raw: Path, top: int = 15) -> dict[str, Any]:
    """Samples in total, share by area (inclusive) and the top functions by own samples."""
    total, by_area, own = 0, Counter[str](), Counter[str]()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples, stack_frames = int(count), frames(stack)
        if not stack_frames:
            continue
        total += samples
        text = ";".join(stack_frames)
        for area, pattern in AREAS.items():
            if re.search(pattern, text):
                by_area[area] += samples
        leaf = _FRAME.match(stack_frames[-1])
        own[f"{leaf['function']} ({Path(leaf['file']).name})" if leaf else stack_frames[-1]] += (
            samples
        )
    return {
        "samples": total,
        "areas_percent": {a: round(100 * n / total, 1) for a, n in by_area.most_common()}
        if total
        else {},
        "top_own_percent": {f: round(100 * n / total, 1) for f, n in own.most_common(top)}
        if total
        else {},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = ROOT / "reports" / "bench" / "profile"
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "stacks.txt"
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        workdir = Path(folder)
        scenario = write_generated(workdir / "scenario.csv", args.actions, 200, 0)
        with live_minitwit(workdir, {"SECRET_KEY": "profile"}, 2) as server:
            command = [py_spy, "record", "--pid", str(server.process.pid), "--subprocesses"]
            command += ["--format", "raw", "--rate", str(args.rate), "--gil", "--output", str(raw)]
            spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                result = replay(server.url, scenario, args.users, workdir / "replay", False)
            finally:
                spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
                _, errors = spy.communicate(timeout=60)
    if not raw.exists():
        print(f"py-spy wrote nothing: {errors.decode(errors='replace')[-500:]}", file=sys.stderr)
        return 1
    summary = {"replay": result, "settings": vars(args), **summarise(raw)}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"replay: {result['actions']} actions in {result['replay_s']} s; "
        f"{summary['samples']} samples"
    )
    print("share of samples by area (inclusive):")
    for area, percent in summary["areas_percent"].items():
        print(f"  {percent:5.1f} %  {area}")
    print("functions with the most samples of their own:")
    for function, percent in summary["top_own_percent"].items():
        print(f"  {percent:5.1f} %  {function}")
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

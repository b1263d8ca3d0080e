"""``python -m faults [--only NAME ...] [--quick] [--out reports/faults]``: run the drills."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from . import drills as _drills  # noqa: F401 - registers the drills
from .drill import REGISTRY, Context, DrillResult, Entry, run_one
from .report import write


def parse(argv: list[str] | None, names: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m faults", description=__doc__)
    parser.add_argument(
        "--only",
        nargs="+",
        action="extend",
        choices=names,
        metavar="NAME",
        help=f"run only these drills ({', '.join(names)})",
    )
    parser.add_argument("--quick", action="store_true", help="short windows, less traffic")
    parser.add_argument("--out", type=Path, default=Path("reports/faults"), help="report folder")
    parser.add_argument(
        "--require-complete",
        action="store_true",
        help="a skipped drill (or a part of one not judged) fails the run",
    )
    parser.add_argument("--keep", action="store_true", help="keep the servers' work folder (logs)")
    parser.add_argument("--list", action="store_true", help="list the drills and exit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, registry: Mapping[str, Entry] = REGISTRY) -> int:
    """Run the selected drills in order, write the report; 1 when a drill failed."""
    args = parse(argv, list(registry))
    if args.list:
        for entry in registry.values():
            print(f"{entry.name:18} {entry.title}")
        return 0
    selected = args.only or list(registry)
    workdir = Path(tempfile.mkdtemp(prefix="minitwit-faults-"))
    context = Context(workdir, quick=args.quick, progress=lambda line: print(line, flush=True))
    results: list[DrillResult] = []
    try:
        for entry in registry.values():
            chosen = entry.name in selected
            skip = DrillResult(entry.name, entry.title, skipped="not selected (--only)")
            results.append(run_one(entry, context) if chosen else skip)
    except KeyboardInterrupt:
        print("interrupted: every server this run started has been stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    verdict = write(args.out, results, selected, args.require_complete)
    print(verdict.text("fault drills"))
    print(f"report: {args.out / 'index.html'}")
    return 0 if verdict.passed else 1

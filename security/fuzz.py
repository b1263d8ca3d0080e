"""``python -m security.fuzz``: Schemathesis alone, bigger budget, optional fixed seed.

Without ``--target`` it fuzzes a fresh MiniTwit it starts; with ``--target URL`` it fuzzes that
running server (loopback unless ``--i-own-this-target``) against the project's own OpenAPI file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.live import exit_on_sigterm
from devtools.portal import history
from devtools.target import TargetRefused, add_target_options, check_target

from . import api_fuzz
from .context import Target, run_command
from .target import live_target


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="security.fuzz", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("reports/fuzz"))
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="fix the random seed to reproduce a run (printed at the end)",
    )
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--max-time", type=int, default=480, help="seconds for the whole run")
    parser.add_argument(
        "--operation",
        action="append",
        default=[],
        metavar='"METHOD /path"',
        help='fuzz only this operation, as the OpenAPI names it (e.g. "POST /register"); '
        "repeatable; default: every operation",
    )
    add_target_options(parser, "fuzz this running server instead")
    return parser.parse_args(argv)


@contextmanager
def fuzz_target(args: argparse.Namespace, url: str) -> Iterator[Target]:
    """The running ``--target`` (nothing seeded: the fuzzer needs no account), or a fresh one."""
    if url:
        yield Target(url, "", "", args.sim_username, args.sim_password, external=True)
        return
    with (
        tempfile.TemporaryDirectory(prefix="minitwit-fuzz-") as workdir,
        live_target(Path(workdir)) as target,
    ):
        yield target


def main(argv: list[str] | None = None) -> int:
    """Fuzz the API, write JUnit + HTML + JSON into reports/fuzz/."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        url = check_target(args.target, args.i_own_it) if args.target else ""
    except TargetRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    print(
        f"[fuzz] {url or 'a fresh MiniTwit'}; bounds: at most {args.max_examples} cases per "
        f"operation and {args.max_time} s (--max-examples, --max-time); operations: "
        f"{', '.join(args.operation) or 'all'}",
        flush=True,
    )
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*"):
        if old.is_file():
            old.unlink()
    with fuzz_target(args, url) as target:
        command = api_fuzz.argv(
            sys.executable,
            target,
            out,
            max_examples=args.max_examples,
            max_time=args.max_time,
            seed=args.seed,
            formats="junit,html,json",
        )
        only = [arg for name in args.operation for arg in ("--include-name", name)]
        code, seconds = run_command(
            [*command, *only, "--report-html-path", str(out / "html")],
            out / "schemathesis.log",
            args.max_time + 300,
            env=api_fuzz.environment(target),
        )
    history.snapshot(out, "fuzz")
    log = (out / "schemathesis.log").read_text(errors="replace")
    print("\n".join(log.splitlines()[-40:]))
    print(f"[fuzz] schemathesis exit {code} after {seconds:.0f} s; reports in {out}")
    return code


if __name__ == "__main__":
    exit_on_sigterm()
    sys.exit(main())

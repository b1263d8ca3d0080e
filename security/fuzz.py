"""``python -m security.fuzz``: Schemathesis alone, bigger budget, optional fixed seed."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import api_fuzz
from .context import run_command
from .target import live_target


def main(argv: list[str] | None = None) -> int:
    """Start a fresh server, fuzz its API, write JUnit + HTML + JSON into reports/fuzz/."""
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
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*"):
        if old.is_file():
            old.unlink()
    with (
        tempfile.TemporaryDirectory(prefix="minitwit-fuzz-") as workdir,
        live_target(Path(workdir)) as target,
    ):
        command = api_fuzz.argv(
            sys.executable,
            target,
            out,
            max_examples=args.max_examples,
            max_time=args.max_time,
            seed=args.seed,
            formats="junit,html,json",
        )
        code, seconds = run_command(
            [*command, "--report-html-path", str(out / "html")],
            out / "schemathesis.log",
            args.max_time + 300,
            env=api_fuzz.environment(target),
        )
    log = (out / "schemathesis.log").read_text(errors="replace")
    print("\n".join(log.splitlines()[-40:]))
    print(f"[fuzz] schemathesis exit {code} after {seconds:.0f} s; reports in {out}")
    return code


if __name__ == "__main__":
    sys.exit(main())

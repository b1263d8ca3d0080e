"""``python -m security.pipeline``: run the tools, write the report, exit with the verdict.

The static tools (bandit, pip-audit) always judge this repository. The live tools (wapiti,
Schemathesis) judge a fresh MiniTwit started from it, or with ``--target URL`` a running
server (loopback unless ``--i-own-this-target``), with the project's OpenAPI as its contract.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.live import exit_on_sigterm
from devtools.portal import history
from devtools.report import current_commit
from devtools.target import TargetRefused, add_target_options, check_target

from . import api_fuzz, audit, bandit, report, since, wapiti, zap
from .context import Context, Target
from .findings import FAILED, NOT_RUN, ToolRun
from .gate import decide
from .risks import RiskFileError, load_risks
from .target import live_target, remote_target

STATIC: dict[str, Callable[[Context], ToolRun]] = {
    "bandit": bandit.run,
    "pip-audit": audit.run,
    "zap": zap.run,
}
LIVE: dict[str, Callable[[Context], ToolRun]] = {"wapiti": wapiti.run, "schemathesis": api_fuzz.run}
TOOLS = (*STATIC, *LIVE)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="security.pipeline", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("reports/security"))
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"comma-separated subset of {', '.join(TOOLS)}"
    )
    parser.add_argument("--zap-report", type=Path, help="a ZAP baseline JSON report to ingest")
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds for each live tool (wapiti, schemathesis)",
    )
    parser.add_argument(
        "--accepted-risks", type=Path, default=Path(__file__).with_name("accepted-risks.yml")
    )
    parser.add_argument(
        "--require-complete",
        action="store_true",
        help="fail when a tool did not run or could not check everything (on in CI)",
    )
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="judge accepted-risk expiry as of this date (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--new-code-base", metavar="REF", help="list bandit findings new or fixed since REF"
    )
    add_target_options(parser, "scan this running server (live tools)")
    return parser.parse_args(argv)


@contextmanager
def scanned(args: argparse.Namespace, url: str) -> Iterator[Target]:
    """The live target: the running ``--target``, or a fresh MiniTwit for the block."""
    if url:
        yield remote_target(url, args.sim_username, args.sim_password)
        return
    with (
        tempfile.TemporaryDirectory(prefix="minitwit-scan-") as workdir,
        live_target(Path(workdir)) as target,
    ):
        yield target


def scope(url: str, commit: str) -> str | None:
    """The report's scope note when the live tools judged another server than this checkout."""
    if not url:
        return None
    return (
        f"live tools (wapiti, Schemathesis) judged {url}; static tools (bandit, pip-audit) "
        f"judged this repository (commit {commit}), not the target"
    )


def timed(tool: str, runner: Callable[[Context], ToolRun], ctx: Context) -> ToolRun:
    """Run one tool; a crash in the runner is a failed run, not a crashed pipeline."""
    started = time.monotonic()
    try:
        run = runner(ctx)
    except Exception as exc:  # reported in the gate as a failed run
        run = ToolRun(tool, FAILED, f"{type(exc).__name__}: {exc}")
    run.seconds = run.seconds or time.monotonic() - started
    print(
        f"[security] {tool}: {run.status} in {run.seconds:.1f} s, {len(run.findings)} findings"
        f"{' - ' + run.reason if run.reason else ''}",
        flush=True,
    )
    return run


def main(argv: list[str] | None = None) -> int:
    """Run the selected tools and return 0 when the gate passes, 1 when it fails."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    chosen = [name.strip() for name in args.tools.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(TOOLS))
    if unknown:
        print(f"unknown tools: {', '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        url = check_target(args.target, args.i_own_it) if args.target else ""
    except TargetRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        risks = load_risks(args.accepted_risks)
    except RiskFileError as exc:
        print(f"accepted risks: {exc}", file=sys.stderr)
        return 2
    root = Path.cwd().resolve()
    ctx = Context(root, args.out.resolve(), zap_report=args.zap_report, budget_seconds=args.budget)
    ctx.out.mkdir(parents=True, exist_ok=True)
    runs = [timed(name, STATIC[name], ctx) for name in STATIC if name in chosen]
    live = [name for name in LIVE if name in chosen]
    if live:
        print(
            f"[security] live tools against {url or 'a fresh MiniTwit'}; bounds: at most "
            f"{args.budget:g} s per tool (--budget), Schemathesis {api_fuzz.MAX_EXAMPLES} cases "
            "per operation and phase",
            flush=True,
        )
        with scanned(args, url) as target:
            ctx.target = target
            runs += [timed(name, LIVE[name], ctx) for name in live]
    runs += [
        ToolRun(name, NOT_RUN, "not selected (--tools)") for name in TOOLS if name not in chosen
    ]
    findings = [finding for run in runs for finding in run.findings]
    verdict = decide(findings, risks, runs, args.today or dt.date.today(), args.require_complete)
    when = dt.datetime.now(dt.UTC)
    commit = current_commit(root)
    note = scope(url, commit)
    report.write(ctx.out, findings, runs, verdict, when, commit, note)
    if args.new_code_base:
        since.append_to_summary(ctx.out, since.compare_with(root, ctx.out, args.new_code_base))
    history.snapshot(ctx.out, "security")
    if note:
        print(f"[security] scope: {note}")
    print((ctx.out / "summary.md").read_text())
    print(f"[security] report: {ctx.out / 'index.html'}")
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    exit_on_sigterm()
    sys.exit(main())

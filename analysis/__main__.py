"""``python -m analysis``: run the checkers, write reports/quality/, apply the gate."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from devtools.portal import history
from devtools.report import current_commit

from . import gate, newcode, report_html, report_md, runners, summary

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options; anything after ``--`` goes to pytest."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "quality")
    parser.add_argument("--baseline", type=Path, default=ROOT / "analysis" / "baseline.json")
    parser.add_argument("--coverage-json", type=Path, help="read coverage instead of running tests")
    parser.add_argument("--coverage-xml", type=Path, help="with --coverage-json: for diff coverage")
    parser.add_argument("--write-baseline", action="store_true", help="record this run as baseline")
    parser.add_argument(
        "--new-code-base", metavar="REF", help="also judge the change against REF (e.g. main)"
    )
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run everything; exit status 1 when the gate fails."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    out: Path = args.out
    results = runners.collect(ROOT, out, args.pytest_args, args.coverage_json)
    figures = summary.summarise(results)
    commit = current_commit(ROOT, mark_dirty=True)
    baseline = gate.load_baseline(args.baseline)
    verdict = gate.evaluate(figures, baseline)
    table = summary.modules(results, runners.PACKAGE)
    found = [asdict(finding) for finding in summary.all_findings(results)]
    (out / "findings.json").write_text(json.dumps({"findings": found}, indent=2) + "\n")
    since: dict[str, object] = {}
    since_md: list[str] = []
    if args.new_code_base:
        xml = out / "coverage.xml" if args.coverage_json is None else args.coverage_xml
        since, since_md = newcode.apply(ROOT, out, args.new_code_base, verdict, found, xml)
    figures_out = {**figures, **since, "commit": commit, "gate_passed": verdict.passed}
    figures_out["verdict"] = verdict.as_dict()
    (out / "summary.json").write_text(json.dumps(figures_out, indent=2, default=str) + "\n")
    (out / "summary.md").write_text(report_md.render(figures, verdict, table, since_md))
    (out / "index.html").write_text(report_html.render(figures, verdict, table, commit))
    history.snapshot(out, "quality")
    if args.write_baseline:
        fresh = gate.new_baseline(figures, baseline, commit)
        args.baseline.write_text(json.dumps(fresh, indent=2) + "\n")
        print(f"baseline written to {args.baseline}")
    print((out / "summary.md").read_text())
    print(f"report: {out / 'index.html'}")
    return 0 if figures_out["gate_passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""reports/index.html and reports/summary.md: every pipeline's verdict, trends and what is new.

The page extends the shared report shell (devtools/report): its verdict box is the portal's
own verdict, built from the pipelines' (a failed pipeline fails it, one that has not run or
ran limited makes it "PASS, limited", never a plain pass).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from devtools.report import ROOT, current_commit, render
from devtools.verdict import Verdict

from . import fingerprints, history, trends
from .readers import NO_VERDICT, NOT_RUN, READERS, Pipeline, read

TEMPLATES = Path(__file__).with_name("templates")
STAMP_SLACK = dt.timedelta(minutes=2)  # a history record this close to a report is its run


@dataclass
class Chart:
    """A drawn trend: the SVG's path relative to reports/ and its description."""

    pipeline: str
    src: str
    alt: str


@dataclass
class NewSince:
    """One pipeline's findings against its base, described for reading."""

    pipeline: str
    base: str
    counts: dict[str, int]
    new: list[str]
    fixed: list[str]


def made(stamp: str | None) -> str:
    """An ISO time as ``2026-12-03 16:17 UTC`` (as given when it is not ISO)."""
    if not stamp:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC)
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def overall(pipelines: list[Pipeline]) -> Verdict:
    """One check per pipeline with a verdict; not run or limited is a gap, never a pass."""
    verdict = Verdict()
    for pipeline in pipelines:
        if pipeline.status == NOT_RUN:
            verdict.gap(f"{pipeline.title}: not run")
        elif pipeline.status != NO_VERDICT:
            detail = pipeline.headline.removeprefix("FAIL: ")
            verdict.add(pipeline.title, pipeline.status != "fail", detail=detail)
            if pipeline.status == "limited":
                verdict.gap(
                    f"{pipeline.title}: {pipeline.headline.removeprefix('PASS, limited: ')}"
                )
    if not verdict.checks:
        verdict.add("a pipeline has a report", False, detail="no pipeline has a report here yet")
    return verdict


def stamp(pipeline: Pipeline, records: list[dict[str, object]]) -> None:
    """Take the commit from the run's history record when the report itself does not name it."""
    if pipeline.commit or not records or pipeline.time is None:
        return
    latest = records[-1]
    try:
        made = dt.datetime.fromisoformat(pipeline.time)
        logged = dt.datetime.fromisoformat(str(latest["time"]))
    except ValueError:
        return
    if logged >= made - STAMP_SLACK:
        pipeline.commit = str(latest.get("commit") or "") or None


def new_since(reports: Path) -> list[NewSince]:
    """Quality and security findings against their saved base, where there is one."""
    found = []
    for kind, (_, describe) in fingerprints.KINDS.items():
        compared = fingerprints.against_base(reports / kind, kind)
        if compared is None:
            continue
        base, comparison = compared
        new = [describe(finding) for finding in comparison.new]
        fixed = [describe(finding) for finding in comparison.fixed]
        found.append(NewSince(kind, base, comparison.counts(), new, fixed))
    return found


def draw(reports: Path, records: dict[str, list[dict[str, object]]]) -> list[Chart]:
    """Every trend that has data, as SVG files in reports/trends/."""
    charts = []
    for trend in trends.TRENDS:
        runs = records.get(trend.pipeline, [])
        drawn = trends.draw(trend, runs, reports / "trends")
        if drawn is not None:
            src = drawn.relative_to(reports).as_posix()
            charts.append(Chart(trend.pipeline, src, trends.describe(trend, runs)))
    return charts


def summary_md(pipelines: list[Pipeline], verdict: Verdict, since: list[NewSince]) -> str:
    """The combined pull-request comment: one row per pipeline, then what is new."""
    lines = [
        f"## Reports: {verdict.headline()}",
        "",
        "| pipeline | verdict | figures | made at |",
        "|---|---|---|---|",
    ]
    for p in pipelines:
        figures = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in p.figures.items())
        made = f"{p.time or ''} {p.commit or ''}".strip() or "-"
        lines.append(f"| {p.title} | {p.status} | {figures or p.headline} | {made} |")
    for entry in since:
        c = entry.counts
        lines += ["", f"### {entry.pipeline.title()}: new since {entry.base}", ""]
        lines.append(f"{c['new']} new, {c['fixed']} fixed, {c['remaining']} remaining.")
        for title, items in (("New", entry.new), ("Fixed", entry.fixed)):
            if items:
                lines += ["", f"{title}:", "", *(f"- {text}" for text in items[:30])]
                lines += [f"- ... and {len(items) - 30} more"] if len(items) > 30 else []
    return "\n".join(lines) + "\n"


def build(reports: Path) -> Path:
    """Read every pipeline under ``reports``, draw the trends, write index.html and summary.md."""
    reports.mkdir(parents=True, exist_ok=True)
    records = {name: history.read(history_file(reports, name)) for name in READERS}
    pipelines = [read(reports, name) for name in READERS]
    for pipeline in pipelines:
        stamp(pipeline, records[pipeline.name])
    verdict = overall(pipelines)
    since = new_since(reports)
    page = render(
        TEMPLATES,
        "portal.html",
        title="MiniTwit reports",
        generated=f"Built {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        commit=current_commit(ROOT, mark_dirty=True),
        scope_note="each pipeline's latest report in this folder",
        verdict=verdict,
        pipelines=pipelines,
        since=since,
        charts=draw(reports, records),
        histories=[name for name in READERS if records[name]],
        not_run=NOT_RUN,
        made=made,
    )
    (reports / "summary.md").write_text(summary_md(pipelines, verdict, since))
    target = reports / "index.html"
    target.write_text(page)
    return target


def history_file(reports: Path, name: str) -> Path:
    """``reports/history/<name>.jsonl``."""
    return reports / "history" / f"{name}.jsonl"

"""Each pipeline's runs, one JSON line per run, in ``reports/history/<pipeline>.jsonl``.

A record is small: when, which commit, the verdict's status and a few headline figures. A
run appends one line (an earlier line is never rewritten, so a crash loses at most the line
being written); past ``KEEP`` lines the file is trimmed to the newest ones by writing a copy
and renaming it over the old file, which either happens whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from devtools.report import ROOT, current_commit

KEEP = 200  # records per pipeline: about half a year of daily runs


def folder_for(report_dir: Path) -> Path:
    """The history folder beside a report folder: ``reports/quality`` -> ``reports/history``."""
    return report_dir.resolve().parent / "history"


def record(
    report_dir: Path,
    pipeline: str,
    status: str,
    figures: dict[str, Any],
    commit: str | None = None,
    when: dt.datetime | None = None,
) -> dict[str, Any]:
    """Append one run of ``pipeline`` to the history beside ``report_dir``; return the record."""
    entry = {
        "time": (when or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "commit": commit or current_commit(ROOT, mark_dirty=True),
        "verdict": status,
        "figures": figures,
    }
    append(folder_for(report_dir) / f"{pipeline}.jsonl", entry)
    return entry


def append(path: Path, entry: dict[str, Any], keep: int = KEEP) -> None:
    """Append ``entry`` as one line, then keep only the newest ``keep`` lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as sink:
        sink.write(json.dumps(entry, sort_keys=True, default=str) + "\n")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if len(lines) > keep:
        _replace(path, "".join(lines[-keep:]))


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file renamed over it)."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as sink:
            sink.write(text)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def read(path: Path) -> list[dict[str, Any]]:
    """The records in ``path``, oldest first; a torn or foreign line is skipped."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "time" in entry:
            found.append(entry)
    return found


def snapshot(report_dir: Path, pipeline: str) -> dict[str, Any] | None:
    """Append the report just written in ``report_dir`` to its history, read as the portal reads it.

    Called by each pipeline after writing its report; a problem here is printed, never raised,
    so the history cannot change a pipeline's exit status.
    """
    from .readers import READERS

    try:
        found = READERS[pipeline](report_dir)
        if found is None:
            return None
        return record(report_dir, pipeline, found.status, found.figures, found.commit)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"[history] {pipeline}: not recorded: {type(exc).__name__}: {exc}", flush=True)
        return None

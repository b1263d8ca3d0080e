"""``python -m devtools.portal [--reports DIR]``: build reports/index.html from what is there."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .page import build


def main(argv: list[str] | None = None) -> int:
    """Build the portal; exit 0 (the portal reports verdicts, it is not a gate itself)."""
    parser = argparse.ArgumentParser(prog="python -m devtools.portal", description=__doc__)
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    page = build(args.reports)
    print((args.reports / "summary.md").read_text())
    print(f"[report] {page} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the dashboards to ../dashboards, or with --check fail if the committed JSON is stale."""

from __future__ import annotations

import sys

from . import OUTPUT, render


def main(argv: list[str]) -> int:
    """Write (default) or check (``--check``) the generated dashboards."""
    rendered = render()
    if "--check" in argv:
        stale = [
            name
            for name, text in rendered.items()
            if not (OUTPUT / name).exists() or (OUTPUT / name).read_text() != text
        ]
        extra = sorted(p.name for p in OUTPUT.glob("*.json") if p.name not in rendered)
        for name in stale + extra:
            print(f"stale or unexpected: {OUTPUT / name}", file=sys.stderr)
        return 1 if stale or extra else 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name, text in rendered.items():
        (OUTPUT / name).write_text(text)
        print(f"wrote {OUTPUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

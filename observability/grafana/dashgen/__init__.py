"""Grafana dashboards as code: ``python -m observability.grafana.dashgen [--check]``."""

from __future__ import annotations

from pathlib import Path

from grafana_foundation_sdk.cog.encoder import JSONEncoder

from .dashboards import ALL

OUTPUT = Path(__file__).resolve().parent.parent / "dashboards"


def render() -> dict[str, str]:
    """Every dashboard's JSON text, keyed by file name."""
    encoder = JSONEncoder(sort_keys=True, indent=2)
    rendered = {}
    for name, build in ALL.items():
        board = build().build()
        for number, panel in enumerate(board.panels or [], start=1):
            panel.id_val = number  # stable, unique ids: Grafana links and edits panels by id
        rendered[f"{name}.json"] = encoder.encode(board) + "\n"
    return rendered

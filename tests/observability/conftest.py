"""Telemetry tests run on SQLite only: what they pin does not depend on the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from minitwit import migrations
from minitwit.db import connect


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A fresh, migrated SQLite database (overrides the sqlite+postgres parametrisation)."""
    url = f"sqlite:///{tmp_path / 'minitwit.sqlite'}"
    db = connect(url)
    migrations.upgrade(db)
    db.close()
    return url

"""Benchmarks: scripts that print figures (``nox -s bench``), never timed tests."""

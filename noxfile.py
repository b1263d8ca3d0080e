"""Developer sessions: ``nox`` runs the tests; ``nox -l`` lists the rest."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.download_python = "never"
nox.options.sessions = ["tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")


def install_group(session: nox.Session, *groups: str) -> None:
    """Install dependency groups from pyproject.toml."""
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (SQLite and a throwaway PostgreSQL); args go to pytest."""
    session.install("-e", ".")
    install_group(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Run MiniTwit on the embedded SQLite database at http://127.0.0.1:5000."""
    session.install("-e", ".")
    session.run("minitwit", "serve", *session.posargs)


@nox.session(default=False)
def ui(session: nox.Session) -> None:
    """Browser tests only (Playwright, Debian's Chromium, axe-core); screenshots in reports/ui/."""
    session.install("-e", ".")
    install_group(session, "test")
    if not Path("node_modules/axe-core").exists():
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("pytest", "tests/ui", *session.posargs)


@nox.session(default=False)
def lint(session: nox.Session) -> None:
    """Lint and format-check with ruff."""
    install_group(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(default=False)
def typecheck(session: nox.Session) -> None:
    """Type-check the app package with mypy (strict, configured in pyproject.toml)."""
    session.install("-e", ".")
    install_group(session, "typecheck")
    session.run("mypy", *session.posargs)


@nox.session(default=False)
def quality(session: nox.Session) -> None:
    """Coverage, ruff, mypy, complexity, duplication, dead code: gate and reports/quality/."""
    session.install("-e", ".")
    install_group(session, "test", "quality")
    session.run("python", "-m", "analysis", *session.posargs)


@nox.session(default=False)
def report(session: nox.Session) -> None:
    """One page for every pipeline's report, its history and what is new: reports/index.html."""
    session.install("-e", ".")
    install_group(session, "report")
    session.run("python", "-m", "devtools.portal", *session.posargs)


@nox.session(default=False)
def dashboards(session: nox.Session) -> None:
    """Regenerate the Grafana dashboards from observability/grafana/dashgen (--check: verify)."""
    session.install("-e", ".")  # dashgen reads the app's metric and command tables
    install_group(session, "observability")
    session.run("python", "-m", "observability.grafana.dashgen", *session.posargs)


@nox.session(default=False)
def alerts(session: nox.Session) -> None:
    """promtool: check the Prometheus rules and run the alert unit tests."""
    rules = sorted(str(path) for path in Path("observability/prometheus/rules").glob("*.yml"))
    session.run("promtool", "check", "rules", *rules, external=True)
    tests = sorted(str(path) for path in Path("observability/prometheus/tests").glob("*_test.yml"))
    session.run("promtool", "test", "rules", *tests, external=True)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Run tests/benchmarks/bench_*.py (each prints its figures); args pick benchmarks by name."""
    session.install("-e", ".")
    install_group(session, "bench")
    for script in sorted(Path("tests/benchmarks").glob("bench_*.py")):
        if not session.posargs or any(arg in script.stem for arg in session.posargs):
            session.run("python", "-m", f"tests.benchmarks.{script.stem}")


@nox.session(default=False)
def load(session: nox.Session) -> None:
    """Replay a scenario with Locust against a fresh MiniTwit; exit code = SLO verdict.

    Arguments go to ``python -m loadtest.run`` (``--postgres``, ``--workers N``, then Locust's);
    reports in reports/load/.
    """
    session.install("-e", ".")
    install_group(session, "load")
    session.run("python", "-m", "loadtest.run", *session.posargs)


@nox.session(default=False)
def cluster(session: nox.Session) -> None:
    """Run PostgreSQL, 3 replicas and nginx at http://127.0.0.1:8080 until Ctrl-C.

    ``nox -s cluster -- [--replicas N] [--workers N] [--port P] [--database sqlite]``
    """
    session.install("-e", ".")
    # Ctrl-C reaches the cluster too: give it time to stop every part before nox kills it.
    session.run("python", "-m", "deploy", *session.posargs, interrupt_timeout=60)


@nox.session(default=False)
def faults(session: nox.Session) -> None:
    """Fault drills (docs/fault-drills.md); report in reports/faults/, exit 1 when a drill fails.

    ``nox -s faults -- [--only NAME ...] [--quick] [--require-complete] [--out DIR]``
    """
    session.install("-e", ".")
    install_group(session, "load")
    # Ctrl-C reaches the drills: each stops what it started before nox gives up on it.
    session.run("python", "-m", "faults", *session.posargs, interrupt_timeout=60)


@nox.session(default=False)
def security(session: nox.Session) -> None:
    """Security pipeline against the code and a live server; report in reports/security/."""
    session.install("-e", ".")
    install_group(session, "security")
    session.run("python", "-m", "security.pipeline", *session.posargs)


@nox.session(default=False)
def conformance(session: nox.Session) -> None:
    """The contract as an HTTP suite against a fresh MiniTwit or ``--target URL``; exit = verdict.

    Arguments go to ``python -m conformance`` (``--target``, ``--postgres``, ``--only``,
    ``--allow-dirty``, ...); reports in reports/conformance/.
    """
    session.install("-e", ".")
    install_group(session, "conformance")
    session.run("python", "-m", "conformance", *session.posargs)


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """Schemathesis alone with a larger budget (--seed N to reproduce); reports in reports/fuzz/."""
    session.install("-e", ".")
    install_group(session, "security")
    session.run("python", "-m", "security.fuzz", *session.posargs)

"""Outcome dashboards: business events, SLOs and error budgets, and Loki logs."""

from __future__ import annotations

from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.models.dashboard import VariableRefresh

from .panels import (
    JOB,
    LOKI,
    dashboard,
    graph,
    log_panel,
    logql,
    prom,
    single,
)

RATE = "$__rate_interval"


def business() -> db.Dashboard:
    """Users, messages and follows, through the API and the web pages; sign-in events."""
    board = dashboard("minitwit-business", "MiniTwit / Business", ["business"])
    counters = (
        ("Registrations", "minitwit_registrations_total"),
        ("Messages posted", "minitwit_messages_posted_total"),
        ("Follows", "minitwit_follows_total"),
        ("Unfollows", "minitwit_unfollows_total"),
    )
    for title, metric in counters:
        board = board.with_panel(
            single(f"{title} (range)", "none", prom(f"sum(increase({metric}{{{JOB}}}[$__range]))"))
        )
    for title, metric in counters:
        board = board.with_panel(
            graph(
                f"{title} per second",
                "ops",
                prom(f"sum by (surface) (rate({metric}{{{JOB}}}[{RATE}]))", "{{surface}}"),
            )
        )
    return board.with_panel(
        graph(
            "Sign-in events per second",
            "ops",
            prom(
                f"sum by (event) (rate(minitwit_auth_events_total{{{JOB}}}[{RATE}]))", "{{event}}"
            ),
            width=24,
            description="Audit events (telemetry/audit.py). Failed plus throttled sign-ins above "
            "0.2/s for 5 minutes open a ticket (MinitwitSignInFailureBurst).",
        )
    ).with_panel(
        single(
            "Build", "none", prom(f"count by (version) (minitwit_build_info{{{JOB}}})"), width=24
        )
    )


def slo() -> db.Dashboard:
    """Availability (non-5xx) and latency (within 0.3 s) SLOs and their error budgets."""
    board = dashboard("minitwit-slo", "MiniTwit / SLO and error budget", ["slo"])
    for name, record, budget in (
        ("Availability", "availability_errors", 0.005),
        ("Latency", "latency_slow", 0.01),
    ):
        base = f"minitwit:sli_{record}:ratio_rate"
        board = (
            board.with_row(db.Row(f"{name} SLO ({(1 - budget) * 100:g} %)"))
            .with_panel(
                single(
                    f"{name} over 3 days",
                    "percentunit",
                    prom(f"1 - {base}3d"),
                    width=8,
                    steps=((None, "red"), (1 - budget, "green")),
                )
            )
            .with_panel(
                single(
                    "Error budget left (3-day window)",
                    "percentunit",
                    prom(f"1 - {base}3d / {budget}"),
                    width=8,
                    steps=((None, "red"), (0.25, "orange"), (0.5, "green")),
                )
            )
            .with_panel(
                single(
                    "Burn rate (1 h)",
                    "none",
                    prom(f"{base}1h / {budget}"),
                    width=8,
                    steps=((None, "green"), (6, "orange"), (14.4, "red")),
                )
            )
            .with_panel(
                graph(
                    f"{name} burn rate by window",
                    "none",
                    *[
                        prom(f"{base}{window} / {budget}", window, ref)
                        for window, ref in (("5m", "A"), ("1h", "B"), ("6h", "C"), ("1d", "D"))
                    ],
                    width=24,
                    description="1 spends the budget exactly in 30 days; 14.4 pages.",
                )
            )
        )
    return board


def logs() -> db.Dashboard:
    """Loki: errors, and every line of one request found by its id."""
    request_id = db.TextBoxVariable("request_id").label("Request id")
    env = (
        db.QueryVariable("env")
        .label("Env")
        .datasource(LOKI)
        .query({"label": "env", "refId": "env", "type": 1})
        .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED)
        .include_all(True)
        .all_value(".*")
    )
    stream = '{app="minitwit", env=~"$env"}'
    return (
        dashboard("minitwit-logs", "MiniTwit / Logs", ["logs"])
        .with_variable(env)
        .with_variable(request_id)
        .with_panel(
            graph("Log lines per second by level", "short")
            .datasource(LOKI)
            .with_target(logql(f"sum by (level) (rate({stream}[$__auto]))"))
        )
        .with_panel(
            graph("Errors per second", "short")
            .datasource(LOKI)
            .with_target(logql('sum(rate({app="minitwit", env=~"$env", level="error"}[$__auto]))'))
        )
        .with_panel(
            log_panel(
                "Errors (with stack traces)",
                logql('{app="minitwit", env=~"$env", level=~"error|critical"}'),
            )
        )
        .with_panel(
            log_panel("Lines of request $request_id", logql(f'{stream} |= "$request_id" | json'))
        )
    )

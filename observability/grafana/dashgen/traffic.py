"""Traffic dashboards: what the simulator sees, and HTTP RED by route."""

from __future__ import annotations

from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.models.dashboard import VariableRefresh, VariableSort

from .panels import (
    JOB,
    PROMETHEUS,
    SIMULATOR_TIMEOUT,
    dashboard,
    graph,
    prom,
    single,
    timeout_graph,
)

RATE = "$__rate_interval"
SIM_BUCKETS = f"minitwit_simulator_request_duration_seconds_bucket{{{JOB}}}"
SIM_WITHIN = (
    f'minitwit_simulator_request_duration_seconds_bucket{{{JOB},le="{SIMULATOR_TIMEOUT:g}"}}'
)
SIM_COUNT = f"minitwit_simulator_request_duration_seconds_count{{{JOB}}}"
SIM_REQUESTS = f"minitwit_simulator_requests_total{{{JOB}}}"
SIM_ERRORS = f"minitwit_simulator_errors_total{{{JOB}}}"


def _quantiles(buckets: str, by: str = "") -> list:
    group = f"le{', ' + by if by else ''}"
    legend = f"{{{{{by}}}}} " if by else ""
    return [
        prom(
            f"histogram_quantile({q}, sum by ({group}) (rate({buckets}[{RATE}])))",
            f"{legend}p{int(q * 100)}",
            ref,
        )
        for q, ref in ((0.5, "A"), (0.95, "B"), (0.99, "C"))
    ]


def _share_not(sel: str, klass: str) -> object:
    """Share of a status class per route, as 1 - the rest (so routes without errors show 0)."""
    total = f"sum by (route) (rate(minitwit_http_requests_total{{{sel}}}[{RATE}]))"
    others = f'{sel},status!~"{klass}.."'
    rest = f"sum by (route) (rate(minitwit_http_requests_total{{{others}}}[{RATE}]))"
    return prom(f"1 - ({rest} or 0 * {total}) / {total}", "{{route}}")


def simulator() -> db.Dashboard:
    """What the course's simulator sees: latest, actions, errors, latency against 0.3 s."""
    return (
        dashboard("minitwit-simulator", "MiniTwit / Simulator", ["simulator"])
        .with_row(db.Row("Progress"))
        .with_panel(single("latest", "none", prom(f"max(minitwit_latest{{{JOB}}})")))
        .with_panel(
            single(
                "Simulator errors (range)",
                "none",
                prom(f"sum(increase({SIM_ERRORS}[$__range]))"),
                steps=((None, "green"), (1, "red")),
            )
        )
        .with_panel(single("Actions/s", "reqps", prom(f"sum(rate({SIM_REQUESTS}[{RATE}]))")))
        .with_panel(
            single(
                f"Share within {SIMULATOR_TIMEOUT:g} s",
                "percentunit",
                prom(f"sum(rate({SIM_WITHIN}[{RATE}])) / sum(rate({SIM_COUNT}[{RATE}]))"),
                steps=((None, "red"), (0.99, "green")),
            )
        )
        .with_panel(
            graph(
                "latest progress",
                "none",
                prom(f"max(minitwit_latest{{{JOB}}})", "latest"),
                width=24,
            )
        )
        .with_row(db.Row("Traffic and errors"))
        .with_panel(
            graph(
                "Actions per second by command",
                "reqps",
                prom(f"sum by (command) (rate({SIM_REQUESTS}[{RATE}]))", "{{command}}"),
            )
        )
        .with_panel(
            graph(
                "Errors by simulator category",
                "reqps",
                prom(
                    f"sum by (command, reason) (rate({SIM_ERRORS}[{RATE}]))",
                    "{{command}} {{reason}}",
                ),
                description=f"timeout: slower than {SIMULATOR_TIMEOUT:g} s; status: a status the "
                "simulator rejects.",
            )
        )
        .with_panel(timeout_graph("Latency percentiles (all commands)", *_quantiles(SIM_BUCKETS)))
        .with_panel(
            timeout_graph(
                "p99 latency by command",
                prom(
                    f"histogram_quantile(0.99, sum by (le, command) (rate({SIM_BUCKETS}[{RATE}])))",
                    "{{command}}",
                ),
            )
        )
    )


def http() -> db.Dashboard:
    """Rate, errors and duration for every route template."""
    sel = f'{JOB},route=~"$route"'
    route = (
        db.QueryVariable("route")
        .label("Route")
        .datasource(PROMETHEUS)
        .query(
            {
                "query": f"label_values(minitwit_http_requests_total{{{JOB}}}, route)",
                "refId": "route",
            }
        )
        .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED)
        .sort(VariableSort.ALPHABETICAL_ASC)
        .multi(True)
        .include_all(True)
        .all_value(".*")
    )
    buckets = f"minitwit_http_request_duration_seconds_bucket{{{sel}}}"
    return (
        dashboard("minitwit-http", "MiniTwit / HTTP (RED)", ["http"])
        .with_variable(route)
        .with_panel(
            graph(
                "Requests per second by route",
                "reqps",
                prom(
                    f"sum by (method, route) (rate(minitwit_http_requests_total{{{sel}}}[{RATE}]))",
                    "{{method}} {{route}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Requests per second by status",
                "reqps",
                prom(
                    f"sum by (status) (rate(minitwit_http_requests_total{{{sel}}}[{RATE}]))",
                    "{{status}}",
                ),
            )
        )
        .with_panel(graph("5xx share by route", "percentunit", _share_not(sel, "5")))
        .with_panel(graph("4xx share by route", "percentunit", _share_not(sel, "4")))
        .with_panel(
            timeout_graph(
                "p95 duration by route",
                prom(
                    f"histogram_quantile(0.95, sum by (le, route) (rate({buckets}[{RATE}])))",
                    "{{route}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Database statement latency p95",
                "s",
                prom(
                    "histogram_quantile(0.95, sum by (le, statement) "
                    f"(rate(minitwit_db_query_duration_seconds_bucket{{{JOB}}}[{RATE}])))",
                    "{{statement}}",
                ),
            )
        )
    )

"""Small builders shared by the dashboards: datasources, queries and panel shapes."""

from __future__ import annotations

from grafana_foundation_sdk.builders import common as cb
from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.builders import logs, loki, prometheus, stat, timeseries
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models.dashboard import (
    DataSourceRef,
    Threshold,
    ThresholdsMode,
)

from minitwit.commands import TIMEOUT

# UIDs fixed by provisioning/datasources/datasources.yml.
PROMETHEUS = DataSourceRef(type_val="prometheus", uid="prometheus")
LOKI = DataSourceRef(type_val="loki", uid="loki")
JOB = 'job="minitwit"'
SIMULATOR_TIMEOUT = TIMEOUT  # seconds; the app's table of simulator commands


def prom(expr: str, legend: str = "", ref: str = "A") -> prometheus.Dataquery:
    """A PromQL query against the provisioned Prometheus."""
    query = prometheus.Dataquery().expr(expr).ref_id(ref).datasource(PROMETHEUS)
    return query.legend_format(legend) if legend else query


def logql(expr: str, ref: str = "A") -> loki.Dataquery:
    """A LogQL query against the provisioned Loki."""
    return loki.Dataquery().expr(expr).ref_id(ref).datasource(LOKI)


def thresholds(*steps: tuple[float | None, str]) -> db.ThresholdsConfig:
    """Absolute thresholds, the first step from -infinity (None)."""
    return (
        db.ThresholdsConfig()
        .mode(ThresholdsMode.ABSOLUTE)
        .steps([Threshold(value=value, color=color) for value, color in steps])
    )


def graph(
    title: str, unit: str, *queries: prometheus.Dataquery, width: int = 12, description: str = ""
) -> timeseries.Panel:
    """A time series panel."""
    panel = (
        timeseries.Panel()
        .title(title)
        .unit(unit)
        .datasource(PROMETHEUS)
        .span(width)
        .height(8)
        .legend(
            cb.VizLegendOptions()
            .show_legend(True)
            .display_mode(common.LegendDisplayMode.TABLE)
            .placement(common.LegendPlacement.BOTTOM)
            .calcs(["lastNotNull", "max"])
        )
    )
    if description:
        panel = panel.description(description)
    for query in queries:
        panel = panel.with_target(query)
    return panel


def timeout_graph(title: str, *queries: prometheus.Dataquery) -> timeseries.Panel:
    """A latency graph with the simulator's timeout drawn as a red line."""
    return (
        graph(
            title,
            "s",
            *queries,
            description=f"Dashed red line: the simulator's {SIMULATOR_TIMEOUT:g} s timeout.",
        )
        .thresholds(thresholds((None, "green"), (SIMULATOR_TIMEOUT, "red")))
        .thresholds_style(
            cb.GraphThresholdsStyleConfig().mode(common.GraphThresholdsStyleMode.DASHED)
        )
    )


def single(
    title: str,
    unit: str,
    query: prometheus.Dataquery,
    width: int = 6,
    steps: tuple[tuple[float | None, str], ...] = ((None, "blue"),),
) -> stat.Panel:
    """A single-value stat panel."""
    return (
        stat.Panel()
        .title(title)
        .unit(unit)
        .datasource(PROMETHEUS)
        .span(width)
        .height(4)
        .with_target(query)
        .thresholds(thresholds(*steps))
    )


def log_panel(title: str, query: loki.Dataquery, width: int = 24) -> logs.Panel:
    """A Loki log lines panel."""
    return (
        logs.Panel()
        .title(title)
        .datasource(LOKI)
        .span(width)
        .height(12)
        .with_target(query)
        .show_time(True)
        .wrap_log_message(True)
        .enable_log_details(True)
        .prettify_log_message(False)
        .sort_order(common.LogsSortOrder.DESCENDING)
    )


def dashboard(uid: str, title: str, tags: list[str]) -> db.Dashboard:
    """A dashboard with the stack's common settings."""
    return (
        db.Dashboard(title)
        .uid(uid)
        .tags(["minitwit", *tags])
        .refresh("30s")
        .time("now-1h", "now")
        .timezone("utc")
        .editable()
    )

"""The five MiniTwit dashboards, by file name: simulator, HTTP RED, business, SLO, logs."""

from __future__ import annotations

from .outcomes import business, logs, slo
from .traffic import http, simulator

ALL = {"simulator": simulator, "http": http, "business": business, "slo": slo, "logs": logs}

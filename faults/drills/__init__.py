"""The drills; importing this package registers them all, in the order of issue 11."""

from faults.drill import REGISTRY

from . import cluster, crash, loki, races, slow

ORDER = (
    "database-outage",
    "replica-kill",
    "rolling-restart",
    "server-kill",
    "slow-clients",
    "loki-down",
    "races",
)
for _name in ORDER:
    REGISTRY[_name] = REGISTRY.pop(_name)

__all__ = ["ORDER", "cluster", "crash", "loki", "races", "slow"]

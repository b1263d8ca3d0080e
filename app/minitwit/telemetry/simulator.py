"""How the course's simulator judges an answer: in time, and with a status it expects."""

from __future__ import annotations

from .. import commands


def error_reason(command: str, status: int, seconds: float) -> str | None:
    """Why the simulator would count this answer as an error (timeout or status), or None."""
    if seconds > commands.TIMEOUT:
        return "timeout"
    return None if status in commands.BY_NAME[command].expected else "status"


def code_class(status: int) -> str:
    """``2xx``, ``3xx``, ``4xx`` or ``5xx``."""
    return f"{status // 100}xx"

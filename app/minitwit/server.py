"""Run the application under gunicorn (the production server)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """A gunicorn application configured in code, loading ``minitwit.wsgi:app`` per worker."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from .wsgi import app

        return app


def run(host: str, port: int, workers: int) -> int:
    """Serve until a signal stops the server; return the exit status."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def when_ready(server: Any) -> None:
        for listener in server.LISTENERS:
            bound_host, bound_port = listener.sock.getsockname()[:2]
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            print(f"MiniTwit is serving on http://{shown}:{bound_port}/ ({workers} workers)",
                  flush=True)

    options = {
        "bind": bind,
        "workers": workers,
        "worker_class": "sync",
        "graceful_timeout": 10,
        "timeout": 30,
        "when_ready": when_ready,
        "proc_name": "minitwit",
        "control_socket_disable": True,
    }
    _Gunicorn(options).run()
    return 0

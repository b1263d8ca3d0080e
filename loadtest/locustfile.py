"""Locust entry point: ``SimulatorUser`` replays a scenario, ``WebUser`` browses the site.

    locust -f loadtest/locustfile.py --config loadtest/locust.conf --host http://127.0.0.1:5000

With no user class named on the command line only ``SimulatorUser`` runs; name
``WebUser`` (or both) to browse. The run ends by itself when the scenario is
exhausted, and the exit code is the SLO verdict.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpSession, FastHttpUser
from locust.env import Environment
from locust.runners import WorkerRunner

if __package__ in (None, ""):  # run by path (locust -f loadtest/locustfile.py)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.simulator import basic_auth
from loadtest import replay, state
from loadtest.dispatch import LocalSource
from loadtest.options import add_arguments
from loadtest.simulator import SimulatorError, build_request, classify
from loadtest.web_user import WebUser

__all__ = ["SimulatorUser", "WebUser"]
CREDIT_PER_USER = 2  # actions a user may have waiting for it (keeps every user busy)


class SimulatorUser(FastHttpUser):
    """Sends scenario actions exactly as the course's simulator does, as fast as allowed."""

    wait_time = constant(0)

    def on_start(self) -> None:
        options = self.environment.parsed_options
        if options is None:
            raise RuntimeError("SimulatorUser needs Locust's parsed options")
        timeout = options.request_timeout
        self.client = FastHttpSession(
            self.host,
            request_event=self.environment.events.request,
            user=self,
            network_timeout=timeout,
            connection_timeout=timeout,
            max_retries=0,
            max_redirects=0,
            concurrency=1,
        )
        self.authorization = basic_auth(options.sim_username, options.sim_password)
        self.close = not options.keep_alive
        current = state.current()
        source = current.source if current is not None else None
        if source is None:
            raise RuntimeError("SimulatorUser runs only where the replay is set up")
        self.source: LocalSource = source
        source.add_credit(CREDIT_PER_USER)

    def on_stop(self) -> None:
        if getattr(self, "source", None) is not None:
            self.source.add_credit(-CREDIT_PER_USER)

    @task
    def replay_next_action(self) -> None:
        """Take the next released action, send it, judge it, report the outcome."""
        action = self.source.get(timeout=1.0)
        if action is None:
            return
        request = build_request(action, self.authorization, self.close)
        status, category = 0, None
        try:
            with self.client.request(
                request.method,
                request.path,
                name=action.command,
                data=request.body,  # type: ignore[arg-type]  # bytes are sent as they are
                headers=request.headers,
                catch_response=True,
            ) as response:
                status = response.status_code or 0
                category = classify(action.command, status, getattr(response, "error", None))
                if category is None:
                    response.success()
                else:
                    response.failure(SimulatorError(category))
        except Exception as exc:  # never leave an action in flight: the run could not end
            category = f"client error {type(exc).__name__}"
        self.source.done(action.id, status, category)


@events.init_command_line_parser.add_listener  # type: ignore[untyped-decorator]
def _arguments(parser: Any) -> None:
    add_arguments(parser)


@events.init.add_listener  # type: ignore[untyped-decorator]
def _init(environment: Environment, **_kwargs: Any) -> None:
    options = environment.parsed_options
    worker = isinstance(environment.runner, WorkerRunner)  # workers run what the master says
    if options is not None and not options.user_classes and not worker:
        # Named classes run as asked; by default, only the replay.
        environment.user_classes[:] = [SimulatorUser]
    replay.setup(environment)


@events.test_start.add_listener  # type: ignore[untyped-decorator]
def _test_start(environment: Environment, **_kwargs: Any) -> None:
    replay.on_test_start(environment)


@events.quitting.add_listener  # type: ignore[untyped-decorator]
def _quitting(environment: Environment, **_kwargs: Any) -> None:
    replay.on_quitting(environment)

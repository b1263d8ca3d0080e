"""Wire the replay into Locust: arguments, the coordinator or worker source, the verdict."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import gevent
from locust.env import Environment
from locust.runners import STATE_MISSING, LocalRunner, MasterRunner, WorkerRunner

from . import results, state
from .dispatch import ACTIONS, CREDIT, DONE, Coordinator, LocalSource, outcomes_of
from .generate import generate
from .integrity import ExpectedState
from .report import Progress, Timeline
from .scenario import Action, ScenarioError, read_scenario
from .schedule import Scheduler

log = logging.getLogger("loadtest.replay")


def open_scenario(options: Any) -> tuple[Iterable[Action], str, int]:
    """The actions to replay, a name for them, and how many there are (file validated)."""
    if options.scenario:
        path = Path(options.scenario)
        if not path.is_file():
            raise SystemExit(f"scenario file not found: {path}")
        try:
            total = sum(1 for _ in read_scenario(path))
        except (ScenarioError, UnicodeDecodeError) as exc:
            raise SystemExit(f"{path}: {exc}") from exc
        return read_scenario(path), str(path), total
    actions, users, seed = options.generate_actions, options.generate_users, options.generate_seed
    name = f"generated(actions={actions}, users={users}, seed={seed})"
    return generate(actions, users, seed), name, actions


def setup(environment: Environment) -> None:
    """Create the coordinator (master or single process) and/or the action source (workers)."""
    runner, options = environment.runner, environment.parsed_options
    replay = state.begin()
    if isinstance(runner, WorkerRunner):
        source = LocalSource(
            report=lambda outcomes: runner.send_message(DONE, {"outcomes": outcomes}),
            batch_delay=0.002,
            announce=lambda credit: runner.send_message(CREDIT, {"credit": credit}),
        )
        replay.source = source
        runner.register_message(
            ACTIONS,
            lambda environment, msg: source.deliver(
                [Action.from_row(row) for row in msg.data["actions"]]
            ),
        )
        return
    if not isinstance(runner, LocalRunner | MasterRunner) or options is None:
        return
    if "SimulatorUser" not in environment.user_classes_by_name:
        return  # e.g. only WebUser: nothing to replay, the SLO gate still judges the run
    actions, replay.scenario_name, replay.total = open_scenario(options)
    scheduler = Scheduler(actions, speedup=options.speedup, window=options.replay_window)

    def finished() -> None:
        gevent.spawn(_finish, environment, coordinator)

    coordinator = Coordinator(
        scheduler, ExpectedState(keep=options.integrity_keep), on_finished=finished
    )
    replay.coordinator = coordinator
    replay.timeline = Timeline(lambda: _probe(environment, coordinator))
    if isinstance(runner, MasterRunner):
        runner.register_message(
            CREDIT,
            lambda environment, msg: coordinator.attach(
                msg.node_id, _sender(runner, msg.node_id), int(msg.data["credit"])
            ),
        )
        runner.register_message(
            DONE,
            lambda environment, msg: coordinator.report(
                msg.node_id, outcomes_of(msg.data["outcomes"])
            ),
        )
        gevent.spawn(_watch_workers, runner, coordinator)
    else:
        local = LocalSource(report=lambda outcomes: coordinator.report("local", outcomes))
        local.announce = lambda credit: coordinator.attach("local", local.deliver, credit)
        replay.source = local
    log.info(
        "replaying %s: %d actions, speedup %s",
        replay.scenario_name,
        replay.total,
        options.speedup or "none (as fast as possible)",
    )


def _sender(runner: MasterRunner, node_id: str) -> Any:
    return lambda batch: runner.send_message(
        ACTIONS, {"actions": [a.as_row() for a in batch]}, node_id
    )


def _watch_workers(runner: MasterRunner, coordinator: Coordinator) -> None:
    """Declare the actions of vanished workers lost, so the replay can still end."""
    while coordinator.finished_at is None:
        gevent.sleep(1.0)
        present = {client.id: client for client in runner.clients.all}
        for node_id in list(coordinator.nodes):
            client = present.get(node_id)
            if client is None or client.state == STATE_MISSING:
                lost = coordinator.detach(node_id)
                log.warning("worker %s is gone; %d of its actions counted as lost", node_id, lost)


def _probe(environment: Environment, coordinator: Coordinator) -> Progress:
    scheduler = coordinator.scheduler
    return Progress(
        t=coordinator.elapsed(),
        completed=scheduler.completed,
        errors=sum(coordinator.errors.values()),
        max_completed_id=scheduler.max_completed_id,
        stats=environment.stats.total,
    )


def on_test_start(environment: Environment) -> None:
    """Start sampling the run and logging progress (where the replay is coordinated)."""
    replay = state.current()
    if replay is not None and replay.timeline is not None and replay.coordinator is not None:
        replay.timeline.start()
        gevent.spawn(_progress, replay, replay.coordinator)


def _progress(replay: state.Replay, coordinator: Coordinator, every: float = 5.0) -> None:
    while coordinator.finished_at is None:
        gevent.sleep(every)
        scheduler, elapsed = coordinator.scheduler, coordinator.elapsed()
        rate = scheduler.completed / max(elapsed, 1e-9)
        log.info(
            "replay: %d/%d actions done in %.0f s (%.0f/s), %d in flight, %d errors",
            scheduler.completed,
            replay.total,
            elapsed,
            rate,
            scheduler.in_flight,
            sum(coordinator.errors.values()),
        )


def _finish(environment: Environment, coordinator: Coordinator) -> None:
    log.info(
        "replay complete: %d actions in %.1f s",
        coordinator.scheduler.completed,
        coordinator.finished_at or 0.0,
    )
    runner, options = environment.runner, environment.parsed_options
    if runner is None:
        return
    if options is not None and not options.headless:
        runner.stop()  # keep the web UI up to look at the results
    else:
        runner.quit()


def on_quitting(environment: Environment) -> None:
    """Judge the run and write the reports (master or single process); workers exit 0."""
    if isinstance(environment.runner, WorkerRunner):
        environment.process_exit_code = 0  # the master's verdict is the exit code
        return
    replay, options = state.current(), environment.parsed_options
    if replay is None:
        return
    if options is None:
        environment.process_exit_code = 2
        return
    if replay.timeline is not None:
        replay.timeline.stop()
    summary = results.summarise(environment, replay)
    verdict = results.judge(summary, results.thresholds_from(options))
    results.announce(summary, verdict)
    if options.report_dir:
        page = results.write(Path(options.report_dir), summary, verdict, options.slo_p95_ms)
        print(f"report: {page}", flush=True)
    environment.process_exit_code = 0 if verdict.passed else 1

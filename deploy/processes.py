"""Process groups the cluster started: signal, wait, and kill them by their leader's PID.

Every process (a replica's server with its workers, nginx with its workers) starts with
``start_new_session=True``, so its PID is also the id of a process group holding all its
children. The leader is waited for without being reaped until its group has been killed, so
that the id cannot be reused by an unrelated process in between.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

Process = subprocess.Popen[bytes]


def exited(process: Process, timeout: float) -> bool:
    """Wait up to ``timeout`` s for the leader to exit, leaving it unreaped (a zombie)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.returncode is not None:
            return True
        result = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if result is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def members(group: int) -> list[int]:
    """The live (not zombie) processes of a process group, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # exited while we looked
        # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == group and fields[0] not in {"Z", "X"}:
            found.append(int(text.split(" ", 1)[0]))
    return found


def kill_group(process: Process, timeout: float = 5) -> None:
    """SIGKILL the whole group the process leads (leader and children) and wait until it is gone.

    Waiting matters: a worker that still holds the listening socket would keep the port busy.
    """
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + timeout
    while members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def stop(process: Process, sig: signal.Signals, timeout: float) -> bool:
    """Send ``sig`` to the leader, wait up to ``timeout`` s, then kill what is left.

    Returns whether the leader exited by itself within the timeout.
    """
    graceful = True
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)
        graceful = exited(process, timeout)
    kill_group(process)
    return graceful

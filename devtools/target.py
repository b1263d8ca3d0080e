"""The guard of every live tool pointed at a ``--target``: loopback only, unless you own it.

Load replays, fuzzers and scanners send thousands of odd requests. Aimed at a host by mistake
they are an attack, so a target that is not this machine is refused unless the operator says
``--i-own-this-target`` (or sets ``MINITWIT_I_OWN_THIS_TARGET=1``). Names are not resolved:
``localhost`` and loopback addresses pass, every other name needs the acknowledgement.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
from urllib.parse import urlsplit

from .simulator import PASSWORD, USERNAME

ALLOW_FLAG = "--i-own-this-target"
ALLOW_ENV = "MINITWIT_I_OWN_THIS_TARGET"


class TargetRefused(ValueError):
    """A target URL the guard will not let a tool send traffic to; the message says why."""


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1); names are never resolved."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_by_env(environ: dict[str, str] | None = None) -> bool:
    """Whether ``MINITWIT_I_OWN_THIS_TARGET`` acknowledges a non-loopback target."""
    value = (os.environ if environ is None else environ).get(ALLOW_ENV, "")
    return value.strip().lower() in ("1", "true", "yes")


def check_target(url: str, i_own_it: bool = False, environ: dict[str, str] | None = None) -> str:
    """The target's base URL without a trailing slash, or :class:`TargetRefused` with the reason."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(f"--target {url!r}: give a base URL such as http://127.0.0.1:5000")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise TargetRefused(f"--target {url!r}: no query, fragment or credentials in the URL")
    if not is_loopback(parts.hostname) and not (i_own_it or allowed_by_env(environ)):
        raise TargetRefused(
            f"--target {url}: {parts.hostname} is not this machine (loopback). These tools send "
            f"bounded but hostile traffic; point them only at a deployment you run. If you do, "
            f"add {ALLOW_FLAG} (or set {ALLOW_ENV}=1)."
        )
    return url.strip().rstrip("/")


def add_target_options(
    parser: argparse.ArgumentParser,
    target_help: str,
    group: argparse._MutuallyExclusiveGroup | None = None,
    credentials: bool = True,
) -> None:
    """``--target``, its guard and the simulator's credentials, as every live tool takes them."""
    (group or parser).add_argument("--target", default="", help=target_help)
    parser.add_argument(
        ALLOW_FLAG,
        dest="i_own_it",
        action="store_true",
        help=f"allow a --target that is not loopback (or {ALLOW_ENV}=1)",
    )
    if credentials:
        parser.add_argument("--sim-username", default=USERNAME, help="simulator API user")
        parser.add_argument("--sim-password", default=PASSWORD, help="simulator API password")

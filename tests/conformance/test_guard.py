"""devtools.target: live tools accept loopback targets and refuse others unless acknowledged."""

from __future__ import annotations

import pytest

from devtools.target import ALLOW_ENV, TargetRefused, check_target


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("http://127.0.0.1:5000/", "http://127.0.0.1:5000"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://[::1]:5000", "http://[::1]:5000"),
        ("https://127.10.0.3/minitwit/", "https://127.10.0.3/minitwit"),
    ],
)
def test_loopback_targets_pass_without_acknowledgement(url: str, base: str) -> None:
    assert check_target(url, environ={}) == base


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5:5000", "http://example.org", "http://localhost.example.org"]
)
def test_other_hosts_are_refused_with_the_way_to_allow_them(url: str) -> None:
    with pytest.raises(TargetRefused, match=r"is not this machine.*--i-own-this-target"):
        check_target(url, environ={})


def test_the_flag_or_the_environment_variable_allows_another_host() -> None:
    assert check_target("https://minitwit.example.org", i_own_it=True, environ={})
    assert check_target("https://minitwit.example.org", environ={ALLOW_ENV: "1"})
    with pytest.raises(TargetRefused):
        check_target("https://minitwit.example.org", environ={ALLOW_ENV: "0"})


@pytest.mark.parametrize(
    "url",
    ["127.0.0.1:5000", "ftp://127.0.0.1", "http://user:pw@127.0.0.1", "http://127.0.0.1/?a=1"],
)
def test_malformed_targets_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused, match="--target"):
        check_target(url, i_own_it=True, environ={})

"""Generate scenarios in the course's format: ``python -m loadtest.generate --actions N ...``."""

from __future__ import annotations

import argparse
import bisect
import math
import random
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from .scenario import FOLLOW, REGISTER, TWEET, UNFOLLOW, Action, format_action
from .words import FIRST, LAST, WORDS

# The course scenario's mix (25,922 actions): shares of the non-register actions.
MIX = ((TWEET, 11_306), (FOLLOW, 9_751), (UNFOLLOW, 4_665))
UNFOLLOW_NOT_FOLLOWED = 1_179 / 4_665  # unfollows of someone not followed at that moment
REGISTRATION_SPAN = 0.36  # every registration happens within the first 36 % of the actions
DELAY_MEDIAN_MS = 73_316  # recorded delays: heavy-tailed, median about 73 s, mean about 233 s
DELAY_SIGMA = 1.52
START_MS = 1_582_246_860_738

DOMAINS = ("gmail.com", "hotmail.com", "yahoo.com", "dtu.dk", "itu.dk", "example.org")
PASSWORD_CHARS = string.ascii_letters + string.digits + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


class Generator:
    """Deterministic, streaming scenario generator; memory grows with users, not actions."""

    def __init__(self, actions: int, users: int, seed: int) -> None:
        if actions < 0 or users < 1:
            raise ValueError("actions must be >= 0 and users >= 1")
        self.actions, self.users = actions, min(users, actions) if actions else 0
        self.rng = random.Random(seed)
        self.names: list[str] = []
        self.taken: set[str] = set()
        self.activity: list[float] = []  # cumulative actor weights, in registration order
        self.popularity: list[float] = []  # cumulative follow-target weights
        self.follows: list[list[int]] = []
        self.follow_sets: list[set[int]] = []

    def __iter__(self) -> Iterator[Action]:
        window = max(self.users, math.ceil(self.actions * REGISTRATION_SPAN))
        remaining, stamp = self.users, START_MS
        for ident in range(self.actions):
            delay = 0 if ident == 0 else self._delay()
            stamp += delay
            left_in_window = max(window - ident, remaining)
            if remaining and (not self.names or self.rng.random() < remaining / left_in_window):
                remaining -= 1
                yield self._register(ident, delay, stamp)
            else:
                yield self._activity(ident, delay, stamp)

    def _delay(self) -> int:
        return int(self.rng.lognormvariate(math.log(DELAY_MEDIAN_MS), DELAY_SIGMA))

    def _new_name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if len(self.taken) >= len(FIRST) * len(LAST) // 2:
                name = f"{name} {self.rng.randrange(10**6)}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def _register(self, ident: int, delay: int, stamp: int) -> Action:
        name = self._new_name()
        first, last = name.split(" ", 1)
        separator, domain = self.rng.choice(".+-_"), self.rng.choice(DOMAINS)
        email = f"{first}{separator}{last.replace(' ', '')}@{domain}"
        password = "".join(self.rng.choices(PASSWORD_CHARS, k=self.rng.randint(6, 10)))
        self.names.append(name)
        # Skewed activity: a few users do much of the work, as in the recorded scenario.
        self.activity.append(_last(self.activity) + self.rng.lognormvariate(0, 0.8))
        self.popularity.append(_last(self.popularity) + self.rng.lognormvariate(0, 1.0))
        self.follows.append([])
        self.follow_sets.append(set())
        return Action(ident, delay, stamp, REGISTER, name, (email, password))

    def _pick(self, cumulative: list[float]) -> int:
        index = bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])
        return min(index, len(cumulative) - 1)

    def _activity(self, ident: int, delay: int, stamp: int) -> Action:
        actor = self._pick(self.activity)
        command = self.rng.choices([c for c, _ in MIX], weights=[w for _, w in MIX])[0]
        if command == FOLLOW:
            target = self._new_followee(actor)
            if target is not None:
                self.follows[actor].append(target)
                self.follow_sets[actor].add(target)
                return self._action(ident, delay, stamp, FOLLOW, actor, self.names[target])
            command = UNFOLLOW if self.follows[actor] else TWEET
        if command == UNFOLLOW and len(self.names) > 1:
            followed = self.follows[actor]
            if followed and self.rng.random() >= UNFOLLOW_NOT_FOLLOWED:
                target = followed.pop(self.rng.randrange(len(followed)))
                self.follow_sets[actor].discard(target)
            else:
                target = self._other(actor)
                if target in self.follow_sets[actor]:
                    followed.remove(target)
                    self.follow_sets[actor].discard(target)
            return self._action(ident, delay, stamp, UNFOLLOW, actor, self.names[target])
        return self._action(ident, delay, stamp, TWEET, actor, self._text())

    def _other(self, actor: int) -> int:
        while True:
            target = (
                self._pick(self.popularity)
                if self.rng.random() < 0.8
                else self.rng.randrange(len(self.names))
            )
            if target != actor:
                return target

    def _new_followee(self, actor: int) -> int | None:
        if len(self.follow_sets[actor]) >= len(self.names) - 1:
            return None
        for _ in range(16):
            target = self._other(actor)
            if target not in self.follow_sets[actor]:
                return target
        candidates = [
            u for u in range(len(self.names)) if u != actor and u not in self.follow_sets[actor]
        ]
        return self.rng.choice(candidates) if candidates else None

    def _action(
        self, ident: int, delay: int, stamp: int, command: str, actor: int, arg: str
    ) -> Action:
        return Action(ident, delay, stamp, command, self.names[actor], (arg,))

    def _text(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(4, 24))
        text = " ".join(words)
        text = text[0].upper() + text[1:140].rstrip() + self.rng.choice(".!?")
        return text[:140]


def _last(cumulative: list[float]) -> float:
    return cumulative[-1] if cumulative else 0.0


def generate(actions: int, users: int, seed: int) -> Iterator[Action]:
    """Stream ``actions`` actions by ``users`` users (all registered before use)."""
    return iter(Generator(actions, users, seed))


def write_generated(path: str | Path, actions: int, users: int, seed: int) -> Path:
    """Write a generated scenario to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        for action in generate(actions, users, seed):
            out.write(format_action(action))
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: write a scenario to a file or to standard output."""
    parser = argparse.ArgumentParser(prog="python -m loadtest.generate", description=__doc__)
    parser.add_argument("--actions", type=int, default=25_922, help="number of actions")
    parser.add_argument("--users", type=int, default=200, help="number of users to register")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same file)")
    parser.add_argument("-o", "--output", default="-", help="output file ('-': standard output)")
    args = parser.parse_args(argv)
    if args.actions < 0 or args.users < 1:
        parser.error("--actions must be >= 0 and --users >= 1")
    if args.output == "-":
        for action in generate(args.actions, args.users, args.seed):
            sys.stdout.write(format_action(action))
    else:
        write_generated(args.output, args.actions, args.users, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

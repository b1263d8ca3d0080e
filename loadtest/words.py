"""Word lists for generated scenarios: names like the course's, and tweet vocabulary."""

from __future__ import annotations

_FIRST = """
Roger Geoffrey Wendell Nathan Sharmaine Waneta Cheryll Carroll Jacqualine Ada Alan Grace
Linus Margaret Ken Dennis Barbara Edsger Donald Frances Radia Tim Vint Hedy Anita Guido
Bjarne Niklaus John Leslie Shafi Silvio Judea Yoshua Fei Andrew Ruth Katherine Dorothy Mary
Annie Evelyn Joan Karen Sophie Lynn Hal Brian Rob
"""
_LAST = """
Histand Stieff Ballan Sirmon Abdelrahman Ungvarsky Ebbers Begnaud Gilcoine Lovelace Turing
Hopper Torvalds Hamilton Thompson Ritchie Liskov Dijkstra Knuth Allen Perlman Berners Cerf
Lamarr Borg Rossum Stroustrup Wirth Backus Lamport Goldwasser Micali Pearl Bengio Li Ng
Jones Johnson Vaughan Keller Easley Boyd Clarke Sparck Wilson Conway Kernighan Pike Abelson
Sussman
"""
_WORDS = """
the of and to a in that it was he I his you for had is with as she on at her by which not be
this all from but they my were we are so one have there what an them when said me their if
would been no more or into out up could time some man very like then upon day now old before
down made great over again little eyes face hour yesterday white saw long night hand house
never might heart world thought
"""

FIRST: tuple[str, ...] = tuple(_FIRST.split())
LAST: tuple[str, ...] = tuple(_LAST.split())
WORDS: tuple[str, ...] = tuple(_WORDS.split())

"""Fault drills as code: inject one failure into a running MiniTwit, measure what clients saw.

Each drill starts its own servers (a bare ``minitwit serve`` or the nginx cluster of
``deploy/cluster.py``), drives bounded simulator traffic at them (:mod:`faults.traffic`),
injects the fault by PID, and judges the outcome (:mod:`faults.drill`). ``python -m faults``
runs them and writes ``reports/faults/``. Everything talks to 127.0.0.1 only.
"""

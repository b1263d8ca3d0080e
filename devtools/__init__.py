"""Tooling shared by the tests, nox sessions, the security pipeline, the load runner and the
benchmarks: a live ``minitwit serve``, a throwaway PostgreSQL, free ports, the simulator's auth.

The app never imports from here; everything here talks to MiniTwit as an operator would
(its CLI, HTTP on loopback).
"""

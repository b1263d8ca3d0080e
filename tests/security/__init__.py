"""Tests of the security pipeline and of the app hardening its scanners asked for."""

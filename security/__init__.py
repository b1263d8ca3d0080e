"""MiniTwit's security pipeline: scanners, report and gate (talks to the app over HTTP only)."""

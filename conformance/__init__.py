"""The compatibility contract (docs/contract.md) as an HTTP-only suite that judges any MiniTwit.

``python -m conformance --target URL`` (or ``nox -s conformance -- --target URL``); without a
target it starts a fresh MiniTwit from this checkout. It never imports the application.
"""

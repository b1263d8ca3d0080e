"""The error a migration raises instead of losing data."""


class MigrationError(RuntimeError):
    """A migration cannot proceed without losing data; the message says what to fix."""

"""Checks for text that every supported database can store."""


def is_storable(value: str) -> bool:
    """False for NUL characters (PostgreSQL refuses them) and lone surrogates (not UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

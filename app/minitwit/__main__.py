"""``python -m minitwit`` runs the command line."""

from .cli import main

main()

"""``python -m conformance``: see conformance/cli.py."""

import sys

from .cli import main

sys.exit(main())

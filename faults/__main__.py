"""``python -m faults``: see :mod:`faults.cli`."""

import sys

from .cli import main

sys.exit(main())

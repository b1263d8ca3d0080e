"""``python -m faults``: see :mod:`faults.cli`."""

import sys

from devtools.live import exit_on_sigterm

from .cli import main

exit_on_sigterm()
sys.exit(main())

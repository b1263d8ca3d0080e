"""The reports portal: every pipeline's verdict on one page, its history, and what is new.

``python -m devtools.portal`` (``nox -s report``) reads each pipeline's report folder under
``reports/`` (``readers``), plots ``reports/history/`` (``history``, ``trends``), compares
findings with the base branch's (``fingerprints``, ``base``) and writes ``reports/index.html``.
"""

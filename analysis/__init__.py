"""Quality analysis: run the checkers, build reports/quality/, and gate against the baseline."""

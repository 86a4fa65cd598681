"""Sub-commands of the ``tei`` CLI, one module per verb."""

"""``python -m tei`` runs the CLI."""

from .cli import run

run()

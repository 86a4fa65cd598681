"""TEI P5 archive-edition suite."""

__version__ = "0.1.0"

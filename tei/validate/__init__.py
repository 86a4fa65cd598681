"""Validation of TEI files: RELAX NG (lxml or jing), XSD, Schematron, ids, many files at once.

Entry point: :func:`validate_paths`; output: :func:`tei.validate.formatters.render`.
"""

from __future__ import annotations

from .runner import ValidateOptions, collect_inputs, validate_paths

__all__ = ["ValidateOptions", "collect_inputs", "validate_paths"]

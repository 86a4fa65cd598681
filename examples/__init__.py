"""Bundled example edition: raw archive pages."""

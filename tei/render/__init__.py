"""Rendering: TEI -> HTML edition pages, collection index and PDF (XSLT 3.0 via saxonche)."""

from __future__ import annotations

from .engine import RenderError
from .html import render_edition, render_html

__all__ = ["RenderError", "render_edition", "render_html"]

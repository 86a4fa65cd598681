"""XSLT 3.0 stylesheets and CSS shipped as package data."""

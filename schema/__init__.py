"""RelaxNG and Schematron schemas shipped as package data."""

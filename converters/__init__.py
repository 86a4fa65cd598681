"""Raw-text readers: one module per input layout."""

"""make bench: performance measurements of the handbook site (see bench/__main__.py)."""

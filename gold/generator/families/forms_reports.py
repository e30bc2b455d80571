"""Independent layout families (see families/__init__.py)."""

FAMILIES: dict = {}

"""The logic package's version (in every answer, and in the browser bundle's name)."""

__version__ = "1.0.0"

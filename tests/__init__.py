"""Tests for the site; fixtures and hooks in conftest.py, helpers in support.py, browser helpers
in browser_harness.py."""

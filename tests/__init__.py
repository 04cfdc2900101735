"""Tests for the site; fixtures in conftest.py, browser helpers in browser_harness.py."""

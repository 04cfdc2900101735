"""Site generator: renders content to Markdown under docs/ and prepares browser assets.

Run it with ``python -m generator``; see ``generator/core.py`` for how a run works and
``generator/steps/__init__.py`` for the ordered list of steps.
"""

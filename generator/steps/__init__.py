"""The generator's steps, run in this order.

A step is a function ``step(context: generator.core.Context) -> Iterable[(path, content)]``:
``path`` is a POSIX path relative to ``docs/`` (never under the hand-written ``docs/about/``),
``content`` is ``str`` (written as UTF-8) or ``bytes``. Steps only read and return; the core
writes, and only after every step succeeded. To add a step, write a module in this package and
append its function to ``STEPS``; then add its output folder to ``.gitignore`` (a test checks that
every generated file is git-ignored) and any new page to ``nav:`` in ``mkdocs.yml``.
"""

from generator.core import Step
from generator.steps import (
    abbreviations,
    cases,
    logic_bundle,
    pyodide_runtime,
    reference_pages,
    site_config,
    walkthrough,
)

STEPS: list[Step] = [
    pyodide_runtime.step,
    abbreviations.step,
    site_config.step,
    reference_pages.step,
    logic_bundle.step,
    walkthrough.step,
    cases.step,
]

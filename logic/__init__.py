"""Decision logic for HIV virologic failure, from the DHHS adult and adolescent ARV
guidelines section "Management of the Treatment-Experienced Patient: Virologic Failure".
Each edition of the section is a folder of data (``logic/editions/<id>/``).

Standard library only; runs unchanged on CPython 3.11+ and on Pyodide.

Public API:

- :func:`editions` — the ids of the editions available.
- :func:`load` — an edition's :class:`Guideline` (None: the default edition), loaded once; its
  methods ``evaluate``, ``options_table``, ``question_schema`` and ``text_differences``.
- :class:`CaseError` — invalid case; ``.field`` names the input.
- For the default edition, as before: :func:`evaluate` (a case in, a JSON-serialisable answer
  out), :func:`guideline`, :func:`table11`, :func:`question_schema`, :func:`text_differences`.
"""

from __future__ import annotations

from typing import Any

from logic.case import CaseError, parse_copies
from logic.edition import DEFAULT_EDITION, EditionError
from logic.guideline import Guideline, editions, load
from logic.guideline_data import DataError
from logic.options_table import options, text_variant
from logic.version import __version__

__all__ = [
    "DEFAULT_EDITION",
    "CaseError",
    "DataError",
    "EditionError",
    "Guideline",
    "__version__",
    "editions",
    "evaluate",
    "guideline",
    "load",
    "options",
    "parse_copies",
    "question_schema",
    "table11",
    "text_differences",
    "text_variant",
]

# The default edition's shortcuts, kept for the browser worker and existing callers.


def guideline() -> Guideline:
    """The default edition's checked data, loaded once."""
    return load()


def evaluate(case: Any) -> dict[str, Any]:
    """The default edition's answer to a case (:meth:`Guideline.evaluate`)."""
    return load().evaluate(case)


def table11() -> dict[str, Any]:
    """The default edition's options table (:meth:`Guideline.options_table`)."""
    return load().options_table()


def text_differences() -> list[dict[str, Any]]:
    """The default edition's text differences (:meth:`Guideline.text_differences`)."""
    return load().text_differences()


def question_schema() -> dict[str, Any]:
    """The default edition's questions (:meth:`Guideline.question_schema`)."""
    return load().question_schema()

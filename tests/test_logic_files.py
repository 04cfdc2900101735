"""Once its data is loaded, ``logic`` reads no file.

The walkthrough's worker relies on this: it restores a memory snapshot taken after the glue
loaded the data and answered sample cases, and it does not unpack the package's files again
(site_overrides/assets/javascripts/logic-worker.mjs)."""

from __future__ import annotations

import builtins
import io
import json
import os
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

import logic
from logic.clinical_inputs import load as load_genotype_data
from logic.guideline import load_from

VECTORS = json.loads((Path(__file__).parent / "vectors" / "logic.json").read_text())["vectors"]


@contextmanager
def no_file_access():
    """Make every way ``logic`` could read a file fail loudly, and list the attempts."""
    attempts: list[str] = []

    def refuse(name):
        def refused(*args, **kwargs):
            attempts.append(f"{name}{args[:1]}")
            raise AssertionError(f"logic called {name}{args[:1]} after loading its data")

        return refused

    with pytest.MonkeyPatch.context() as patch:
        for owner, name in (
            (builtins, "open"),
            (io, "open"),
            (os, "open"),
            (os, "listdir"),
            (os, "scandir"),
        ):
            patch.setattr(owner, name, refuse(f"{owner.__name__}.{name}"))
        yield attempts


def test_logic_reads_no_file_once_its_data_is_loaded():
    logic.guideline()  # what the worker's glue does before the snapshot (cached from here on)
    load_genotype_data()
    answered = 0
    with no_file_access() as attempts:
        for vector in VECTORS:
            with suppress(logic.CaseError):
                logic.evaluate(vector["case"])
            answered += 1
        logic.table11()
        logic.text_differences()
        logic.question_schema()
    assert answered == len(VECTORS) > 20
    assert attempts == []


def test_the_guard_catches_a_file_read():
    """The guard is not a no-op: reading the data files again is caught."""
    with no_file_access() as attempts, pytest.raises(AssertionError, match="after loading"):
        load_from(None)
    assert attempts

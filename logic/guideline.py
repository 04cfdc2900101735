"""An edition of the guideline as one value: its checked data and what is derived from it.

``load(edition)`` returns the :class:`Guideline` of an edition (None: the default edition),
loaded once per process. It answers cases (:meth:`Guideline.evaluate`) and gives the views the
site prints: the options table, the question schema, the places where text and table differ.
"""

from __future__ import annotations

import os
from typing import Any

from logic.edition import edition_folder, edition_folders
from logic.evaluate import TABLE_ORDER
from logic.evaluate import evaluate as evaluate_case
from logic.guideline_data import (
    LOADED,
    DataError,
    GuidelineData,
    build,
    check_shapes,
    loaded_key,
)
from logic.options_table import options, text_variant


class Guideline(GuidelineData):
    """One edition, checked, with the answers and views derived from it."""

    def __init__(self, raw: dict[str, dict[str, Any]]) -> None:
        super().__init__(raw)
        for row in self.rows.values():
            for number, option in enumerate(row["options"], 1):
                self._one_difference(option, f"{row['id']} option {number}")
        if tuple(self.tables) != TABLE_ORDER:
            raise DataError(
                "rules",
                "tables",
                "id",
                f"the tables must be listed in the order a case runs through them: "
                f"{', '.join(TABLE_ORDER)} (logic/evaluate.py)",
            )

    def _one_difference(self, option: dict, where: str) -> None:
        """An option shows one difference from the text: its own or one qualifier's."""
        rated = [
            q for q in option.get("qualifiers", []) if self.qualifiers[q].get("text_recommendation")
        ]
        own = option.get("text_recommendation") and text_variant(self, {**option, "qualifiers": []})
        if len(rated) + bool(own) > 1:
            raise DataError(
                "table11",
                where,
                "qualifiers",
                "both the option and a qualifier, or two qualifiers, differ from the text; "
                "an option can show one difference",
            )

    def evaluate(self, case: Any) -> dict[str, Any]:
        """The edition's answer to a case, with its why (see :func:`logic.evaluate.evaluate`)."""
        return evaluate_case(case, self)

    def options_table(self) -> dict[str, Any]:
        """The options table as printed: its name ("Table 11"), rows in order, options with
        ratings, footnotes, key."""
        rows = []
        for row in self.rows.values():
            entry = {key: value for key, value in row.items() if key != "options"}
            entry["options"] = options(self, row)
            rows.append(entry)
        return {
            **self.table,
            "name": self.options_table_name,
            "rows": rows,
            "footnotes": list(self.footnotes.values()),
            "key": [
                {"abbr": a["abbr"], "expansion": a["expansion"]}
                for a in self.abbreviations.values()
                if a.get("table11_key")
            ],
        }

    def text_differences(self) -> list[dict[str, Any]]:
        """Every place where the section's text and the options table differ (derived)."""
        out = []
        for row in self.rows.values():
            for option in row["options"]:
                variant = text_variant(self, option)
                if variant:
                    out.append(
                        {
                            "scenario": row["id"],
                            "option": option["text"],
                            "option_rating": option.get("rating", ""),
                            **variant,
                        }
                    )
        return out

    def question_schema(self) -> dict[str, Any]:
        """What the walkthrough asks, in order, with labels, help and allowed values."""
        return {
            "steps": [
                {
                    **step,
                    "fields": [f for f in self.fields.values() if f["step"] == step["number"]],
                }
                for step in self.steps
            ],
            "default_llod": self.thresholds["default_llod"],
        }


def editions() -> list[str]:
    """The ids of the editions available (folders of ``logic/editions/``, and of
    ``$LOGIC_EDITIONS_DIR`` if set)."""
    return list(edition_folders())


def load(edition: str | None = None) -> Guideline:
    """An edition's guideline (None: the default edition), loaded and checked once per process."""
    key = loaded_key(edition)
    found = LOADED.get(key)
    if not isinstance(found, Guideline):
        found = LOADED[key] = build(Guideline, edition_folder(key[0]), key[0])
    return found


def load_from(folder: Any) -> Guideline:
    """Load and check an edition's files from a folder (a ``pathlib.Path``; None: the default
    edition's), uncached, e.g. in tests."""
    return build(Guideline, os.fspath(folder) if folder else edition_folder(None))


def from_parsed(raw: dict[str, dict[str, Any]]) -> Guideline:
    """Check and build from already-parsed files (``{name: data}``) as :func:`load_from` would
    after reading them from the default edition's folder (tests change data this way, without
    writing TOML)."""
    folder = edition_folder(None)
    try:
        check_shapes(raw)
        return Guideline(raw)
    except DataError as error:  # named as if read from the default edition's folder
        raise error.located(folder) from None

"""Read viral-load values and dates as labs print them, or refuse them with a question.

A value that could mean two things is never guessed: ``12.000`` may be twelve thousand
(dot-grouped thousands) or twelve, and a bare ``4.2`` below the assay's limit is more likely a
log10 value than 4.2 copies/mL. Both are refused with a message that asks which is meant.

Parsing is linear in the input and bounded (``MAX_TEXT``): no regular expression here can
backtrack, so a hostile string costs no more than a short one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

MAX_TEXT = 80  # no lab value or date is longer; longer text is refused before any parsing

# How labs print a result below the assay's limit, after normalising (lower case, one space).
BELOW_LIMIT_WORDS = frozenset(
    {
        "undetectable",
        "not detected",
        "tnd",
        "target not detected",
        "<llod",
        "< llod",
        "below llod",
        "not detectable",
    }
)
# Units that mean copies/mL, longest first so "copies/ml" is removed before "copies".
COPIES_UNITS = ("copies / ml", "copies/ml", "copies per ml", "cp/ml", "c/ml", "copies")
OTHER_UNITS = ("iu/ml", "iu / ml", "iu", "log iu/ml")
LOG_WORDS = ("log10", "log")
DETECTED_WORDS = ("detected", "detected,", "detected:")

PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]{1,3})?")
GROUPED = re.compile(r"[0-9]{1,3}(?:[, ][0-9]{3})+(?:\.[0-9]+)?")
DOT_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

FORMS = (
    "use a number such as 1,200, 1 200 or 1.2e3; <50, TND or not detected for a result below "
    "the limit; 'detected <20' for one detected below it; or a log value as '4.2 log'"
)


class ValueProblem(ValueError):
    """Why a value cannot be read; the caller adds the field (see logic.case.CaseError)."""


@dataclass(frozen=True)
class Reading:
    """One viral-load value: copies/mL (0 when below the limit) and how it was printed."""

    copies: float
    below_llod: bool
    detected: bool  # detected but below the limit ("detected <20")
    log_value: float | None = None  # the log10 value as printed, if it was printed as a log


def shown(value: Any, limit: int = 40) -> str:
    """A value for a message, shortened so no error repeats a long input."""
    text = repr(value) if not isinstance(value, str) else repr(value[: limit + 1])
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "a number with more than 19 digits"
    return text if len(text) <= limit else text[: limit - 3] + "...'"


def _normalise(text: str) -> str:
    for space in ("\u00a0", "\u202f", "\u2009", "\t"):
        text = text.replace(space, " ")
    return " ".join(text.lower().split())


def _strip_suffix(text: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    for suffix in suffixes:
        if text.endswith(suffix):
            return text[: -len(suffix)].strip(), suffix
    return text, ""


def _number(text: str, original: str) -> float:
    """A plain or grouped number; dot-grouped thousands are refused, not guessed."""
    if DOT_GROUPED.fullmatch(text):
        raise ValueProblem(
            f"{shown(original)} is ambiguous: a dot can group thousands (12.000 = 12,000) or "
            "mark decimals. Write the value without the dot (12000) or with commas (12,000)"
        )
    if GROUPED.fullmatch(text):
        text = text.replace(",", "").replace(" ", "")
    if not PLAIN.fullmatch(text):
        raise ValueProblem(f"{shown(original)} is not a viral load: {FORMS}")
    return float(text)


def _log_value(text: str, original: str) -> float | None:
    """10^x for '4.2 log', 'log 4.2', '4.2 log10', 'log10 4.2'; None if not a log form."""
    body, suffix = _strip_suffix(text, LOG_WORDS)
    if not suffix:
        for word in LOG_WORDS:
            if text.startswith(word + " ") or text.startswith(word + ":"):
                body, suffix = text[len(word) + 1 :].strip(), word
                break
    if not suffix:
        return None
    if not PLAIN.fullmatch(body) or "e" in body:
        raise ValueProblem(f"{shown(original)}: a log value is a number such as 4.2 log")
    exponent = float(body)
    if not 0 < exponent <= 9:
        raise ValueProblem(f"{shown(original)}: a log10 viral load lies between 0 and 9")
    return exponent


def read_copies(value: Any, llod: float, limit: float) -> Reading:
    """A lab value as copies/mL. Raises ValueProblem with a message for the reader."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueProblem(f"{shown(value)} is not a number or a lab value: {FORMS}")
    if isinstance(value, int) and value > limit:
        raise ValueProblem(f"{shown(value)} is above any assay's range ({limit:,.0f})")
    if not isinstance(value, str):
        copies = float(value)
        if not math.isfinite(copies):
            raise ValueProblem(f"{shown(value)} is not a finite number")
        return _checked(copies, value, llod, limit, printed_bare=True)
    if len(value) > MAX_TEXT:
        raise ValueProblem(f"{shown(value)} is too long for a viral load ({MAX_TEXT} characters)")
    text = _normalise(value)
    text, unit = _strip_suffix(text, OTHER_UNITS)
    if unit:
        raise ValueProblem(
            f"{shown(value)} is in IU/mL, not copies/mL: convert it with your assay's factor "
            "and enter copies/mL"
        )
    text, _ = _strip_suffix(text, COPIES_UNITS)
    if text in BELOW_LIMIT_WORDS:
        return Reading(0.0, True, False)
    detected = False
    for word in DETECTED_WORDS:
        if text.startswith(word + " ") and text[len(word) :].strip()[:1] == "<":
            text, detected = text[len(word) :].strip(), True
            break
        if text.endswith(" " + word.rstrip(",:")) and text.startswith("<"):
            text, detected = text[: -len(word.rstrip(",:"))].strip(), True
            break
    if text.startswith("<"):
        bound = _number(text[1:].strip(), value)
        if bound > llod:
            raise ValueProblem(
                f"{shown(value)} only says the result is below {bound:g} copies/mL, above the "
                f"LLOD in use ({llod:g}): it may be a detectable result. Enter the number, or "
                "set llod to this assay's limit"
            )
        return Reading(0.0, True, detected)
    if detected:
        raise ValueProblem(
            f"{shown(value)}: write a result detected below the limit as 'detected <20'"
        )
    exponent = _log_value(text, value)
    if exponent is not None:
        return _checked(round(10**exponent), value, llod, limit, log_value=exponent)
    if text.startswith(">"):  # above the assay's upper limit: at least that much
        text = text[1:].strip()
    return _checked(_number(text, value), value, llod, limit, printed_bare=True)


def _checked(
    copies: float,
    original: Any,
    llod: float,
    limit: float,
    *,
    printed_bare: bool = False,
    log_value: float | None = None,
) -> Reading:
    if copies < 0:
        raise ValueProblem(f"{shown(original)} is negative")
    if copies > limit:
        raise ValueProblem(f"{shown(original)} is above any assay's range ({limit:,.0f})")
    if printed_bare and copies < llod and copies != int(copies):
        raise ValueProblem(
            f"{shown(original)} is below the assay's limit and not a whole number: is it a log10 "
            f"value? Write it as '{copies:g} log' if so, or enter copies/mL"
        )
    return Reading(copies, copies < llod, False, log_value)


def read_date(value: Any) -> date:
    """An ISO date (YYYY-MM-DD). Any other form is refused: 03/04/2024 is ambiguous."""
    if not isinstance(value, str):
        raise ValueProblem(f"{shown(value)} is not a date: use YYYY-MM-DD, e.g. 2024-03-04")
    text = value.strip()
    if len(text) > MAX_TEXT or not ISO_DATE.fullmatch(text):
        raise ValueProblem(
            f"{shown(value)} is not a date in the form YYYY-MM-DD (e.g. 2024-03-04): forms "
            "such as 03/04/2024 mean different days in different countries"
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"{shown(value)} is not a real calendar date") from None

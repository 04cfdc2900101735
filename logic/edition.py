"""Where the editions of the guideline are: one folder per edition, named by its id.

``logic/editions/<id>/`` holds an edition's data files and its manifest ``edition.toml`` (id,
title, the printed name of its options table, the source and its dates). Files every edition
shares (the drug list, the HIVdb algorithm) stay in ``logic/data/``.

One more folder of editions may be named in the environment variable ``LOGIC_EDITIONS_DIR``
(tests build the site from a renamed copy of an edition this way); an id found in both places is
an error, never a silent choice.
"""

from __future__ import annotations

import os

LOGIC_DIR = os.path.dirname(os.path.abspath(__file__))
EDITIONS_DIR = os.path.join(LOGIC_DIR, "editions")
SHARED_DIR = os.path.join(LOGIC_DIR, "data")
EXTRA_ENV = "LOGIC_EDITIONS_DIR"
MANIFEST = "edition"  # edition.toml
# The edition `logic.load()` and the module-level shortcuts (logic.evaluate, …) use.
DEFAULT_EDITION = "dhhs-2019-12-18"


class EditionError(ValueError):
    """No such edition, or one id in two places."""


def _roots() -> list[str]:
    extra = os.environ.get(EXTRA_ENV, "")
    return [EDITIONS_DIR, *([extra] if extra else [])]


def edition_folders() -> dict[str, str]:
    """Every edition found, id -> folder: a subfolder holding an ``edition.toml``."""
    found: dict[str, str] = {}
    for root in _roots():
        try:
            names = sorted(os.listdir(root))
        except OSError:
            continue  # the extra folder is optional; logic/editions/ always exists
        for name in names:
            folder = os.path.join(root, name)
            if not os.path.isfile(os.path.join(folder, f"{MANIFEST}.toml")):
                continue
            if name in found:
                raise EditionError(f"edition '{name}' is in both {found[name]} and {folder}")
            found[name] = folder
    return found


def edition_folder(edition: str | None) -> str:
    """The folder of ``edition`` (None: the default edition)."""
    edition = edition or DEFAULT_EDITION
    folders = edition_folders()
    if edition not in folders:
        raise EditionError(
            f"unknown edition '{edition}' (available: {', '.join(folders) or 'none'})"
        )
    return folders[edition]


def shown_folder(folder: str) -> str:
    """A folder as messages name it: ``logic/editions/<id>`` inside the package, else as given."""
    parent = os.path.dirname(LOGIC_DIR)
    absolute = os.path.abspath(folder)
    if absolute.startswith(LOGIC_DIR + os.sep):
        return os.path.relpath(absolute, parent).replace(os.sep, "/")
    return folder

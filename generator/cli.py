"""``python -m generator``: run every step, write what changed, print a one-line summary."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import generator.steps
from generator.core import DOCS_DIR, EDITION_ENV, Context, GeneratorError, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Render the site's generated pages and assets into docs/.",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=DOCS_DIR,
        help="where to write (default: docs/ of this checkout)",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="run no step: remove every file the last run generated",
    )
    parser.add_argument(
        "--edition",
        default=os.environ.get(EDITION_ENV) or None,
        help=f"the guideline edition to build: an id of logic.editions() "
        f"(default: ${EDITION_ENV}, else logic's default edition)",
    )
    args = parser.parse_args(argv)
    steps = [] if args.clean else generator.steps.STEPS
    try:
        result = generate(steps, Context(edition=args.edition), docs_dir=args.docs_dir)
    except GeneratorError as error:
        print(f"generator: error: {error}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0

"""``python -m generator``: run every step, write what changed, print a one-line summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.core import DOCS_DIR, GeneratorError, generate


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
    args = parser.parse_args(argv)
    try:
        result = generate(steps=[] if args.clean else None, docs_dir=args.docs_dir)
    except GeneratorError as error:
        print(f"generator: error: {error}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0

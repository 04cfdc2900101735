"""``python -m generator.postbuild SITE_DIR``: abbreviations explained at first use, the CSP on
every page, then the service worker (which hashes the pages as they finally are)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.core import GeneratorError
from generator.postbuild import csp, offline, tooltips


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.postbuild",
        description="Add the Content-Security-Policy and the service worker to a built site.",
    )
    parser.add_argument("site_dir", type=Path, help="the built site (e.g. site/)")
    args = parser.parse_args(argv)
    try:
        titles = tooltips.apply(args.site_dir)
        pages = csp.apply(args.site_dir)
        worker = offline.build(args.site_dir)
    except GeneratorError as error:
        print(f"generator.postbuild: error: {error}", file=sys.stderr)
        return 1
    print(
        f"generator.postbuild: {titles} abbreviations rewritten (first use explained); "
        f"CSP on {pages} pages; {worker}"
    )
    return 0

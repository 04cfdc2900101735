"""The one place that decides which Chromium the browser tests drive.

Order of preference:

1. ``$CHROMIUM_PATH`` (must point at an executable; a wrong value is an error, not a fallback),
2. ``/usr/bin/chromium``,
3. ``chromium`` or ``chromium-browser`` on ``PATH``,
4. otherwise Playwright's own Chromium, installed with ``python -m playwright install chromium``.

Standard library only, so ``.ci/run`` can ask it with the system ``python3`` before any virtualenv
exists. Used by ``tests/conftest.py`` (the ``browser`` fixture) and by the Makefile.

Command line::

    python tests/chromium.py --system   # print the system Chromium and exit 0, or exit 1 if none
    python tests/chromium.py --ensure   # system Chromium, else install Playwright's (idempotent)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEFAULT_PATH = Path("/usr/bin/chromium")
PATH_NAMES = ("chromium", "chromium-browser")

# Flags for a quiet, deterministic headless run that talks to no Google service.
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


class ChromiumNotFound(RuntimeError):
    pass


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def system_chromium() -> Path | None:
    """The system Chromium to use, or None when the machine has none."""
    override = os.environ.get("CHROMIUM_PATH")
    if override:
        path = Path(override)
        if not _is_executable(path):
            raise ChromiumNotFound(f"CHROMIUM_PATH={override!r} is not an executable file")
        return path
    if _is_executable(DEFAULT_PATH):
        return DEFAULT_PATH
    for name in PATH_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def ensure() -> str:
    """Make sure a Chromium is available; return a one-line description of which one."""
    path = system_chromium()
    if path is not None:
        return f"system Chromium: {path}"
    # No system browser: Playwright's own build (a no-op when it is already installed).
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    return "Playwright's Chromium (python -m playwright install chromium)"


def main(argv: list[str]) -> int:
    if argv == ["--system"]:
        path = system_chromium()
        if path is None:
            print("no system Chromium found", file=sys.stderr)
            return 1
        print(path)
        return 0
    if argv == ["--ensure"]:
        print(ensure())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ChromiumNotFound as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)

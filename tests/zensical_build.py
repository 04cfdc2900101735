"""``python -m tests.zensical_build DEST``: ``zensical build --strict`` into ``DEST``.

Zensical has no ``-d`` option and refuses a ``site_dir`` outside the project, so this builds into
``build/zensical-<pid>/`` (``site_dir`` is ``!ENV SITE_DIR``) and moves the result to ``DEST``,
replacing what was there. No ``-c``: it deletes all of ``.cache/``, the generator's too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(destination: Path) -> int:
    staging = ROOT / "build" / f"zensical-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"]
    env = dict(os.environ, SITE_DIR=str(staging))
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:  # --strict: a warning (broken link, anchor) fails the build
            sys.stderr.write(result.stdout + result.stderr)
            return result.returncode
        destination.mkdir(parents=True, exist_ok=True)
        for old in destination.iterdir():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        for new in staging.iterdir():
            shutil.move(new, destination / new.name)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(build(Path(sys.argv[1]).resolve()))

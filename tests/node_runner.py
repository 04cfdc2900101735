"""The one way tests run a script of tests/node/ under Node: from the repository root, with
node_modules present, failing the test with the script's stderr if it fails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_node(script: str, *args: object, timeout: int = 180) -> str:
    """stdout of ``node tests/node/<script> <args>``."""
    node = shutil.which("node")
    assert node, "node is not on PATH"
    assert (ROOT / "node_modules" / "pyodide").is_dir(), "run `npm ci` first"
    run = subprocess.run(
        [node, str(ROOT / "tests" / "node" / script), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout

"""The ``logic`` package as one zip archive, for Pyodide (browser worker and Node tests), and the
precompiled bundle the walkthrough's worker loads (see the second half of this file).

The archive is deterministic (sorted entries, fixed timestamps), so an unchanged package gives
unchanged bytes and the generator writes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

LOGIC_DIR = Path(__file__).resolve().parent.parent / "logic"
FIXED_TIME = (2019, 12, 18, 0, 0, 0)  # the guideline's date; any fixed value would do
SHIPPED = ("*.py", "data/*.toml")


def logic_files(root: Path = LOGIC_DIR) -> list[Path]:
    files = {path for pattern in SHIPPED for path in root.glob(pattern)}
    return sorted(files)


def archive_bytes(root: Path = LOGIC_DIR) -> bytes:
    """A zip with ``logic/...`` at its top level, ready to unpack into site-packages."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in logic_files(root):
            info = zipfile.ZipInfo(f"logic/{path.relative_to(root).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


# --------------------------------------------------------------------------- precompiled bundle
#
# The browser worker starts Pyodide with a standard library zip of precompiled ``.pyc`` files
# (only the modules it uses) and unpacks ``logic`` with its bytecode: compiling Python source at
# start-up is most of a plain ``loadPyodide()``'s time. The bytecode has to come from Pyodide's
# own Python, so ``generator/pyodide/precompile.mjs`` runs Pyodide under Node. Its output is
# cached in ``.cache/precompile/`` (git-ignored), keyed by the Pyodide version and a hash of every
# input, so an unchanged tree runs no Node at all.

PRECOMPILE_DIR = Path(__file__).resolve().parent / "pyodide"
PRECOMPILE_INPUTS = ("precompile.mjs", "precompile.py", "glue.py")
CACHE_SUBDIR = Path(".cache") / "precompile"
CACHED_FILES = ("python_stdlib.zip", "logic.zip", "report.json")
NODE_TIMEOUT_S = 300


class PrecompileError(RuntimeError):
    """The precompile could not run (no Node, no Pyodide, or Pyodide failed)."""


@dataclass(frozen=True)
class PrecompiledBundle:
    """What the worker loads: both zips, the key they were built under and the build report."""

    key: str
    stdlib_zip: bytes
    logic_zip: bytes
    report: dict
    cached: bool


def glue_source() -> str:
    """The Python the worker runs after unpacking ``logic`` (see ``generator/pyodide/glue.py``)."""
    return (PRECOMPILE_DIR / "glue.py").read_text(encoding="utf-8")


def precompile_key(pyodide_dir: Path, logic_zip: bytes) -> str:
    """A hash of everything the precompiled output depends on."""
    digest = hashlib.sha256()
    digest.update(b"pyodide\0" + (pyodide_dir / "package.json").read_bytes())
    digest.update(b"stdlib\0" + hashlib.sha256(_read(pyodide_dir / "python_stdlib.zip")).digest())
    digest.update(b"logic\0" + hashlib.sha256(logic_zip).digest())
    for name in PRECOMPILE_INPUTS:
        digest.update(name.encode() + b"\0" + (PRECOMPILE_DIR / name).read_bytes())
    return digest.hexdigest()[:20]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PrecompileError(f"{path} not found: run `npm ci` (make test does)") from None


def precompiled_bundle(
    pyodide_dir: Path, pyodide_version: str, cache_root: Path, node: str | None = None
) -> PrecompiledBundle:
    """The precompiled stdlib and logic zips: from the cache, or built now (and cached)."""
    logic_zip = archive_bytes()
    key = precompile_key(pyodide_dir, logic_zip)
    version_dir = cache_root / CACHE_SUBDIR / pyodide_version
    entry = version_dir / key
    if not all((entry / name).is_file() for name in CACHED_FILES):
        _run_precompile(pyodide_dir, logic_zip, version_dir, key, node)
        cached = False
    else:
        cached = True
    report = json.loads((entry / "report.json").read_text(encoding="utf-8"))
    return PrecompiledBundle(
        key=key,
        stdlib_zip=(entry / "python_stdlib.zip").read_bytes(),
        logic_zip=(entry / "logic.zip").read_bytes(),
        report=report,
        cached=cached,
    )


def _run_precompile(
    pyodide_dir: Path, logic_zip: bytes, version_dir: Path, key: str, node: str | None
) -> None:
    node = node or shutil.which("node")
    if not node:
        raise PrecompileError(
            "node is not on PATH: the walkthrough's Python bytecode is compiled by Pyodide under "
            "Node at build time (install Node.js; make serve and make test need it anyway)"
        )
    version_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=version_dir, prefix=".build-") as work:
        work_dir = Path(work)
        (work_dir / "logic-src.zip").write_bytes(logic_zip)
        out = work_dir / "out"
        try:
            run = subprocess.run(
                [
                    node,
                    str(PRECOMPILE_DIR / "precompile.mjs"),
                    str(pyodide_dir),
                    str(work_dir / "logic-src.zip"),
                    str(out),
                ],
                capture_output=True,
                text=True,
                timeout=NODE_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PrecompileError(f"precompile.mjs took over {NODE_TIMEOUT_S} s") from None
        if run.returncode != 0:
            raise PrecompileError(
                f"generator/pyodide/precompile.mjs failed (exit {run.returncode}):\n"
                + (run.stderr or run.stdout)[-3000:]
            )
        # Publish atomically (a concurrent run may have won the race: either result is valid),
        # then drop older entries for this Pyodide version so the cache does not grow.
        try:
            out.rename(version_dir / key)
        except OSError:
            if not (version_dir / key / "report.json").is_file():
                raise
    for stale in version_dir.iterdir():
        if stale.name != key and not stale.name.startswith("."):
            shutil.rmtree(stale, ignore_errors=True)

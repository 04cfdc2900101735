"""The ``logic`` package as one zip archive, for Pyodide (browser worker and Node tests), and the
precompiled bundle the walkthrough's worker loads (see the second half of this file).

The archive is deterministic (sorted entries, fixed timestamps), so an unchanged package gives
unchanged bytes and the generator writes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import struct
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

LOGIC_DIR = Path(__file__).resolve().parent.parent / "logic"
FIXED_TIME = (2019, 12, 18, 0, 0, 0)  # the guideline's date; any fixed value would do
SHIPPED = (
    "*.py",
    "*.toml",  # logic/vocabulary.toml
    "data/*.toml",
    "editions/*/*.toml",  # every edition in the package (logic.editions() lists them)
    "hivdb/*.py",
    "data/hivdb/*.json",
    "data/hivdb/*.toml",
)
# (the HIVdb XML stays out: logic reads its compiled JSON; see generator/hivdb_compile.py)


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
#
# The same run makes the worker's memory snapshot: Pyodide's whole memory once ``logic`` is loaded
# and has answered the sample cases. Restoring it skips Python's start-up and ``logic``'s import
# (docs/about/performance.md has the figures); the worker falls back to a full start from the
# precompiled zips if the snapshot cannot be used.

PRECOMPILE_DIR = Path(__file__).resolve().parent / "pyodide"
PRECOMPILE_INPUTS = ("precompile.mjs", "precompile.py", "glue.py")
CACHE_SUBDIR = Path(".cache") / "precompile"
CACHED_FILES = (
    "python_stdlib.zip",
    "logic.zip",
    "snapshot.bin",
    "snapshot_stdlib.zip",
    "report.json",
)
NODE_TIMEOUT_S = 300


class PrecompileError(RuntimeError):
    """The precompile could not run (no Node, no Pyodide, or Pyodide failed)."""


@dataclass(frozen=True)
class PrecompiledBundle:
    """What the worker loads, the key it was built under and the build report."""

    key: str
    stdlib_zip: bytes
    logic_zip: bytes
    snapshot: bytes  # packed: see pack_snapshot
    snapshot_stdlib_zip: bytes
    report: dict
    cached: bool


SNAPSHOT_MAGIC = b"HTFSNAP1"
SNAPSHOT_PAGE = 4096


def pack_snapshot(raw: bytes) -> bytes:
    """A raw Pyodide memory snapshot, packed for the web: most of it is zero pages, which
    inflating would only write out again. Layout, gzipped, little-endian (the file is named
    ``.bin``, not ``.gz``, so that no server sends it with ``Content-Encoding: gzip``):

        magic "HTFSNAP1" | u32 raw length | u32 run count | run count x (u32 offset, u32 length)
        | the runs' bytes, in order

    A run is a stretch of pages with a non-zero byte; every other byte of the raw snapshot is 0.
    Decoded by site_overrides/assets/javascripts/snapshot-file.mjs.
    """
    runs: list[list[int]] = []
    for offset in range(0, len(raw), SNAPSHOT_PAGE):
        if not raw[offset : offset + SNAPSHOT_PAGE].strip(b"\0"):
            continue
        length = min(SNAPSHOT_PAGE, len(raw) - offset)
        if runs and sum(runs[-1]) == offset:
            runs[-1][1] += length
        else:
            runs.append([offset, length])
    header = SNAPSHOT_MAGIC + struct.pack("<II", len(raw), len(runs))
    header += b"".join(struct.pack("<II", offset, length) for offset, length in runs)
    body = b"".join(raw[offset : offset + length] for offset, length in runs)
    return gzip.compress(header + body, compresslevel=9, mtime=0)


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
        snapshot=(entry / "snapshot.bin").read_bytes(),
        snapshot_stdlib_zip=(entry / "snapshot_stdlib.zip").read_bytes(),
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
        raw = out / "snapshot.raw"
        (out / "snapshot.bin").write_bytes(pack_snapshot(raw.read_bytes()))
        raw.unlink()
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

"""Ship ``logic`` to the browser: the precompiled bundle the walkthrough's worker loads.

Writes, under ``docs/assets/logic/``:

* ``<logic version>-<key>/logic.zip``: the ``logic`` archive (``generator/logic_bundle.py``) plus
  its bytecode, and ``<logic version>-<key>/python_stdlib.zip``: the standard library modules the
  worker uses, precompiled. ``key`` hashes every input, so a changed bundle gets a new address
  and a browser never mixes an old cached file with a new one.
* ``<logic version>-<key>/snapshot.bin``: Pyodide's memory once ``logic`` is loaded (packed
  by ``generator.logic_bundle.pack_snapshot``), which the worker restores instead of starting
  Python, with ``snapshot_stdlib.zip``, the standard library that goes with it.
* ``bundle.mjs``: the one module the worker imports to find them (addresses resolved from its own
  URL, so the site works under any base path), re-exporting ``loadPyodide`` from the self-hosted
  runtime and carrying the worker's Python glue (``generator/pyodide/glue.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import logic
from generator.core import ROOT, Context, GeneratorError, Output
from generator.logic_bundle import (
    PrecompiledBundle,
    PrecompileError,
    glue_source,
    precompiled_bundle,
)
from generator.steps import pyodide_runtime

OUTPUT_DIR = "assets/logic"


def bundle_dir_name(key: str) -> str:
    return f"{logic.__version__}-{key}"


def bundle(context: Context) -> PrecompiledBundle:
    """The precompiled bundle for this checkout (built once per process and input state)."""
    package_dir = context.node_modules / "pyodide"
    return _bundle(package_dir, ROOT, pyodide_runtime.pyodide_version(package_dir))


@cache
def _bundle(package_dir: Path, root: Path, version: str) -> PrecompiledBundle:
    try:
        return precompiled_bundle(package_dir, version, root)
    except PrecompileError as error:
        raise GeneratorError(f"logic bundle: {error}") from None


def download_bytes(context: Context) -> int:
    """What the walkthrough's worker downloads when it starts from the snapshot, in bytes
    (before any HTTP compression)."""
    package_dir = context.node_modules / "pyodide"
    runtime = sum((package_dir / name).stat().st_size for name in pyodide_runtime.RUNTIME_FILES)
    built = bundle(context)
    return runtime + len(built.snapshot) + len(built.snapshot_stdlib_zip)


def step(context: Context) -> Iterator[Output]:
    package_dir = context.node_modules / "pyodide"
    version = pyodide_runtime.pyodide_version(package_dir)
    bundle_ = bundle(context)
    folder = bundle_dir_name(bundle_.key)
    yield f"{OUTPUT_DIR}/{folder}/logic.zip", bundle_.logic_zip
    yield f"{OUTPUT_DIR}/{folder}/python_stdlib.zip", bundle_.stdlib_zip
    yield f"{OUTPUT_DIR}/{folder}/snapshot.bin", bundle_.snapshot
    yield f"{OUTPUT_DIR}/{folder}/snapshot_stdlib.zip", bundle_.snapshot_stdlib_zip
    yield (
        f"{OUTPUT_DIR}/bundle.mjs",
        context.render(
            "walkthrough/bundle.mjs.j2",
            pyodide_dir=f"../{pyodide_runtime.OUTPUT_DIR.removeprefix('assets/')}/{version}/",
            pyodide_version=version,
            logic_version=logic.__version__,
            folder=folder,
            glue=json.dumps(glue_source()),
            report=bundle_.report,
        ),
    )

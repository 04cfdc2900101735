"""Copy the self-hosted Pyodide runtime from ``node_modules/pyodide`` into
``docs/assets/pyodide/<version>/`` (the version read from its ``package.json``). The one page-side
user is the logic worker, through ``assets/logic/bundle.mjs`` (``generator/steps/logic_bundle.py``),
which brings its own standard library: Pyodide's ``python_stdlib.zip`` is not copied."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from generator.core import Context, GeneratorError, Output, display_path

OUTPUT_DIR = "assets/pyodide"
# What the worker's ``loadPyodide`` fetches from here with ``packages: []`` and its own
# ``stdLibURL``; the rest of the npm package (source maps, type declarations, the classic-script
# build, consoles, the standard library) is not needed in the browser.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*$")


def pyodide_version(package_dir: Path) -> str:
    manifest = package_dir / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        raise GeneratorError(
            f"{display_path(manifest)} not found: run `npm ci` (make serve and make test do)"
        ) from None
    except (ValueError, KeyError) as error:
        raise GeneratorError(f"{display_path(manifest)}: no version ({error})") from None
    if not isinstance(version, str) or not _VERSION.match(version):
        raise GeneratorError(f"{display_path(manifest)}: unexpected version {version!r}")
    return version


def step(context: Context) -> Iterator[Output]:
    package_dir = context.node_modules / "pyodide"
    version = pyodide_version(package_dir)
    for name in RUNTIME_FILES:
        source = package_dir / name
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            raise GeneratorError(
                f"{display_path(source)} not found: pyodide {version} does not ship it"
            ) from None
        yield f"{OUTPUT_DIR}/{version}/{name}", data

"""The walkthrough's build outputs, checked without a browser: the logic bundle the worker loads
(archive contents, precompiled standard library, the cache)."""

from __future__ import annotations

import ast
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

import logic
from generator import logic_bundle as bundle_module
from generator.core import Context
from generator.logic_bundle import archive_bytes, logic_files, precompiled_bundle
from generator.steps import logic_bundle, pyodide_runtime
from tests.conftest import ROOT

PYODIDE_DIR = ROOT / "node_modules" / "pyodide"


@pytest.fixture(scope="module")
def bundle_outputs() -> dict[str, bytes]:
    outputs = {}
    for path, content in logic_bundle.step(Context()):
        outputs[path] = content.encode() if isinstance(content, str) else content
    return outputs


def output(outputs: dict[str, bytes], name: str) -> tuple[str, bytes]:
    matches = [(path, data) for path, data in outputs.items() if path.endswith("/" + name)]
    assert len(matches) == 1, f"expected one {name} in {sorted(outputs)}"
    return matches[0]


# --------------------------------------------------------------------------- the logic bundle


def test_logic_archive_unpacks_to_exactly_the_logic_package_with_its_bytecode(bundle_outputs):
    path, data = output(bundle_outputs, "logic.zip")
    assert path.startswith(f"assets/logic/{logic.__version__}-"), "the version is in the path"
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    sources = {n: archive.read(n) for n in names if "/__pycache__/" not in n}
    package = Path(logic.__file__).parent
    expected = {f"logic/{p.relative_to(package).as_posix()}": p.read_bytes() for p in logic_files()}
    assert sources == expected, "the archive holds exactly the logic package's files, unchanged"
    pycs = sorted(n for n in names if "/__pycache__/" in n)
    python_files = sorted(n for n in expected if n.endswith(".py"))
    assert len(pycs) == len(python_files)
    for source, pyc in zip(python_files, pycs, strict=True):
        folder, _, name = source.rpartition("/")
        assert re.fullmatch(rf"{re.escape(folder)}/__pycache__/{name[:-3]}\.cpython-3\d+\.pyc", pyc)
        header = archive.read(pyc)[:16]
        flags = int.from_bytes(header[4:8], "little")
        assert flags == 0b01, f"{pyc}: expected an unchecked-hash .pyc (PEP 552), flags={flags}"


def test_logic_archive_sources_match_the_plain_archive(bundle_outputs):
    _, data = output(bundle_outputs, "logic.zip")
    plain = zipfile.ZipFile(io.BytesIO(archive_bytes()))
    shipped = zipfile.ZipFile(io.BytesIO(data))
    for name in plain.namelist():
        assert shipped.read(name) == plain.read(name), name


def _imported_modules(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
    return found


def test_precompiled_stdlib_is_bytecode_only_and_holds_what_logic_imports(bundle_outputs):
    _, data = output(bundle_outputs, "python_stdlib.zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert not [n for n in names if n.endswith(".py")], "no sources: bytecode only"
    original = zipfile.ZipFile(PYODIDE_DIR / "python_stdlib.zip")
    all_modules = {n[: -len(".py")] for n in original.namelist() if n.endswith(".py")}
    shipped = {n[: -len(".pyc")] for n in names if n.endswith(".pyc")}
    assert shipped < all_modules, "only modules of Pyodide's own standard library"
    assert len(shipped) < len(all_modules) / 2, "only what the worker uses, not everything"
    imports = set()
    for path in logic_files():
        if path.suffix == ".py":
            imports |= _imported_modules(path.read_text(encoding="utf-8"))
    imports |= _imported_modules(bundle_module.glue_source())
    stdlib_imports = {
        name
        for name in imports
        if name.split(".")[0] != "logic"
        and (
            name.replace(".", "/") in all_modules
            or f"{name.replace('.', '/')}/__init__" in all_modules
        )
    }
    assert {"json", "re", "tomllib"} <= stdlib_imports  # the check below has teeth
    for name in stdlib_imports:
        path = name.replace(".", "/")
        assert path in shipped or f"{path}/__init__" in shipped, f"{name} is not shipped"


def test_bundle_module_points_at_the_shipped_files(bundle_outputs):
    source = bundle_outputs["assets/logic/bundle.mjs"].decode()
    version = pyodide_runtime.pyodide_version(PYODIDE_DIR)
    folder = output(bundle_outputs, "logic.zip")[0].split("/")[2]
    assert f'from "../pyodide/{version}/pyodide.mjs"' in source
    assert f'"./{folder}/python_stdlib.zip"' in source
    assert f'"./{folder}/logic.zip"' in source
    assert f'export const logicVersion = "{logic.__version__}";' in source
    glue = re.search(r"^export const glue = (.*);$", source, re.MULTILINE).group(1)
    assert json.loads(glue) == bundle_module.glue_source()


def test_an_unchanged_tree_runs_no_node(tmp_path):
    version = pyodide_runtime.pyodide_version(PYODIDE_DIR)
    first = precompiled_bundle(PYODIDE_DIR, version, ROOT)
    # A missing `node` would fail a precompile: the cache must answer without one.
    again = precompiled_bundle(PYODIDE_DIR, version, ROOT, node=str(tmp_path / "no-node"))
    assert again.cached and again.key == first.key
    assert again.stdlib_zip == first.stdlib_zip and again.logic_zip == first.logic_zip


def test_the_cache_key_follows_every_input():
    logic_zip = archive_bytes()
    key = bundle_module.precompile_key(PYODIDE_DIR, logic_zip)
    assert bundle_module.precompile_key(PYODIDE_DIR, logic_zip) == key
    assert bundle_module.precompile_key(PYODIDE_DIR, logic_zip + b"\0") != key


def test_a_missing_node_is_reported_for_people(tmp_path, monkeypatch):
    version = pyodide_runtime.pyodide_version(PYODIDE_DIR)
    monkeypatch.setattr(bundle_module.shutil, "which", lambda name: None)
    with pytest.raises(bundle_module.PrecompileError, match="node is not on PATH"):
        precompiled_bundle(PYODIDE_DIR, version, tmp_path)  # an empty cache: must compile

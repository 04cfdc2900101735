"""Build-time precompile, run INSIDE Pyodide under Node by ``precompile.mjs`` (never imported by
CPython: bytecode must come from the same Python that will run it, Pyodide's 3.14).

Produces, in ``OUT_DIR``:

* ``python_stdlib.zip``: the standard library modules the walkthrough's worker uses, as
  ``.pyc`` files (no sources), for ``loadPyodide({stdLibURL})``. The modules are those Pyodide
  imported while starting, unpacking the ``logic`` archive and evaluating sample cases, plus
  every module ``logic`` and the worker glue import anywhere in their source (function-level
  imports included), plus their parent packages. Nothing else is compiled or shipped.
* ``logic.zip``: the ``logic`` archive as built by ``generator/logic_bundle.py``, byte-for-byte
  the same entries, plus ``logic/__pycache__/*.cpython-3XX.pyc`` for each module.
* ``report.json``: what was selected and how long it took.

For the worker's memory snapshot (``precompile.mjs`` starts a second Pyodide from these two zips
and calls ``prepare_snapshot``), also:

* ``snapshot_stdlib.zip``: the precompiled modules the snapshot has not imported yet (those that
  ``logic`` imports only inside functions it has not called): the standard library a worker
  restored from the snapshot installs instead of ``python_stdlib.zip``.

Bytecode uses unchecked-hash ``.pyc`` files (PEP 552): valid without timestamps, so the zips are
reproducible, and never second-guessed against a source file's modification time.
"""

import sys

STDLIB_ZIP = "/lib/python{}{}.zip".format(*sys.version_info[:2])


def loaded_modules() -> dict[str, str]:
    """Module name -> file, for every module imported so far (builtins have no file)."""
    return {
        name: getattr(module, "__file__", None) or ""
        for name, module in list(sys.modules.items())
        if module is not None
    }


# Inputs that walk the worker's code paths: a full valid case, typed lab values, and invalid
# input of several kinds (each answered with a CaseError). Not clinical data: only inputs.
EXERCISE = [
    {"viral_loads": [{"week": 4, "copies": "1,200"}, {"week": 30, "copies": "<50"}]},
    {
        "viral_loads": [
            {"week": 8, "copies": "TND"},
            {"week": 30, "copies": "2.5e3"},
            {"week": 34, "copies": 4000},
        ],
        "llod": 20,
        "history": "first_regimen",
        "failing_regimen": "insti_2nrti",
        "resistance_test": "mutations_found",
        "resistance": ["m184vi", "insti_ral_evg"],
        "weeks_off_art": 6,
        "fully_active_agents": 2,
        "hbv_coinfection": True,
        "childbearing_potential": True,
        "adherence_concern": True,
        "cns_symptoms": True,
    },
    # A regimen by drug names and a genotype: the snapshot then holds the drug, genotype and
    # HIVdb data already read (a restored worker has no files to read them from) and the
    # modules that interpret a genotype, so the first genotype in the browser reads no file.
    {
        "viral_loads": [{"week": 24, "copies": 2400}, {"week": 28, "copies": 3100}],
        "history": "first_regimen",
        "regimen": "RAL + TDF/FTC",
        "mutations": "RT: M41L, K65R, K103N, M184V; PR: I50L; IN: N155H",
    },
    {"viral_loads": [{"week": 4, "copies": 900}], "regimen": "TDF/FTC/EFX"},
    {"viral_loads": [{"week": 4, "copies": 900}], "mutations": "RT: K103N, hello"},
    {"viral_loads": [{"week": 4, "copies": "lots"}]},
    {"viral_loads": [], "unknown": 1},
    {"viral_loads": [{"week": -1, "copies": 1e400}]},
    "not a case",
]


def exercise(evaluate_json) -> dict[str, str]:
    """Run the worker's entry point on the sample inputs, then report what is loaded."""
    import json

    for case in EXERCISE:
        json.loads(evaluate_json(json.dumps(case)))
    return loaded_modules()


def _stdlib_modules(names: list[str]) -> dict[str, tuple[str, bool]]:
    """Module name -> (zip entry, is a package) for every ``.py`` in the stdlib zip."""
    modules = {}
    for entry in names:
        if not entry.endswith(".py"):
            continue
        dotted = entry[:-3].replace("/", ".")
        package = dotted.endswith(".__init__")
        modules[dotted.removesuffix(".__init__")] = (entry, package)
    return modules


def _import_nodes(tree, import_time_only: bool):
    """Import statements in ``tree``; with ``import_time_only``, only those that run when the
    module is imported (module and class bodies, including their if/try blocks), not those
    inside functions, which run only when the function is called."""
    import ast

    if not import_time_only:
        yield from (n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom))
        return
    statement = ast.stmt | ast.excepthandler | ast.match_case
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif _main_block(node):  # `if __name__ == "__main__":` never runs on import
            pending.extend(node.orelse)
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            pending.extend(c for c in ast.iter_child_nodes(node) if isinstance(c, statement))


def _main_block(node) -> bool:
    """Is ``node`` a module's ``if __name__ == "__main__":`` (heapq's imports doctest there)?"""
    import ast

    test = getattr(node, "test", None) if isinstance(node, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _imports(source: bytes, module: str, package: bool, import_time_only: bool) -> set[str]:
    """Modules a source file imports, with their parent packages."""
    import ast

    base_package = module if package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(source), import_time_only):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        else:
            base = node.module or ""
            if node.level:
                parts = base_package.split(".")[: len(base_package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    with_parents = set()
    for name in found:
        parts = name.split(".")
        with_parents.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return with_parents


def _closure(roots: set[str], sources: dict[str, tuple[bytes, bool]], modules: dict) -> set[str]:
    """``roots`` plus the stdlib modules that ``sources`` (name -> (source, is a package)) import
    anywhere in their code, and what those import when they are imported."""
    import zipfile

    stdlib = zipfile.ZipFile(STDLIB_ZIP)
    reached: set[str] = set()
    pending = []
    for name, (source, package) in sources.items():
        pending.extend(_imports(source, name, package, import_time_only=False))
    while pending:
        name = pending.pop()
        if name in reached or name not in modules:
            continue
        reached.add(name)
        entry, package = modules[name]
        pending.extend(_imports(stdlib.read(entry), name, package, import_time_only=True))
    return set(roots) | reached


def _compile(source: bytes, display_name: str, work: str) -> bytes:
    """Bytecode for ``source`` as an unchecked-hash .pyc, naming ``display_name`` in tracebacks."""
    import os
    import py_compile

    src, pyc = os.path.join(work, "module.py"), os.path.join(work, "module.pyc")
    with open(src, "wb") as handle:
        handle.write(source)
    py_compile.compile(
        src,
        cfile=pyc,
        dfile=display_name,
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    with open(pyc, "rb") as handle:
        return handle.read()


def _write_zip(path: str, entries: list[tuple[str, bytes]]) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def build(used: dict[str, str], logic_zip: str, glue_source: str, out_dir: str) -> dict:
    import importlib.util
    import io
    import json
    import os
    import tempfile
    import time
    import zipfile

    started = time.perf_counter()
    stdlib = zipfile.ZipFile(STDLIB_ZIP)
    names = stdlib.namelist()
    modules = _stdlib_modules(names)
    prefix = STDLIB_ZIP + "/"
    by_entry = {entry: name for name, (entry, _) in modules.items()}
    dynamic = {by_entry[f[len(prefix) :]] for f in used.values() if f[len(prefix) :] in by_entry}

    with open(logic_zip, "rb") as handle:
        logic_bytes = handle.read()
    logic_archive = zipfile.ZipFile(io.BytesIO(logic_bytes))
    static_roots = {"__worker_glue__": (glue_source.encode("utf-8"), False)}
    for entry in logic_archive.namelist():
        if entry.endswith(".py"):
            dotted = entry[:-3].replace("/", ".")
            package = dotted.endswith(".__init__")
            static_roots[dotted.removesuffix(".__init__")] = (logic_archive.read(entry), package)
    selected = _closure(dynamic, static_roots, modules)
    for name in list(selected):  # a module needs its packages' __init__ too
        parts = name.split(".")
        selected.update(".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]))
    selected &= modules.keys()

    work = tempfile.mkdtemp()
    stdlib_entries = []
    for name in sorted(selected):
        entry, _ = modules[name]
        code = _compile(stdlib.read(entry), prefix + entry, work)
        stdlib_entries.append((entry[:-3] + ".pyc", code))
    # Data files and package markers (a handful of small files) go in as they are.
    stdlib_entries += [(n, stdlib.read(n)) for n in names if not n.endswith((".py", "/"))]
    _write_zip(os.path.join(out_dir, "python_stdlib.zip"), stdlib_entries)

    site_packages = next(p for p in sys.path if p.endswith("site-packages"))
    logic_entries = [(n, logic_archive.read(n)) for n in logic_archive.namelist()]
    for entry, source in [(n, d) for n, d in logic_entries if n.endswith(".py")]:
        target = os.path.join(site_packages, entry)
        cache = os.path.relpath(importlib.util.cache_from_source(target), site_packages)
        logic_entries.append((cache, _compile(source, target, work)))
    _write_zip(os.path.join(out_dir, "logic.zip"), logic_entries)

    report = {
        "python": ".".join(map(str, sys.version_info[:3])),
        "stdlib_modules_total": len(modules),
        "stdlib_modules_selected": len(selected),
        "stdlib_modules_loaded_at_run_time": len(dynamic),
        "selected": sorted(selected),
        "seconds": round(time.perf_counter() - started, 3),
    }
    with open(os.path.join(out_dir, "report.json"), "w") as handle:
        json.dump(report, handle, indent=1)
    return report


# --------------------------------------------------------------------------- memory snapshot


def prepare_snapshot(evaluate_json, out_zip: str) -> dict:
    """Bring this interpreter (started from the precompiled zips, ``logic`` unpacked, the glue
    run) to the state the worker's memory snapshot records, and write the standard library zip
    that goes with it.

    The sample cases run first, so what they import lazily is in the snapshot too. The zip holds
    the precompiled modules still not imported. Python's import caches of the zip at hand are
    then dropped: after a restore, the next import reads whichever zip the worker installed.
    """
    import gc
    import os
    import zipfile
    import zipimport

    exercise(evaluate_json)
    stdlib = zipfile.ZipFile(STDLIB_ZIP)
    lazy = []
    for entry in stdlib.namelist():
        dotted = entry.removesuffix(".pyc").replace("/", ".").removesuffix(".__init__")
        if not entry.endswith(".pyc") or dotted not in sys.modules:
            lazy.append((entry, stdlib.read(entry)))
    stdlib.close()
    _write_zip(out_zip, lazy)

    sys.path.remove(os.path.dirname(__file__))  # where precompile.mjs put this file
    del sys.modules[__name__]
    # Finders are rebuilt on the next import (importlib.invalidate_caches would import
    # importlib.metadata, which is not shipped).
    sys.path_importer_cache.clear()
    zipimport._zip_directory_cache.clear()
    gc.collect()
    return {
        "snapshot_modules_imported": len(sys.modules),
        "snapshot_stdlib_modules": sum(1 for name, _ in lazy if name.endswith(".pyc")),
    }

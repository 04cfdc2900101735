"""MkDocs hook (``hooks:`` in mkdocs.yml): keep ``docs/`` generated while ``mkdocs serve`` runs.

A convenience only: Zensical ignores ``hooks:``, so nothing a build needs may come from here
(the notice's facts come from the generated ``docs/includes/site-config.yml``).

* Under ``mkdocs serve``, ``on_pre_build`` runs ``python -m generator`` before MkDocs collects the
  files, so every page is on disk before the build reads it (the generator is never run in
  memory only). It runs in a subprocess, so edits to the generator's own Python code and to
  ``logic/`` are picked up without a restart. The generator writes only files whose bytes
  changed, so the rebuild its writes trigger finds nothing new and stops there: no reload loop.
  ``mkdocs build`` does not run it: the generator is a standalone command, run once before the
  build (``make build``, the Pages workflow and the test fixtures all do), so a build does not
  pay for it twice.
* ``on_serve`` adds ``generator/`` (code, templates, content), ``logic/`` and the theme overrides
  in ``site_overrides/`` to the paths ``mkdocs serve`` watches.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("generator", "logic", "site_overrides")

log = logging.getLogger("mkdocs.hooks.generator")


_command = {"name": "build"}


def on_startup(command, dirty, **kwargs) -> None:
    _command["name"] = command


def on_pre_build(config, **kwargs) -> None:
    if _command["name"] != "serve":
        return
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # no __pycache__ churn in watched dirs
    result = subprocess.run(
        [sys.executable, "-m", "generator"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip()
        raise PluginError(message or f"python -m generator exited {result.returncode}")
    log.info(result.stdout.strip())


def on_serve(server, config, builder, **kwargs):
    for name in WATCHED:
        path = ROOT / name
        if path.is_dir():
            server.watch(str(path))
    return server

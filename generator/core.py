"""Generator machinery shared by every step.

A run has two phases:

1. **Collect and validate.** Every step in ``generator.steps.STEPS`` is called with a
   :class:`Context` and returns ``(path, content)`` pairs: a POSIX path relative to ``docs/`` and
   the file's ``str`` (written as UTF-8) or ``bytes``. Nothing touches the disk yet.
2. **Write.** Only when every step succeeded: files whose bytes differ are (atomically) written,
   files listed in the previous manifest but not produced this time are removed, and the manifest
   ``docs/.generated.json`` is updated. A content error therefore leaves the last good output as
   it was.

Writing only changed files keeps ``mkdocs serve`` from rebuilding in a loop (the MkDocs hook runs
the generator before every build, and the build watches ``docs/``).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

import logic
from logic import DataError, Guideline
from logic.schema import MAX_FILE_BYTES, ShapeError, check_sizes
from logic.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_DIR = ROOT / "generator"
TEMPLATES_DIR = GENERATOR_DIR / "templates"
CONTENT_DIR = GENERATOR_DIR / "content"
DOCS_DIR = ROOT / "docs"
NODE_MODULES = ROOT / "node_modules"

MANIFEST_NAME = ".generated.json"
# The edition to build when `python -m generator --edition` is not given (the MkDocs hook's
# subprocess and the post-build step read the same variable).
EDITION_ENV = "GENERATOR_EDITION"
# Folders under docs/ that hold hand-written, git-tracked pages: the generator never writes there.
HAND_WRITTEN = ("about",)

Content = str | bytes
Output = tuple[str, Content]
Step = Callable[["Context"], Iterable[Output]]


class GeneratorError(Exception):
    """A problem that stops the run; the CLI prints it without a traceback and exits 1.
    A :class:`logic.DataError` met while running a step becomes one, with the same message."""


class ContentError(GeneratorError):
    """A problem in a content or template file, reported by file, entry and field.

    ``str(error)`` reads like::

        generator/content/x.toml: entry 'foo', field 'rating': unknown rating 'AIV' (allowed: AI, …)
    """

    def __init__(
        self,
        file: str | Path,
        entry: str | None = None,
        field: str | None = None,
        message: str = "",
    ) -> None:
        self.file = display_path(file)
        self.entry = entry
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"entry {self.entry!r}"] if self.entry is not None else []
        if self.field is not None:
            where.append(f"field {self.field!r}")
        location = f"{self.file}: " + (", ".join(where) + ": " if where else "")
        return location + self.message


def display_path(path: str | Path) -> str:
    """A path as the user should see it: relative to the repository when it lies inside it."""
    path = Path(path)
    if path.is_absolute():
        try:
            return path.relative_to(ROOT).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


# --------------------------------------------------------------------------- Jinja and content


def long_date(value: date | str) -> str:
    """``2019-12-18`` (a date, or its ISO text) -> ``December 18, 2019`` (the guideline's own
    style). The one date format of the pages."""
    if not isinstance(value, date):
        value = date.fromisoformat(str(value))
    return f"{value:%B} {value.day}, {value.year}"


def jinja_env(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    """The Jinja environment every step uses: templates from ``generator/templates/``,
    ``StrictUndefined`` (a missing variable is an error, never an empty string), no autoescape
    (the output is Markdown), Markdown-friendly whitespace handling, and the ``long_date``
    filter."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    return env


def render(env: jinja2.Environment, template: str, **variables: Any) -> str:
    """Render ``template`` with ``variables``; template problems become :class:`ContentError`
    naming the template file (an included one, if the problem is there) and line."""
    try:
        return env.get_template(template).render(**variables)
    except jinja2.TemplateSyntaxError as error:
        file = error.filename or _template_file(env, template)
        raise ContentError(file, message=f"line {error.lineno}: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise ContentError(
            _template_file(env, template), message=f"no such template: {error}"
        ) from None
    except jinja2.UndefinedError as error:
        file, line = _template_file(env, template), None
        # Jinja rewrites tracebacks so that template frames carry the template's file and line:
        # report the innermost frame that lies in a templates folder.
        roots = [Path(folder).resolve() for folder in getattr(env.loader, "searchpath", [])]
        tb = error.__traceback__
        while tb is not None:
            filename = Path(tb.tb_frame.f_code.co_filename).resolve()
            if any(filename.is_relative_to(root) for root in roots):
                file, line = display_path(filename), tb.tb_lineno
            tb = tb.tb_next
        prefix = f"line {line}: " if line else ""
        raise ContentError(file, message=f"{prefix}{error.message}") from None


def _template_file(env: jinja2.Environment, template: str) -> str:
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        return display_path(Path(loader.searchpath[0]) / template)
    return template


def load_toml(path: Path) -> dict[str, Any]:
    """Read a TOML content file. Every way it can be unreadable is a one-line
    :class:`ContentError`: missing, over the size limit, not UTF-8, not TOML (with the line),
    nested too deeply, or holding a string over the size limit (the limits are logic's, see
    ``logic/schema.py``)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ContentError(path, message="file not found") from None
    except OSError as error:
        raise ContentError(path, message=f"cannot read the file: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ContentError(path, message=f"file is over the limit of {MAX_FILE_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        raise ContentError(path, message=f"not UTF-8: byte 0x{byte} on line {line}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, message=f"invalid TOML: {error}") from None
    except RecursionError:
        raise ContentError(path, message="invalid TOML: nested too deeply") from None
    try:
        check_sizes(raw)
    except ShapeError as error:
        raise ContentError(path, error.entry, error.field, error.message) from None
    return raw


# --------------------------------------------------------------------------- context and outputs


@dataclass
class Context:
    """What a step may read. Steps return outputs; they never write files themselves."""

    templates_dir: Path = TEMPLATES_DIR
    content_dir: Path = CONTENT_DIR
    node_modules: Path = NODE_MODULES
    # The edition to build (an id of logic.editions(); None: logic's default edition).
    edition: str | None = None

    @cached_property
    def guideline(self) -> Guideline:
        """The edition this run builds: every step reads the guideline from here."""
        try:
            return logic.load(self.edition)
        except logic.EditionError as error:
            raise GeneratorError(str(error)) from None

    @property
    def edition_content_dir(self) -> Path:
        """Content tied to this edition (e.g. notes on what came after it), beside the shared
        content: ``generator/content/editions/<id>/``."""
        return self.content_dir / "editions" / self.guideline.edition

    @cached_property
    def env(self) -> jinja2.Environment:
        env = jinja_env(self.templates_dir)
        # The edition's words (logic/vocabulary.py), e.g. the "not rated" mark.
        env.globals["vocabulary"] = vocabulary(self.guideline)
        return env

    def render(self, template: str, **variables: Any) -> str:
        return render(self.env, template, **variables)


def check_output_path(path: str) -> None:
    """Validate a step's output path (POSIX, relative to docs/, not hand-written territory)."""
    pure = PurePosixPath(path)
    if (
        not path
        or pure.is_absolute()
        or "\\" in path
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise GeneratorError(f"invalid output path {path!r}: use a relative POSIX path")
    if pure.name == MANIFEST_NAME:
        raise GeneratorError(f"output path {path!r} is reserved for the manifest")
    if pure.parts[0] in HAND_WRITTEN:
        raise GeneratorError(
            f"output path {path!r} is under docs/{pure.parts[0]}/, which is hand-written"
        )


@dataclass
class Outputs:
    """The collector: every file this run produces, keyed by path, with the step that made it."""

    files: dict[str, bytes] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)

    def add(self, path: str, content: Content, step: str) -> None:
        check_output_path(path)
        if path in self.files:
            raise GeneratorError(
                f"output {path!r} produced twice (by {self.origin[path]} and by {step})"
            )
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        self.origin[path] = step


def collect(steps: Iterable[Step], context: Context) -> Outputs:
    """Phase 1: run every step and gather its outputs; raises on the first failing step."""
    outputs = Outputs()
    for step in steps:
        name = f"{step.__module__}.{step.__qualname__}"
        try:
            for path, content in step(context):
                outputs.add(path, content, name)
        except DataError as error:  # logic/data: already one line naming file, entry and field
            raise GeneratorError(str(error)) from None
    return outputs


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Result:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    seconds: float

    def summary(self) -> str:
        return (
            f"generator: {len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed in {self.seconds:.2f} s"
        )


def read_manifest(docs_dir: Path) -> list[str]:
    path = docs_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        raise GeneratorError(f"{display_path(path)}: unreadable manifest ({error})") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(item, str) for item in files):
        raise GeneratorError(f"{display_path(path)}: manifest has no list of 'files'")
    return files


def manifest_bytes(paths: Iterable[str]) -> bytes:
    data = {
        "comment": "Written by `python -m generator`: every file it generated under docs/.",
        "files": sorted(paths),
    }
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly these bytes. Atomic, so a
    watcher never sees half a file. Returns whether the file was written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _remove_stale(docs_dir: Path, path: str) -> bool:
    target = docs_dir / path
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    # Drop folders the removal left empty, up to (not including) docs/.
    parent = target.parent
    while parent != docs_dir and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
    return True


def write(outputs: Outputs, docs_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """Phase 2: write changed files, remove stale ones, update the manifest."""
    previous = read_manifest(docs_dir)
    # Stale files first, so a path can turn from a file into a folder (or back) between runs.
    removed = []
    for path in sorted(set(previous) - outputs.files.keys()):
        check_output_path(path)  # whatever the manifest says, never delete outside generated files
        if _remove_stale(docs_dir, path):
            removed.append(path)
    written, unchanged = [], []
    for path, data in sorted(outputs.files.items()):
        (written if write_if_changed(docs_dir / path, data) else unchanged).append(path)
    write_if_changed(docs_dir / MANIFEST_NAME, manifest_bytes(outputs.files))
    return written, unchanged, removed


def generate(
    steps: Iterable[Step],
    context: Context | None = None,
    docs_dir: Path = DOCS_DIR,
) -> Result:
    """Run ``steps`` (``generator.steps.STEPS`` for the whole site), then (only if all
    succeeded) write the outputs into ``docs_dir``."""
    started = time.perf_counter()
    outputs = collect(steps, context or Context())
    written, unchanged, removed = write(outputs, docs_dir)
    return Result(tuple(written), tuple(unchanged), tuple(removed), time.perf_counter() - started)

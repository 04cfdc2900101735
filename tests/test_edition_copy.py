"""The edition is a value: the site builds from a renamed copy of the edition, found in an extra
editions folder ($LOGIC_EDITIONS_DIR) and named with the generator's edition setting, and every
generated file comes out the same as from the shipped edition."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import logic
from generator import cli
from generator.core import CONTENT_DIR, Context, GeneratorError, generate
from generator.steps import STEPS

EDITIONS = Path(logic.__file__).parent / "editions"
COPY = "test-copy"


@pytest.fixture
def renamed_copy(tmp_path, monkeypatch):
    """logic's default edition and its content, copied under another id: the files an edition
    is made of (logic/editions/<id>/, generator/content/editions/<id>/), the id in the manifest."""
    folder = tmp_path / "editions" / COPY
    shutil.copytree(EDITIONS / logic.DEFAULT_EDITION, folder)
    manifest = folder / "edition.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f'id = "{logic.DEFAULT_EDITION}"', f'id = "{COPY}"'))
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    (content / "editions" / logic.DEFAULT_EDITION).rename(content / "editions" / COPY)
    monkeypatch.setenv("LOGIC_EDITIONS_DIR", str(tmp_path / "editions"))
    return content


def built(docs: Path) -> dict[str, bytes]:
    return {
        path.relative_to(docs).as_posix(): path.read_bytes()
        for path in sorted(docs.rglob("*"))
        if path.is_file() and path.name != ".generated.json"
    }


def test_the_site_builds_from_a_renamed_copy_of_the_edition(renamed_copy, tmp_path):
    assert logic.editions() == [logic.DEFAULT_EDITION, COPY]
    copy = Context(content_dir=renamed_copy, edition=COPY)
    assert copy.guideline.edition == COPY
    assert copy.guideline.folder == str(tmp_path / "editions" / COPY)
    assert copy.guideline is not logic.load()
    generate(STEPS, Context(), docs_dir=tmp_path / "shipped")
    generate(STEPS, copy, docs_dir=tmp_path / "copy")
    shipped, from_copy = built(tmp_path / "shipped"), built(tmp_path / "copy")
    assert len(shipped) > 50 and shipped.keys() == from_copy.keys()
    assert [path for path in shipped if shipped[path] != from_copy[path]] == []
    # The same rules and options table, read from the copy.
    table = from_copy["guideline/table-11.md"].decode("utf-8")
    for row in copy.guideline.options_table()["rows"]:
        assert f'id="{row["id"]}"' in table
    walkthrough = from_copy["walkthrough/index.md"].decode("utf-8")
    rules = [rule["id"] for t in copy.guideline.tables.values() for rule in t["rules"]]
    assert len(rules) > 50 and all(rule in walkthrough for rule in rules)


def test_the_command_takes_the_edition(renamed_copy, tmp_path, monkeypatch, capsys):
    """`python -m generator --edition` (or $GENERATOR_EDITION) names the edition every step
    reads; an unknown id is one line, exit 1."""

    def edition_step(context):
        yield "edition.txt", f"{context.guideline.edition} {context.guideline.folder}"

    monkeypatch.setattr("generator.steps.STEPS", [edition_step])
    assert cli.main(["--docs-dir", str(tmp_path / "docs"), "--edition", COPY]) == 0
    folder = tmp_path / "editions" / COPY
    assert (tmp_path / "docs" / "edition.txt").read_text() == f"{COPY} {folder}"
    monkeypatch.setenv(cli.EDITION_ENV, COPY)
    assert cli.main(["--docs-dir", str(tmp_path / "env")]) == 0
    assert (tmp_path / "env" / "edition.txt").read_text() == f"{COPY} {folder}"
    monkeypatch.delenv(cli.EDITION_ENV)
    assert cli.main(["--docs-dir", str(tmp_path / "default")]) == 0
    assert (
        (tmp_path / "default" / "edition.txt")
        .read_text()
        .startswith(f"{logic.DEFAULT_EDITION} logic/editions/{logic.DEFAULT_EDITION}")
    )
    capsys.readouterr()
    assert cli.main(["--docs-dir", str(tmp_path / "none"), "--edition", "no-such"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("generator: error: unknown edition 'no-such' (available: ")
    assert error.count("\n") == 1 and COPY in error
    assert not (tmp_path / "none").exists()
    with pytest.raises(GeneratorError, match="unknown edition"):
        _ = Context(edition="no-such").guideline

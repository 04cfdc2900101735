"""tests/chromium.py: which Chromium the browser tests use."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests import chromium


def fake_browser(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_chromium_path_wins(monkeypatch, tmp_path: Path):
    browser = fake_browser(tmp_path, "my-chromium")
    monkeypatch.setenv("CHROMIUM_PATH", str(browser))
    assert chromium.system_chromium() == browser


def test_a_wrong_chromium_path_is_an_error_not_a_fallback(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "absent"))
    with pytest.raises(chromium.ChromiumNotFound):
        chromium.system_chromium()


def test_path_lookup_when_the_default_is_absent(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(chromium, "DEFAULT_PATH", tmp_path / "no-such-chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium.system_chromium() is None
    browser = fake_browser(tmp_path, "chromium-browser")
    assert chromium.system_chromium() == browser

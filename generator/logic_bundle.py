"""The ``logic`` package as one zip archive, for Pyodide (browser worker and Node tests).

The archive is deterministic (sorted entries, fixed timestamps), so an unchanged package gives
unchanged bytes and the generator writes nothing.
"""

from __future__ import annotations

import io
import zipfile
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

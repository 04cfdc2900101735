"""The HIVdb data are read on the first genotype only, and never again afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import logic.hivdb as hivdb
from tests.test_logic_files import no_file_access

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
import logic, logic.hivdb
logic.evaluate({"viral_loads": [{"week": 30, "copies": 1200}]})
before = sorted(m for m in sys.modules if m.startswith("logic.hivdb"))
logic.hivdb.interpret("RT: K103N")
after = sorted(m for m in sys.modules if m.startswith("logic.hivdb"))
print(json.dumps({"before": before, "after": after, "xml": "xml.etree" in sys.modules}))
"""


def test_importing_logic_and_logic_hivdb_reads_no_algorithm_data():
    run = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seen = json.loads(run.stdout)
    assert seen["before"] == ["logic.hivdb"], "no data module loaded before a genotype"
    assert {"logic.hivdb.algorithm", "logic.hivdb.report"} <= set(seen["after"])
    assert seen["xml"] is False, "the XML parser is a build-time tool only"


def test_once_loaded_interpretation_reads_no_file():
    hivdb.load()
    with no_file_access() as attempts:
        hivdb.parse_mutations("RT: K103N, M184V; IN: none")
        hivdb.interpret("RT: M41L, D67N, K70R, L210W, T215Y, K219Q; PR: I50L; IN: G140S, Q148H")
    assert attempts == []

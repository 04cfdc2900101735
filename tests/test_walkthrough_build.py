"""The walkthrough's build outputs, checked without a browser: the logic bundle the worker loads
(archive contents, precompiled standard library, the cache) and the generated form page."""

from __future__ import annotations

import ast
import gzip
import html
import io
import json
import re
import struct
import subprocess
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

import logic
from generator import logic_bundle as bundle_module
from generator.core import Context
from generator.logic_bundle import archive_bytes, logic_files, precompiled_bundle
from generator.steps import logic_bundle, pyodide_runtime
from logic.hivdb.algorithm import load as hivdb_algorithm
from tests.support import ROOT

PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# The number Pyodide's makeMemorySnapshot() writes first; its restoreSnapshot checks it.
PYODIDE_SNAPSHOT_MAGIC = 1886286592
SNAPSHOT_DECODER = ROOT / "site_overrides" / "assets" / "javascripts" / "snapshot-file.mjs"


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
    pycs = sorted(  # in the order of their sources (logic/hivdb/... after logic/evaluate.py)
        (n for n in names if "/__pycache__/" in n),
        key=lambda n: n.replace("/__pycache__/", "/").partition(".cpython-")[0] + ".py",
    )
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
    assert f'"./{folder}/snapshot.bin"' in source
    assert f'"./{folder}/snapshot_stdlib.zip"' in source
    assert f'export const logicVersion = "{logic.__version__}";' in source
    glue = re.search(r"^export const glue = (.*);$", source, re.MULTILINE).group(1)
    assert json.loads(glue) == bundle_module.glue_source()


# --------------------------------------------------------------------------- the memory snapshot


def test_the_snapshot_is_pyodides_memory_with_logic_loaded(bundle_outputs):
    _, packed = output(bundle_outputs, "snapshot.bin")
    raw = unpack_in_node(packed)
    magic, heap_offset = struct.unpack_from("<2I", raw)
    assert magic == PYODIDE_SNAPSHOT_MAGIC
    heap = raw[heap_offset:]
    assert len(heap) % 65536 == 0, "a whole number of WebAssembly pages"
    assert b"evaluate_json" in heap, "the worker's glue has run"
    assert logic.guideline().source["section"].encode() in heap, "logic's data is loaded"
    # A sample genotype ran before the snapshot: the HIVdb rules' comments are in memory.
    comments = [t for t in hivdb_algorithm().comments.values() if t.isascii() and len(t) > 80]
    assert comments and all(t.encode() in heap for t in comments[:3]), "HIVdb data is loaded"
    assert len(packed) < len(raw) / 4, "zero pages are not shipped"


def test_the_snapshot_stdlib_holds_only_modules_the_snapshot_has_not_imported(bundle_outputs):
    bundle = logic_bundle.bundle(Context())
    _, data = output(bundle_outputs, "snapshot_stdlib.zip")
    shipped = {n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".pyc")}
    full = {n for n in zipfile.ZipFile(io.BytesIO(bundle.stdlib_zip)).namelist()}
    assert shipped <= full
    assert len(shipped) == bundle.report["snapshot_stdlib_modules"] < 20
    assert bundle.report["snapshot_modules_imported"] > 150


def unpack_in_node(packed: bytes) -> bytes:
    """What the worker's decoder (snapshot-file.mjs) makes of a packed snapshot, run in Node."""
    script = (
        "import { gunzipSync } from 'node:zlib';"
        "import { readFileSync, writeFileSync } from 'node:fs';"
        f"import {{ unpackSnapshot }} from {json.dumps(SNAPSHOT_DECODER.as_uri())};"
        "const [input, out] = process.argv.slice(1);"
        "try { writeFileSync(out, unpackSnapshot(new Uint8Array(gunzipSync(readFileSync(input)))));"
        "} catch (error) { process.stderr.write(error.message); process.exit(3); }"
    )
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in", Path(folder) / "out"
        source.write_bytes(packed)
        run = subprocess.run(
            ["node", "--input-type=module", "-e", script, str(source), str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode:
            raise ValueError(run.stderr)
        return target.read_bytes()


def test_the_worker_decodes_exactly_what_the_generator_packs():
    page = bundle_module.SNAPSHOT_PAGE
    raw = bytearray(page * 9 + 100)  # an unaligned tail
    raw[0:16] = b"header bytes 123"
    raw[page * 3 + 7] = 1  # a lone byte in a page
    raw[page * 5 : page * 7] = bytes(range(256)) * (2 * page // 256)  # a run of two pages
    raw[-1] = 255  # the partial last page
    packed = bundle_module.pack_snapshot(bytes(raw))
    assert unpack_in_node(packed) == bytes(raw)
    assert unpack_in_node(bundle_module.pack_snapshot(bytes(page))) == bytes(page)  # all zeros


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda body: b"NOTSNAP!" + body[8:], "not in the expected format"),
        (lambda body: body[:-5], "truncated or corrupt"),
        (lambda body: body + b"\0", "trailing bytes"),
    ],
)
def test_a_damaged_snapshot_is_refused(damage, message):
    raw = bytes(4096) + b"x" * 4096
    body = gzip.decompress(bundle_module.pack_snapshot(raw))
    with pytest.raises(ValueError, match=message):
        unpack_in_node(gzip.compress(damage(body)))


def test_an_unchanged_tree_runs_no_node(tmp_path):
    version = pyodide_runtime.pyodide_version(PYODIDE_DIR)
    first = precompiled_bundle(PYODIDE_DIR, version, ROOT)
    # A missing `node` would fail a precompile: the cache must answer without one.
    again = precompiled_bundle(PYODIDE_DIR, version, ROOT, node=str(tmp_path / "no-node"))
    assert again.cached and again.key == first.key
    assert again.stdlib_zip == first.stdlib_zip and again.logic_zip == first.logic_zip
    assert again.snapshot == first.snapshot


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


# --------------------------------------------------------------------------- the form page


class _Controls(HTMLParser):
    """Inputs (id, type, name, value, aria-label) and labels (for -> text) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str]] = []
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None
        self._label_text: list[str] = []
        self._in_template = 0

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        if tag in ("input", "textarea"):
            self.inputs.append({**attributes, "tag": tag})
        if tag == "label":
            self._label_for = attributes.get("for")
            self._label_text = []

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
        if tag == "label" and self._label_for and not self._in_template:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None

    def handle_data(self, data):
        if self._label_for is not None:
            self._label_text.append(data)


@pytest.fixture(scope="module")
def form_page() -> str:
    from generator.steps import walkthrough

    pages = dict(walkthrough.step(Context()))
    return pages["walkthrough/index.md"]


@pytest.fixture(scope="module")
def controls(form_page) -> _Controls:
    parser = _Controls()
    parser.feed(form_page)
    return parser


def test_every_field_and_choice_has_a_labelled_control(controls):
    by_id = {i["id"]: i for i in controls.inputs if i.get("id")}
    for field in logic.guideline().fields.values():
        kind, fid, label = field["kind"], field["id"], field["label"]
        if kind == "series":
            for part in ("week", "copies"):
                inputs = [i for i in controls.inputs if i.get("data-wt-part") == part]
                assert inputs, f"{fid}: no {part} input"
                for item in inputs:
                    assert controls.labels.get(item["id"]), f"{item['id']} has no label"
        elif kind in ("number", "integer", "date"):
            assert f"wt-{fid}" in by_id, fid
            assert controls.labels[f"wt-{fid}"] == label
        elif kind == "boolean":
            assert by_id[f"wt-{fid}"]["type"] == "checkbox"
            assert controls.labels[f"wt-{fid}"] == label
        elif kind == "text":
            control = by_id[f"wt-{fid}"]
            assert control["tag"] == ("textarea" if field.get("multiline") else "input"), fid
            assert controls.labels[f"wt-{fid}"] == label
            if field.get("suggest"):
                assert control["list"] == f"wt-{fid}-suggestions"
        else:
            expected_type = "radio" if kind == "choice" else "checkbox"
            for choice in field["choices"]:
                control = by_id.get(f"wt-{fid}-{choice['value']}")
                assert control, f"{fid}: no control for {choice['value']}"
                assert control["type"] == expected_type
                assert control["name"] == fid and control["value"] == choice["value"]
                assert controls.labels[control["id"]] == choice["label"]


def test_the_drug_picker_offers_logics_drug_names(form_page):
    from logic.regimen import drug_choices

    listed = re.search(
        r'<datalist id="wt-regimen-suggestions"[^>]*>(.*?)</datalist>', form_page, re.S
    )
    offered = re.findall(r'<option value="([^"]*)">', listed.group(1))
    choices = drug_choices()
    assert offered[: len(choices["combinations"])] == choices["combinations"]
    agents = [d for d in choices["drugs"] if d["class"] != "booster"]
    assert {"DTG", "dolutegravir", "DRV/c", "TDF/FTC/EFV"} <= set(offered)
    assert all(d["abbr"] in offered for d in agents if not d["investigational"])
    assert "RTV" not in offered  # a booster alone is no agent: it comes inside DRV/r


def test_the_llod_field_shows_logics_default(controls):
    default = logic.question_schema()["default_llod"]
    llod = next(i for i in controls.inputs if i.get("id") == "wt-llod")
    assert llod["placeholder"] == str(default)


def test_every_question_and_help_text_comes_from_logic(form_page):
    for field in logic.guideline().fields.values():
        if field.get("help"):
            assert str(escape(field["help"])) in form_page, f"{field['id']}: help text missing"
    for step in logic.question_schema()["steps"]:
        assert step["title"] in form_page


def test_the_scripts_take_the_options_tables_name_from_the_edition():
    """The browser code words the options table by the edition's name for it (page data), so an
    edition whose table is not "Table 11" needs no change to JavaScript; comments may name it."""
    name = logic.guideline().options_table_name
    scripts = ROOT / "site_overrides" / "assets" / "javascripts"
    found = []
    for path in sorted(scripts.rglob("*.mjs")):
        code = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        code = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", code)
        found += [
            f"{path.relative_to(ROOT)}:{n}"
            for n, line in enumerate(code.split("\n"), 1)
            if name in line
        ]
    assert len(list(scripts.rglob("*.mjs"))) > 20
    assert not found, found


def test_page_data_is_an_attribute_not_a_script(form_page):
    # Material's instant navigation re-creates scripts in the content without their type.
    assert "<script" not in form_page.split("---", 2)[2]
    match = re.search(r'data-wt-data="([^"]*)"', form_page)
    data = json.loads(html.unescape(match.group(1)))
    assert data["logic_version"] == logic.__version__
    assert set(data["fields"]) == set(logic.guideline().fields)
    assert set(data["rows"]) == set(logic.guideline().rows)
    assert set(data["sections"]) == set(logic.guideline().sections)


def test_page_links_reach_built_pages_and_anchors(built_site):
    """Every address the walkthrough page holds, in its HTML and in its JSON, is a built page
    with that anchor (MkDocs checks only Markdown links)."""
    page = (built_site / "walkthrough" / "index.html").read_text(encoding="utf-8")
    data = json.loads(html.unescape(re.search(r'data-wt-data="([^"]*)"', page).group(1)))
    urls = {value["url"] for key in ("sections", "rows", "ratings") for value in data[key].values()}
    urls |= set(data["pages"].values()) | {data["ratings_page"]}
    failure = re.search(r"data-wt-failure.*?</div>", page, re.DOTALL).group(0)
    urls |= set(re.findall(r'href="([^"]+)"', failure))
    flowchart = page.split("data-wt-decision-map", 1)[1]  # its boxes link to the map page
    urls |= {url for url in re.findall(r'href="([^"#][^"]*)"', flowchart) if "://" not in url}
    assert len(urls) > 100
    for url in sorted(urls):
        path, _, anchor = url.partition("#")
        target = (built_site / "walkthrough" / path / "index.html").resolve()
        assert target.is_file(), f"{url}: no built page"
        if anchor:
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{url}: no anchor"


def test_the_page_carries_the_flowchart_and_leaves_the_cards_to_the_map_page(form_page):
    """The flowchart (where the case's path is marked) has a box per rule and per row, each
    linking to its card on the decision map page; the 82 cards themselves are not on the page
    (on a form page they cost a phone a quarter of a second of blocking time at load)."""
    flowchart = form_page.split("data-wt-decision-map", 1)[1]
    assert 'class="dmap-node' not in flowchart, "rule cards on the walkthrough"
    boxes = {
        key: href
        for href, key in re.findall(
            r'<a xlink:href="([^"]+)" class="dmap-d-node[^"]*" data-\w+="([^"]+)"', flowchart
        )
    }
    g = logic.guideline()
    for table in g.tables.values():
        for rule in table["rules"]:
            assert boxes.get(rule["id"]) == f"../guideline/decision-map/#rule-{rule['id']}"
    for row in g.rows:
        assert boxes.get(row) == f"../guideline/decision-map/#map-row-{row}"
    skip = re.search(r'<p class="dmap-skip"><a href="#([^"]+)"', flowchart).group(1)
    assert f'id="{skip}"' in flowchart, "the skip link goes nowhere"

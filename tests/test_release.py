"""The release path: what is published has passed the tests, with pinned, least-privilege CI.

Reads the workflow files as YAML (PyYAML comes with MkDocs) and as text (for the version
comments YAML drops).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
TESTS_WORKFLOW = "./.github/workflows/tests.yml"
# owner/repo@<40 hex> # vX.Y.Z : a full commit SHA, with the release it is, for people.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+){0,2}\s*$")
WRITE = "write"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean true.
    return workflow.get("on", workflow.get(True)) or {}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict) -> list[str]:
    """Every action or reusable workflow a workflow uses, job-level and step-level."""
    out = [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    return out + [step["uses"] for step in steps(workflow) if "uses" in step]


def needs(job: dict) -> set[str]:
    value = job.get("needs", [])
    return {value} if isinstance(value, str) else set(value)


def upstream(jobs: dict, name: str) -> set[str]:
    """Every job ``name`` waits for, directly or through another job."""
    seen: set[str] = set()
    todo = list(needs(jobs[name]))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(needs(jobs[current]))
    return seen


def grants_write(permissions) -> bool:
    if isinstance(permissions, str):  # read-all / write-all
        return WRITE in permissions
    return any(level == WRITE for level in (permissions or {}).values())


def test_the_workflows_are_found():
    names = {path.name for path in WORKFLOW_FILES}
    assert {"pages.yml", "tests.yml"} <= names


def test_deploy_needs_the_test_job_on_the_same_commit():
    pages = load(WORKFLOWS / "pages.yml")
    jobs = pages["jobs"]
    testers = {name for name, job in jobs.items() if job.get("uses") == TESTS_WORKFLOW}
    assert testers, "pages.yml must call tests.yml as a job"
    assert testers <= upstream(jobs, "deploy"), "deploy must wait for the test job"
    assert testers <= upstream(jobs, "build"), "the artifact must be built after the tests"
    # The same commit: no job checks out anything but the commit that triggered the run.
    for step in steps(pages):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert "ref" not in step.get("with", {})
    # ... and the called workflow really runs the README's test command.
    tests = load(WORKFLOWS / "tests.yml")
    assert "workflow_call" in triggers(tests)
    assert any(step.get("run") == "make test" for step in steps(tests))


def test_pushes_to_main_are_tested_once():
    """tests.yml skips main, where pages.yml runs it before deploying."""
    push = triggers(load(WORKFLOWS / "tests.yml"))["push"]
    assert push.get("branches-ignore") == ["main"]
    assert triggers(load(WORKFLOWS / "pages.yml"))["push"]["branches"] == ["main"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit(path):
    workflow = load(path)
    for used in uses(workflow):
        if used.startswith("./"):
            continue  # a workflow of this repository, at this commit
        assert PINNED.match(used), f"{path.name}: {used!r} is not pinned to a full commit SHA"
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*(-\s*)?uses:\s*[\w-]+/", line):
            assert VERSION_COMMENT.search(line), f"{path.name}: no '# vX.Y.Z' on {line.strip()!r}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_permissions_are_per_job(path):
    workflow = load(path)
    assert not grants_write(workflow.get("permissions")), "write permission at workflow level"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name!r} inherits default permissions"
        if grants_write(job["permissions"]):
            assert name == "deploy", f"{path.name}: only the deploy job may write"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_checkouts_do_not_keep_the_token(path):
    checkouts = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_ci_uses_a_supported_node(path):
    for step in steps(load(path)):
        if step.get("uses", "").startswith("actions/setup-node@"):
            assert int(str(step["with"]["node-version"]).split(".")[0]) >= 22


def test_dependabot_watches_actions_python_and_npm():
    config = load(ROOT / ".github" / "dependabot.yml")
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"github-actions", "pip", "npm"}


def test_the_licence_is_the_one_package_json_names():
    declared = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["license"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.splitlines()[0] == f"{declared} License"
    assert "## Licence" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_changelog_lists_content_apart_from_code():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    assert releases and releases[0].startswith("[Unreleased]")
    for release in releases:
        headings = re.findall(r"^### (.+)$", release, flags=re.MULTILINE)
        assert headings == ["Content", "Code"], headings

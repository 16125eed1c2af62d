"""The compatibility check over git history, on throwaway repositories (never the real one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCHEMA = "contracts/events/se.samla.test.thing.changed.v1.schema.json"
V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://samla.se/contracts/events/se.samla.test.thing.changed.v1.schema.json",
    "type": "object",
    "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
    "required": ["id"],
}
ADDITIVE = {**V1, "properties": {**V1["properties"], "room": {"type": "string"}}}
BREAKING = {**V1, "required": ["id", "note"]}
REMOVED_NOTE = {**V1, "properties": {"id": {"type": "string"}}}


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args], check=True, env=env,
                   capture_output=True)


def write(repo: Path, schema: dict[str, Any], path: str = SCHEMA) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(json.dumps(schema, indent=2) + "\n")


def commit(repo: Path, schema: dict[str, Any], message: str, path: str = SCHEMA) -> None:
    write(repo, schema, path)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    return tmp_path


def problems_in(compat: ModuleType, repo: Path) -> list[str]:
    current = json.loads((repo / SCHEMA).read_text())
    return compat.history_problems(compat._versions(repo, SCHEMA, current))


def test_a_repository_without_commits_has_no_history(compat: ModuleType, repo: Path) -> None:
    write(repo, V1)

    assert compat.has_history(repo) is False


def test_a_folder_outside_git_has_no_history(compat: ModuleType, tmp_path: Path) -> None:
    assert compat.has_history(tmp_path) is False


def test_a_schema_never_committed_is_compared_with_nothing(compat: ModuleType, repo: Path) -> None:
    commit(repo, V1, "v1")
    write(repo, BREAKING, "contracts/events/se.samla.test.other.v1.schema.json")

    assert compat.committed_versions(repo, "contracts/events/se.samla.test.other.v1.schema.json") == []


def test_additive_commits_pass(compat: ModuleType, repo: Path) -> None:
    commit(repo, V1, "v1")
    commit(repo, ADDITIVE, "add room")

    assert problems_in(compat, repo) == []


def test_a_breaking_change_in_the_working_tree_is_refused(compat: ModuleType, repo: Path) -> None:
    commit(repo, V1, "v1")
    write(repo, BREAKING)

    problems = problems_in(compat, repo)

    assert len(problems) == 1
    assert problems[0].endswith("-> working tree: (root): new required field(s) ['note']: add them as optional")


def test_a_breaking_change_merged_in_the_past_is_still_found(compat: ModuleType, repo: Path) -> None:
    commit(repo, V1, "v1")
    commit(repo, REMOVED_NOTE, "drop note")
    commit(repo, {**REMOVED_NOTE, "title": "later, harmless"}, "docs")

    problems = problems_in(compat, repo)

    assert len(problems) == 1
    assert "note: property removed" in problems[0]


def test_history_follows_a_renamed_file(compat: ModuleType, repo: Path) -> None:
    old_path = "contracts/events/old-name.schema.json"
    commit(repo, V1, "v1", old_path)
    git(repo, "mv", old_path, SCHEMA)
    git(repo, "commit", "-q", "-m", "rename")
    write(repo, REMOVED_NOTE)

    assert any("note: property removed" in p for p in problems_in(compat, repo))


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    script = Path(__file__).resolve().parents[2] / "scripts" / "check_schema_compat.py"
    return subprocess.run([sys.executable, str(script), "--root", str(root)], capture_output=True, text=True)


def test_the_script_passes_on_a_copy_with_no_git_history(tree_copy: Path) -> None:
    done = run_check(tree_copy)

    assert done.returncode == 0, done.stderr
    assert "compared with 0 committed versions" in done.stdout


def test_the_script_refuses_a_field_removed_from_a_committed_schema(tree_copy: Path) -> None:
    git(tree_copy, "init", "-q", "-b", "main")
    git(tree_copy, "add", "-A")
    git(tree_copy, "commit", "-q", "-m", "contracts")
    path = tree_copy / "contracts/events/se.samla.identity.person.upserted.v1.schema.json"
    schema = json.loads(path.read_text())
    del schema["properties"]["location"]
    path.write_text(json.dumps(schema))

    done = run_check(tree_copy)

    assert done.returncode == 1
    assert "se.samla.identity.person.upserted.v1.schema.json" in done.stderr
    assert "location: property removed" in done.stderr

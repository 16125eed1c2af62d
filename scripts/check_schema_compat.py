"""Checks the event contracts in contracts/events (DESIGN §3: inside a version only additive, optional fields).

    python scripts/check_schema_compat.py [--root PATH]

Exit 1 with one line per problem when
- a schema changed incompatibly inside its version (same file name): every consecutive pair of committed
  versions in git history is compared, then the working tree against HEAD, so a clean clone of main still
  catches a breaking change that was merged in the past;
- an example in contracts/events/examples/<type>/ does not validate, or a schema has no example;
- topics.yaml lists a type without a schema, or a schema's type is not listed under exactly one topic.
A breaking change belongs in a new `.v<N+1>` type published beside the old one.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Mapping
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

REPO = Path(__file__).resolve().parent.parent
EVENTS_DIR = "contracts/events"
SCHEMA_SUFFIX = ".schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
EVENT_TYPE = re.compile(r"^se\.samla(\.[a-z][a-z0-9_]*)+\.v[1-9][0-9]*$")
_ABSENT = object()

# Keywords that reject more values when they grow (upper bounds) or shrink (lower bounds).
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
# Keywords whose every change is treated as breaking: telling a safe change from an unsafe one is not worth
# the code while no schema uses them.
_FROZEN = ("pattern", "format", "$ref", "allOf", "not", "if", "then", "else", "uniqueItems", "multipleOf")


# ---- the rules, on plain dicts ---------------------------------------------------------------------------

def breaking_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Why `new` may not replace `old` under the same type; empty when the change is additive."""
    problems = []
    if old.get("$id") != new.get("$id"):
        problems.append(f"$id changed from {old.get('$id')!r} to {new.get('$id')!r}")
    _compare(old, new, "(root)", problems)
    return problems


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (Python alone would take true for 1)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _compare(old: Any, new: Any, at: str, problems: list[str]) -> None:
    if new is True or _same(old, new):
        return
    old, new = ({} if old is True else old), ({} if new is True else new)
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        problems.append(f"{at}: schema changed from {json.dumps(old)} to {json.dumps(new)}")
        return
    for rule in (_type_rule, _enum_rule, _const_rule, _required_rule, _additional_rule, _bounds_rule,
                 _frozen_rule, _alternatives_rule):
        problems.extend(f"{at}: {problem}" for problem in rule(old, new))
    new_properties = new.get("properties", {})
    for name, old_property in old.get("properties", {}).items():
        where = name if at == "(root)" else f"{at}.{name}"
        if name not in new_properties:
            problems.append(f"{where}: property removed")
        else:
            _compare(old_property, new_properties[name], where, problems)
    if "items" in old or "items" in new:
        _compare(old.get("items", True), new.get("items", True), f"{at}[]", problems)
    for defs in ("$defs", "definitions"):
        for name, old_def in old.get(defs, {}).items():
            if name not in new.get(defs, {}):
                problems.append(f"{defs}/{name}: definition removed")
            else:
                _compare(old_def, new[defs][name], f"{defs}/{name}", problems)


def _types(schema: Mapping[str, Any]) -> set[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    return {declared} if isinstance(declared, str) else set(declared)


def _type_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    old_types, new_types = _types(old), _types(new)
    if new_types is None:
        return []
    if old_types is None:
        return [f"type restricted to {sorted(new_types)} (any type was allowed)"]
    # An integer is also a number, so integer -> number widens.
    lost = {t for t in old_types if t not in new_types and not (t == "integer" and "number" in new_types)}
    return [f"type changed from {sorted(old_types)} to {sorted(new_types)}"] if lost else []


def _enum_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    if "enum" not in new:
        return []
    if "enum" not in old:
        return [f"enum {new['enum']} added (any value was allowed)"]
    removed = [value for value in old["enum"] if not any(_same(value, kept) for kept in new["enum"])]
    return [f"enum value(s) removed: {removed}"] if removed else []


def _const_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    before, after = old.get("const", _ABSENT), new.get("const", _ABSENT)
    if before is after or (_ABSENT not in (before, after) and _same(before, after)):
        return []
    shown = ["absent" if value is _ABSENT else json.dumps(value) for value in (before, after)]
    return [f"const changed from {shown[0]} to {shown[1]}"]


def _required_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    added = sorted(set(new.get("required", [])) - set(old.get("required", [])))
    return [f"new required field(s) {added}: add them as optional"] if added else []


def _additional_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    before, after = old.get("additionalProperties", True), new.get("additionalProperties", True)
    if after is False and before is not False:
        return ["additionalProperties tightened to false"]
    if isinstance(after, Mapping) and before is True:
        return ["additionalProperties restricted by a schema (any extra property was allowed)"]
    if isinstance(after, Mapping) and isinstance(before, Mapping):
        nested: list[str] = []
        _compare(before, after, "additionalProperties", nested)
        return nested
    return []


def _bounds_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    problems = []
    for key in (*_UPPER_BOUNDS, *_LOWER_BOUNDS):
        before, after = old.get(key), new.get(key)
        if after is None or _same(before, after):
            continue
        comparable = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
        tighter = not comparable or (after < before if key in _UPPER_BOUNDS else after > before)
        if tighter:
            problems.append(f"{key} tightened from {before if before is not None else 'none'} to {after}")
    return problems


def _frozen_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [f"{key} changed from {json.dumps(old.get(key))} to {json.dumps(new.get(key))}"
            for key in _FROZEN if key in new and not _same(old.get(key), new.get(key))]


def _alternatives_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    problems = []
    for key in ("anyOf", "oneOf"):
        if key not in new:
            continue
        if key not in old:
            problems.append(f"{key} added (restricts values)")
        elif any(not any(_same(branch, kept) for kept in new[key]) for branch in old[key]):
            problems.append(f"{key}: an alternative was removed or changed (only adding one is additive)")
    return problems


# ---- the catalogue and examples, on plain data ----------------------------------------------------------

def catalogue_problems(topics: Mapping[str, Any], schema_types: set[str]) -> list[str]:
    """Every listed type has a schema and every schema's type is listed under exactly one topic."""
    problems = []
    listed: dict[str, list[str]] = {}
    for topic, spec in topics.items():
        types = (spec or {}).get("types") or []
        if not isinstance(types, list):
            problems.append(f"topics.yaml: {topic}.types must be a list")
            continue
        for event_type in types:
            listed.setdefault(event_type, []).append(topic)
    for event_type, where in sorted(listed.items()):
        if event_type not in schema_types:
            problems.append(f"topics.yaml lists {event_type} (under {', '.join(where)}) "
                            f"but {EVENTS_DIR}/{event_type}{SCHEMA_SUFFIX} does not exist")
    for event_type in sorted(schema_types):
        where = listed.get(event_type, [])
        if not where:
            problems.append(f"{event_type} is not listed under any topic in topics.yaml")
        elif len(where) > 1:
            problems.append(f"{event_type} is listed {len(where)} times in topics.yaml ({', '.join(where)}); "
                            "a type travels on exactly one topic")
    return problems


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)


def _is_date_time(value: object) -> bool:
    """RFC 3339 with a zone, as consumers parse it (jsonschema checks date-time only with an extra package)."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper())
    except ValueError:  # well formed but not a real moment, e.g. month 13
        return False
    return True


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("date-time")(_is_date_time)
    return checker


def example_problems(schema: Mapping[str, Any], example: Any) -> list[str]:
    """Validation errors of one example against its schema, formats included."""
    validator = Draft202012Validator(schema, format_checker=_format_checker())
    errors = sorted(validator.iter_errors(example), key=lambda error: list(error.absolute_path))
    return [f"at {error.json_path}: {error.message}" for error in errors]


def schema_problems(event_type: str, schema: Mapping[str, Any]) -> list[str]:
    """The schema itself: a valid 2020-12 schema whose $id names its file."""
    problems = []
    if not EVENT_TYPE.match(event_type):
        problems.append(f"the type must match {EVENT_TYPE.pattern} (e.g. se.samla.identity.person.upserted.v1)")
    if schema.get("$schema") != DIALECT:
        problems.append(f"$schema must be {DIALECT}")
    if not str(schema.get("$id", "")).endswith(f"/{event_type}{SCHEMA_SUFFIX}"):
        problems.append(f"$id must end with /{event_type}{SCHEMA_SUFFIX}")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        problems.append(f"not a valid JSON Schema: {error.message}")
    return problems


# ---- git history ------------------------------------------------------------------------------------------

class HistoryError(RuntimeError):
    """Git is there but cannot be read (e.g. a repository owned by another user)."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


def has_history(root: Path) -> bool:
    """True when root is in a git repository with at least one commit; False without git or commits."""
    try:
        where = _git(root, "rev-parse", "--git-dir")
    except FileNotFoundError:
        return False
    if where.returncode != 0:
        if "not a git repository" in where.stderr:
            return False
        raise HistoryError(where.stderr.strip())
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode == 0


def committed_versions(root: Path, relative_path: str) -> list[tuple[str, str]]:
    """(commit, text) of every committed version of a file, oldest first, following renames.

    Empty when the file was never committed. Commits that deleted the file are skipped, so a file deleted
    and later re-added is compared with its last version before the deletion.
    """
    log = _git(root, "log", "--follow", "--format=commit %H", "--name-only", "--", relative_path)
    if log.returncode != 0:
        raise HistoryError(log.stderr.strip())
    entries: list[tuple[str, str]] = []
    commit = ""
    for line in log.stdout.splitlines():
        if line.startswith("commit "):
            commit = line.removeprefix("commit ")
        elif line.strip() and commit:
            entries.append((commit, line.strip()))  # the file's path in that commit, relative to the top
            commit = ""
    versions = []
    for commit, path in reversed(entries):
        shown = _git(root, "show", f"{commit}:{path}")
        if shown.returncode == 0:
            versions.append((commit, shown.stdout))
    return versions


def history_problems(versions: list[tuple[str, Mapping[str, Any]]]) -> list[str]:
    """Breaking changes between consecutive (label, schema) versions, oldest first."""
    return [f"{before} -> {after}: {problem}"
            for (before, old), (after, new) in pairwise(versions)
            for problem in breaking_changes(old, new)]


def _versions(root: Path, relative_path: str, current: Mapping[str, Any]) -> list[tuple[str, Any]]:
    versions: list[tuple[str, Any]] = []
    for commit, text in committed_versions(root, relative_path):
        try:
            versions.append((commit[:12], json.loads(text)))
        except json.JSONDecodeError:
            continue  # a broken commit that was fixed later must not fail every future check
    return [*versions, ("working tree", current)]


# ---- the whole check --------------------------------------------------------------------------------------

def _load_json(path: Path) -> tuple[Any, str | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, json.JSONDecodeError) as error:
        return None, f"cannot read JSON: {error}"


def _load_topics(path: Path) -> tuple[Mapping[str, Any], str | None]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        return {}, f"cannot read: {error}"
    if not isinstance(document, Mapping) or not isinstance(document.get("topics"), Mapping):
        return {}, "must be a mapping with a `topics` mapping"
    return document["topics"], None


def _check_schemas(root: Path, problems: list[str]) -> tuple[dict[str, Mapping[str, Any]], int]:
    """Loads every schema, checks it and its history; returns the schemas and how many versions were compared."""
    try:
        history = has_history(root)
    except HistoryError as git_error:
        problems.append(f"cannot read git history: {git_error}")
        history = False
    schemas: dict[str, Mapping[str, Any]] = {}
    compared = 0
    for path in sorted((root / EVENTS_DIR).glob(f"*{SCHEMA_SUFFIX}")):
        schema, error = _load_json(path)
        if error or not isinstance(schema, Mapping):
            problems.append(f"{path.name}: {error or 'a schema must be a JSON object'}")
            continue
        event_type = path.name.removesuffix(SCHEMA_SUFFIX)
        schemas[event_type] = schema
        problems += [f"{path.name}: {p}" for p in schema_problems(event_type, schema)]
        try:
            versions = _versions(root, f"{EVENTS_DIR}/{path.name}", schema) if history else []
        except HistoryError as git_error:
            problems.append(f"{path.name}: cannot read git history: {git_error}")
            continue
        compared += max(len(versions) - 1, 0)
        problems += [f"{path.name}: {p}" for p in history_problems(versions)]
    return schemas, compared


def _check_examples(events_dir: Path, schemas: Mapping[str, Mapping[str, Any]], problems: list[str]) -> int:
    """Validates every example; returns how many there were."""
    examples_dir = events_dir / "examples"
    for folder in sorted(p for p in examples_dir.glob("*") if p.is_dir()):
        if not (events_dir / f"{folder.name}{SCHEMA_SUFFIX}").exists():
            problems.append(f"examples/{folder.name}: no schema {folder.name}{SCHEMA_SUFFIX} for these examples")
    count = 0
    for event_type, schema in schemas.items():
        examples = sorted((examples_dir / event_type).glob("*.json"))
        if not examples:
            problems.append(f"{event_type}: no example; add {EVENTS_DIR}/examples/{event_type}/<name>.json")
        for path in examples:
            example, error = _load_json(path)
            found = [error] if error else example_problems(schema, example)
            problems += [f"examples/{event_type}/{path.name}: {p}" for p in found]
        count += len(examples)
    return count


def check(root: Path) -> tuple[list[str], str]:
    """Every problem under root/contracts/events, and a one-line summary of what was checked."""
    problems: list[str] = []
    schemas, compared = _check_schemas(root, problems)
    examples = _check_examples(root / EVENTS_DIR, schemas, problems)
    topics, error = _load_topics(root / EVENTS_DIR / "topics.yaml")
    problems += [f"topics.yaml: {error}"] if error else catalogue_problems(topics, set(schemas))
    summary = (f"{len(schemas)} schemas (compared with {compared} committed versions), {examples} examples, "
               f"{len(topics)} topics")
    return problems, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    problems, summary = check(args.root.resolve())
    if problems:
        print(f"{len(problems)} problem(s) in {EVENTS_DIR}:", file=sys.stderr)
        print("".join(f"  {problem}\n" for problem in problems), end="", file=sys.stderr)
        return 1
    print(f"check_schema_compat: ok: {summary}")
    return 0

if __name__ == "__main__":
    sys.exit(main())

"""gen_contracts.py: deterministic output, a `--check` that catches stale files, imports under samla_contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "gen_contracts.py"
PACKAGE = Path("libs/contracts/src/samla_contracts")


def run_gen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(root), *args], capture_output=True,
                          text=True, timeout=120)


def test_check_passes_on_the_committed_tree(tree_copy: Path) -> None:
    done = run_gen(tree_copy, "--check")

    assert done.returncode == 0, done.stderr


def test_check_fails_after_a_generated_file_is_edited(tree_copy: Path) -> None:
    edited = tree_copy / PACKAGE / "proto/samla/identity/v1/identity_pb2_grpc.py"
    edited.write_text(edited.read_text() + "# a hand edit\n")

    done = run_gen(tree_copy, "--check")

    assert done.returncode == 1
    assert "run `make gen`" in done.stderr
    assert f"{PACKAGE.as_posix()}/proto/samla/identity/v1/identity_pb2_grpc.py: differs" in done.stderr


def test_check_fails_when_a_schema_changes_without_regenerating(tree_copy: Path) -> None:
    path = tree_copy / "contracts/events/se.samla.identity.person.erased.v1.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["reason"] = {"type": "string"}
    path.write_text(json.dumps(schema, indent=2) + "\n")

    done = run_gen(tree_copy, "--check")

    assert done.returncode == 1
    assert "data/events/se.samla.identity.person.erased.v1.schema.json: differs" in done.stderr
    assert "events/se_samla_identity_person_erased_v1.py: differs" in done.stderr


def test_check_fails_on_a_leftover_file_and_gen_removes_it(tree_copy: Path) -> None:
    leftover = tree_copy / PACKAGE / "events/se_samla_identity_person_retired_v1.py"
    leftover.write_text("class Old: ...\n")

    checked = run_gen(tree_copy, "--check")
    regenerated = run_gen(tree_copy)

    assert checked.returncode == 1 and "se_samla_identity_person_retired_v1.py: not generated" in checked.stderr
    assert regenerated.returncode == 0 and not leftover.exists()
    assert run_gen(tree_copy, "--check").returncode == 0


def test_generation_is_byte_identical_across_runs(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(root=REPO, out=tmp_path / "first")
    gen.generate(root=REPO, out=tmp_path / "second")

    first, second = gen.owned_files(tmp_path / "first"), gen.owned_files(tmp_path / "second")

    assert first and first == second


def test_generated_code_imports_nothing_from_a_top_level_samla_package() -> None:
    sources = [p for p in (REPO / PACKAGE / "proto").rglob("*.py*") if p.suffix in (".py", ".pyi")]

    offenders = [p.name for p in sources if any(
        line.lstrip().startswith(("from samla.", "import samla")) for line in p.read_text().splitlines())]

    assert sources and offenders == []


def test_import_rewrite_refuses_a_form_it_does_not_know(gen: ModuleType) -> None:
    assert gen.rewrite_proto_imports("from samla.identity.v1 import identity_pb2 as x\n") == (
        "from samla_contracts.proto.samla.identity.v1 import identity_pb2 as x\n")
    with pytest.raises(gen.GenerationError):
        gen.rewrite_proto_imports("import samla.identity.v1.identity_pb2\n")


def test_names_are_derived_from_the_event_type(gen: ModuleType) -> None:
    assert gen.module_name("se.samla.identity.person.upserted.v1") == "se_samla_identity_person_upserted_v1"
    assert gen.class_name("se.samla.identity.person.upserted.v1") == "IdentityPersonUpsertedV1"
    assert gen.class_name("se.samla.feedback.prompt_result.published.v2") == "FeedbackPromptResultPublishedV2"


def test_a_type_that_cannot_be_a_module_name_is_refused(gen: ModuleType) -> None:
    with pytest.raises(gen.GenerationError):
        gen.event_type_of(Path("se.samla.identity.person-upserted.v1.schema.json"))


def test_the_generated_packages_import_and_carry_the_services() -> None:
    from samla_contracts.proto.samla.common.v1 import privacy_pb2, privacy_pb2_grpc
    from samla_contracts.proto.samla.events.v1 import events_pb2_grpc
    from samla_contracts.proto.samla.feedback.v1 import feedback_pb2_grpc
    from samla_contracts.proto.samla.identity.v1 import identity_pb2, identity_pb2_grpc
    from samla_contracts.proto.samla.network.v1 import network_pb2_grpc

    services = {
        identity_pb2.DESCRIPTOR.services_by_name["IdentityService"].full_name,
        privacy_pb2.DESCRIPTOR.services_by_name["PersonDataService"].full_name,
    }

    assert services == {"samla.identity.v1.IdentityService", "samla.common.v1.PersonDataService"}
    for module, stub in [(identity_pb2_grpc, "IdentityServiceStub"), (privacy_pb2_grpc, "PersonDataServiceStub"),
                         (events_pb2_grpc, "EventsServiceStub"), (network_pb2_grpc, "NetworkServiceStub"),
                         (feedback_pb2_grpc, "FeedbackServiceStub")]:
        assert hasattr(module, stub)
    assert "samla" not in sys.modules

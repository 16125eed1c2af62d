"""SCIM compliance checked by a real SCIM client library: scim2-client sends, scim2-models validates every answer.

scim2-client refuses responses whose status code, content type or payload break RFC 7643/7644, so each call
below is also a check of the server. scim2-tester (the same authors' compliance checker) runs too when it is
installed.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Annotated, Any

import httpx
import pytest
from scim2_client import BaseSyncSCIMClient
from scim2_models import (
    URN,
    CaseExact,
    Email,
    EnterpriseUser,
    Error,
    Extension,
    Group,
    ListResponse,
    Manager,
    Mutability,
    Name,
    PatchOp,
    PatchOperation,
    ResourceType,
    ScimProvider,
    SearchRequest,
    ServiceProviderConfig,
    User,
)

pytestmark = pytest.mark.integration
api = importlib.import_module("services.identity.tests.integration.test_scim_api")
scim = api.scim  # the running service, on SQLite and PostgreSQL


class SamlaUser(Extension):
    __schema__ = URN("urn:samla:params:scim:schemas:extension:samla:2.0:User")

    level: str | None = None
    languages: list[str] | None = None
    subject: Annotated[str | None, Mutability.immutable, CaseExact.true] = None




class SamlaGroup(Extension):
    __schema__ = URN("urn:samla:params:scim:schemas:extension:samla:2.0:Group")

    kind: str | None = None


class HttpxScimClient(BaseSyncSCIMClient):
    """scim2-client's synchronous engine over httpx (its bundled engine needs httpx2, which is not installed)."""

    def __init__(self, client: httpx.Client, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        url, base = self.client.build_request("GET", endpoint).url, self.client.base_url
        return url.host == base.host and url.port == base.port and url.raw_path.startswith(base.raw_path)

    def _parse_json(self, response: Any) -> Any:
        return response.json()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, url, **kwargs)


FullUser = User[EnterpriseUser | SamlaUser]  # type: ignore[index]
FullGroup = Group[SamlaGroup]  # type: ignore[index]


@pytest.fixture
def http(scim: Any) -> Iterator[httpx.Client]:
    with scim.client() as c:
        yield c


def test_discovery_publishes_schemas_a_client_can_build_models_from(http: httpx.Client) -> None:
    client = HttpxScimClient(http)
    client.discover()
    config = client.provider.config
    assert isinstance(config, ServiceProviderConfig)
    assert config.patch.supported and config.filter.supported and config.etag.supported and config.sort.supported
    assert config.bulk.supported and config.bulk.max_operations == 1000
    model = client.get_resource_model("User")
    assert model is not None and {"user_name", "emails", "active"} <= set(model.model_fields)
    names = {str(rt.name): [str(e.schema_) for e in rt.schema_extensions or []]
             for rt in client.provider.resource_types}
    assert names == {"User": [str(EnterpriseUser.__schema__), str(SamlaUser.__schema__)],
                     "Group": [str(SamlaGroup.__schema__)]}
    created = client.create(model(user_name="discovered@kommun.example", display_name="Upptäckt Person"))
    assert created.id and created.meta.version == 'W/"1"'


def test_users_round_trip_through_the_rfc_models(http: httpx.Client) -> None:
    provider = ScimProvider(models=[User, EnterpriseUser, SamlaUser, Group, SamlaGroup],
                            resource_types=[ResourceType.from_resource(FullUser),
                                            ResourceType.from_resource(FullGroup)])
    client = HttpxScimClient(http, provider=provider)
    client.discover()  # the models are given; this reads the ServiceProviderConfig (ETags, PATCH, …)
    boss = client.create(FullUser(user_name="boss@kommun.example", display_name="Chef Chefsson"))
    karin = FullUser(user_name="karin@kommun.example", display_name="Karin Lindqvist", title="Rektor",
                     name=Name(given_name="Karin", family_name="Lindqvist"), active=True, external_id="e-1",
                     emails=[Email(value="karin@kommun.example", type=Email.Type.work, primary=True)])
    karin[EnterpriseUser] = EnterpriseUser(employee_number="42", manager=Manager(value=boss.id))
    karin[SamlaUser] = SamlaUser(level="enhetschef", languages=["sv"])
    created = client.create(karin)
    assert created.user_name == "karin@kommun.example" and created[SamlaUser].level == "enhetschef"
    assert created[EnterpriseUser].manager.value == boss.id
    assert created[EnterpriseUser].manager.display_name == "Chef Chefsson"

    fetched = client.query(FullUser, created.id)
    assert fetched.model_dump() == created.model_dump()
    assert client.query(fetched) is fetched  # a conditional read: the server answered 304 Not Modified
    found = client.query(FullUser, query_parameters=SearchRequest(filter='userName eq "KARIN@kommun.example"'))
    assert isinstance(found, ListResponse) and [u.id for u in found.resources] == [created.id]
    searched = client.search(SearchRequest(filter='title eq "Rektor"'))
    assert [u.id for u in searched.resources] == [created.id]

    fetched.title = "Förskolechef"
    replaced = client.replace(fetched)
    assert replaced.title == "Förskolechef" and replaced.meta.version == 'W/"2"'
    operation = PatchOperation(op=PatchOperation.Op.replace_, path="active", value=False)
    client.modify(FullUser, created.id, PatchOp[FullUser](operations=[operation]))
    assert client.query(FullUser, created.id).active is False

    duplicate = client.create(FullUser(user_name="Karin@Kommun.example"), raise_scim_errors=False)
    assert isinstance(duplicate, Error) and duplicate.status == 409 and duplicate.scim_type == "uniqueness"
    client.delete(FullUser, created.id)
    gone = client.query(FullUser, created.id, raise_scim_errors=False)
    assert isinstance(gone, Error) and gone.status == 404


def test_groups_round_trip_through_the_rfc_models(http: httpx.Client) -> None:
    provider = ScimProvider(models=[User, EnterpriseUser, SamlaUser, Group, SamlaGroup],
                            resource_types=[ResourceType.from_resource(FullUser),
                                            ResourceType.from_resource(FullGroup)])
    client = HttpxScimClient(http, provider=provider)
    unit = FullGroup(display_name="Kultur- och fritidsförvaltningen", external_id="hr-7")
    unit[SamlaGroup] = SamlaGroup(kind="forvaltning")
    created = client.create(unit)
    person = FullUser(user_name="kultur@kommun.example")
    person[EnterpriseUser] = EnterpriseUser(department="Kultur- och fritidsförvaltningen")
    member = client.create(person)
    fetched = client.query(FullGroup, created.id)
    assert [m.value for m in fetched.members or []] == [member.id]
    assert fetched[SamlaGroup].kind == "forvaltning"
    listed = client.query(FullGroup, query_parameters=SearchRequest(filter='displayName sw "kultur"'))
    assert [g.id for g in listed.resources] == [created.id]


# What scim2-tester 0.5 reports that is Samla's documented behaviour rather than a fault: the tester writes random
# values everywhere and expects each back verbatim.
KNOWN_DEVIATIONS = (
    r"subject is immutable",  # it sends a new value for an immutable attribute, which RFC 7643 §7 refuses
    r"primary=False\)\]\nReturned value: \[\w+\(.*primary=True\)\]",  # the one kept e-mail/address is primary
    r"display(_name)?=None\n?.*\n?Returned value: .*display(_name)?='",  # read-only display names are filled in
    r"schemas=\[\]",  # an extension object carries no schemas list of its own (RFC 7643 §3.3 does not ask for one)
    r"languages'",  # add appends to a multi-valued attribute (RFC 7644 §3.5.2.1); it expects a replace
    r"did not remove attribute '(displayName|active|urn:samla:\S+)'",  # derived: name, active=true, kind, subject
)


def test_the_scim2_tester_compliance_checker_finds_no_unexplained_error(http: httpx.Client) -> None:
    import scim2_tester as tester

    client = HttpxScimClient(http)
    results = tester.check_server(client)
    errors = [f"{r.title}: {r.reason}" for r in results if r.status == tester.Status.ERROR]
    unexplained = [e for e in errors if not any(re.search(p, e, re.DOTALL) for p in KNOWN_DEVIATIONS)]
    assert len(results) > 50 and not unexplained, "\n".join(unexplained)

"""Token buckets per IP (anonymous) and per person: 429 problems with Retry-After."""

from __future__ import annotations

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import Identity
from samla_gateway.ratelimit import TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_says_how_long_to_wait() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=2, burst=3, clock=clock)

    allowed = [bucket.take("ip") for _ in range(3)]
    refused = bucket.take("ip")

    assert allowed == [0, 0, 0] and refused == 0.5
    clock.now += 0.5
    assert bucket.take("ip") == 0


def test_buckets_are_per_key_and_the_oldest_are_forgotten_first() -> None:
    bucket = TokenBucket(rate=1, burst=1, max_keys=2, clock=Clock())

    bucket.take("a")
    bucket.take("b")
    bucket.take("c")  # "a" is forgotten, and comes back with a full bucket

    assert bucket.take("a") == 0 and bucket.take("c") > 0


def test_anonymous_requests_beyond_the_ip_burst_get_429_with_retry_after(make_gateway: MakeGateway) -> None:
    browser = make_gateway(rate_limit_ip_burst=3, rate_limit_ip_per_second=0.5)

    statuses = [browser.client.get("/api/identity/people/me").status_code for _ in range(4)]
    refused = browser.client.get("/api/identity/people/me")

    assert statuses == [401, 401, 401, 429]
    assert refused.status_code == 429 and refused.headers["retry-after"] == "2"
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_a_page_beyond_the_limit_is_a_swedish_page(make_gateway: MakeGateway) -> None:
    browser = make_gateway(rate_limit_ip_burst=1, rate_limit_ip_per_second=0.1)

    browser.client.get("/")
    refused = browser.client.get("/tillganglighet")

    assert refused.status_code == 429 and refused.headers["retry-after"] == "10"
    assert "För många förfrågningar" in refused.text


def test_a_signed_in_person_has_their_own_bucket(make_gateway: MakeGateway) -> None:
    browser = make_gateway(rate_limit_person_burst=3, rate_limit_person_per_second=1)
    browser.sign_in("p-chef")

    statuses = [browser.client.get("/auth/session").status_code for _ in range(5)]

    assert statuses[:2] == [200, 200] and statuses[-1] == 429


def test_samlas_own_service_clients_are_not_metered(make_gateway: MakeGateway, identity: Identity) -> None:
    browser = make_gateway(rate_limit_person_burst=1, rate_limit_person_per_second=0.01)
    headers = {"authorization": f"Bearer {identity.service_token()}"}

    statuses = {browser.client.get("/auth/session", headers=headers).status_code for _ in range(5)}

    assert statuses == {200}


def test_an_integration_client_is_metered_by_its_client_id(make_gateway: MakeGateway, identity: Identity) -> None:
    browser = make_gateway(rate_limit_person_burst=2, rate_limit_person_per_second=0.01)
    headers = {"authorization": f"Bearer {identity.service_token('samla-integration')}"}

    statuses = [browser.client.get("/auth/session", headers=headers).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]

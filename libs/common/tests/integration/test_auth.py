"""JWT verification against a real (loopback) issuer, and the FastAPI and gRPC guards."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from issuer import LocalIssuer

from samla_common.auth import ADMIN, KeysNeeded, Principal, TokenVerifier, require_roles
from samla_common.errors import Unauthenticated, install_problem_handlers

pytestmark = pytest.mark.integration


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    i = LocalIssuer()
    yield i
    i.stop()


@pytest.fixture
def verifier(issuer: LocalIssuer) -> TokenVerifier:
    return TokenVerifier(issuer=issuer.url, audience="samla", refetch_cooldown=0)


def test_a_valid_token_gives_the_person_and_their_roles(issuer: LocalIssuer, verifier: TokenVerifier) -> None:
    principal = verifier.verify(issuer.token(sub="p-7", roles=[ADMIN], name="Eva Ek", scope="openid insights:read"))
    assert principal.sub == "p-7" and principal.roles == {ADMIN} and principal.name == "Eva Ek"
    assert "insights:read" in principal.scopes


@pytest.mark.parametrize("case", ["expired", "wrong audience", "wrong issuer", "tampered", "foreign key"])
def test_bad_tokens_are_refused(issuer: LocalIssuer, verifier: TokenVerifier, case: str) -> None:
    if case == "expired":
        token = issuer.token(exp_in=-120)
    elif case == "wrong audience":
        token = issuer.token(aud="another-app")
    elif case == "wrong issuer":
        token = issuer.token(iss="http://127.0.0.1:1/realms/other")
    elif case == "tampered":
        header, payload, sig = issuer.token(roles=[]).split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["realm_access"]["roles"] = [ADMIN]
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        token = f"{header}.{forged}.{sig}"
    else:  # signed by a key the issuer never published, claiming a published kid
        token = issuer.token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


def test_alg_none_and_hmac_key_confusion_are_refused(issuer: LocalIssuer, verifier: TokenVerifier) -> None:
    claims = jwt.decode(issuer.token(), options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    with pytest.raises(Unauthenticated, match="algorithm"):
        verifier.verify(unsigned)
    # HS256 "signed" with the published public key as the HMAC secret: the classic key-confusion attack.
    public = json.dumps(issuer.public_jwk(*issuer.keys[-1])).encode()
    confused = _hs256(claims, public, kid=issuer.keys[-1][0])
    with pytest.raises(Unauthenticated, match="algorithm"):
        verifier.verify(confused)


def _hs256(claims: dict[str, object], secret: bytes, *, kid: str) -> str:
    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode()) + b"." + b64(
        json.dumps(claims).encode())
    return (signing_input + b"." + b64(hmac.new(secret, signing_input, hashlib.sha256).digest())).decode()


def test_a_rotated_key_is_fetched_on_its_first_unknown_kid(issuer: LocalIssuer, verifier: TokenVerifier) -> None:
    verifier.verify(issuer.token())
    fetched = issuer.jwks_requests
    verifier.verify(issuer.token(sub="second"))  # another token: checked in full, with the keys at hand
    assert issuer.jwks_requests == fetched  # cached
    issuer.rotate()
    assert verifier.verify(issuer.token(sub="after-rotation")).sub == "after-rotation"
    assert issuer.jwks_requests == fetched + 1


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_token_checked_once_is_not_checked_again_until_it_expires(issuer: LocalIssuer) -> None:
    clock = Clock()
    verifier = TokenVerifier(issuer=issuer.url, audience="samla", leeway=30, remember_for=60, clock=clock)
    token = issuer.token(sub="p-9", roles=[ADMIN], exp_in=40)
    first = verifier.verify(token)
    assert [verifier.verify(token).sub for _ in range(5)] == ["p-9"] * 5
    assert verifier.verify(token) == first and verifier.full_checks == 1
    clock.now += 59  # within both its expiry (+ leeway) and the time a check is trusted
    assert verifier.verify(token).roles == {ADMIN} and verifier.full_checks == 1
    clock.now += 2  # past the trusted minute: checked again in full, and still valid by its own clock
    verifier.verify(token)
    assert verifier.full_checks == 2


def test_a_remembered_token_is_checked_again_once_it_expires(issuer: LocalIssuer) -> None:
    clock = Clock()
    verifier = TokenVerifier(issuer=issuer.url, audience="samla", leeway=0, remember_for=3600, clock=clock)
    token = issuer.token(exp_in=10)
    verifier.verify(token)
    clock.now += 9
    verifier.verify(token)
    assert verifier.full_checks == 1
    clock.now += 2  # past its expiry: no longer taken from memory (PyJWT, on the real clock, still accepts it)
    verifier.verify(token)
    assert verifier.full_checks == 2


def test_a_token_that_failed_is_checked_every_time(issuer: LocalIssuer, verifier: TokenVerifier) -> None:
    bad = issuer.token(aud="another-app")
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            verifier.verify(bad)
    assert verifier.full_checks == 3


def test_a_key_rotation_ends_every_remembered_acceptance(issuer: LocalIssuer, verifier: TokenVerifier) -> None:
    """A compromised key is withdrawn by rotating: tokens it signed must be refused at once, not a minute later."""
    old_token = issuer.token(sub="signed-with-the-old-key")
    verifier.verify(old_token)
    verifier.verify(old_token)
    assert verifier.full_checks == 1
    issuer.rotate()
    del issuer.keys[0]  # the old key is no longer published
    assert verifier.verify(issuer.token(sub="after-rotation")).sub == "after-rotation"  # the keys are fetched again
    with pytest.raises(Unauthenticated):
        verifier.verify(old_token)


def test_the_remembered_tokens_are_bounded(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(issuer=issuer.url, audience="samla", remembered_tokens=3)
    tokens = [issuer.token(sub=f"p-{n}") for n in range(4)]
    for token in tokens:
        verifier.verify(token)
    verifier.verify(tokens[3])
    assert verifier.full_checks == 4  # the newest is remembered
    verifier.verify(tokens[0])
    assert verifier.full_checks == 5  # the oldest was let go


def test_the_event_loop_verifies_only_with_keys_at_hand(issuer: LocalIssuer, verifier: TokenVerifier) -> None:
    """get_principal verifies on the event loop only when no request to the IdP is needed (fetch=False)."""
    token = issuer.token()
    with pytest.raises(KeysNeeded):
        verifier.verify(token, fetch=False)  # nothing fetched yet: verify on a thread
    assert issuer.jwks_requests == 0
    verifier.verify(token)
    fetched = issuer.jwks_requests
    assert verifier.verify(issuer.token(sub="another"), fetch=False).sub == "another"
    with pytest.raises(Unauthenticated):
        verifier.verify("not-a-token", fetch=False)  # refused without asking the IdP
    issuer.rotate()
    with pytest.raises(KeysNeeded):
        verifier.verify(issuer.token(), fetch=False)  # a new kid means a fetch
    assert issuer.jwks_requests == fetched


def test_fastapi_role_guard_answers_401_and_403_as_problems(issuer: LocalIssuer, verifier: TokenVerifier) -> None:
    app = FastAPI()
    app.state.verifier = verifier
    install_problem_handlers(app)

    @app.get("/admin-only")
    def admin_only(p: Principal = Depends(require_roles(ADMIN))) -> dict[str, str]:
        return {"sub": p.sub}

    client = TestClient(app)
    assert client.get("/admin-only").status_code == 401
    r = client.get("/admin-only", headers={"authorization": f"Bearer {issuer.token(roles=[])}"})
    assert r.status_code == 403 and r.json()["title"] == "Not allowed" and ADMIN in r.json()["detail"]
    ok = client.get("/admin-only", headers={"authorization": f"Bearer {issuer.token(sub='a', roles=[ADMIN])}"})
    assert ok.status_code == 200 and ok.json() == {"sub": "a"}


def test_grpc_calls_see_the_verified_caller_in_unary_and_streaming_methods(issuer: LocalIssuer,
                                                                          verifier: TokenVerifier) -> None:
    from concurrent import futures

    import grpc

    from samla_common.auth import AuthServerInterceptor, current_grpc_principal

    def who(request: bytes, context: grpc.ServicerContext) -> bytes:
        principal = current_grpc_principal.get()
        return (principal.sub if principal else "nobody").encode()

    def who_stream(request: bytes, context: grpc.ServicerContext):  # type: ignore[no-untyped-def]
        for _ in range(3):
            principal = current_grpc_principal.get()
            yield (principal.sub if principal else "nobody").encode()

    handler = grpc.method_handlers_generic_handler("test.Who", {
        "Unary": grpc.unary_unary_rpc_method_handler(who),
        "Stream": grpc.unary_stream_rpc_method_handler(who_stream)})
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2), interceptors=[AuthServerInterceptor(verifier)])
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            metadata = [("authorization", f"Bearer {issuer.token(sub='p-grpc')}")]
            assert channel.unary_unary("/test.Who/Unary")(b"", metadata=metadata, timeout=5) == b"p-grpc"
            assert list(channel.unary_stream("/test.Who/Stream")(b"", metadata=metadata, timeout=5)) == [b"p-grpc"] * 3
            with pytest.raises(grpc.RpcError) as refused:
                list(channel.unary_stream("/test.Who/Stream")(b"", timeout=5))
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    finally:
        server.stop(grace=0)

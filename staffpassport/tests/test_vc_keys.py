"""S8 signing keys (ADR 0040): created on first use, sealed at rest, rotated with the old key
still published, served as a JWKS."""

from datetime import timedelta
from io import StringIO

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from core.exceptions import ServiceError
from staffpassport.tests.vc_helpers import token_hs256, token_unsigned, token_with_claims
from staffpassport.vc.keys import (
    jwks_document,
    signing_key_active,
    signing_key_private,
    signing_key_public,
    signing_key_rotate,
)
from staffpassport.vc.models import SigningKey
from staffpassport.vc.tokens import TokenOutcome, jwt_check, jwt_sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_keys():
    """As if migration 0003's first key had been deleted by hand."""
    SigningKey.objects.all().delete()


CLAIMS = {"iss": "https://platform.example", "sub": "urn:uuid:1", "jti": "urn:uuid:2", "vc": {"type": ["X"]}}


def test_the_migration_made_the_platforms_first_key():
    key = SigningKey.objects.get()
    assert key.status == SigningKey.Status.ACTIVE
    assert signing_key_active() == key
    assert signing_key_private(key)  # sealed with this run's secret, so it opens


def test_without_a_key_the_first_use_makes_one_and_records_it(no_keys):
    key = signing_key_active()
    assert signing_key_active() == key
    assert SigningKey.objects.count() == 1
    assert key.status == SigningKey.Status.ACTIVE
    assert AuditEvent.objects.filter(action="staffpassport.vc_key_created", target_id=str(key.public_id)).exists()


def test_the_database_allows_one_active_key():
    signing_key_active()
    with pytest.raises(IntegrityError), transaction.atomic():
        SigningKey.objects.create(kid="second", public_key="x", private_key_sealed=b"x", activated_at=timezone.now())


def test_the_private_key_is_sealed_and_only_the_secret_opens_it(settings):
    key = signing_key_active()
    raw_private = signing_key_private(key).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert raw_private not in bytes(key.private_key_sealed)
    settings.VC_SIGNING_KEY_SECRET = "a different secret"
    with pytest.raises(ServiceError, match="vc_key_rotate"):
        signing_key_private(SigningKey.objects.get(pk=key.pk))


def test_a_sealed_key_moved_to_another_row_does_not_open():
    first = signing_key_active()
    _, second = signing_key_rotate()
    second.private_key_sealed = first.private_key_sealed
    with pytest.raises(ServiceError):
        signing_key_private(second)


def test_rotation_retires_the_old_key_which_still_verifies_what_it_signed():
    token = jwt_sign(CLAIMS)
    old, new = signing_key_rotate()
    old.refresh_from_db()
    assert old.status == SigningKey.Status.RETIRED
    assert old.retired_at is not None
    assert signing_key_active() == new != old
    check = jwt_check(token)
    assert check.outcome == TokenOutcome.GOOD
    assert check.kid == old.kid
    assert check.claims["jti"] == "urn:uuid:2"
    assert jwt.get_unverified_header(jwt_sign(CLAIMS))["kid"] == new.kid
    assert AuditEvent.objects.filter(action="staffpassport.vc_key_rotated", target_id=str(new.public_id)).exists()


def test_the_header_names_the_key_and_the_algorithm():
    token = jwt_sign(CLAIMS)
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": signing_key_active().kid, "typ": "JWT"}


def test_a_changed_payload_no_longer_matches_the_signature():
    token = jwt_sign(CLAIMS)
    tampered = token_with_claims(token, lambda claims: claims.update(sub="urn:uuid:someone-else"))
    check = jwt_check(tampered)
    assert check.outcome == TokenOutcome.BAD_SIGNATURE
    assert check.claims == {}


def test_a_changed_signature_or_a_cut_token_does_not_match():
    token = jwt_sign(CLAIMS)
    header, payload, signature = token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert jwt_check(f"{header}.{payload}.{flipped}").outcome == TokenOutcome.BAD_SIGNATURE
    assert jwt_check(token[:-20]).outcome == TokenOutcome.BAD_SIGNATURE
    assert jwt_check(f"{header}.{payload}").outcome == TokenOutcome.BAD_SIGNATURE


def test_a_key_we_never_published_is_unknown(settings):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signing_key_active()
    forged = jwt.encode(CLAIMS, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "not-our-key"})
    assert jwt_check(forged).outcome == TokenOutcome.UNKNOWN_KEY
    # Another key under our kid: the signature does not match our key.
    ours = signing_key_active().kid
    impostor = jwt.encode(CLAIMS, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": ours})
    assert jwt_check(impostor).outcome == TokenOutcome.BAD_SIGNATURE


def test_alg_none_and_hs256_with_the_public_key_are_refused():
    key = signing_key_active()
    assert jwt_check(token_unsigned(CLAIMS, kid=key.kid)).outcome == TokenOutcome.BAD_SIGNATURE
    public_pem = signing_key_public(key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for secret in (public_pem, key.public_key.encode()):
        assert jwt_check(token_hs256(CLAIMS, kid=key.kid, secret=secret)).outcome == TokenOutcome.BAD_SIGNATURE


def test_past_its_expiry_the_signature_still_matches_but_it_is_expired():
    yesterday = timezone.now() - timedelta(days=1)
    check = jwt_check(jwt_sign({**CLAIMS, "exp": int(yesterday.timestamp())}))
    assert check.outcome == TokenOutcome.EXPIRED
    assert abs((check.expired_at - yesterday).total_seconds()) < 1
    tomorrow = timezone.now() + timedelta(days=1)
    assert jwt_check(jwt_sign({**CLAIMS, "exp": int(tomorrow.timestamp())})).outcome == TokenOutcome.GOOD


@pytest.mark.parametrize("text", ["", "hello", "a.b.c", "....", "eyJ.eyJ.x", "{}", "é.é.é"])
def test_text_that_is_not_a_jwt_is_not_ours(text):
    assert jwt_check(text).outcome == TokenOutcome.NOT_OURS


def test_the_jwks_publishes_active_and_retired_public_keys_only(client):
    first = signing_key_active()
    _, second = signing_key_rotate()
    response = client.get(reverse("jwks"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=300"
    keys = response.json()["keys"]
    assert [key["kid"] for key in keys] == [second.kid, first.kid]
    for published, key in zip(keys, (second, first), strict=True):
        assert published == {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": key.public_key,
            "kid": key.kid,
            "use": "sig",
            "alg": "EdDSA",
        }
    # A verifier needs nothing else: PyJWT reads the set and checks a token with it.
    token = jwt_sign(CLAIMS)
    public = jwt.PyJWKSet.from_dict(response.json())[second.kid].key
    assert jwt.decode(token, public, algorithms=["EdDSA"])["jti"] == "urn:uuid:2"


def test_the_jwks_is_read_only_and_empty_without_keys(client, no_keys):
    assert client.get(reverse("jwks")).json() == {"keys": []}
    assert jwks_document() == {"keys": []}
    assert not SigningKey.objects.exists()


def test_vc_key_rotate_command_rotates_and_lists(no_keys):
    out = StringIO()
    call_command("vc_key_rotate", stdout=out)
    first = SigningKey.objects.get()
    assert f"New active signing key {first.kid}" in out.getvalue()
    out = StringIO()
    call_command("vc_key_rotate", stdout=out)
    assert f"Retired {first.kid}" in out.getvalue()
    assert SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).count() == 1
    out = StringIO()
    call_command("vc_key_rotate", "--list", stdout=out)
    assert SigningKey.objects.count() == 2
    assert f"{first.kid}  retired" in out.getvalue()

"""S8: an issued staff passport credential as a VC-JWT, and what /verify/ says of it."""

from datetime import UTC, date, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from core.exceptions import ServiceError
from reporting.verifiers import TokenStatus, token_verify
from staffpassport.models import StaffCredential
from staffpassport.tests.vc_factories import staff_credential_build, staff_credential_revoke
from staffpassport.tests.vc_helpers import token_hs256, token_parts, token_unsigned, token_with_claims
from staffpassport.vc.credentials import staff_credential_claims, staff_credential_vc_issue
from staffpassport.vc.keys import signing_key_active, signing_key_rotate
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return CentreFactory(code="RR8", name="Leeds Teaching Hospitals NHS Trust")


@pytest.fixture
def issued(trust):
    return staff_credential_build(trust, expires_on=date.today() + timedelta(days=365))


def vc_of(staff_credential) -> str:
    return staff_credential_vc_issue(staff_credential=staff_credential, actor=None)


def test_the_claims_follow_the_vc_jwt_mapping(settings, issued):
    settings.SITE_URL = "https://platform.example.nhs.uk/"
    now = timezone.now()
    claims = staff_credential_claims(issued, now=now)
    person = issued.staff_member
    assert claims["iss"] == "https://platform.example.nhs.uk"
    assert claims["sub"] == f"urn:uuid:{person.public_id}"
    assert claims["jti"] == f"urn:uuid:{issued.public_id}"
    assert claims["nbf"] == int(issued.issued_at.timestamp())
    assert claims["iat"] == int(now.timestamp())
    # Valid through its expiry date (UK time), so it expires at the midnight that ends it.
    expires = timezone.localtime(datetime.fromtimestamp(claims["exp"], tz=UTC))
    assert (expires.date(), expires.hour, expires.minute) == (issued.expires_on + timedelta(days=1), 0, 0)
    vc = claims["vc"]
    assert vc["@context"][0] == "https://www.w3.org/2018/credentials/v1"
    assert vc["type"] == ["VerifiableCredential", "StaffPassportCredential"]
    assert vc["credentialSubject"] == {
        "id": claims["sub"],
        "name": "Ada Lovelace",
        "credential": {"name": issued.credential.name, "category": issued.credential.category.name},
        "trust": "Leeds Teaching Hospitals NHS Trust",
        "awardedOn": "2025-03-14",
        "expiresOn": issued.expires_on.isoformat(),
    }
    assert vc["credentialStatus"]["id"] == f"https://platform.example.nhs.uk/verify/credential/#{issued.public_id}"
    # Nothing that identifies the person beyond their name: no email, ESR number or reference.
    text = str(claims)
    for private in (person.email, person.esr_assignment_number, issued.reference):
        assert private not in text


def test_a_credential_without_expiry_has_no_exp(trust):
    claims = staff_credential_claims(staff_credential_build(trust, expires_on=None), now=timezone.now())
    assert "exp" not in claims
    assert "expiresOn" not in claims["vc"]["credentialSubject"]


def test_signed_then_checked_is_valid_with_the_facts(issued):
    token = vc_of(issued)
    header, _, _ = token_parts(token)
    assert header == {"alg": "EdDSA", "kid": signing_key_active().kid, "typ": "JWT"}
    verdict = token_verify(token=token)
    assert verdict.status == TokenStatus.VALID
    facts = dict(verdict.facts)
    assert facts["Name"] == "Ada Lovelace"
    assert facts["Credential"] == issued.credential.name
    assert facts["Trust"] == "Leeds Teaching Hospitals NHS Trust"
    assert facts["Awarded"] == date(2025, 3, 14)
    assert facts["Expires"] == issued.expires_on
    assert facts["Issued"] == timezone.localdate(issued.issued_at)


def test_pasted_with_line_breaks_and_spaces_it_is_still_valid(issued):
    token = vc_of(issued)
    wrapped = "\n".join(token[i : i + 60] for i in range(0, len(token), 60))
    assert token_verify(token=f"  {wrapped}\n ").status == TokenStatus.VALID


def test_a_tampered_payload_is_tampered(issued):
    token = vc_of(issued)

    def promote(claims):
        claims["vc"]["credentialSubject"]["expiresOn"] = "2099-12-31"
        claims["exp"] = 4102444800

    verdict = token_verify(token=token_with_claims(token, promote))
    assert verdict.status == TokenStatus.TAMPERED
    assert verdict.facts == []  # nothing from a token we cannot vouch for


def test_a_revoked_credential_is_revoked_with_its_date(issued):
    token = vc_of(issued)
    staff_credential_revoke(issued)
    verdict = token_verify(token=token)
    assert verdict.status == TokenStatus.REVOKED
    assert verdict.revoked_at == issued.revoked_at
    assert dict(verdict.facts)["Name"] == "Ada Lovelace"


def test_a_credential_issued_again_since_makes_the_old_copy_out_of_date(issued):
    token = vc_of(issued)
    issued.issued_at = timezone.now()
    issued.save(update_fields=["issued_at"])
    assert token_verify(token=token).status == TokenStatus.SUPERSEDED
    assert token_verify(token=vc_of(issued)).status == TokenStatus.VALID
    issued.status = StaffCredential.Status.WAITING  # ESR sent new values: waits for a person
    issued.save(update_fields=["status"])
    assert token_verify(token=token).status == TokenStatus.SUPERSEDED


def test_a_deleted_credential_is_not_on_record(issued):
    token = vc_of(issued)
    issued.staff_member.delete()
    assert token_verify(token=token).status == TokenStatus.NOT_FOUND


def test_a_key_rotated_out_still_verifies_what_it_signed(issued):
    token = vc_of(issued)
    old, new = signing_key_rotate()
    assert token_parts(token)[0]["kid"] == old.kid
    assert token_verify(token=token).status == TokenStatus.VALID
    assert token_parts(vc_of(issued))[0]["kid"] == new.kid


def test_an_unknown_key_is_unknown(issued):
    claims = staff_credential_claims(issued, now=timezone.now())
    forged = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "forged-key"})
    assert token_verify(token=forged).status == TokenStatus.UNKNOWN_KEY
    # A stranger's JWT with its own key is not ours to judge at all.
    stranger = jwt.encode({"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "google"})
    assert token_verify(token=stranger).status == TokenStatus.UNREADABLE


def test_alg_none_and_hs256_confusion_are_refused(issued):
    claims = staff_credential_claims(issued, now=timezone.now())
    key = signing_key_active()
    assert token_verify(token=token_unsigned(claims, kid=key.kid)).status == TokenStatus.TAMPERED
    hs256 = token_hs256(claims, kid=key.kid, secret=key.public_key.encode())
    assert token_verify(token=hs256).status == TokenStatus.TAMPERED


def test_an_expired_credential_is_expired(trust):
    lapsed = staff_credential_build(trust, expires_on=date.today() - timedelta(days=3))
    verdict = token_verify(token=vc_of(lapsed))
    assert verdict.status == TokenStatus.EXPIRED
    assert timezone.localdate(verdict.expired_at) == date.today() - timedelta(days=2)


@pytest.mark.parametrize(
    "status", [StaffCredential.Status.WAITING, StaffCredential.Status.REJECTED, StaffCredential.Status.REVOKED]
)
def test_only_an_issued_credential_is_signed(trust, status):
    with pytest.raises(ServiceError, match="cannot be downloaded"):
        vc_of(staff_credential_build(trust, status=status))

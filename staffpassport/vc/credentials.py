"""An issued staff passport credential as a W3C Verifiable Credential in VC-JWT form (VC Data
Model 1.1, section 6.3.1 "JWT encoding"), and the verifier /verify/ calls (ADR 0040).

The platform is the issuer (`iss` = SITE_URL); `sub` is the person as `urn:uuid:<their staff
passport's public id>` (never an email or an ESR number); `jti` is `urn:uuid:<the credential's
public id>`; `nbf` is when the trust issued the credential, `iat` when this copy was signed,
`exp` the end of the credential's expiry date (when it has one). The `vc` claim holds the rest.

Checking a pasted token: the signature first (`staffpassport.vc.tokens`), then the credential's
status now. The lookup by `jti` is the one read here not scoped to a trust: a token that our key
signed is the permission, as a certificate's code is at /verify/<code>/.
"""

from __future__ import annotations

import base64
import contextlib
import json
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from centres.audit import audit_record
from core.exceptions import ServiceError
from reporting.verifiers import TokenStatus, TokenVerdict, token_verifier_register
from staffpassport.models import StaffCredential
from staffpassport.vc.tokens import TokenCheck, TokenOutcome, jwt_check, jwt_sign

VERIFIER_NAME = "staffpassport.credential"
VC_TYPE = "StaffPassportCredential"
VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
KIND_WORDS = "staff passport credential"


def _issuer() -> str:
    return settings.SITE_URL.rstrip("/")


def _urn(public_id) -> str:
    return f"urn:uuid:{public_id}"


def _end_of_day(day: date) -> datetime:
    """The first moment after `day` in the platform's time zone: a credential that expires on
    a date is valid through that date."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def staff_credential_claims(staff_credential: StaffCredential, *, now: datetime) -> dict:
    """The JWT claims of one issued credential (select_related staff_member, credential__category,
    centre)."""
    person = staff_credential.staff_member
    catalogue_entry = staff_credential.credential
    subject = {
        "id": _urn(person.public_id),
        "name": person.full_name,
        "credential": {"name": catalogue_entry.name, "category": catalogue_entry.category.name},
        "trust": staff_credential.centre.name,
    }
    if staff_credential.awarded_on:
        subject["awardedOn"] = staff_credential.awarded_on.isoformat()
    if staff_credential.expires_on:
        subject["expiresOn"] = staff_credential.expires_on.isoformat()
    claims = {
        "iss": _issuer(),
        "sub": _urn(person.public_id),
        "jti": _urn(staff_credential.public_id),
        "nbf": int(staff_credential.issued_at.timestamp()),
        "iat": int(now.timestamp()),
        "vc": {
            "@context": [VC_CONTEXT, {"@vocab": f"{_issuer()}/.well-known/vc/staff-passport#"}],
            "type": ["VerifiableCredential", VC_TYPE],
            "credentialSubject": subject,
            "credentialStatus": {
                "id": f"{_issuer()}{reverse('verify:credential')}#{staff_credential.public_id}",
                "type": "StaffPassportCredentialStatus",
            },
        },
    }
    if staff_credential.expires_on:
        claims["exp"] = int(_end_of_day(staff_credential.expires_on).timestamp())
    return claims


def staff_credential_for_vc(*, centre, staff_credential_id) -> StaffCredential | None:
    """The trust's credential with that public id (whatever its status), or None."""
    return (
        StaffCredential.objects.for_centre(centre)
        .filter(public_id=staff_credential_id)
        .select_related("staff_member", "credential__category", "centre")
        .first()
    )


def staff_credential_vc_why_not(staff_credential: StaffCredential) -> str:
    """Why this credential cannot be downloaded now, in words; "" when it can."""
    status = staff_credential.status
    if status == StaffCredential.Status.ISSUED:
        return ""
    if status == StaffCredential.Status.REVOKED:
        when = timezone.localdate(staff_credential.revoked_at) if staff_credential.revoked_at else None
        on = f" on {when:%-d %B %Y}" if when else ""
        return f"It was revoked{on}, so it is no longer a credential anyone may rely on."
    if status == StaffCredential.Status.REJECTED:
        return "It was rejected, so it has not been issued."
    return "It is waiting to be issued. Once it is issued you can download it."


def staff_credential_vc_issue(*, staff_credential: StaffCredential, actor, request=None) -> str:
    """The signed VC-JWT of an issued credential; audited. A ServiceError for any other status."""
    why_not = staff_credential_vc_why_not(staff_credential)
    if why_not:
        raise ServiceError(f"This credential cannot be downloaded. {why_not}")
    token = jwt_sign(staff_credential_claims(staff_credential, now=timezone.now()))
    audit_record(
        actor=actor,
        centre=staff_credential.centre,
        action="staffpassport.vc_downloaded",
        target=staff_credential,
        summary=(
            f"Downloaded {staff_credential.credential.name} of {staff_credential.staff_member.full_name} "
            "as a verifiable credential"
        ),
        request=request,
    )
    return token


# -- The check on /verify/ (registered in StaffpassportConfig.ready) ---------------------------


def _unverified_claims(token: str) -> dict:
    parts = token.split(".")
    if len(parts) < 2 or len(parts[1]) > 20_000:
        return {}
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError, RecursionError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _is_staff_passport_vc(claims: dict) -> bool:
    vc = claims.get("vc")
    types = vc.get("type") if isinstance(vc, dict) else None
    return isinstance(types, list) and VC_TYPE in types


def _date_from(value) -> date | str:
    if not isinstance(value, str):
        return ""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value[:40]


def _facts(claims: dict) -> list[tuple[str, str | date | datetime]]:
    """What the signed token says, in the page's words."""
    subject = claims["vc"].get("credentialSubject") or {}
    entry = subject.get("credential") or {}
    facts = [
        ("Name", str(subject.get("name", ""))),
        ("Credential", str(entry.get("name", ""))),
        ("Category", str(entry.get("category", ""))),
        ("Trust", str(subject.get("trust", ""))),
    ]
    if nbf := claims.get("nbf"):
        with contextlib.suppress(TypeError, ValueError, OverflowError, OSError):
            facts.append(("Issued", timezone.localdate(datetime.fromtimestamp(int(nbf), tz=ZoneInfo("UTC")))))
    if "awardedOn" in subject:
        facts.append(("Awarded", _date_from(subject["awardedOn"])))
    facts.append(("Expires", _date_from(subject["expiresOn"]) if "expiresOn" in subject else "Does not expire"))
    return [(label, value) for label, value in facts if value != ""]


def _credential_of(claims: dict) -> StaffCredential | None:
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti.startswith("urn:uuid:"):
        return None
    try:
        public_id = uuid.UUID(jti.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    # Unscoped on purpose: a token our key signed is the permission (see the module docstring).
    return StaffCredential.objects.filter(public_id=public_id).first()


def _verdict_signed(check: TokenCheck) -> TokenVerdict:
    """A token our key signed: what its credential's state now makes of it."""
    facts = _facts(check.claims)
    credential = _credential_of(check.claims)
    if credential is None:
        return TokenVerdict(status=TokenStatus.NOT_FOUND, kind=KIND_WORDS, facts=facts)
    if credential.status == StaffCredential.Status.REVOKED:
        return TokenVerdict(status=TokenStatus.REVOKED, kind=KIND_WORDS, facts=facts, revoked_at=credential.revoked_at)
    issued_now = credential.issued_at and int(credential.issued_at.timestamp()) == check.claims.get("nbf")
    if credential.status != StaffCredential.Status.ISSUED or not issued_now:
        # ESR sent new values since this copy was signed: it waits, was rejected, or was issued again.
        return TokenVerdict(status=TokenStatus.SUPERSEDED, kind=KIND_WORDS, facts=facts)
    if check.outcome == TokenOutcome.EXPIRED:
        return TokenVerdict(status=TokenStatus.EXPIRED, kind=KIND_WORDS, facts=facts, expired_at=check.expired_at)
    return TokenVerdict(status=TokenStatus.VALID, kind=KIND_WORDS, facts=facts)


def staff_credential_token_verify(token: str) -> TokenVerdict | None:
    """The /verify/ verdict on a pasted token, or None when it is not a staff passport credential."""
    check = jwt_check(token)
    if check.outcome == TokenOutcome.NOT_OURS:
        return None
    if check.outcome == TokenOutcome.UNKNOWN_KEY:
        if not _is_staff_passport_vc(_unverified_claims(token)):
            return None  # someone else's JWT: not ours to judge
        return TokenVerdict(status=TokenStatus.UNKNOWN_KEY, kind=KIND_WORDS)
    if check.outcome == TokenOutcome.BAD_SIGNATURE:
        return TokenVerdict(status=TokenStatus.TAMPERED, kind=KIND_WORDS)
    if not _is_staff_passport_vc(check.claims):
        return None
    return _verdict_signed(check)


def staff_credential_verifier_register() -> None:
    token_verifier_register(VERIFIER_NAME, staff_credential_token_verify)

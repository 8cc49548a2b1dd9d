"""Signing and checking JWTs with the platform's keys (ADR 0040), whatever they carry.

The check trusts nothing in the token before its signature is verified: the header's `kid`
only chooses which of our published keys to try, and only EdDSA is accepted, so a token that
says `alg: none`, or HS256 with our public key as the "secret", is refused as a signature that
does not match."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

import jwt
from django.utils import timezone

from staffpassport.vc.keys import (
    ALGORITHM,
    signing_key_active,
    signing_key_for_kid,
    signing_key_private,
    signing_key_public,
)


class TokenOutcome(StrEnum):
    NOT_OURS = "not_ours"  # not a JWT, or one that names no key
    UNKNOWN_KEY = "unknown_key"  # names a key we never published
    BAD_SIGNATURE = "bad_signature"  # names our key, but the signature does not match (or alg is not EdDSA)
    EXPIRED = "expired"  # our signature, past its `exp`
    GOOD = "good"  # our signature, in date


@dataclass(frozen=True)
class TokenCheck:
    outcome: TokenOutcome
    claims: dict = field(default_factory=dict)  # only when the signature matched
    kid: str = ""
    expired_at: datetime | None = None


def jwt_sign(claims: dict) -> str:
    """`claims` signed with the active key: header {alg: EdDSA, kid, typ: JWT}."""
    key = signing_key_active()
    return jwt.encode(claims, signing_key_private(key), algorithm=ALGORITHM, headers={"kid": key.kid, "typ": "JWT"})


def _header(token: str) -> dict | None:
    """The first segment as JSON, read on its own: a token cut short or with a mangled
    signature still names its key, so it is reported as not matching, not as unreadable."""
    first = token.split(".", 1)[0]
    if not first or len(first) > 2000:
        return None
    try:
        header = json.loads(base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)))
    except (ValueError, TypeError, binascii.Error, RecursionError):
        return None
    return header if isinstance(header, dict) else None


def _expired_at(claims: dict, now: datetime) -> datetime | None:
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    try:
        expires = datetime.fromtimestamp(exp, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return expires if expires <= now else None


def jwt_check(token: str, *, now: datetime | None = None) -> TokenCheck:
    """Which of our keys signed `token`, whether the signature matches, and its claims."""
    header = _header(token)
    if header is None or not isinstance(header.get("kid"), str):
        return TokenCheck(outcome=TokenOutcome.NOT_OURS)
    kid = header["kid"]
    key = signing_key_for_kid(kid)
    if key is None:
        return TokenCheck(outcome=TokenOutcome.UNKNOWN_KEY, kid=kid[:64])
    if header.get("alg") != ALGORITHM:
        return TokenCheck(outcome=TokenOutcome.BAD_SIGNATURE, kid=kid)
    try:
        claims = jwt.decode(
            token,
            signing_key_public(key),
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False},
        )
    except (jwt.InvalidTokenError, ValueError, TypeError):
        return TokenCheck(outcome=TokenOutcome.BAD_SIGNATURE, kid=kid)
    expired_at = _expired_at(claims, now or timezone.now())
    outcome = TokenOutcome.EXPIRED if expired_at else TokenOutcome.GOOD
    return TokenCheck(outcome=outcome, claims=claims, kid=kid, expired_at=expired_at)

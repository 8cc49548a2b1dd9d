"""Digital credentials pasted on the public `/verify/` page: the registry of token verifiers.

A feature that issues signed tokens (the staff passport's VC-JWTs are the first) registers a
verifier from its AppConfig.ready(): `token_verifier_register(name, verify)`, where `verify`
takes the pasted text (whitespace removed) and returns a `TokenVerdict`, or None when the text
is not one of its tokens. Reporting never imports the feature. A verifier must never raise on
any input: whatever a visitor pastes, the page answers in words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

logger = logging.getLogger(__name__)

TOKEN_MAX_LENGTH = 20_000


class TokenStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    TAMPERED = "tampered"  # a key of ours, but the signature does not match the contents
    UNKNOWN_KEY = "unknown_key"  # looks like ours, signed with a key we have never published
    SUPERSEDED = "superseded"  # genuinely ours, but the credential has changed since this copy
    NOT_FOUND = "not_found"  # genuinely ours, but the credential is no longer on record
    UNREADABLE = "unreadable"  # not a credential any verifier can read


@dataclass(frozen=True)
class TokenVerdict:
    """What the public page says about one pasted credential, and nothing else."""

    status: TokenStatus
    kind: str = "credential"  # what the token is, in words ("staff passport credential")
    facts: list[tuple[str, str | date | datetime]] = field(default_factory=list)  # (label, value), in order
    revoked_at: datetime | None = None
    expired_at: datetime | None = None


_VERIFIERS: dict[str, Callable[[str], TokenVerdict | None]] = {}


def token_verifier_register(name: str, verify: Callable[[str], TokenVerdict | None]) -> None:
    _VERIFIERS[name] = verify


def token_normalise(raw: str) -> str:
    """What a person pasted, without the spaces and line breaks that copying adds."""
    return "".join((raw or "").split())


def token_verify(*, token: str) -> TokenVerdict:
    """The verdict of the first verifier that recognises `token`, else UNREADABLE. A verifier
    that fails is logged and treated as not recognising it: the visitor never sees an error."""
    token = token_normalise(token)
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return TokenVerdict(status=TokenStatus.UNREADABLE)
    for name, verify in _VERIFIERS.items():
        try:
            verdict = verify(token)
        except Exception:  # a bug in one verifier must not become a 500 on a public page
            logger.exception("Token verifier %s failed", name)
            continue
        if verdict is not None:
            return verdict
    return TokenVerdict(status=TokenStatus.UNREADABLE)

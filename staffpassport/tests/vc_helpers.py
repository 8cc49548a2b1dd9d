"""Helpers for the verifiable-credential tests: forging tokens the way an attacker would."""

import base64
import hashlib
import hmac
import json


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_json(value) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def token_parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    pad = lambda text: text + "=" * (-len(text) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


def token_with_claims(token: str, change) -> str:
    """The same header and signature over a payload that `change(claims)` altered."""
    header, claims, signature = token.split(".")[0], token_parts(token)[1], token.split(".")[2]
    change(claims)
    return f"{header}.{b64url_json(claims)}.{signature}"


def token_unsigned(claims: dict, *, kid: str) -> str:
    return f"{b64url_json({'alg': 'none', 'kid': kid, 'typ': 'JWT'})}.{b64url_json(claims)}."


def token_hs256(claims: dict, *, kid: str, secret: bytes) -> str:
    """Algorithm confusion: HMAC with something public (our public key) as the secret."""
    signing_input = f"{b64url_json({'alg': 'HS256', 'kid': kid, 'typ': 'JWT'})}.{b64url_json(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"

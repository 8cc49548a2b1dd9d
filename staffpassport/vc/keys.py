"""The platform's Ed25519 signing keys (ADR 0040): create, seal, rotate, publish.

One key is active and signs; rotating retires it and makes a new one active in one
transaction. Retired keys stay in the JWKS, so every credential they signed still verifies.
The private half is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the
VC_SIGNING_KEY_SECRET setting (SECRET_KEY when unset), with the kid as associated data so a
sealed key cannot be moved to another row. A database copy without that secret cannot sign.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from centres.audit import audit_record
from core.exceptions import ServiceError
from staffpassport.vc.models import SigningKey

ALGORITHM = "EdDSA"
_NONCE_BYTES = 12
_HKDF_SALT = b"staffpassport.vc.signing-key.v1"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sealing_key(kid: str) -> bytes:
    secret = getattr(settings, "VC_SIGNING_KEY_SECRET", "") or settings.SECRET_KEY
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=kid.encode())
    return hkdf.derive(secret.encode())


def _seal(private_raw: bytes, *, kid: str) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(_sealing_key(kid)).encrypt(nonce, private_raw, kid.encode())


def _unseal(sealed: bytes, *, kid: str) -> bytes:
    sealed = bytes(sealed)
    return AESGCM(_sealing_key(kid)).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], kid.encode())


def jwk_thumbprint(public_key: str) -> str:
    """RFC 7638: the SHA-256 of the JWK's required members, sorted, without spaces."""
    members = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": public_key}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(members.encode()).digest())


def signing_key_material() -> dict:
    """A new key pair as the row's fields: kid, public key, sealed private key. Also used by
    migration 0003, which makes the platform's first key."""
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    private_raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_key = _b64url(public_raw)
    kid = jwk_thumbprint(public_key)
    return {"kid": kid, "public_key": public_key, "private_key_sealed": _seal(private_raw, kid=kid)}


def _key_build(*, now) -> SigningKey:
    return SigningKey(**signing_key_material(), status=SigningKey.Status.ACTIVE, activated_at=now)


def signing_key_active() -> SigningKey:
    """The key that signs. Migration 0003 makes the first; should there be none (a database
    emptied by hand or by a test's flush) it is made on first use. Two first uses at once make
    one key: the database allows one active key, and the loser reads the winner's."""
    key = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            key = _key_build(now=timezone.now())
            key.save()
            audit_record(
                actor=None, action="staffpassport.vc_key_created", target=key, summary=f"First signing key {key.kid}"
            )
    except IntegrityError:
        key = SigningKey.objects.get(status=SigningKey.Status.ACTIVE)
    return key


@transaction.atomic
def signing_key_rotate() -> tuple[SigningKey | None, SigningKey]:
    """Retire the active key (it stays published) and make a new one active. Returns
    (retired key or None, new key)."""
    now = timezone.now()
    old = SigningKey.objects.select_for_update().filter(status=SigningKey.Status.ACTIVE).first()
    if old is not None:
        old.status = SigningKey.Status.RETIRED
        old.retired_at = now
        old.save(update_fields=["status", "retired_at", "updated_at"])
    new = _key_build(now=now)
    new.save()
    summary = f"New credential signing key {new.kid}" + (f"; {old.kid} retired (still published)" if old else "")
    audit_record(actor=None, action="staffpassport.vc_key_rotated", target=new, summary=summary)
    return old, new


def signing_key_private(key: SigningKey) -> Ed25519PrivateKey:
    """The private half, unsealed for one signature. A ServiceError when the sealing secret
    has changed since the key was made (the fix: rotate, which makes a key under the new one)."""
    try:
        raw = _unseal(key.private_key_sealed, kid=key.kid)
    except (InvalidTag, ValueError) as error:
        raise ServiceError(
            "The credential signing key cannot be unsealed: VC_SIGNING_KEY_SECRET (or SECRET_KEY) has changed "
            "since it was made. Run `manage.py vc_key_rotate` to make a new key."
        ) from error
    return Ed25519PrivateKey.from_private_bytes(raw)


def signing_key_public(key: SigningKey) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_b64url_decode(key.public_key))


def signing_key_for_kid(kid: str) -> SigningKey | None:
    """A published key (active or retired) by its kid, or None."""
    if not isinstance(kid, str) or not kid or len(kid) > 64:
        return None
    return SigningKey.objects.filter(kid=kid).first()


def jwk(key: SigningKey) -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": key.public_key, "kid": key.kid, "use": "sig", "alg": ALGORITHM}


def jwks_document() -> dict:
    """The public keys, active first then retired newest first: the JWKS at
    /.well-known/jwks.json. Read only (a GET changes nothing): migration 0003 made the first."""
    keys = SigningKey.objects.order_by("status", "-activated_at")  # "active" sorts before "retired"
    return {"keys": [jwk(key) for key in keys]}

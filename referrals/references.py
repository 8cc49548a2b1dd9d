"""The reference quoted for a referral in emails and on pages instead of the person's name."""

import secrets

# No 0/O, 1/I/L: references are read aloud and typed.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def reference_generate() -> str:
    """e.g. "DSR-7KQ2M9XA". Unique in practice (31^8 ≈ 8.5e11); the column is unique as well."""
    return "DSR-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))

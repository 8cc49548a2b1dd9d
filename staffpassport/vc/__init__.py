"""S8 verifiable credentials (ADR 0040): the platform's Ed25519 signing keys, the JWKS, issued
staff passport credentials as VC-JWTs, and their check on the public /verify/ page."""

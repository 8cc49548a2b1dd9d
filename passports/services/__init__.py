"""Passport writes, one module per area. Functions are `<noun>_<verb>`, keyword-only,
atomic, audited (DESIGN.md "Workflows that write")."""

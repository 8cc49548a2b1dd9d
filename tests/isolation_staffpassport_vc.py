"""S8 verifiable credentials in the isolation walk: centre B's issued staff passport credential,
whose digital-credential page and VC-JWT download trust A's people must never reach."""

from datetime import date


def staffpassport_vc_world(b: dict, centre_b) -> list[str]:
    """Put B's issued credential in the walk's world; return what must never show to A."""
    from staffpassport.tests.vc_factories import staff_credential_build

    b["vc_staff_credential"] = staff_credential_build(
        centre_b, first_name="Bravissima", last_name="Zanzibar-Credential", expires_on=date(2030, 1, 31)
    )
    return ["Zanzibar-Credential"]

"""R11: everything done on the register is audited through centres.audit with the
`referral.` / `register.` action prefixes, so the register's audit page can filter it."""

from centres.audit import audit_record


def referral_audit(*, access, action: str, referral=None, summary: str = "", request=None, centre=None):
    """One audit event. The centre is the referral's organisation (so its administrators can
    read it), else the person's own organisation."""
    return audit_record(
        actor=access.user,
        centre=centre or (referral.centre if referral is not None else access.centre),
        action=action,
        target=referral,
        summary=summary or (f"Referral {referral.reference}" if referral is not None else ""),
        request=request,
    )

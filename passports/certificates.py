"""P9 certificates: the passport certificate, the first kind of `reporting.certificates`
(registered in PassportsConfig.ready): its PDF, and what the public check of its code shows.

Certificates are issued by the sign-off service (P8, `passports.services.signoff
.certificate_issue`) with a code from `reporting.certificates`. Anyone may check a code at
`/verify/<code>/`; the page shows only the learner's name, the framework, the sign-off date,
the centre's name and whether the certificate is valid. The lookup by code is the one read
here that is not scoped to a centre: the code itself is the permission.
"""

from passports.models import Certificate, Enrolment, SignOff
from passports.services.signoff import certificate_issue
from reporting.certificates import (
    CertificateContent,
    CertificateSignature,
    VerifiedCertificate,
    certificate_kind_register,
    certificate_pdf_html,
)
from reporting.certificates import certificate_pdf as render_certificate_pdf

CERTIFICATE_KIND = "passports.passport"
REVOKED_NOTE = "It no longer shows that the passport is complete."


def certificate_for_code(code: str) -> Certificate | None:
    """The certificate with that (normalised) verification code, whatever its centre, or
    None. Public: callers show only what `certificate_public_summary` returns."""
    candidates = {code, code.replace("-", "")}
    return (
        Certificate.objects.filter(code__in=candidates)  # unscoped on purpose: the code is the permission
        .select_related("centre", "enrolment__membership__user", "enrolment__framework", "sign_off")
        .first()
    )


def certificate_public_summary(certificate: Certificate) -> VerifiedCertificate:
    """The only facts the public verification page shows."""
    enrolment = certificate.enrolment
    user = enrolment.membership.user
    signed_off = certificate.sign_off.decided_at or enrolment.signed_off_at or certificate.issued_at
    return VerifiedCertificate(
        code=certificate.code,
        facts=[
            ("Name", f"{user.first_name} {user.last_name}".strip()),
            ("Framework", enrolment.framework.name),
            ("Signed off", signed_off),
            ("Centre", certificate.centre.name),
        ],
        revoked_at=certificate.revoked_at,
        revoked_note=REVOKED_NOTE,
    )


def certificate_kind_register_passport() -> None:
    certificate_kind_register(
        CERTIFICATE_KIND, find=certificate_for_code, describe=certificate_public_summary, issue=certificate_issue
    )


def certificate_for_enrolment(*, enrolment: Enrolment) -> Certificate | None:
    """The enrolment's current certificate: signed off and not revoked; else None."""
    if enrolment.signed_off_at is None:
        return None
    return (
        Certificate.objects.for_centre(enrolment.centre)
        .filter(enrolment=enrolment, revoked_at__isnull=True, sign_off__status=SignOff.Status.SIGNED_OFF)
        .select_related("sign_off__educator")
        .order_by("-issued_at")
        .first()
    )


def certificate_content(*, certificate: Certificate, enrolment: Enrolment) -> CertificateContent:
    """The passport certificate on the platform's certificate page: signed off by the educator."""
    user = enrolment.membership.user
    learner_name = f"{user.first_name} {user.last_name}".strip()
    sign_off = certificate.sign_off
    return CertificateContent(
        code=certificate.code,
        learner_name=learner_name,
        achievement="has completed and been signed off for",
        subject=enrolment.framework.name,
        centre_name=enrolment.centre.name,
        signature=CertificateSignature(
            when_label="Signed off on",
            when=sign_off.decided_at or enrolment.signed_off_at,
            signer=sign_off.educator.get_full_name(),
        ),
        document_title=f"Certificate: {learner_name} \u2013 {enrolment.framework.name}",
    )


def certificate_html(*, certificate: Certificate, enrolment: Enrolment) -> str:
    return certificate_pdf_html(certificate_content(certificate=certificate, enrolment=enrolment))


def certificate_pdf(*, certificate: Certificate, enrolment: Enrolment) -> bytes:
    """The certificate as a one-page PDF (small enough to render in the request)."""
    return render_certificate_pdf(certificate_content(certificate=certificate, enrolment=enrolment))

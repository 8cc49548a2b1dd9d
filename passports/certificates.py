"""P9 certificates: the certificate PDF of a signed-off passport and the public check of a
verification code.

Certificates are issued by the sign-off service (P8) with a code like `7KQ4-M2XD-9PRT`
(letters and digits in groups of four, dashes between). Anyone may check a code at
`/verify/<code>/`; the page shows only the learner's name, the framework, the sign-off date,
the centre's name and whether the certificate is valid. The lookup by code is the one read
here that is not scoped to a centre: the code itself is the permission.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from passports.models import Certificate, Enrolment, SignOff
from passports.records import pdf_document

CODE_GROUP = 4
CODE_MAX_LENGTH = 20
_NOT_CODE = re.compile(r"[\s\-\u2010-\u2015_.]+")  # spaces, hyphens and dashes
_CODE_CHARS = re.compile(r"^[A-Z0-9]+$")


def certificate_code_normalise(raw: str) -> str:
    """What a person typed, as stored: upper case, spaces and dashes removed, then grouped in
    fours with dashes ("7kq4 m2xd 9prt" -> "7KQ4-M2XD-9PRT"). "" if it cannot be a code."""
    plain = _NOT_CODE.sub("", raw or "").upper()
    if not plain or not _CODE_CHARS.match(plain) or len(plain) > CODE_MAX_LENGTH:
        return ""
    return "-".join(plain[i : i + CODE_GROUP] for i in range(0, len(plain), CODE_GROUP))


def certificate_for_code(*, code: str) -> Certificate | None:
    """The certificate with that verification code (normalised), whatever its centre, or None.
    Public: callers show only what `certificate_public_summary` returns."""
    normalised = certificate_code_normalise(code)
    if not normalised:
        return None
    candidates = {normalised, normalised.replace("-", "")}
    return (
        Certificate.objects.filter(code__in=candidates)  # unscoped on purpose: the code is the permission
        .select_related("centre", "enrolment__membership__user", "enrolment__framework", "sign_off")
        .first()
    )


def certificate_public_summary(certificate: Certificate) -> dict:
    """The only facts the public verification page shows."""
    enrolment = certificate.enrolment
    user = enrolment.membership.user
    signed_off = certificate.sign_off.decided_at or enrolment.signed_off_at or certificate.issued_at
    return {
        "code": certificate.code,
        "learner_name": f"{user.first_name} {user.last_name}".strip(),
        "framework_name": enrolment.framework.name,
        "signed_off_at": signed_off,
        "centre_name": certificate.centre.name,
        "revoked_at": certificate.revoked_at,
    }


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


def certificate_verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify:certificate", kwargs={"verification_code": code})


def certificate_html(*, certificate: Certificate, enrolment: Enrolment) -> str:
    user = enrolment.membership.user
    sign_off = certificate.sign_off
    return render_to_string(
        "passports/records/certificate_pdf.html",
        {
            "learner_name": f"{user.first_name} {user.last_name}".strip(),
            "framework_name": enrolment.framework.name,
            "version_number": enrolment.version.number,
            "centre_name": enrolment.centre.name,
            "signed_off_at": sign_off.decided_at or enrolment.signed_off_at,
            "educator_name": sign_off.educator.get_full_name(),
            "code": certificate.code,
            "verification_url": certificate_verification_url(certificate.code),
            "verify_page": settings.SITE_URL.rstrip("/") + reverse("verify:form"),
            "generated_at": timezone.now(),
        },
    )


def certificate_pdf(*, certificate: Certificate, enrolment: Enrolment) -> bytes:
    """The certificate as a one-page PDF (small enough to render in the request)."""
    return pdf_document(certificate_html(certificate=certificate, enrolment=enrolment)).write_pdf()

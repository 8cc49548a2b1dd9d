"""Certificates of every kind and the one public check of a verification code (`/verify/`).

A feature registers a certificate kind from its AppConfig.ready() (the passport certificate
is the first; the eLearning certificate will be the second): how to issue one (`issue`, the
feature's own service, called through `certificate_issue`), how to find one by its code
(`find`) and what the public page may say about it (`describe`: a `VerifiedCertificate`,
the only facts shown). Reporting never imports the feature.

Codes are letters and digits in groups of four with dashes (`7KQ4-M2XD-9PRT`), from an
alphabet without 0/O and 1/I/L so a code read aloud or typed from paper cannot be mistaken.
What a person types is normalised (case, spaces, dashes) before any kind looks it up. The
lookup by code is the one read not scoped to a centre: the code itself is the permission.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from reporting.pdf import pdf_bytes

CODE_GROUP = 4
CODE_MAX_LENGTH = 20
CODE_LENGTH = 12
# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_NOT_CODE = re.compile(r"[\s\-\u2010-\u2015_.]+")  # spaces, hyphens and dashes
_CODE_CHARS = re.compile(r"^[A-Z0-9]+$")


@dataclass(frozen=True)
class VerifiedCertificate:
    """What the public page shows of a certificate, and nothing else."""

    code: str
    facts: list[tuple[str, str | date | datetime]] = field(default_factory=list)  # (label, value), in order
    revoked_at: datetime | None = None
    revoked_note: str = ""  # after "This certificate was revoked on <date>.": what that means


@dataclass(frozen=True)
class CertificateKind:
    name: str
    find: Callable[[str], Any | None]  # a normalised code -> the certificate, or None
    describe: Callable[[Any], VerifiedCertificate]
    issue: Callable[..., Any]  # the feature's service: (**its arguments) -> the certificate


_KINDS: dict[str, CertificateKind] = {}


def certificate_kind_register(name: str, *, find: Callable, describe: Callable, issue: Callable) -> None:
    _KINDS[name] = CertificateKind(name=name, find=find, describe=describe, issue=issue)


def certificate_kind(name: str) -> CertificateKind:
    return _KINDS[name]


def certificate_code_generate() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def certificate_code_normalise(raw: str) -> str:
    """What a person typed, as stored: upper case, spaces and dashes removed, then grouped in
    fours with dashes ("7kq4 m2xd 9prt" -> "7KQ4-M2XD-9PRT"). "" if it cannot be a code."""
    plain = _NOT_CODE.sub("", raw or "").upper()
    if not plain or not _CODE_CHARS.match(plain) or len(plain) > CODE_MAX_LENGTH:
        return ""
    return "-".join(plain[i : i + CODE_GROUP] for i in range(0, len(plain), CODE_GROUP))


def certificate_issue(kind: str, **arguments) -> Any:
    """Issue a certificate of `kind` with the kind's own service."""
    return certificate_kind(kind).issue(**arguments)


def certificate_verify(*, code: str) -> VerifiedCertificate | None:
    """The public facts of the certificate with this code, whatever its kind and centre, or
    None when no kind knows the code."""
    normalised = certificate_code_normalise(code)
    if not normalised:
        return None
    for kind in _KINDS.values():
        certificate = kind.find(normalised)
        if certificate is not None:
            return kind.describe(certificate)
    return None


def certificate_verification_url(code: str) -> str:
    """The public page of one certificate, as printed on it."""
    return settings.SITE_URL.rstrip("/") + reverse("verify:certificate", kwargs={"verification_code": code})


def certificate_verify_page_url() -> str:
    """The public page where anyone may type a code."""
    return settings.SITE_URL.rstrip("/") + reverse("verify:form")


# -- The certificate PDF: one template for every kind (ADR 0044) ------------------------------


@dataclass(frozen=True)
class CertificateSignature:
    """Who vouches for the certificate and when: "Signed off by <name>" on <date>, or, with no
    signer (the eLearning), just "<when_label> <date>"."""

    when_label: str  # "Signed off on", "Completed on"
    when: date | datetime
    signer: str = ""  # a person's name; "" when nobody signs (completed online)
    signer_label: str = "Signed off by"


@dataclass(frozen=True)
class CertificateContent:
    """What a feature puts on its certificate; `certificate_pdf_html` lays it out on one
    landscape A4 page with the platform's name, the centre, the signature block, the
    verification code and the verify URL."""

    code: str
    learner_name: str
    achievement: str  # "has completed and been signed off for"
    subject: str  # the framework, "Care record eLearning"
    centre_name: str
    signature: CertificateSignature
    document_title: str
    details_heading: tuple[str, str] | None = None  # the details table's two column headings
    details: list[tuple[str, str | date | datetime]] = field(default_factory=list)


def certificate_pdf_html(content: CertificateContent) -> str:
    """The certificate page as HTML for the PDF renderer (no external resources)."""
    return render_to_string(
        "reporting/certificate_pdf.html",
        {
            "certificate": content,
            "service_name": settings.SERVICE_NAME,
            "verification_url": certificate_verification_url(content.code),
            "verify_page": certificate_verify_page_url(),
        },
    )


def certificate_pdf(content: CertificateContent) -> bytes:
    """The certificate as a one-page PDF (small enough to render in the request)."""
    return pdf_bytes(certificate_pdf_html(content))

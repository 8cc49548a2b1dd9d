"""E1 the eLearning certificate: the second kind of `reporting.certificates` (registered in
ElearningConfig.ready), issued once when every required module is complete; its PDF and what
the public check of its code shows (ADR 0035).

The lookup by code is the one read here not scoped to a person: the code is the permission,
and the public page shows only the name, what it certifies, the issue date and whether it is
valid.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from centres.audit import audit_record
from elearning.models import ElearningCertificate, ModuleProgress, SiteStaff
from elearning.selectors.staff import own_site_staff
from reporting.certificates import (
    CertificateContent,
    CertificateSignature,
    VerifiedCertificate,
    certificate_code_generate,
    certificate_kind_register,
    certificate_pdf,
    certificate_pdf_html,
)

CERTIFICATE_KIND = "elearning"
CERTIFIES = "Care record eLearning: every required module completed"
REVOKED_NOTE = "It no longer shows that the care record eLearning is complete."


def elearning_certificate_current(user) -> ElearningCertificate | None:
    return ElearningCertificate.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def elearning_certificate_issue(*, user, request=None) -> ElearningCertificate:
    """`user`'s valid certificate, issued now if they have none (once: the database allows one
    valid certificate per person). The caller checks that the eLearning is complete."""
    existing = elearning_certificate_current(user)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            certificate = ElearningCertificate.objects.create(
                user=user, code=certificate_code_generate(), issued_at=timezone.now()
            )
    except IntegrityError:  # issued by a concurrent request
        return elearning_certificate_current(user)
    audit_record(
        actor=user,
        action="elearning.certificate_issued",
        target=certificate,
        summary=f"eLearning certificate {certificate.code} issued to {user.get_full_name()}",
        request=request,
    )
    return certificate


def elearning_certificate_for_code(code: str) -> ElearningCertificate | None:
    """The certificate with that (normalised) code, or None. Unscoped on purpose."""
    return ElearningCertificate.objects.filter(code=code).select_related("user").first()


def elearning_certificate_describe(certificate: ElearningCertificate) -> VerifiedCertificate:
    user = certificate.user
    return VerifiedCertificate(
        code=certificate.code,
        facts=[
            ("Name", f"{user.first_name} {user.last_name}".strip()),
            ("Certifies", CERTIFIES),
            ("Issued", certificate.issued_at),
        ],
        revoked_at=certificate.revoked_at,
        revoked_note=REVOKED_NOTE,
    )


def certificate_kind_register_elearning() -> None:
    certificate_kind_register(
        CERTIFICATE_KIND,
        find=elearning_certificate_for_code,
        describe=elearning_certificate_describe,
        issue=elearning_certificate_issue,
    )


def elearning_certificate_content(*, certificate: ElearningCertificate) -> CertificateContent:
    """The eLearning certificate on the platform's certificate page: completed online, so no
    signer; the centre is the learner's site (their current ones, else every site they were at)."""
    user = certificate.user
    completed = list(
        ModuleProgress.objects.filter(user=user, completed_at__isnull=False, module__is_published=True)
        .select_related("module")
        .order_by("module__position", "module__title", "module_id")
    )
    modules = [(row.module.title, row.completed_at) for row in completed]
    # Completed when the last required module was (a later optional one does not move it).
    required_done = [row.completed_at for row in completed if row.module.is_required]
    sites = list(own_site_staff(user))
    current = [staff.centre.name for staff in sites if staff.status == SiteStaff.Status.CURRENT]
    centre_names = list(dict.fromkeys(current or [staff.centre.name for staff in sites]))
    learner_name = f"{user.first_name} {user.last_name}".strip()
    return CertificateContent(
        code=certificate.code,
        learner_name=learner_name,
        achievement="has completed every required module of",
        subject="Care record eLearning",
        centre_name=", ".join(centre_names),
        signature=CertificateSignature(
            when_label="Completed on",
            when=max(required_done, default=certificate.issued_at),
        ),
        document_title=f"Care record eLearning certificate {certificate.code}: {learner_name}",
        details_heading=("Module", "Completed"),
        details=modules,
    )


def elearning_certificate_html(*, certificate: ElearningCertificate) -> str:
    return certificate_pdf_html(elearning_certificate_content(certificate=certificate))


def elearning_certificate_pdf(*, certificate: ElearningCertificate) -> bytes:
    """The certificate as a one-page PDF (small enough to render in the request)."""
    return certificate_pdf(elearning_certificate_content(certificate=certificate))

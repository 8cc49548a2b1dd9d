"""P9 certificate PDF: only for a signed-off passport with a certificate that is not revoked,
only for the learner and their supervisors."""

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from passports.certificates import (
    certificate_for_enrolment,
    certificate_html,
    certificate_pdf,
)
from passports.models import Certificate, SignOff
from passports.tests.factories import enrolment_build, framework_version_build
from reporting.certificates import certificate_code_normalise
from reporting.tests.certificate_files import write_certificate_pdf
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def certificate_issue(enrolment, *, code="7KQ4-M2XD-9PRT", revoked=False) -> Certificate:
    """What the sign-off service (P8) does: a signed-off SignOff, the enrolment's
    signed_off_at, and a Certificate."""
    now = timezone.now()
    sign_off = SignOff.objects.create(
        centre=enrolment.centre,
        enrolment=enrolment,
        educator=enrolment.enrolled_by,
        status=SignOff.Status.SIGNED_OFF,
        decided_at=now,
    )
    enrolment.signed_off_at = now
    enrolment.save(update_fields=["signed_off_at"])
    return Certificate.objects.create(
        centre=enrolment.centre,
        enrolment=enrolment,
        sign_off=sign_off,
        code=code,
        revoked_at=now if revoked else None,
    )


@pytest.fixture
def enrolment():
    centre = CentreFactory(name="Leeds Teaching Hospitals NHS Trust")
    version = framework_version_build(name="IV Therapy Passport", sections=1, per_section=2)
    learner = MembershipFactory(centre=centre, user__first_name="Oliver", user__last_name="Bennett")
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR, user__first_name="Priya", user__last_name="Raman")
    return enrolment_build(centre=centre, version=version, learner=learner, educator=educator)


def url(enrolment):
    return reverse("passports:record_certificate", kwargs={"enrolment_id": enrolment.public_id})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7KQ4-M2XD-9PRT", "7KQ4-M2XD-9PRT"),
        ("7kq4 m2xd 9prt", "7KQ4-M2XD-9PRT"),
        (" 7KQ4M2XD9PRT ", "7KQ4-M2XD-9PRT"),
        ("7kq4\u2013m2xd\u20139prt", "7KQ4-M2XD-9PRT"),  # en dashes from a word processor
        ("<script>", ""),
        ("", ""),
        ("A" * 21, ""),
    ],
)
def test_code_normalise(raw, expected):
    assert certificate_code_normalise(raw) == expected


def test_certificate_pdf_holds_name_framework_centre_date_educator_code_and_url(enrolment, settings):
    from reporting.pdf import pdf_document, pdf_text

    settings.SITE_URL = "https://passport.nhs.example"
    certificate = certificate_issue(enrolment)
    pdf = certificate_pdf(certificate=certificate, enrolment=enrolment)
    assert pdf.startswith(b"%PDF")
    document = pdf_document(certificate_html(certificate=certificate, enrolment=enrolment))
    assert len(document.pages) == 1
    page = document.pages[0]
    assert round(page.width) > round(page.height)  # landscape A4
    text = pdf_text(document)
    for expected in [
        settings.SERVICE_NAME,
        "Signed off by Priya Raman",
        f"Signed off on {timezone.localdate():%-d %B %Y}",
        "at Leeds Teaching Hospitals NHS Trust",
        "Verification code",
        "https://passport.nhs.example/verify/",
        "Oliver Bennett",
        "IV Therapy Passport",
        "Leeds Teaching Hospitals NHS Trust",
        f"{timezone.localdate():%-d %B %Y}",
        "Priya Raman",
        "7KQ4-M2XD-9PRT",
        "https://passport.nhs.example/verify/7KQ4-M2XD-9PRT/",
    ]:
        assert expected in text, expected
    write_certificate_pdf("passport", pdf)  # test-results/certificates/: look at it as a PNG


def test_learner_and_supervisor_download_the_certificate(client, login_as, enrolment):
    certificate_issue(enrolment)
    for user in (enrolment.membership.user, enrolment.enrolled_by):
        login_as(user, enrolment.centre)
        response = client.get(url(enrolment))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "certificate.pdf" in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF")
    page = client.get(reverse("passports:record", kwargs={"enrolment_id": enrolment.public_id})).content.decode()
    assert "7KQ4-M2XD-9PRT" in page
    assert "Download certificate (PDF)" in page


def test_no_certificate_before_sign_off_or_once_revoked(client, login_as, enrolment):
    login_as(enrolment.membership.user, enrolment.centre)
    assert client.get(url(enrolment)).status_code == 404
    certificate_issue(enrolment, revoked=True)
    assert certificate_for_enrolment(enrolment=enrolment) is None
    assert client.get(url(enrolment)).status_code == 404


@pytest.mark.parametrize("who", ["other_learner", "assessor_not_supervising", "other_centre_educator"])
def test_others_cannot_download_the_certificate(client, login_as, enrolment, who):
    certificate_issue(enrolment)
    if who == "other_centre_educator":
        member = MembershipFactory(role=Role.EDUCATOR)
    else:
        member = MembershipFactory(centre=enrolment.centre, role=Role.ASSESSOR if "assessor" in who else None)
    login_as(member.user, member.centre)
    assert client.get(url(enrolment)).status_code == 404

"""E1 the eLearning certificate: issued once, its PDF, and the public check at /verify/."""

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from elearning.models import ElearningCertificate
from elearning.services.certificates import CERTIFICATE_KIND, elearning_certificate_html, elearning_certificate_issue
from elearning.services.learning import lesson_complete
from elearning.tests.test_learning_helpers import learner_build, module_build, pdf_holds
from reporting.certificates import certificate_kind, certificate_verify
from reporting.pdf import pdf_document, pdf_text
from reporting.tests.certificate_files import write_certificate_pdf
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def _complete(user, module):
    for lesson in module.lessons.order_by("position"):
        lesson_complete(user=user, lesson=lesson)


def _login(client, user):
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def test_the_certificate_is_issued_once_and_audited():
    user = learner_build()
    _complete(user, module_build(lessons=1))
    first = ElearningCertificate.objects.get(user=user)
    assert elearning_certificate_issue(user=user) == first
    assert certificate_kind(CERTIFICATE_KIND).issue(user=user) == first
    assert ElearningCertificate.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="elearning.certificate_issued").count() == 1


def test_download_is_a_one_page_pdf_with_the_modules_and_code(client, settings):
    settings.SITE_URL = "https://lcr.nhs.example"
    user = learner_build()
    _complete(user, module_build(title="Information governance", lessons=1, position=1))
    _complete(user, module_build(title="Optional extra", lessons=1, position=2, required=False))
    response = _login(client, user).get(reverse("elearning:certificate"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    certificate = ElearningCertificate.objects.get(user=user)
    assert pdf_holds(response.content, certificate.code)
    document = pdf_document(elearning_certificate_html(certificate=certificate))
    assert len(document.pages) == 1
    text = pdf_text(document)
    assert certificate.code in text
    for expected in ("Lena Learner", "Care record eLearning", "Information governance", "Optional extra"):
        assert expected in text
    assert f"https://lcr.nhs.example/verify/{certificate.code}/" in text
    assert timezone.localdate().strftime("%-d %B %Y") in text
    assert AuditEvent.objects.filter(action="elearning.certificate_downloaded").count() == 1
    _login(client, user).get(reverse("elearning:certificate"))
    assert ElearningCertificate.objects.filter(user=user).count() == 1


def test_no_certificate_before_every_required_module_is_complete(client):
    user = learner_build()
    module_build(lessons=1)
    response = _login(client, user).get(reverse("elearning:certificate"))
    assert response.status_code == 404
    assert "once you have completed every required module" in response.content.decode()
    assert not ElearningCertificate.objects.exists()


def test_verify_page_shows_the_elearning_certificate_to_anyone(client):
    user = learner_build()
    _complete(user, module_build(lessons=1))
    certificate = ElearningCertificate.objects.get(user=user)
    body = client.get(reverse("verify:certificate", kwargs={"verification_code": certificate.code})).content.decode()
    assert "Lena Learner" in body
    assert "Care record eLearning" in body
    assert "learner@site.example" not in body
    verified = certificate_verify(code=certificate.code.lower().replace("-", " "))
    assert verified is not None
    assert verified.revoked_at is None


def test_a_revoked_certificate_says_so():
    user = learner_build()
    _complete(user, module_build(lessons=1))
    certificate = ElearningCertificate.objects.get(user=user)
    certificate.revoked_at = timezone.now()
    certificate.save()
    assert certificate_verify(code=certificate.code).revoked_at is not None


def test_someone_complete_without_a_certificate_gets_one_by_post_not_get(client):
    user = learner_build()
    module = module_build(lessons=1, required=False)
    _complete(user, module)
    module.is_required = True  # made required after they completed it: no certificate was issued
    module.save()
    assert not ElearningCertificate.objects.exists()
    _login(client, user)
    response = client.get(reverse("elearning:certificate"))
    assert "Get your certificate" in response.content.decode()
    assert not ElearningCertificate.objects.exists()
    response = client.post(reverse("elearning:certificate"))
    assert response.status_code == 302
    assert client.get(response["Location"]).content.startswith(b"%PDF")
    assert ElearningCertificate.objects.filter(user=user).count() == 1


def test_the_pdf_names_the_platform_and_site_and_says_when_completed_with_no_signer(client, settings, tmp_path):
    """Issue 16 item 10 on the shared certificate page (reporting/certificate_pdf.html): the
    platform's name, the learner's site, "Completed on" (completed online: nobody signs), the
    code and the verify URL, on one landscape A4 page. Written to test-results/certificates/."""
    settings.SITE_URL = "https://lcr.nhs.example"
    settings.SERVICE_NAME = "Learning and Support Platform"
    site = CentreFactory(name="Leeds Care Record Central Site")
    user = learner_build(centre=site)
    _complete(user, module_build(title="Information governance", lessons=1, position=1))
    _complete(user, module_build(title="Using the care record", lessons=1, position=2))
    pdf = _login(client, user).get(reverse("elearning:certificate")).content
    certificate = ElearningCertificate.objects.get(user=user)
    document = pdf_document(elearning_certificate_html(certificate=certificate))
    assert len(document.pages) == 1
    page = document.pages[0]
    assert round(page.width) > round(page.height)  # landscape
    text = pdf_text(document)
    for expected in (
        "Learning and Support Platform",
        "at Leeds Care Record Central Site",
        "Lena Learner",
        "has completed every required module of",
        f"Completed on {timezone.localdate():%-d %B %Y}",
        "Verification code",
        certificate.code,
        f"https://lcr.nhs.example/verify/{certificate.code}/",
        "https://lcr.nhs.example/verify/",
    ):
        assert expected in text, expected
    assert "Signed off by" not in text
    write_certificate_pdf("elearning", pdf)


def test_many_modules_still_fit_one_page():
    site = CentreFactory(name="Leeds Care Record Central Site")
    user = learner_build(centre=site)
    for position in range(1, 13):
        _complete(
            user, module_build(title=f"Module number {position} of the care record", lessons=1, position=position)
        )
    certificate = ElearningCertificate.objects.get(user=user)
    document = pdf_document(elearning_certificate_html(certificate=certificate))
    assert len(document.pages) == 1
    assert "Module number 12 of the care record" in pdf_text(document)


def test_completed_on_is_when_the_last_required_module_was_completed():
    from datetime import timedelta

    from elearning.models import ModuleProgress

    user = learner_build(centre=CentreFactory(name="Leeds Care Record Central Site"))
    _complete(user, module_build(title="Information governance", lessons=1, position=1))
    optional = module_build(title="Optional extra", lessons=1, position=2, required=False)
    _complete(user, optional)
    ModuleProgress.objects.filter(user=user, module=optional).update(completed_at=timezone.now() + timedelta(days=40))
    certificate = ElearningCertificate.objects.get(user=user)
    text = pdf_text(pdf_document(elearning_certificate_html(certificate=certificate)))
    assert f"Completed on {timezone.localdate():%-d %B %Y}" in text

"""Certificate kinds and the one /verify/ page: a second, tiny kind is checked beside the
passport certificate by the same page, showing only what its kind describes."""

import datetime

import pytest
from django.urls import reverse

from reporting import certificates
from reporting.certificates import (
    VerifiedCertificate,
    certificate_issue,
    certificate_kind_register,
    certificate_verify,
)

pytestmark = pytest.mark.django_db
ISSUED: dict[str, dict] = {}


def _issue(*, code, name):
    ISSUED[code] = {"name": name, "revoked": None}
    return code


def _describe(code):
    return VerifiedCertificate(
        code=code,
        facts=[
            ("Name", ISSUED[code]["name"]),
            ("Module", "Leeds Care Record"),
            ("Completed", datetime.date(2026, 3, 4)),
        ],
        revoked_at=ISSUED[code]["revoked"],
        revoked_note="It no longer shows that the module was completed.",
    )


@pytest.fixture(autouse=True)
def kind(monkeypatch):
    monkeypatch.setattr(certificates, "_KINDS", dict(certificates._KINDS))  # put back afterwards
    certificate_kind_register(
        "tests.elearning", find=lambda code: code if code in ISSUED else None, describe=_describe, issue=_issue
    )
    ISSUED.clear()


def test_a_kind_issues_and_the_one_page_verifies_it(client):
    code = certificate_issue("tests.elearning", code="ABCD-EFGH-JKMN", name="Ada Okafor")
    assert certificate_verify(code="abcd efgh jkmn").facts[0] == ("Name", "Ada Okafor")
    response = client.get(reverse("verify:certificate", kwargs={"verification_code": code}))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ["Valid certificate", "Ada Okafor", "Leeds Care Record", "4 March 2026"]:
        assert expected in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_revoked_certificate_says_what_that_means(client):
    certificate_issue("tests.elearning", code="ABCD-EFGH-JKMN", name="Ada Okafor")
    ISSUED["ABCD-EFGH-JKMN"]["revoked"] = datetime.datetime(2026, 5, 6, 12, tzinfo=datetime.UTC)
    html = client.get(reverse("verify:certificate", kwargs={"verification_code": "ABCD-EFGH-JKMN"})).content.decode()
    assert "Certificate revoked" in html
    assert "It no longer shows that the module was completed." in html


def test_a_code_no_kind_knows_is_not_found(client):
    assert certificate_verify(code="ZZZZ-ZZZZ-ZZZZ") is None
    assert certificate_verify(code="<script>") is None
    response = client.get(reverse("verify:certificate", kwargs={"verification_code": "ZZZZ-ZZZZ-ZZZZ"}))
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()


def test_the_shared_certificate_page_fits_long_names_and_many_details_on_one_landscape_page(settings):
    """ADR 0044: one certificate template for every kind; its worst case stays on one page."""
    from reporting.certificates import CertificateContent, CertificateSignature, certificate_pdf_html
    from reporting.pdf import pdf_document, pdf_text
    from reporting.tests.certificate_files import write_certificate_pdf

    settings.SITE_URL = "https://a-rather-long-host-name.learning-platform.nhs.example"
    content = CertificateContent(
        code="7KQ4-M2XD-9PRT",
        learner_name="Bartholomew Featherstonehaugh-Cholmondeley",
        achievement="has completed and been signed off for",
        subject="Intravenous Therapy and Vascular Access Device Management Passport (Adults)",
        centre_name="Leeds Teaching Hospitals NHS Trust, St James's University Hospital",
        signature=CertificateSignature(
            when_label="Signed off on", when=datetime.date(2026, 12, 3), signer="Priya Raman-Wolstenholme"
        ),
        document_title="Certificate",
        details_heading=("Module", "Completed"),
        details=[
            (f"Module {number} with a fairly long title", datetime.date(2026, 11, number)) for number in range(1, 13)
        ],
    )
    document = pdf_document(certificate_pdf_html(content))
    assert len(document.pages) == 1
    text = pdf_text(document)
    for expected in (
        settings.SERVICE_NAME,
        "Bartholomew Featherstonehaugh",
        "Signed off by Priya Raman-Wolstenholme",
        "Signed off on 3 December 2026",
        "Module 12 with a fairly long title",
        "7KQ4-M2XD-9PRT",
    ):
        assert expected in text, expected
    write_certificate_pdf("worst-case", document.write_pdf())

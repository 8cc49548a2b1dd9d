"""P9 public certificate verification: no login, only the five public facts, clear answers
for an unknown or revoked code, and a light rate limit."""

import pytest
from django.urls import reverse

from centres.roles import Role
from passports.tests.factories import enrolment_build, framework_version_build
from passports.tests.test_certificates import certificate_issue
from reporting.verify import RATE_LIMIT
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    centre = CentreFactory(name="Leeds Teaching Hospitals NHS Trust", email="learning@ltht.nhs.example")
    version = framework_version_build(name="IV Therapy Passport", sections=1, per_section=2)
    learner = MembershipFactory(
        centre=centre,
        user__first_name="Oliver",
        user__last_name="Bennett",
        user__email="oliver.bennett@ltht.nhs.example",
        centre_email="o.bennett@ward.nhs.example",
        prn="PRN-SECRET-1",
    )
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR, user__first_name="Priya", user__last_name="Raman")
    enrolment = enrolment_build(centre=centre, version=version, learner=learner, educator=educator)
    return certificate_issue(enrolment)


def page(code):
    return reverse("verify:certificate", kwargs={"verification_code": code})


def test_valid_certificate_shows_only_the_public_facts(client, certificate):
    response = client.get(page(certificate.code))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in [
        "Valid certificate",
        "Oliver Bennett",
        "IV Therapy Passport",
        "Leeds Teaching Hospitals NHS Trust",
    ]:
        assert expected in html
    enrolment = certificate.enrolment
    membership = enrolment.membership
    for private in [
        membership.delegate_number,
        membership.user.email,
        membership.centre_email,
        "@",  # no email address at all
        "PRN-SECRET-1",
        "Priya",  # the educator is not named publicly
        "Proficiency 1.1",
        str(enrolment.public_id),
        str(membership.public_id),
        enrolment.centre.code,
    ]:
        assert private not in html, private
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_code_typed_in_any_case_with_spaces_is_found(client, certificate):
    response = client.get(reverse("verify:form"), {"code": " 7kq4 m2xd-9prt "})
    assert response.status_code == 302
    assert response["Location"] == page("7KQ4-M2XD-9PRT")
    assert client.get(page("7kq4m2xd9prt")).status_code == 200


def test_revoked_certificate_says_so(client, certificate):
    certificate.revoked_at = certificate.issued_at.replace(year=2031, month=2, day=3)
    certificate.save()
    html = client.get(page(certificate.code)).content.decode()
    assert "Certificate revoked" in html
    assert "Revoked on 3 February 2031" in html
    assert "Valid certificate" not in html


def test_unknown_code_is_a_clear_404(client, certificate):
    response = client.get(page("ZZZZ-ZZZZ-ZZZZ"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Certificate not found" in html
    assert "Oliver" not in html


def test_form_explains_a_missing_or_malformed_code(client):
    response = client.get(reverse("verify:form"))
    assert response.status_code == 200
    assert "Check a certificate" in response.content.decode()
    for value, message in [("", "Enter the verification code"), ("<b>", "letters and numbers")]:
        response = client.get(reverse("verify:form"), {"code": value})
        html = response.content.decode()
        assert response.status_code == 400
        assert "<title>Error: " in html
        assert message in html


def test_look_ups_are_rate_limited_per_address(client, certificate):
    for _ in range(RATE_LIMIT):
        assert client.get(page("ABCD-EFGH-JKLM")).status_code == 404
    assert client.get(page(certificate.code)).status_code == 429
    assert client.get(reverse("verify:form"), {"code": certificate.code}).status_code == 429
    other = client.get(page(certificate.code), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_works_when_logged_in_at_another_centre(client, login_as, certificate):
    member = MembershipFactory(role=Role.CENTRE_MANAGER)
    login_as(member.user, member.centre)
    assert client.get(page(certificate.code)).status_code == 200

"""R4: the new-referral email goes to the combination the register configures, once per
address, with no patient details unless the register asks for the name."""

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from notifications.models import OutboundEmail
from referrals.models import Referral, Register
from referrals.tests.factories import register_build, register_person
from referrals.tests.test_referral_create import valid_post
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

URL = reverse("referrals:create")


@pytest.fixture
def world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Council")
    register = register_build(centres=[north, south], team_inbox="DSR.Team@inbox.nhs.example")
    return {
        "register": register,
        "north": north,
        "south": south,
        "referrer": register_person(centre=north, role=Role.REFERRER, user__email="referrer@north.nhs.example"),
    }


def configure(register, **settings):
    Register.objects.filter(pk=register.pk).update(**settings)


def new_referral_emails():
    return OutboundEmail.objects.filter(template="referrals/emails/new_referral")


def recipients() -> list[str]:
    return sorted(address for email in new_referral_emails() for address in email.to)


def test_team_inbox_only_by_default(world, login_as):
    login_as(world["referrer"], world["north"]).post(URL, valid_post())
    assert recipients() == ["dsr.team@inbox.nhs.example"]


def test_every_configured_recipient_once(world, login_as):
    register_person(centre=world["north"], role=Role.DSR_ADMIN, user__email="admin.north@north.nhs.example")
    register_person(centre=world["south"], role=Role.DSR_ADMIN, user__email="admin.south@south.nhs.example")
    register_person(
        centre=world["south"],
        role=Role.DSR_ADMIN,
        limited_to=[world["south"]],
        user__email="limited.south@south.nhs.example",
    )
    register_person(
        centre=world["south"],
        role=Role.DSR_ADMIN,
        limited_to=[world["south"], world["north"]],
        user__email="limited.both@south.nhs.example",
    )
    revoked = register_person(centre=world["north"], role=Role.DSR_ADMIN, user__email="revoked@north.nhs.example")
    revoked.role_assignments.filter(role=Role.DSR_ADMIN).update(revoked_at=timezone.now())
    register_person(centre=world["north"], role=Role.DSR_REPORTING, user__email="reporter@north.nhs.example")
    outsider = register_build(name="Other DSR", centres=[CentreFactory()])
    register_person(
        centre=outsider.organisations.get().centre, role=Role.DSR_ADMIN, user__email="other.admin@elsewhere.nhs.example"
    )
    configure(
        world["register"],
        notify_submitter=True,
        notify_administrators=True,
        notify_other_addresses=[
            "Commissioner@icb.nhs.example",
            "dsr.team@inbox.nhs.example",
            "admin.north@north.nhs.example",
        ],
    )
    login_as(world["referrer"], world["north"]).post(URL, valid_post())
    assert Referral.objects.count() == 1
    expected = [
        "admin.north@north.nhs.example",
        "admin.south@south.nhs.example",
        "commissioner@icb.nhs.example",
        "dsr.team@inbox.nhs.example",
        "limited.both@south.nhs.example",
        "referrer@north.nhs.example",
    ]
    assert recipients() == sorted(expected)
    assert new_referral_emails().count() == len(expected)  # one email each: no one sees the others


def test_nothing_when_nobody_is_configured(world, login_as):
    configure(world["register"], notify_team_inbox=False)
    login_as(world["referrer"], world["north"]).post(URL, valid_post())
    assert Referral.objects.count() == 1
    assert not new_referral_emails().exists()


def test_body_has_reference_and_link_but_no_patient_details_by_default(world, login_as):
    login_as(world["referrer"], world["north"]).post(URL, valid_post())
    referral = Referral.objects.get()
    email = new_referral_emails().get()
    text = email.subject + email.text_body + email.html_body
    assert referral.reference in email.subject
    assert reverse("referrals:detail", kwargs={"referral_id": referral.public_id}) in email.text_body
    for detail in ("Jamie", "Rivers", "9434765919", "943 476 5919", "1998", "Placement at risk"):
        assert detail not in text


def test_name_only_when_the_register_chooses_it(world, login_as):
    configure(world["register"], email_detail=Register.EmailDetail.NAME)
    login_as(world["referrer"], world["north"]).post(URL, valid_post())
    email = new_referral_emails().get()
    assert "Jamie Rivers" in email.text_body
    assert "9434765919" not in email.text_body
    assert "1998" not in email.text_body


def test_no_email_when_the_referral_is_refused(world, login_as):
    login_as(world["referrer"], world["north"]).post(URL, valid_post(nhs_number="1"))
    assert not new_referral_emails().exists()

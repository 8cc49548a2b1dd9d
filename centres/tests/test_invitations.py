"""C2: a self-registration is approved at once when the email was invited to that centre."""

import pytest
from django.urls import reverse

from centres.invitations import invitation_accept, invitation_record
from centres.models import Invitation, Membership
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _register(client, centre, email):
    return client.post(
        reverse("register", kwargs={"code": centre.code}),
        {
            "first_name": "Ina",
            "last_name": "Vited",
            "email": email,
            "job_group": "1",
            "has_prn": "no",
            "password1": "wards-and-whistles-2026",
            "password2": "wards-and-whistles-2026",
            "terms": "on",
        },
        REMOTE_ADDR="203.0.113.9",  # not one of the centre's prefixes
    )


def test_invited_email_is_approved_at_once_and_the_invitation_accepted(client, centre):
    inviter = MembershipFactory(centre=centre).user
    invitation = invitation_record(centre=centre, email="Ina.Vited@Trust.nhs.example", invited_by=inviter)
    assert invitation.email == "ina.vited@trust.nhs.example"
    assert _register(client, centre, "ina.vited@trust.NHS.example").status_code == 302
    membership = Membership.objects.get(user__email="ina.vited@trust.nhs.example")
    assert membership.is_approved
    assert membership.approved_at is not None
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_uninvited_or_invited_elsewhere_stays_pending(client, centre):
    invitation_record(centre=CentreFactory(), email="ina.vited@trust.nhs.example", invited_by=None)
    _register(client, centre, "ina.vited@trust.nhs.example")
    assert not Membership.objects.get(user__email="ina.vited@trust.nhs.example").is_approved


def test_an_accepted_invitation_is_not_used_again(centre):
    invitation_record(centre=centre, email="a@trust.nhs.example", invited_by=None)
    assert invitation_accept(centre=centre, email="A@trust.nhs.example") is True
    assert invitation_accept(centre=centre, email="a@trust.nhs.example") is False
    assert Invitation.objects.for_centre(centre).filter(accepted_at__isnull=False).count() == 1

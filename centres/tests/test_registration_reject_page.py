"""Issue 16 item 11: the reject-registration page has a back link at the top and a "Cancel"
link (not a button) beside the reject button, both back to the approvals list it is reached
from; following Cancel writes nothing."""

import re

import pytest
from django.urls import reverse

from centres.models import Membership
from centres.roles import Role
from notifications.models import OutboundEmail
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_reject_page_has_a_back_link_and_cancel_beside_the_button(client, centre, login_as):
    manager = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(manager.user, centre)
    pending = MembershipFactory(centre=centre, unapproved=True)
    url = reverse("centres:registration_reject", kwargs={"membership_id": pending.public_id})
    body = client.get(url).content.decode()
    body = re.sub(r"\s+", " ", body)
    approvals = reverse("centres:registrations")
    assert re.search(rf'<a class="nhsuk-back-link[^"]*" href="{approvals}"', body)
    group = body.split('<div class="nhsuk-button-group">')[1].split("</div>")[0]
    assert "Reject registration" in group
    assert f'<a class="nhsuk-link" href="{approvals}">Cancel</a>' in group
    assert group.index("Reject registration") < group.index(">Cancel<")
    assert group.count("<button") == 1  # Cancel is a link, not a button
    # Following Cancel changes nothing.
    assert client.get(approvals).status_code == 200
    assert Membership.objects.filter(pk=pending.pk).exists()
    assert not OutboundEmail.objects.filter(template="centres/emails/registration_rejected").exists()

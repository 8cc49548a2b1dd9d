"""Issue 16 item 11: the invitee's reject page has a back link at the top and a "Cancel" link
(not a button) beside the reject button, both back to the invitation the person came from;
following Cancel leaves the invitation pending and usable."""

import re

import pytest
from django.urls import reverse

from elearning.models import Invitation

from .invitation_helpers import invite, site_with_authoriser

pytestmark = pytest.mark.django_db


def test_reject_page_has_a_back_link_and_cancel_beside_the_button(client):
    site, authoriser = site_with_authoriser(name="Leeds Community Site")
    invitation, token = invite(site, authoriser)
    back = reverse("elearning:invitation", kwargs={"token": token})
    body = client.get(reverse("elearning:invitation_reject", kwargs={"token": token})).content.decode()
    body = re.sub(r"\s+", " ", body)
    assert re.search(rf'<a class="nhsuk-back-link[^"]*" href="{back}"', body)
    assert "Back to the invitation" in body
    group = body.split('<div class="nhsuk-button-group">')[1].split("</div>")[0]
    assert group.index("Reject invitation") < group.index(f'<a class="nhsuk-link" href="{back}">Cancel</a>')
    assert group.count("<button") == 1  # Cancel is a link, not a button
    assert client.get(back).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING

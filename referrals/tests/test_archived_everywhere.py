"""R8: an archived record is read-only everywhere. Every route that can change a referral is
tried, as its creator and as an administrator, with answers that would be valid on an active
record; nothing is written and each refusal is audited."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centres.middleware import SESSION_KEY
from centres.models import AuditEvent
from centres.roles import Role
from referrals.models import Referral
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

VALID_UPDATE = {
    "has_capacity": "yes",
    "consent_given": "yes",
    "first_name": "Changed",
    "last_name": "Name",
    "date_of_birth-day": "15",
    "date_of_birth-month": "6",
    "date_of_birth-year": "1995",
    "nhs_number": "943 476 5919",
    "condition": "ld",
    "ethnicity": "A",
    "locality": "South Staffordshire",
    "criminal_justice": "no",
    "risk": "red",
    "latest_update": "Changed after archiving",
}
VALID_OUTCOME = {
    "cetr_requested": "no",
    "laep_requested": "no",
    "notes": "Outcome after archiving",
    "summary_for_next_meeting": "Summary",
    "plan_from_meeting": "Plan",
}


def _client(user, centre) -> Client:
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    return client


@pytest.fixture
def archived():
    centre = CentreFactory()
    register_build(centres=[centre])
    creator = register_person(centre=centre, role=Role.REFERRER)
    administrator = register_person(centre=centre, role=Role.DSR_ADMIN)
    referral = ReferralFactory(
        centre=centre,
        created_by=creator,
        date_of_birth=date(1995, 6, 15),
        archived_at=timezone.now(),
        archived_by=administrator,
    )
    return referral, creator, administrator


def _state(referral: Referral) -> tuple:
    referral.refresh_from_db()
    return (
        referral.history.count(),
        referral.notes.count(),
        referral.outcomes.count(),
        referral.first_name,
        referral.risk,
        referral.archived_at,
    )


@pytest.mark.parametrize("who", ["creator", "administrator"])
@pytest.mark.parametrize(
    ("route", "data"),
    [
        ("referrals:detail", VALID_UPDATE),
        ("referrals:notes", {"body": "A note after archiving"}),
        ("referrals:outcomes", {**VALID_OUTCOME, "action": "update"}),
        ("referrals:outcomes", {**VALID_OUTCOME, "action": "archive"}),
        ("referrals:archive", {**VALID_OUTCOME, "confirm": "yes"}),
    ],
    ids=["update", "note", "outcome", "outcome-archive", "archive-confirm"],
)
def test_an_archived_referral_cannot_be_changed(archived, who, route, data):
    referral, creator, administrator = archived
    user = creator if who == "creator" else administrator
    before = _state(referral)
    refusals_before = AuditEvent.objects.filter(action="referral.refused").count()
    response = _client(user, referral.centre).post(reverse(route, kwargs={"referral_id": referral.public_id}), data)
    assert response.status_code in {200, 302, 403, 404}
    assert _state(referral) == before, f"{route} changed an archived referral"
    if response.status_code == 200:
        assert "archived" in response.content.decode().lower()
    refused = AuditEvent.objects.filter(action="referral.refused").count() - refusals_before
    # The outcome pages are for administrators: a referrer is turned away before any lookup.
    if not (who == "creator" and route in {"referrals:outcomes", "referrals:archive"}):
        assert refused >= 1, f"{route}: the refused change was not audited"


def test_an_archived_referral_can_still_be_read(archived):
    referral, creator, administrator = archived
    for user in (creator, administrator):
        response = _client(user, referral.centre).get(
            reverse("referrals:detail", kwargs={"referral_id": referral.public_id})
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert referral.last_name in body
        assert "archived" in body.lower()

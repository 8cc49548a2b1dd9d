"""S2 organisation details and S3 team notifications: Change -> one field -> Continue -> back
with a banner; bad input writes nothing."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from staffpassport.models import OrganisationContact, TeamNotification

pytestmark = pytest.mark.django_db


def test_change_a_contact_email(senior_client, trust):
    url = reverse("staffpassport:contact_change", kwargs={"contact": "hr_team", "detail": "email"})
    page = senior_client.get(url).content.decode()
    assert "HR team: email address" in page
    response = senior_client.post(url, {"value": "hr@trusta.nhs.example"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staffpassport:organisation")
    page = response.content.decode()
    assert "HR team email address changed successfully" in page
    assert "hr@trusta.nhs.example" in page
    contact = OrganisationContact.objects.for_centre(trust).get(kind="hr_team")
    assert contact.email == "hr@trusta.nhs.example"
    assert AuditEvent.objects.filter(centre=trust, action="staffpassport.contact_changed").count() == 1


@pytest.mark.parametrize(
    ("detail", "value", "message"),
    [
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("telephone", "call me", "Enter a telephone number"),
        ("name", "x" * 201, "must be 200 characters or fewer"),
    ],
)
def test_bad_contact_detail_writes_nothing(senior_client, trust, detail, value, message):
    url = reverse("staffpassport:contact_change", kwargs={"contact": "senior_responsible_owner", "detail": detail})
    response = senior_client.post(url, {"value": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<title>Error: " in page
    assert not OrganisationContact.objects.for_centre(trust).exists()


def test_unknown_contact_or_detail_is_404(senior_client):
    url = reverse("staffpassport:contact_change", kwargs={"contact": "chief_wizard", "detail": "email"})
    assert senior_client.get(url).status_code == 404
    url = reverse("staffpassport:contact_change", kwargs={"contact": "hr_team", "detail": "password"})
    assert senior_client.get(url).status_code == 404


def test_team_notifications_email_then_on_then_off(senior_client, trust):
    send_url = reverse("staffpassport:team_sending", kwargs={"team": "occupational_health"})
    response = senior_client.post(send_url, {"send_emails": "yes"})
    assert response.status_code == 400
    assert "Add an email address for Occupational health before you turn on email notifications" in (
        response.content.decode()
    )
    assert not TeamNotification.objects.for_centre(trust).filter(send_emails=True).exists()

    email_url = reverse("staffpassport:team_email", kwargs={"team": "occupational_health"})
    senior_client.post(email_url, {"team_email": "oh@trusta.nhs.example"})
    page = senior_client.get(send_url).content.decode()
    assert "Yes, send email notifications" in page
    assert "No, do not send email notifications" in page
    response = senior_client.post(send_url, {"send_emails": "yes"}, follow=True)
    assert "Occupational health weekly summary email notifications turned on" in response.content.decode()
    setting = TeamNotification.objects.for_centre(trust).get(team="occupational_health")
    assert setting.send_emails
    assert setting.email == "oh@trusta.nhs.example"

    # The address cannot be removed while the summary is on.
    response = senior_client.post(email_url, {"team_email": ""})
    assert response.status_code == 400
    assert "turn it off first" in response.content.decode()
    senior_client.post(send_url, {"send_emails": "no"})
    setting.refresh_from_db()
    assert not setting.send_emails


def test_team_sending_needs_an_answer(senior_client):
    response = senior_client.post(
        reverse("staffpassport:team_sending", kwargs={"team": "hr"}), {"send_emails": "maybe"}
    )
    assert response.status_code == 400
    assert "Select whether to send email notifications" in response.content.decode()


def test_unknown_team_is_404(senior_client):
    assert senior_client.get(reverse("staffpassport:team_email", kwargs={"team": "finance"})).status_code == 404


def test_notifications_page_lists_the_three_teams(senior_client):
    page = senior_client.get(reverse("staffpassport:notifications")).content.decode()
    for team in ("HR team", "Occupational health team", "Education and training team"):
        assert team in page


def test_turning_on_without_an_address_links_to_where_it_is_added(senior_client, trust):
    """The error page says where the address is added, with a link to that page."""
    send_url = reverse("staffpassport:team_sending", kwargs={"team": "hr"})
    email_url = reverse("staffpassport:team_email", kwargs={"team": "hr"})
    response = senior_client.post(send_url, {"send_emails": "yes"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Add an email address for HR before you turn on email notifications" in page
    assert f'<a href="{email_url}">Add the HR team email address</a>' in page
    assert not TeamNotification.objects.for_centre(trust).filter(send_emails=True).exists()
    # Once the address is there, the page says where the emails go instead.
    senior_client.post(email_url, {"team_email": "hr@trusta.nhs.example"})
    page = senior_client.get(send_url).content.decode()
    assert f'href="{email_url}"' not in page
    assert "They go to hr@trusta.nhs.example." in page


def test_removing_the_address_while_on_links_to_turning_it_off(senior_client, trust):
    send_url = reverse("staffpassport:team_sending", kwargs={"team": "hr"})
    email_url = reverse("staffpassport:team_email", kwargs={"team": "hr"})
    senior_client.post(email_url, {"team_email": "hr@trusta.nhs.example"})
    senior_client.post(send_url, {"send_emails": "yes"})
    response = senior_client.post(email_url, {"team_email": ""})
    assert response.status_code == 400
    assert f'<a href="{send_url}">turn off the HR weekly summary emails</a>' in response.content.decode()
    assert TeamNotification.objects.for_centre(trust).get(team="hr").email == "hr@trusta.nhs.example"

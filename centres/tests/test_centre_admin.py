"""Issue 12 finding 10: the Django admin's "Add centre" form dropped the notify email, the
support details and every public detail, saved an unticked "Show in directory" as ticked, and
wanted IP prefixes as JSON ("Enter a valid JSON." for `10.9., 127.0.0.`)."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent, Centre
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(platform_staff=True, is_superuser=True))
    return client


def centre_form(**overrides) -> dict:
    data = {
        "code": "wyh",
        "name": "West Yorkshire Hospice",
        "manager_name": "Rosa Lane",
        "email": "learning@wyh.example",
        "telephone": "0113 000 0000",
        "postcode": "ls9 7tf",
        "is_active": "on",
        "ip_prefixes": "10.9., 127.0.0.",
        "notify_email": "approvals@wyh.example",
        "support_details": "Ring the education team on 0113 000 0001.",
        # show_in_directory unticked: not sent, as a browser does
        "public_telephone": "0113 000 0002",
        "public_email": "hello@wyh.example",
        "opening_hours": "Monday to Friday, 9am to 5pm",
        "web_address": "https://wyh.example",
        "areas_covered": "Leeds",
        "training_venues": "The Education Centre",
    }
    data.update(overrides)
    return data


def test_add_centre_keeps_every_detail_and_an_unticked_directory_box(staff_client):
    response = staff_client.post(reverse("admin:centres_centre_add"), centre_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    centre = Centre.objects.get(code="WYH")
    assert centre.ip_prefixes == ["10.9.", "127.0.0."]
    assert centre.show_in_directory is False
    assert (centre.notify_email, centre.support_details) == (
        "approvals@wyh.example",
        "Ring the education team on 0113 000 0001.",
    )
    assert (centre.public_telephone, centre.public_email, centre.opening_hours) == (
        "0113 000 0002",
        "hello@wyh.example",
        "Monday to Friday, 9am to 5pm",
    )
    assert (centre.web_address, centre.areas_covered, centre.training_venues) == (
        "https://wyh.example",
        "Leeds",
        "The Education Centre",
    )
    assert centre.postcode == "LS9 7TF"
    assert AuditEvent.objects.filter(action="centre.created", centre=centre).exists()


def test_change_centre_shows_and_takes_comma_separated_prefixes(staff_client):
    centre = CentreFactory(ip_prefixes=["10.160.", "192.168.1."])
    url = reverse("admin:centres_centre_change", args=[centre.pk])
    assert 'value="10.160., 192.168.1."' in staff_client.get(url).content.decode()
    data = centre_form(
        code=centre.code, name=centre.name, ip_prefixes="10.9.,127.0.0.  172.16.", show_in_directory="on"
    )
    assert staff_client.post(url, data).status_code == 302
    centre.refresh_from_db()
    assert centre.ip_prefixes == ["10.9.", "127.0.0.", "172.16."]
    assert centre.show_in_directory is True
    assert staff_client.post(url, centre_form(code=centre.code, ip_prefixes="")).status_code == 302
    centre.refresh_from_db()
    assert centre.ip_prefixes == []


def test_a_bad_prefix_is_a_form_error_not_a_crash(staff_client):
    response = staff_client.post(reverse("admin:centres_centre_add"), centre_form(ip_prefixes="10.9., not-an-address"))
    assert response.status_code == 200
    assert "is not an IP prefix" in response.content.decode()
    assert "Enter a valid JSON" not in response.content.decode()
    assert not Centre.objects.filter(code="WYH").exists()


def test_a_bad_code_is_a_form_error_not_a_crash(staff_client):
    response = staff_client.post(reverse("admin:centres_centre_add"), centre_form(code="W Y"))
    assert response.status_code == 200
    assert "Enter a centre code of 2 to 20 letters" in response.content.decode()

"""Platform staff name a centre's (first) centre manager at /platform/centres/ (issue 11,
finding 2). On the old code there was no such page (help said there was): these tests
failed with 404s."""

import html

import pytest
from django.urls import reverse

from accounts.models import User
from centres.models import AuditEvent, Centre, RoleAssignment
from centres.roles import Permission, Role
from notifications.models import OutboundEmail
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(platform_staff=True, email="pat.staff@platform.nhs.example")


def _url(centre):
    return reverse("platform:centre_manager", kwargs={"centre_id": centre.public_id})


def _managers(centre) -> set:
    return set(
        RoleAssignment.objects.filter(centre=centre, role=Role.CENTRE_MANAGER, revoked_at__isnull=True).values_list(
            "user__email", flat=True
        )
    )


def test_centres_list_shows_every_centre_and_how_many_managers(client, login_as, staff):
    new = CentreFactory(name="Brand New Hospice")
    managed = CentreFactory(name="Managed Trust")
    MembershipFactory(centre=managed, role=Role.CENTRE_MANAGER)
    login_as(staff)
    page = client.get(reverse("platform:centres")).content.decode()
    assert "Brand New Hospice" in page
    assert "Managed Trust" in page
    assert "None yet" in page
    assert _url(new) in page
    searched = client.get(reverse("platform:centres"), {"search": "hospice"}).content.decode()
    assert "Brand New Hospice" in searched
    assert "Managed Trust" not in searched


def test_staff_name_the_first_centre_manager_by_email(client, login_as, staff):
    centre = CentreFactory(name="Brand New Hospice")
    person = UserFactory(email="helen.new@hospice.example", first_name="Helen", last_name="New")
    login_as(staff)
    page = client.get(_url(centre)).content.decode()
    assert "no centre manager yet" in page
    assert "<h1>Centre managers of Brand New Hospice</h1>" in page
    response = client.post(_url(centre), {"email": " Helen.New@Hospice.example "})
    assert response.status_code == 302
    assert _managers(centre) == {"helen.new@hospice.example"}
    assert person.has_perm(Permission.GRANT_ROLES.value, centre)
    event = AuditEvent.objects.get(centre=centre, action="role.granted")
    assert event.actor == staff
    assert "by platform staff" in event.summary
    assert OutboundEmail.objects.filter(to=["helen.new@hospice.example"]).exists()
    person.refresh_from_db()
    assert (person.first_name, person.email) == ("Helen", "helen.new@hospice.example")  # account untouched
    assert "Helen New (helen.new@hospice.example)" in client.get(_url(centre)).content.decode()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the email address of the person"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("nobody@nowhere.example", "No active account uses nobody@nowhere.example"),
    ],
)
def test_unknown_or_bad_email_is_explained_and_no_account_is_made(client, login_as, staff, email, message):
    centre = CentreFactory()
    login_as(staff)
    users = User.objects.count()
    response = client.post(_url(centre), {"email": email})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Error:" in page
    assert User.objects.count() == users
    assert _managers(centre) == set()


def test_staff_cannot_name_themselves(client, login_as, staff):
    centre = CentreFactory()
    login_as(staff)
    response = client.post(_url(centre), {"email": staff.email})
    assert response.status_code == 400
    assert "You cannot give yourself a role" in response.content.decode()
    assert _managers(centre) == set()


def test_naming_someone_already_manager_is_explained(client, login_as, staff):
    manager = MembershipFactory(role=Role.CENTRE_MANAGER)
    login_as(staff)
    response = client.post(_url(manager.centre), {"email": manager.user.email})
    assert response.status_code == 400
    assert "already centre manager" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CENTRE_MANAGER, Role.ADMINISTRATOR, Role.DSR_ADMIN])
def test_centre_people_cannot_use_the_platform_pages(client, login_as, role):
    member = MembershipFactory(role=role)
    other = CentreFactory()
    login_as(member.user, member.centre)
    assert client.get(reverse("platform:centres")).status_code == 403
    assert client.post(_url(other), {"email": member.user.email}).status_code == 403
    assert _managers(other) == set()


def test_unknown_centre_is_404(client, login_as, staff):
    import uuid

    login_as(staff)
    assert client.get(reverse("platform:centre_manager", kwargs={"centre_id": uuid.uuid4()})).status_code == 404


# -- issue 16 item 9: platform staff add and change centres on a page of the service -----------


def test_platform_staff_add_a_centre_with_comma_separated_ip_prefixes(client, login_as):
    staff = UserFactory(platform_staff=True)
    login_as(staff)
    data = {
        "code": "nwas",
        "name": "North West Ambulance Service",
        "ip_prefixes": "10.12., 192.168.1.",
        "notify_email": "",
        "is_active": "yes",
        "show_in_directory": "no",
    }
    response = client.post(reverse("platform:centre_add"), data)
    centre = Centre.objects.get(code="NWAS")
    assert response["Location"] == reverse("platform:centre_manager", kwargs={"centre_id": centre.public_id})
    assert centre.ip_prefixes == ["10.12.", "192.168.1."]
    assert centre.show_in_directory is False
    assert AuditEvent.objects.filter(centre=centre, action="centre.created").exists()


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"code": "x"}, "Enter a centre code of 2 to 20 letters"),
        ({"code": "LTHT"}, "A centre with the code LTHT already exists"),
        ({"name": ""}, "Enter the centre name"),
        ({"ip_prefixes": "10.12., <script>"}, "is not an IP prefix"),
        ({"is_active": "maybe"}, "Select yes if the centre is active"),
    ],
)
def test_bad_centre_details_are_refused_and_nothing_is_written(client, login_as, changes, field_message):
    CentreFactory(code="LTHT")
    login_as(UserFactory(platform_staff=True))
    data = {"code": "NEWC", "name": "New centre", "ip_prefixes": "", "is_active": "yes", "show_in_directory": "yes"}
    before = Centre.objects.count()
    response = client.post(reverse("platform:centre_add"), {**data, **changes})
    assert response.status_code == 400
    assert field_message in html.unescape(response.content.decode())
    assert Centre.objects.count() == before


def test_platform_staff_change_a_centre_and_it_is_audited(client, login_as):
    centre = CentreFactory(code="LTHT", name="Leeds", ip_prefixes=["10.1."])
    login_as(UserFactory(platform_staff=True))
    url = reverse("platform:centre_edit", kwargs={"centre_id": centre.public_id})
    page = client.get(url).content.decode()
    assert 'value="10.1."' in page
    response = client.post(
        url,
        {
            "name": "Leeds Teaching Hospitals",
            "ip_prefixes": "10.1., 10.2.",
            "is_active": "yes",
            "show_in_directory": "yes",
        },
    )
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.name == "Leeds Teaching Hospitals"
    assert centre.ip_prefixes == ["10.1.", "10.2."]
    assert centre.code == "LTHT"
    event = AuditEvent.objects.get(centre=centre, action="centre.changed")
    assert "name" in event.summary
    assert "ip prefixes" in event.summary


def test_centre_pages_are_platform_staff_only(client, login_as):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    login_as(manager.user, centre)
    assert client.get(reverse("platform:centre_add")).status_code == 403
    assert client.get(reverse("platform:centre_edit", kwargs={"centre_id": centre.public_id})).status_code == 403

"""C7 My account: a person edits their own name and delegate record at the current centre."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent, JobGroup, RegistrationPrompt
from centres.roles import Role
from centres.services.accounts import account_details_update
from centres.services.details import prn_problem
from centres.services.errors import CentreServiceError
from tests.factories import MembershipFactory, UserFactory, grant_role

pytestmark = pytest.mark.django_db

URL = "/account/"


@pytest.fixture
def member(centre):
    RegistrationPrompt.objects.create(
        centre=centre, position=1, text="Ward", is_mandatory=True, options=["Ward 1", "Ward 2"]
    )
    RegistrationPrompt.objects.create(centre=centre, position=3, text="Line manager", is_mandatory=False)
    return MembershipFactory(centre=centre, user=UserFactory(first_name="Asha", last_name="Patel"))


def valid(**overrides) -> dict:
    data = {
        "first_name": "Asha",
        "last_name": "Patel-Jones",
        "job_group": "5",
        "answer1": "Ward 2",
        "answer3": "Sam Lee",
        "centre_email": "asha.patel@work.nhs.example",
        "has_prn": "yes",
        "prn": "12A3456E",
    }
    data.update(overrides)
    return data


def test_url_is_account():
    assert reverse("my_account:details") == URL
    assert reverse("my_account:notifications") == "/account/notifications/"


def test_page_shows_current_details_and_links(client, login_as, member):
    member.answer1 = "Ward 1"
    member.save()
    login_as(member.user, member.centre)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>My account" in page
    assert 'value="Asha"' in page
    assert member.delegate_number in page
    assert "Ward" in page
    assert "Line manager (optional)" in page
    assert 'href="/accounts/password/change/"' in page
    assert 'href="/account/notifications/"' in page
    # The header offers My account next to Change password.
    assert page.count('href="/account/"') >= 1


def test_saving_updates_user_and_membership_and_audits(client, login_as, member):
    login_as(member.user, member.centre)
    response = client.post(URL, valid())
    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.user.last_name == "Patel-Jones"
    assert member.job_group == JobGroup.objects.get(pk=5)
    assert (member.answer1, member.answer3) == ("Ward 2", "Sam Lee")
    assert (member.has_prn, member.prn) == (True, "12A3456E")
    assert member.centre_email == "asha.patel@work.nhs.example"
    event = AuditEvent.objects.get(action="account.details_changed")
    assert event.centre == member.centre
    assert event.actor == member.user
    assert "name" in event.summary
    assert "Your details have been saved." in client.get(URL).content.decode()


def test_no_prn_means_no_number(client, login_as, member):
    member.has_prn, member.prn = True, "OLD-PRN-1"
    member.save()
    login_as(member.user, member.centre)
    response = client.post(URL, valid(has_prn="no", prn="OLD-PRN-1"))
    assert response.status_code == 400
    assert "Remove the professional registration number, or select Yes" in response.content.decode()
    assert client.post(URL, valid(has_prn="no", prn="")).status_code == 302
    member.refresh_from_db()
    assert (member.has_prn, member.prn) == (False, "")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "Enter your first name"),
        ({"last_name": "x" * 251}, "Last name must be 250 characters or fewer"),
        ({"job_group": ""}, "Select your job group"),
        ({"job_group": "999"}, "Select a job group from the list"),
        ({"answer1": ""}, "Answer “Ward”"),
        ({"answer1": "Ward 9"}, "Select one of the answers listed for “Ward”"),
        ({"answer3": "x" * 101}, "Answer to “Line manager” must be 100 characters or fewer"),
        ({"has_prn": ""}, "Select whether you have a professional registration number"),
        ({"has_prn": "maybe"}, "Select Yes or No"),
        ({"prn": ""}, "Enter your professional registration number"),
        ({"prn": "AB1"}, "must be 5 to 20 letters, numbers or hyphens"),
        ({"prn": "AB 12345"}, "must be 5 to 20 letters, numbers or hyphens"),
        ({"prn": "A" * 21}, "must be 5 to 20 letters, numbers or hyphens"),
        ({"centre_email": "not an email"}, "Enter your centre email address in the right format"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, login_as, member, overrides, message):
    login_as(member.user, member.centre)
    before = (member.user.last_name, member.answer1, member.prn)
    response = client.post(URL, valid(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<title>Error: My account" in page
    assert "There is a problem" in page
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.user.last_name, member.answer1, member.prn) == before
    assert not AuditEvent.objects.filter(action="account.details_changed").exists()


def test_the_service_enforces_the_rules_too(member):
    arguments = {
        "user": member.user,
        "centre": member.centre,
        "first_name": "Asha",
        "last_name": "Patel",
        "job_group": JobGroup.objects.get(pk=1),
        "answers": {1: "Ward 1"},
        "has_prn": False,
        "prn": "",
    }
    assert account_details_update(**arguments) == ["PRN", "registration answers"]
    with pytest.raises(CentreServiceError, match="Remove the professional registration number"):
        account_details_update(**{**arguments, "prn": "ABC12345"})
    with pytest.raises(CentreServiceError, match="Select one of the answers listed"):
        account_details_update(**{**arguments, "answers": {1: "Ward 7"}})
    with pytest.raises(CentreServiceError, match="Answer “Ward”"):
        account_details_update(**{**arguments, "answers": {}})
    with pytest.raises(CentreServiceError, match="Enter your first name"):
        account_details_update(**{**arguments, "first_name": "  "})


@pytest.mark.parametrize(
    ("has_prn", "prn", "ok"),
    [
        (True, "12345", True),
        (True, "ABC-123-xyz", True),
        (True, "A" * 20, True),
        (True, "1234", False),
        (True, "A" * 21, False),
        (True, "AB_123", False),
        (True, "", False),
        (False, "", True),
        (False, "12345", False),
        (None, "", False),
    ],
)
def test_prn_rules(has_prn, prn, ok):
    assert (prn_problem(has_prn=has_prn, prn=prn) is None) is ok


def test_only_the_current_centres_record_changes(client, login_as, member):
    elsewhere = MembershipFactory(user=member.user, job_group=JobGroup.objects.get(pk=1))
    login_as(member.user, member.centre)
    assert client.post(URL, valid()).status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.job_group_id == 1
    assert elsewhere.centre_email == ""


def test_role_without_a_delegate_record_edits_only_the_name(client, login_as, centre):
    person = UserFactory(first_name="Rui", last_name="Costa")
    grant_role(person, centre, Role.AUTHORISER)
    login_as(person, centre)
    page = client.get(URL).content.decode()
    assert "Job group" not in page
    assert client.post(URL, {"first_name": "Rui", "last_name": "Costa Silva"}).status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Costa Silva"


def test_needs_login_and_a_current_centre(client, login_as):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
    staff = UserFactory(platform_staff=True)
    login_as(staff)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/choose-centre/")

"""C6 delegate list and export, C7 delegate details/edit/deactivate/delete, PRN visibility."""

import datetime
import html
import io
import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from centres.models import AuditEvent, JobGroup, Membership, RegistrationPrompt, RegistrationType
from centres.roles import ROLE_PERMISSIONS, Permission, Role
from centres.selectors.delegates import delegates_annotated
from centres.selectors.memberships import active_roles
from centres.services.delegates import delegate_email_change_blocker, delegate_update
from centres.services.errors import CentreServiceError, DelegateEmailTakenError
from reporting.excel import WIDTH_SAMPLE_ROWS, escape_text, workbook_write
from reporting.models import ReportJob
from reporting.services import report_job_run
from tests.factories import CentreFactory, MembershipFactory, UserFactory, grant_role

pytestmark = pytest.mark.django_db

LIST_URL = reverse("centres:delegate_list")
EXPORT_URL = reverse("centres:delegate_export")


def url(name, membership):
    return reverse(f"centres:{name}", kwargs={"membership_id": membership.public_id})


def person(centre, first, last, email=None, **kwargs):
    user_kwargs = {"first_name": first, "last_name": last}
    if email:
        user_kwargs["email"] = email
    if kwargs.pop("unclaimed", False):
        user_kwargs["unclaimed"] = True
    return MembershipFactory(centre=centre, user=UserFactory(**user_kwargs), **kwargs)


@pytest.fixture
def centre():
    return CentreFactory(code="LTHT", name="Leeds Teaching Hospitals")


@pytest.fixture
def admin(centre, role_member):
    return role_member(centre, Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(admin, centre, login_as):
    return login_as(admin.user, centre)


@pytest.fixture
def prompts(centre):
    return [
        RegistrationPrompt.objects.create(
            centre=centre, position=1, text="Ward", is_mandatory=True, options=["Ward 1", "Ward 2"]
        ),
        RegistrationPrompt.objects.create(centre=centre, position=3, text="Employee number"),
    ]


def body(response) -> str:
    return response.content.decode()


def card_names(response) -> list[str]:
    """The delegate names in list order (the card heading links)."""
    return re.findall(r'<h3 class="nhsuk-card__heading[^"]*">\s*<a href="[^"]+">([^<]+)</a>', body(response))


# -- permissions and tenancy ------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, Role.ASSESSOR, Role.EDUCATOR, Role.AUTHORISER])
def test_roles_without_manage_delegates_are_refused(centre, role_member, login_as, role):
    member = role_member(centre, role)
    target = MembershipFactory(centre=centre)
    client = login_as(member.user, centre)
    for address in (
        LIST_URL,
        EXPORT_URL,
        url("delegate_detail", target),
        url("delegate_edit", target),
        url("delegate_deactivate", target),
        url("delegate_delete", target),
    ):
        assert client.get(address).status_code == 403, address
    assert client.post(EXPORT_URL).status_code == 403
    assert client.post(url("delegate_deactivate", target)).status_code == 403
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CENTRE_MANAGER])
def test_administrators_and_centre_managers_see_the_list_and_the_menu_item(centre, role_member, login_as, role):
    member = role_member(centre, role)
    response = login_as(member.user, centre).get(LIST_URL)
    assert response.status_code == 200
    assert f'href="{LIST_URL}"' in body(response)


def test_menu_item_hidden_from_educators(centre, role_member, login_as):
    educator = role_member(centre, Role.EDUCATOR)
    assert f'href="{LIST_URL}"' not in body(login_as(educator.user, centre).get("/"))


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_centres_delegates_are_not_found(admin_client):
    other = MembershipFactory(centre=CentreFactory(name="Bravo Hospital"), user=UserFactory(last_name="Elsewhere"))
    assert "Elsewhere" not in body(admin_client.get(LIST_URL))
    assert card_names(admin_client.get(LIST_URL + "?q=Elsewhere")) == []
    assert other.delegate_number not in body(admin_client.get(LIST_URL + "?q=Elsewhere"))
    for name in ("delegate_detail", "delegate_edit", "delegate_deactivate", "delegate_reactivate", "delegate_delete"):
        assert admin_client.get(url(name, other)).status_code == 404, name
    response = admin_client.post(url("delegate_edit", other), {"first_name": "Hacked", "last_name": "X"})
    assert response.status_code == 404
    assert admin_client.post(url("delegate_deactivate", other)).status_code == 404
    assert admin_client.post(url("delegate_delete", other)).status_code == 404
    other.refresh_from_db()
    assert other.is_active
    assert other.user.last_name == "Elsewhere"


def test_malformed_and_unknown_ids_give_404(admin_client):
    assert admin_client.get("/centre/delegates/not-a-uuid/").status_code == 404
    assert admin_client.get("/centre/delegates/12345/edit/").status_code == 404
    assert admin_client.get(f"/centre/delegates/{uuid.uuid4()}/").status_code == 404


# -- the list: search, filters, sort, paging, states ----------------------------------------


def test_cards_show_status_tags_and_actions(centre, admin_client):
    unclaimed = person(centre, "Una", "Claimed", unclaimed=True, registration_type=RegistrationType.SELF)
    inactive = person(centre, "Ina", "Active", inactive=True)
    response = admin_client.get(LIST_URL + "?q=Claimed")
    page = body(response)
    assert card_names(response) == ["Claimed, Una"]
    assert "No password yet" in page
    assert "Self-registered" in page
    assert ">Active<" in page
    assert url("delegate_edit", unclaimed) in page
    assert url("delegate_deactivate", unclaimed) in page

    page = body(admin_client.get(LIST_URL + "?q=Ina"))
    assert ">Inactive<" in page
    assert url("delegate_reactivate", inactive) in page
    assert "Password set" in page


def test_admin_tag_for_administrators_and_centre_managers(centre, admin, admin_client):
    page = body(admin_client.get(LIST_URL + f"?q={admin.delegate_number}"))
    assert ">Admin<" in page
    learner = person(centre, "Lena", "Learner")
    assert ">Admin<" not in body(admin_client.get(LIST_URL + f"?q={learner.delegate_number}"))


def test_search_by_name_email_and_delegate_number(centre, admin_client):
    grace = person(centre, "Grace", "Okafor", email="grace.okafor@ltht.nhs.example")
    person(centre, "Graham", "Smith", email="g.smith@ltht.nhs.example")
    assert card_names(admin_client.get(LIST_URL + "?q=okafor")) == ["Okafor, Grace"]
    assert card_names(admin_client.get(LIST_URL + "?q=Grace+Okafor")) == ["Okafor, Grace"]
    assert card_names(admin_client.get(LIST_URL + "?q=g.smith@")) == ["Smith, Graham"]
    assert card_names(admin_client.get(LIST_URL + f"?q={grace.delegate_number.lower()}")) == ["Okafor, Grace"]
    # Both match "gra"; the centre's administrator has a random (Faker) name that may too.
    found = card_names(admin_client.get(LIST_URL + "?q=gra"))
    assert {"Okafor, Grace", "Smith, Graham"} <= set(found)
    assert all("gra" in name.lower() for name in found)


def test_filters(centre, admin, admin_client, prompts):
    nursing = JobGroup.objects.get(pk=2)
    a = person(centre, "Amy", "Alpha", job_group=nursing, answer1="Ward 2")
    b = person(centre, "Ben", "Bravo", unclaimed=True, registration_type=RegistrationType.SELF, is_approved=False)
    c = person(centre, "Cat", "Charlie", inactive=True)

    def names(query):
        return set(card_names(admin_client.get(LIST_URL + "?" + query)))

    admin_name = f"{admin.user.last_name}, {admin.user.first_name}"
    assert names("password=not_set") == {"Bravo, Ben"}
    assert "Alpha, Amy" in names("password=set")
    assert "Bravo, Ben" not in names("password=set")
    managers = Membership.objects.for_centre(centre).filter(
        user__role_assignments__role__in=[Role.ADMINISTRATOR, Role.CENTRE_MANAGER]
    )
    assert names("admin=yes") == {f"{m.user.last_name}, {m.user.first_name}" for m in managers}
    assert admin_name in names("admin=yes")
    assert admin_name not in names("admin=no")
    assert names(f"job_group={nursing.pk}") == {"Alpha, Amy"}
    assert names("active=inactive") == {"Charlie, Cat"}
    assert "Charlie, Cat" not in names("active=active")
    assert names("approved=no") == {"Bravo, Ben"}
    assert names("registration_type=self") == {"Bravo, Ben"}
    assert names("answer1=Ward+2") == {"Alpha, Amy"}
    assert names("answer1=Ward+2&job_group=2&active=active&password=set") == {"Alpha, Amy"}
    assert names("answer1=Ward+2&active=inactive") == set()
    # Only prompts with options get a filter; the free-text prompt has none.
    page = body(admin_client.get(LIST_URL))
    assert 'name="answer1"' in page
    assert 'name="answer3"' not in page
    assert {a.pk, b.pk, c.pk} <= set(Membership.objects.for_centre(centre).values_list("pk", flat=True))


def test_invalid_filter_values_are_ignored(centre, admin_client):
    person(centre, "Amy", "Alpha")
    response = admin_client.get(LIST_URL + "?job_group=abc&active=maybe&sort=chaos&page=999&answer4=x")
    assert response.status_code == 200
    assert "Alpha, Amy" in card_names(response)


def test_sort_by_name_and_by_registration_date(centre, admin, admin_client):
    person(centre, "Zed", "Zulu")
    person(centre, "Abe", "Able")
    middle = person(centre, "Mo", "Mike")
    Membership.objects.filter(pk=middle.pk).update(created_at=timezone.now() + timezone.timedelta(days=1))
    by_name = card_names(admin_client.get(LIST_URL))
    assert by_name == sorted(by_name, key=str.lower)
    by_date = card_names(admin_client.get(LIST_URL + "?sort=registered"))
    assert by_date[0] == "Mike, Mo"
    assert by_date[1] == "Able, Abe"  # registered after Zulu


def test_paging_keeps_the_search_and_filters(centre, admin_client):
    MembershipFactory.create_batch(30, centre=centre, user__last_name="Pager")
    response = admin_client.get(LIST_URL + "?q=Pager&active=active")
    page = body(response)
    assert len(card_names(response)) == 25
    assert "30 delegates match" in page
    assert "?q=Pager&amp;active=active&amp;page=2" in page
    second = admin_client.get(LIST_URL + "?q=Pager&active=active&page=2")
    assert len(card_names(second)) == 5


def test_empty_centre_and_no_results_states(centre, login_as):
    manager = UserFactory()
    grant_role(manager, centre, Role.CENTRE_MANAGER)  # platform-granted: no delegate record
    client = login_as(manager, centre)
    assert "No delegates are registered at Leeds Teaching Hospitals yet" in body(client.get(LIST_URL))
    person(centre, "Amy", "Alpha")
    page = body(client.get(LIST_URL + "?q=nobody-like-this&active=inactive"))
    assert "No delegates match your search" in page
    assert "Status: Inactive" in page


def _list_query_count(client, query="") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL + query)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_the_number_of_delegates(centre, admin_client, prompts):
    MembershipFactory.create_batch(5, centre=centre)
    few = _list_query_count(admin_client)
    few_filtered = _list_query_count(admin_client, "?password=set&admin=no&answer1=Ward+1&sort=registered")
    MembershipFactory.create_batch(195, centre=centre)
    grant_role(Membership.objects.for_centre(centre).last().user, centre, Role.ADMINISTRATOR)
    assert _list_query_count(admin_client) == few
    assert _list_query_count(admin_client, "?password=set&admin=no&answer1=Ward+1&sort=registered") == few_filtered
    assert few <= 12


def test_annotations_match_the_python_answers(centre, admin):
    person(centre, "Una", "Claimed", unclaimed=True)
    for membership in delegates_annotated(centre=centre):
        assert membership.password_set == membership.user.has_usable_password()
        assert membership.is_admin == bool(
            active_roles(user=membership.user, centre=centre) & {Role.ADMINISTRATOR, Role.CENTRE_MANAGER}
        )


# -- details and PRN ---------------------------------------------------------------------------


def test_detail_shows_the_record_and_prn_to_administrators(centre, admin_client, prompts):
    delegate = person(centre, "Pat", "Prn", has_prn=True, prn="NMC-12A3456", answer1="Ward 1")
    page = body(admin_client.get(url("delegate_detail", delegate)))
    assert "Pat Prn" in page
    assert "NMC-12A3456" in page
    assert "Ward 1" in page
    assert "Employee number" in page


def test_prn_hidden_without_view_prn(centre, admin, admin_client, prompts, monkeypatch):
    """Someone who may manage delegates but not see PRNs (the permission alone decides): a
    role set that has one without the other (no role in today's table does)."""
    without_prn = ROLE_PERMISSIONS[Role.ADMINISTRATOR] - {Permission.VIEW_PRN}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.ADMINISTRATOR, without_prn)
    delegate = person(centre, "Pat", "Prn", has_prn=True, prn="NMC-12A3456")
    assert "NMC-12A3456" not in body(admin_client.get(url("delegate_detail", delegate)))
    edit_page = body(admin_client.get(url("delegate_edit", delegate)))
    assert "NMC-12A3456" not in edit_page
    assert 'name="prn"' not in edit_page
    # Posting a PRN anyway changes nothing.
    response = admin_client.post(url("delegate_edit", delegate), edit_data(delegate, has_prn="no", prn=""))
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert delegate.has_prn is True
    assert delegate.prn == "NMC-12A3456"
    workbook = load_workbook(io.BytesIO(exported(admin_client).content))
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "PRN" not in cells
    assert "NMC-12A3456" not in cells


def test_assessors_never_see_a_prn(centre, role_member, login_as):
    assessor = role_member(centre, Role.ASSESSOR)
    delegate = person(centre, "Pat", "Prn", has_prn=True, prn="NMC-12A3456")
    client = login_as(assessor.user, centre)
    for address in (LIST_URL, EXPORT_URL, url("delegate_detail", delegate), url("delegate_edit", delegate), "/"):
        response = client.get(address) if address != EXPORT_URL else client.post(address)
        assert "NMC-12A3456" not in body(response) if response.get("Content-Type", "").startswith("text") else True
        assert response.status_code in (200, 403)
        if address != "/":
            assert response.status_code == 403


# -- edit -------------------------------------------------------------------------------------


def edit_data(membership, **changes) -> dict:
    data = {
        "first_name": membership.user.first_name,
        "last_name": membership.user.last_name,
        "email": membership.user.email,
        "centre_email": membership.centre_email,
        "job_group": str(membership.job_group_id),
        "has_prn": {True: "yes", False: "no"}.get(membership.has_prn, ""),
        "prn": membership.prn,
        "answer1": "Ward 1",
        "answer3": "",
    }
    data.update(changes)
    return data


def test_edit_saves_account_and_centre_details_and_audits(centre, admin, admin_client, prompts):
    delegate = person(centre, "Ann", "Old", email="ann.old@ltht.nhs.example")
    form_page = body(admin_client.get(url("delegate_edit", delegate)))
    assert 'value="ann.old@ltht.nhs.example"' in form_page
    response = admin_client.post(
        url("delegate_edit", delegate),
        edit_data(
            delegate,
            first_name="Anne",
            last_name="New",
            email="Anne.New@LTHT.nhs.example",
            centre_email="anne@ward.example",
            job_group="5",
            answer1="Ward 2",
            answer3="E123",
            has_prn="yes",
            prn="GMC-1234567",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == url("delegate_detail", delegate)
    delegate.refresh_from_db()
    delegate.user.refresh_from_db()
    assert (delegate.user.first_name, delegate.user.last_name) == ("Anne", "New")
    assert delegate.user.email == "anne.new@ltht.nhs.example"
    assert delegate.centre_email == "anne@ward.example"
    assert delegate.job_group_id == 5
    assert (delegate.answer1, delegate.answer3) == ("Ward 2", "E123")
    assert (delegate.has_prn, delegate.prn) == (True, "GMC-1234567")
    address = EmailAddress.objects.get(user=delegate.user)
    assert (address.email, address.primary, address.verified) == ("anne.new@ltht.nhs.example", True, False)
    event = AuditEvent.objects.get(action="membership.updated")
    assert event.actor == admin.user
    assert event.centre == centre
    assert event.target_id == str(delegate.public_id)
    assert "email address" in event.summary
    assert "GMC-1234567" not in event.summary
    assert "details have been saved" in body(admin_client.get(response["Location"]))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"has_prn": "yes", "prn": "1234"}, "5 to 20 letters, numbers or hyphens"),
        ({"has_prn": "yes", "prn": "ABC 12345"}, "5 to 20 letters, numbers or hyphens"),
        ({"has_prn": "yes", "prn": "A" * 21}, "5 to 20 letters, numbers or hyphens"),
        ({"has_prn": "yes", "prn": ""}, "Enter your professional registration number"),
        ({"has_prn": "no", "prn": "NMC-12345"}, "Remove the professional registration number, or select Yes"),
        ({"has_prn": "maybe"}, "Select Yes or No"),
        ({"job_group": "999"}, "Select a job group from the list"),
        ({"job_group": ""}, "Select a job group"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"email": ""}, "Enter the delegate's email address"),
        ({"first_name": ""}, "Enter the delegate's first name"),
        ({"answer1": ""}, "Answer “Ward”"),
        ({"answer1": "Ward 9"}, "Select one of the answers listed for “Ward”"),
        ({"answer3": "x" * 101}, "100 characters or fewer"),
    ],
)
def test_edit_refuses_bad_input_and_writes_nothing(centre, admin_client, prompts, changes, message):
    delegate = person(centre, "Ann", "Old", answer1="Ward 1")
    before = Membership.objects.filter(pk=delegate.pk).values().get()
    response = admin_client.post(
        url("delegate_edit", delegate), edit_data(delegate, **({"first_name": "Changed"} | changes))
    )
    assert response.status_code == 400
    page = body(response)
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert message in html.unescape(page)
    assert Membership.objects.filter(pk=delegate.pk).values().get() == before
    delegate.user.refresh_from_db()
    assert delegate.user.first_name == "Ann"
    assert not AuditEvent.objects.filter(action="membership.updated").exists()


def test_edit_refuses_an_email_address_another_account_uses(centre, admin_client):
    delegate = person(centre, "Ann", "Old", email="ann@ltht.nhs.example")
    UserFactory(email="taken@elsewhere.example")
    response = admin_client.post(url("delegate_edit", delegate), edit_data(delegate, email="TAKEN@elsewhere.example"))
    assert response.status_code == 400
    assert "taken@elsewhere.example is already used by another account" in body(response)
    delegate.user.refresh_from_db()
    assert delegate.user.email == "ann@ltht.nhs.example"
    assert EmailAddress.objects.get(user=delegate.user).email == "ann@ltht.nhs.example"


def test_update_service_enforces_the_rules_itself(centre, admin, prompts):
    delegate = person(centre, "Ann", "Old")
    base = {
        "membership": delegate,
        "updated_by": admin.user,
        "first_name": "Ann",
        "last_name": "Old",
        "email": delegate.user.email,
        "job_group": delegate.job_group,
        "answers": {1: "Ward 1"},
        "has_prn": False,
        "prn": "",
    }
    bad = [
        {"has_prn": True, "prn": ""},
        {"has_prn": False, "prn": "NMC-12345"},
        {"has_prn": True, "prn": "no spaces!"},
        {"answers": {1: "Ward 7"}},
        {"answers": {}},
        {"job_group": None},
        {"first_name": " "},
    ]
    for changes in bad:
        with pytest.raises(CentreServiceError):
            delegate_update(**(base | changes))
    delegate_update(**(base | {"has_prn": True, "prn": "ab-12345"}))
    delegate.refresh_from_db()
    assert delegate.prn == "ab-12345"


# -- deactivate, reactivate, delete -----------------------------------------------------------


def test_deactivate_and_reactivate_with_confirmation(centre, admin, admin_client):
    delegate = person(centre, "Dee", "Active")
    page = body(admin_client.get(url("delegate_deactivate", delegate)))
    assert "Deactivate Dee Active?" in page
    delegate.refresh_from_db()
    assert delegate.is_active  # a GET only asks

    response = admin_client.post(url("delegate_deactivate", delegate))
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert not delegate.is_active
    assert AuditEvent.objects.filter(action="membership.deactivated", target_id=str(delegate.public_id)).exists()
    assert "Dee Active has been deactivated" in body(admin_client.get(response["Location"]))

    # Deactivating twice explains rather than failing.
    assert "already inactive" in body(admin_client.get(url("delegate_deactivate", delegate)))
    admin_client.post(url("delegate_deactivate", delegate))
    assert AuditEvent.objects.filter(action="membership.deactivated").count() == 1

    admin_client.post(url("delegate_reactivate", delegate))
    delegate.refresh_from_db()
    assert delegate.is_active
    event = AuditEvent.objects.get(action="membership.reactivated")
    assert event.actor == admin.user


def test_nobody_deactivates_their_own_record(admin, admin_client):
    response = admin_client.post(url("delegate_deactivate", admin), follow=True)
    assert "You cannot deactivate your own record" in body(response)
    admin.refresh_from_db()
    assert admin.is_active


def test_unused_records_can_be_deleted(centre, admin_client):
    delegate = person(centre, "Una", "Used", unclaimed=True)
    user_pk = delegate.user.pk
    assert "Delete this unused record" in body(admin_client.get(url("delegate_detail", delegate)))
    assert "Delete Una Used" in body(admin_client.get(url("delegate_delete", delegate)))
    response = admin_client.post(url("delegate_delete", delegate))
    assert response["Location"] == LIST_URL
    assert not Membership.objects.filter(pk=delegate.pk).exists()
    assert not User.objects.filter(pk=user_pk).exists()
    assert AuditEvent.objects.filter(action="membership.deleted", target_id=str(delegate.public_id)).exists()


def test_unused_record_keeps_an_account_used_at_another_centre(centre, admin_client):
    delegate = person(centre, "Una", "Used", unclaimed=True)
    MembershipFactory(user=delegate.user, centre=CentreFactory())
    admin_client.post(url("delegate_delete", delegate))
    assert not Membership.objects.filter(pk=delegate.pk).exists()
    assert User.objects.filter(pk=delegate.user.pk).exists()


@pytest.mark.parametrize("used", ["password", "logged_in"])
def test_used_records_are_never_deleted(centre, admin_client, used):
    delegate = person(centre, "Uma", "Used", unclaimed=used != "password")
    if used == "logged_in":
        User.objects.filter(pk=delegate.user.pk).update(last_login=timezone.now())
    assert "You cannot delete this record" in body(admin_client.get(url("delegate_detail", delegate)))
    page = body(admin_client.get(url("delegate_delete", delegate)))
    assert "You cannot delete this record" in page
    assert "Deactivate it instead" in page
    assert 'type="submit"' not in page.split("<main", 1)[1]
    response = admin_client.post(url("delegate_delete", delegate))
    assert response.status_code == 302
    assert Membership.objects.filter(pk=delegate.pk).exists()
    assert not AuditEvent.objects.filter(action="membership.deleted").exists()


# -- export -----------------------------------------------------------------------------------


def exported(client, query: str = ""):
    """Ask for the export (a report job), run the job as the worker would, download it."""
    response = client.post(EXPORT_URL + query)
    assert response.status_code == 302
    job = ReportJob.objects.get(public_id=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    report_job_run(job_id=job.pk)
    download = client.get(reverse("reporting:download", kwargs={"job_id": job.public_id}))
    response = HttpResponse(b"".join(download.streaming_content), content_type=download["Content-Type"])
    response["Content-Disposition"] = download["Content-Disposition"]
    return response


def export_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment; filename=" in response["Content-Disposition"]
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_has_headers_rows_and_follows_the_filters(centre, admin_client, prompts):
    person(centre, "Amy", "Alpha", email="amy@ltht.nhs.example", answer1="Ward 2", has_prn=True, prn="NMC-11111")
    person(centre, "Ben", "Bravo", inactive=True)
    rows = export_rows(exported(admin_client, "?q=Alpha"))
    headers = rows[0]
    assert headers[:6] == (
        "Delegate number",
        "Last name",
        "First name",
        "Email address",
        "Centre email address",
        "Job group",
    )
    assert "Ward" in headers
    assert "Employee number" in headers
    assert headers[-2:] == ("Has PRN", "PRN")
    assert len(rows) == 2
    amy = dict(zip(headers, rows[1], strict=True))
    assert amy["Last name"] == "Alpha"
    assert amy["Email address"] == "amy@ltht.nhs.example"
    assert amy["Ward"] == "Ward 2"
    assert amy["Active"] == "Yes"
    assert amy["Password set"] == "Yes"
    assert amy["PRN"] == "NMC-11111"
    assert amy["Registration type"] == "Registered by centre"
    assert amy["Registered"].date() == timezone.localdate()

    inactive = export_rows(exported(admin_client, "?active=inactive"))
    assert [row[1] for row in inactive[1:]] == ["Bravo"]
    everyone = export_rows(exported(admin_client))
    assert len(everyone) - 1 == Membership.objects.for_centre(centre).count()
    exports = AuditEvent.objects.filter(action="delegates.exported", centre=centre).order_by("at", "pk")
    assert [event.summary for event in exports] == [
        "1 delegate record downloaded to Excel with PRNs",
        "1 delegate record downloaded to Excel with PRNs (filters: Status: Inactive)",
        f"{len(everyone) - 1} delegate records downloaded to Excel with PRNs",
    ]


def test_export_escapes_formulas(centre, admin_client):
    person(centre, '=HYPERLINK("http://x")', "+Plus", email="formula@ltht.nhs.example")
    workbook = load_workbook(io.BytesIO(exported(admin_client, "?q=formula@").content))
    (row,) = workbook.active.iter_rows(min_row=2)
    by_header = {header.value: cell for header, cell in zip(workbook.active[1], row, strict=True)}
    assert by_header["First name"].value == '\'=HYPERLINK("http://x")'
    assert by_header["First name"].data_type == "s"
    assert by_header["Last name"].value == "'+Plus"


def test_export_button_keeps_the_filters(centre, admin_client):
    person(centre, "Amy", "Alpha")
    page = body(admin_client.get(LIST_URL + "?q=Alpha&active=active"))
    assert f'<form method="post" action="{EXPORT_URL}?q=Alpha&amp;active=active">' in page
    form = page.split(f'action="{EXPORT_URL}?q=Alpha&amp;active=active">', 1)[1].split("</form>", 1)[0]
    assert "csrfmiddlewaretoken" in form


def test_a_get_of_the_export_makes_nothing_and_shows_the_list(centre, admin_client):
    """ADR 0017: GET used to create a report job (and its "downloaded" audit), so a link on
    another site could make one. Now only the list's POST button does."""
    response = admin_client.get(EXPORT_URL + "?q=Alpha")
    assert response.status_code == 302
    assert response["Location"] == LIST_URL + "?q=Alpha"
    assert not ReportJob.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="delegates.").exists()


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+44 113 243 3144", "'+44 113 243 3144"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Smith-Jones", "Smith-Jones"),
        ("", ""),
    ],
)
def test_escape_text(value, escaped):
    assert escape_text(value) == escaped


def test_workbook_writer_streams_rows_of_every_type():
    stream = io.BytesIO()
    moment = timezone.now()
    count = workbook_write(
        stream=stream,
        sheet_title="A very long sheet title that Excel would refuse",
        headers=["Text", "Number", "When", "Empty"],
        rows=(row for row in [["=cmd|' /C calc'!A0", 3, moment, None]]),
    )
    assert count == 1
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    assert len(sheet.title) <= 31
    assert [cell.value for cell in sheet[1]] == ["Text", "Number", "When", "Empty"]
    text, number, when, empty = sheet[2]
    assert text.value == "'=cmd|' /C calc'!A0"
    assert number.value == 3
    assert when.value.replace(microsecond=0) == timezone.localtime(moment).replace(tzinfo=None, microsecond=0)
    assert empty.value is None
    # Readable (issue 16 item 7): frozen, bold, filtered header; UK dates; sized columns.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D2"
    assert all(cell.font.bold for cell in sheet[1])
    assert when.number_format == "DD/MM/YYYY HH:MM"
    assert sheet.column_dimensions["A"].width >= len("=cmd|' /C calc'!A0")
    assert sheet.column_dimensions["B"].width >= 8


def test_workbook_writer_writes_dates_as_uk_dates_and_streams_past_the_width_sample():
    stream = io.BytesIO()
    born = datetime.date(1990, 1, 31)
    rows = ([f"Person {n}", born] for n in range(WIDTH_SAMPLE_ROWS + 50))
    count = workbook_write(stream=stream, sheet_title="People", headers=["Name", "Date of birth"], rows=rows)
    assert count == WIDTH_SAMPLE_ROWS + 50
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    last = sheet.cell(row=count + 1, column=2)
    assert last.value.date() == born
    assert last.number_format == "DD/MM/YYYY"
    assert sheet.max_row == count + 1


def test_export_query_count_does_not_grow(centre, admin_client, prompts):
    MembershipFactory.create_batch(5, centre=centre)
    with CaptureQueriesContext(connection) as few:
        exported(admin_client)
    MembershipFactory.create_batch(100, centre=centre)
    with CaptureQueriesContext(connection) as many:
        rows = export_rows(exported(admin_client))
    assert len(rows) - 1 == Membership.objects.for_centre(centre).count()
    assert len(many) == len(few)


# -- who may change a login email (it controls password resets) ------------------------------


def test_administrator_cannot_redirect_a_centre_managers_account(centre, admin, admin_client):
    manager = person(centre, "Cara", "Manager", email="cara@ltht.nhs.example")
    grant_role(manager.user, centre, Role.CENTRE_MANAGER)
    page = body(admin_client.get(url("delegate_edit", manager)))
    assert "holds a role you cannot grant" in html.unescape(page)
    response = admin_client.post(
        url("delegate_edit", manager), edit_data(manager, email="attacker@evil.example", first_name="Carol")
    )
    assert response.status_code == 400
    assert "holds a role you cannot grant" in html.unescape(body(response))
    assert "Edit Cara Manager" in html.unescape(body(response))
    manager.user.refresh_from_db()
    assert manager.user.email == "cara@ltht.nhs.example"
    assert manager.user.first_name == "Cara"
    # The name can still be corrected.
    response = admin_client.post(url("delegate_edit", manager), edit_data(manager, first_name="Carol"))
    assert response.status_code == 302
    manager.user.refresh_from_db()
    assert manager.user.first_name == "Carol"


def test_centre_manager_may_change_an_administrators_email(centre, role_member, login_as):
    manager = role_member(centre, Role.CENTRE_MANAGER)
    other_admin = role_member(centre, Role.ADMINISTRATOR)
    client = login_as(manager.user, centre)
    response = client.post(
        url("delegate_edit", other_admin), edit_data(other_admin, email="new.admin@ltht.nhs.example")
    )
    assert response.status_code == 302
    other_admin.user.refresh_from_db()
    assert other_admin.user.email == "new.admin@ltht.nhs.example"


@pytest.mark.parametrize("where", ["membership", "role", "staff"])
def test_email_of_an_account_used_elsewhere_cannot_be_changed_here(centre, admin, where):
    delegate = person(centre, "Sam", "Shared", email="sam@ltht.nhs.example")
    elsewhere = CentreFactory()
    if where == "membership":
        MembershipFactory(user=delegate.user, centre=elsewhere)
    elif where == "role":
        grant_role(delegate.user, elsewhere, Role.CENTRE_MANAGER)
    else:
        User.objects.filter(pk=delegate.user.pk).update(is_staff=True)
        delegate.user.refresh_from_db()
    assert delegate_email_change_blocker(membership=delegate, changed_by=admin.user)
    with pytest.raises(DelegateEmailTakenError):
        delegate_update(
            membership=delegate,
            updated_by=admin.user,
            first_name="Sam",
            last_name="Shared",
            email="elsewhere@evil.example",
            job_group=delegate.job_group,
            answers={},
            has_prn=None,
        )
    delegate.user.refresh_from_db()
    assert delegate.user.email == "sam@ltht.nhs.example"

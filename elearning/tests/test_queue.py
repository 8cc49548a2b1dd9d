"""E4 the central team's request queue (el-sites): platform staff only, filters, constant
queries, notes, statuses and what completing changes; the completion signal; the weekly
summary section."""

import uuid

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from elearning.models import AccountRequest, AccountRequestNote, SiteStaff
from elearning.signals import required_modules_completed
from elearning.tests.sites_factories import request_make, site_staff_make
from notifications.models import OutboundEmail
from notifications.summaries import summary_entries
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _emails():
    return OutboundEmail.objects.filter(template__startswith="elearning/")


@pytest.fixture
def world():
    site_a = CentreFactory(name="Leeds Site")
    site_b = CentreFactory(name="York Site")
    authoriser = site_staff_make(site_a, role=Role.AUTHORISER).user
    person = site_staff_make(site_a, user=UserFactory(first_name="Pat", last_name="Person"))
    other = site_staff_make(site_b, user=UserFactory(first_name="Yan", last_name="York"))
    return {
        "a": site_a,
        "b": site_b,
        "authoriser": authoriser,
        "person": person,
        "other": other,
        "staff": UserFactory(platform_staff=True, first_name="Central", last_name="Team"),
    }


@pytest.fixture
def staff_client(client, login_as, world):
    return login_as(world["staff"])


def _request_url(name, account_request):
    return reverse(f"elearning_platform:{name}", kwargs={"account_request_id": account_request.public_id})


def test_queue_is_for_platform_staff_only(client, login_as, world):
    account_request = request_make(world["person"], requested_by=world["authoriser"])
    urls = [reverse("elearning_platform:requests"), _request_url("request", account_request)]
    for url in urls:
        assert client.get(url).status_code == 302  # log in first
    login_as(world["authoriser"], world["a"])
    for url in urls:
        assert client.get(url).status_code == 403
    for name in ("request_note", "request_status"):
        response = client.post(
            _request_url(name, account_request), {"status": "completed", "body": "x", "visibility": "public"}
        )
        assert response.status_code == 403
    account_request.refresh_from_db()
    assert account_request.status == "open"
    assert not AccountRequestNote.objects.exists()


def test_queue_lists_every_sites_requests_with_who_asked(staff_client, world):
    request_make(world["person"], requested_by=world["authoriser"])
    request_make(world["other"], kind=AccountRequest.Kind.CREATE_ACCOUNT)
    body = staff_client.get(reverse("elearning_platform:requests")).content.decode()
    assert "Pat Person" in body
    assert "Yan York" in body
    assert "Leeds Site" in body
    assert "York Site" in body
    assert world["authoriser"].get_full_name() in body
    assert "The platform" in body
    assert "Completed eLearning - create account" in body


def test_queue_filters_by_kind_status_and_site(staff_client, world):
    request_make(world["person"], kind=AccountRequest.Kind.DEACTIVATE, requested_by=world["authoriser"])
    request_make(world["other"], kind=AccountRequest.Kind.CREATE_ACCOUNT)
    request_make(world["other"], kind=AccountRequest.Kind.REMOVE, status="completed")
    url = reverse("elearning_platform:requests")

    def people(**params):
        body = staff_client.get(url, params).content.decode()
        return {name for name in ("Pat Person", "Yan York") if name in body}, body

    assert people(kind="deactivate")[0] == {"Pat Person"}
    assert people(site=str(world["b"].public_id))[0] == {"Yan York"}
    found, body = people(status="completed")
    assert found == {"Yan York"}
    assert "Remove" in body
    assert people(status="waiting", kind="remove")[0] == set()
    # Tampered values are ignored, not errors.
    assert people(site=str(uuid.uuid4()), kind="nonsense", status="bogus")[0] == {"Pat Person", "Yan York"}
    assert people(site="not-a-uuid")[0] == {"Pat Person", "Yan York"}


def _queue_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("elearning_platform:requests"), {"status": ""}).status_code == 200
    return len(captured)


def test_queue_queries_do_not_grow_with_requests(staff_client, world, django_assert_max_num_queries):
    request_make(world["person"], requested_by=world["authoriser"])
    small = _queue_queries(staff_client)
    for index in range(60):
        site = CentreFactory()
        staff = site_staff_make(site)
        request_make(
            staff, kind=AccountRequest.Kind.values[index % 6], requested_by=world["authoriser"] if index % 2 else None
        )
    with django_assert_max_num_queries(small):
        response = staff_client.get(reverse("elearning_platform:requests"), {"status": ""})
    assert "Showing 1 to 50 of 61 requests" in response.content.decode()
    with django_assert_max_num_queries(small):
        last = staff_client.get(reverse("elearning_platform:requests"), {"status": "", "page": "2"})
    assert "Showing 51 to 61 of 61 requests" in last.content.decode()


def test_request_page_of_unknown_id_is_404(staff_client):
    url = reverse("elearning_platform:request", kwargs={"account_request_id": uuid.uuid4()})
    assert staff_client.get(url).status_code == 404


def test_notes_internal_and_public(staff_client, world):
    account_request = request_make(world["person"], requested_by=world["authoriser"])
    url = _request_url("request_note", account_request)
    page = staff_client.get(_request_url("request", account_request)).content.decode()
    assert "Never write a password" in page
    response = staff_client.post(url, {"body": "Checked the care record", "visibility": "internal"})
    assert response.status_code == 302
    assert not _emails().exists()
    response = staff_client.post(url, {"body": "We are on it", "visibility": "public"})
    assert response.status_code == 302
    email = _emails().get()
    assert email.to == [world["authoriser"].email]
    assert "We are on it" in email.text_body
    assert AccountRequestNote.objects.filter(request=account_request).count() == 2
    assert AuditEvent.objects.filter(action="elearning.request_note_added").count() == 2
    response = staff_client.post(url, {"body": "  ", "visibility": "sideways"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the note" in body
    assert "Select who can read the note" in body
    assert AccountRequestNote.objects.count() == 2


def test_working_a_deactivation_changes_the_persons_status_and_emails_the_requester(staff_client, world):
    account_request = request_make(
        world["person"], requested_by=world["authoriser"], deactivation_reason="sick_leave", detail="Back in June"
    )
    url = _request_url("request_status", account_request)
    assert staff_client.post(url, {"status": "in_progress"}).status_code == 302
    account_request.refresh_from_db()
    assert account_request.status == "in_progress"
    assert not _emails().exists()
    assert staff_client.post(url, {"status": "completed"}).status_code == 302
    account_request.refresh_from_db()
    assert (account_request.status, account_request.decided_by) == ("completed", world["staff"])
    person = world["person"]
    person.refresh_from_db()
    assert (person.status, person.deactivation_reason) == (SiteStaff.Status.DEACTIVATED, "sick_leave")
    assert person.status_detail == "Back in June"
    assert person.status_changed_at is not None
    email = _emails().get()
    assert email.to == [world["authoriser"].email]
    assert "completed" in email.subject
    actions = set(AuditEvent.objects.filter(centre=world["a"]).values_list("action", flat=True))
    assert {"elearning.request_status_changed", "elearning.staff_status_changed"} <= actions


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [("remove", "current", "removed"), ("reinstate", "deactivated", "current"), ("edit_user", "current", "current")],
)
def test_completing_each_kind(staff_client, world, kind, start, end):
    person = world["person"]
    person.status = start
    person.deactivation_reason = "sick_leave" if start == "deactivated" else ""
    person.save()
    account_request = request_make(person, kind=kind, requested_by=world["authoriser"], status="in_progress")
    staff_client.post(_request_url("request_status", account_request), {"status": "completed"})
    person.refresh_from_db()
    assert person.status == end
    if end == "current":
        assert person.deactivation_reason == ""


def test_invalid_transitions_are_refused_with_a_message(staff_client, world):
    account_request = request_make(world["person"], requested_by=world["authoriser"])
    url = _request_url("request_status", account_request)
    response = staff_client.post(url, {"status": "completed"}, follow=True)
    assert "A request that is open cannot be marked completed." in response.content.decode()
    response = staff_client.post(url, {"status": "archived"}, follow=True)
    assert "Select the new status" in response.content.decode()
    account_request.refresh_from_db()
    assert account_request.status == "open"
    world["person"].refresh_from_db()
    assert world["person"].status == "current"


def test_rejecting_needs_a_reason_and_emails_the_requester(staff_client, world):
    account_request = request_make(world["person"], requested_by=world["authoriser"])
    url = _request_url("request_status", account_request)
    response = staff_client.post(url, {"status": "rejected", "rejection_reason": " "})
    assert response.status_code == 400
    assert "Enter why the request is rejected" in response.content.decode()
    account_request.refresh_from_db()
    assert account_request.status == "open"
    assert staff_client.post(url, {"status": "rejected", "rejection_reason": "Not staff here"}).status_code == 302
    account_request.refresh_from_db()
    assert (account_request.status, account_request.rejection_reason) == ("rejected", "Not staff here")
    email = _emails().get()
    assert "Not staff here" in email.text_body
    response = staff_client.post(url, {"status": "completed"}, follow=True)
    assert "A request that is rejected cannot be marked completed." in response.content.decode()
    world["person"].refresh_from_db()
    assert world["person"].status == "current"


def test_a_double_completion_is_done_once(staff_client, world):
    account_request = request_make(world["person"], requested_by=world["authoriser"], status="in_progress")
    url = _request_url("request_status", account_request)
    staff_client.post(url, {"status": "completed"})
    response = staff_client.post(url, {"status": "completed"}, follow=True)
    assert "This request is already completed." in response.content.decode()
    assert _emails().count() == 1


def test_platform_dashboard_task_counts_waiting_requests(staff_client, world):
    request_make(world["person"], requested_by=world["authoriser"])
    request_make(world["other"], status="in_progress")
    request_make(world["other"], kind=AccountRequest.Kind.REMOVE, status="completed")
    body = staff_client.get("/").content.decode()
    assert "Account requests waiting" in body
    assert "2 open or in progress" in body
    assert "Account requests" in body  # the header entry


def test_completing_the_required_modules_raises_a_request_at_each_current_site(world):
    user = world["person"].user
    elsewhere = site_staff_make(world["b"], user=user)
    gone = site_staff_make(CentreFactory(), user=user, status="removed")
    required_modules_completed.send(sender=SiteStaff, user=user)
    raised = AccountRequest.objects.filter(site_staff__user=user)
    assert {r.site_staff_id for r in raised} == {world["person"].pk, elsewhere.pk}
    assert {r.kind for r in raised} == {"create_account"}
    assert all(r.requested_by is None for r in raised)
    assert not raised.filter(site_staff=gone).exists()
    required_modules_completed.send(sender=SiteStaff, user=user)  # sent again: nothing new
    assert raised.count() == 2


def test_weekly_summary_counts_the_sites_waiting_requests_for_authorisers(world):
    request_make(world["person"], requested_by=world["authoriser"])
    request_make(world["person"], kind=AccountRequest.Kind.REMOVE, status="in_progress")
    request_make(world["person"], kind=AccountRequest.Kind.EDIT_USER, status="completed")
    request_make(world["other"])
    entries = summary_entries(user=world["authoriser"], centre=world["a"])
    assert any(entry.text == "2 account requests waiting for the central team" for entry in entries)
    assert not any(
        "account request" in entry.text for entry in summary_entries(user=world["person"].user, centre=world["a"])
    )


def test_authorisers_may_choose_the_weekly_summary():
    from centres.notification_rules import kinds_for_roles

    assert "weekly_summary" in {kind.code for kind in kinds_for_roles([Role.AUTHORISER])}

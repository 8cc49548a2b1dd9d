"""E3 site staff (el-sites): Manage sites, the staff list with progress and the authoriser
marker, a staff member's page, amending details, requests, the historic list, own details."""

import uuid

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from elearning.models import AccountRequest, SiteStaff
from elearning.tests.sites_factories import module_complete, modules_make, request_make, site_staff_make
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    site_a = CentreFactory(name="Leeds Teaching Hospitals")
    site_b = CentreFactory(name="Bradford Secret Site")
    authoriser = site_staff_make(site_a, role=Role.AUTHORISER).user
    return {"a": site_a, "b": site_b, "authoriser": authoriser}


@pytest.fixture
def authoriser_client(client, login_as, sites):
    return login_as(sites["authoriser"], sites["a"])


def _site_url(name, site, staff=None):
    kwargs = {"site_id": site.public_id}
    if staff is not None:
        kwargs["staff_id"] = staff.public_id
    return reverse(f"elearning:{name}", kwargs=kwargs)


# -- Manage sites ------------------------------------------------------------------------------


def test_manage_sites_lists_only_the_persons_sites(authoriser_client, sites):
    other_site = CentreFactory(name="Another Authorised Site")
    MembershipFactory(centre=other_site, user=sites["authoriser"], role=Role.AUTHORISER)
    response = authoriser_client.get(reverse("elearning:sites"))
    body = response.content.decode()
    assert "Leeds Teaching Hospitals" in body
    assert "Another Authorised Site" in body
    assert "Bradford Secret Site" not in body
    assert "Manage sites" in body
    response = authoriser_client.get(reverse("elearning:sites"), {"site": str(other_site.public_id)})
    assert response.status_code == 302
    assert response["Location"] == _site_url("site", other_site)


def test_manage_sites_ignores_another_sites_id(authoriser_client, sites):
    response = authoriser_client.get(reverse("elearning:sites"), {"site": str(sites["b"].public_id)})
    assert response.status_code == 200
    assert "Select one of your sites" in response.content.decode()
    assert "Bradford Secret Site" not in response.content.decode()


def test_manage_sites_refuses_people_who_are_not_authorisers(client, login_as, sites):
    learner = site_staff_make(sites["a"])
    login_as(learner.user, sites["a"])
    assert client.get(reverse("elearning:sites")).status_code == 403
    assert client.get(_site_url("site", sites["a"])).status_code == 404


def test_header_offers_manage_sites_to_authorisers_only(client, login_as, sites):
    login_as(sites["authoriser"], sites["a"])
    assert ">Manage sites<" in client.get("/").content.decode().replace("\n", "").replace("  ", "")
    learner = site_staff_make(sites["a"])
    login_as(learner.user, sites["a"])
    assert "Manage sites" not in client.get("/").content.decode()


# -- the site page -----------------------------------------------------------------------------


def test_site_page_shows_current_staff_with_progress_and_the_authoriser_marker(authoriser_client, sites):
    required = modules_make(2)
    modules_make(1, required=False)
    modules_make(1, published=False)
    nurse = site_staff_make(sites["a"], user=UserFactory(first_name="Nora", last_name="Nurse"), job_title="Ward sister")
    module_complete(nurse.user, required[0])
    site_staff_make(sites["a"], user=UserFactory(first_name="Dee", last_name="Activated"), status="deactivated")
    site_staff_make(sites["b"], user=UserFactory(first_name="Bravo", last_name="Person"))
    response = authoriser_client.get(_site_url("site", sites["a"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nora Nurse" in body
    assert "Ward sister" in body
    assert nurse.user.email in body
    assert "1 of 2 required modules" in body
    assert '<progress max="2" value="1"' in body
    assert "Account authoriser" in body  # the authoriser is staff at their own site
    assert body.count("Account authoriser") == 1
    assert "Dee Activated" not in body
    assert "Bravo Person" not in body
    assert "All historic memberships" in body


def test_site_page_of_another_site_is_404_like_an_unknown_one(authoriser_client, sites):
    assert authoriser_client.get(_site_url("site", sites["b"])).status_code == 404
    assert authoriser_client.get(reverse("elearning:site", kwargs={"site_id": uuid.uuid4()})).status_code == 404


def test_authoriser_reaches_their_site_whatever_their_current_centre(client, login_as, sites):
    elsewhere = CentreFactory()
    MembershipFactory(centre=elsewhere, user=sites["authoriser"])
    login_as(sites["authoriser"], elsewhere)
    assert client.get(_site_url("site", sites["a"])).status_code == 200


def _site_page_queries(client, site, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(_site_url("site", site))
    assert response.status_code == 200
    return len(captured)


def test_site_page_queries_do_not_grow_with_staff_or_modules(authoriser_client, sites, django_assert_max_num_queries):
    modules = modules_make(2)
    for _ in range(2):
        module_complete(site_staff_make(sites["a"]).user, modules[0])
    small = _site_page_queries(authoriser_client, sites["a"], django_assert_max_num_queries)
    more_modules = modules_make(5)
    for index in range(30):
        staff = site_staff_make(sites["a"], role=Role.AUTHORISER if index % 5 == 0 else None)
        for module in more_modules[: index % 4]:
            module_complete(staff.user, module)
    with django_assert_max_num_queries(small):
        response = authoriser_client.get(_site_url("site", sites["a"]))
    assert "of 7 required modules" in response.content.decode()
    assert "Next" in response.content.decode()  # 33 people: a second page


# -- a staff member's page ---------------------------------------------------------------------


def test_staff_page_shows_details_modules_and_requests(authoriser_client, sites):
    modules = modules_make(2)
    staff = site_staff_make(sites["a"], user=UserFactory(first_name="Sam", last_name="Staff"))
    module_complete(staff.user, modules[1])
    request_make(staff, kind=AccountRequest.Kind.CREATE_ACCOUNT, status="completed")
    body = authoriser_client.get(_site_url("site_staff", sites["a"], staff)).content.decode()
    assert "Sam Staff" in body
    assert "Module 1" in body
    assert "Completed" in body
    assert "Not started" in body
    assert "Completed eLearning - create account" in body
    assert "Request deactivation" in body
    assert "Request removal" in body
    assert "Request reactivation" not in body


def test_staff_of_another_site_is_404_under_the_authorisers_site(authoriser_client, sites):
    b_staff = site_staff_make(sites["b"])
    assert authoriser_client.get(_site_url("site_staff", sites["a"], b_staff)).status_code == 404
    assert authoriser_client.get(_site_url("site_staff", sites["b"], b_staff)).status_code == 404
    for name in ("site_staff_amend", "site_staff_deactivate", "site_staff_remove", "site_staff_reactivate"):
        assert authoriser_client.get(_site_url(name, sites["a"], b_staff)).status_code == 404
        response = authoriser_client.post(_site_url(name, sites["a"], b_staff), {"deactivation_reason": "sick_leave"})
        assert response.status_code == 404
    assert not AccountRequest.objects.exists()


# -- amending details --------------------------------------------------------------------------


def _amend(client, site, staff, **changes):
    data = {
        "email": staff.user.email,
        "contact_number": staff.contact_number,
        "job_title": staff.job_title,
        "job_category": staff.job_category,
        **changes,
    }
    return client.post(_site_url("site_staff_amend", site, staff), data)


def test_amending_the_email_changes_it_and_raises_an_edit_user_request(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    old_email = staff.user.email
    response = _amend(authoriser_client, sites["a"], staff, email="New.Address@trust.example", job_title="Matron")
    assert response.status_code == 302
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.user.email == "new.address@trust.example"
    assert staff.job_title == "Matron"
    edit = AccountRequest.objects.get(site_staff=staff)
    assert edit.kind == AccountRequest.Kind.EDIT_USER
    assert old_email in edit.detail
    assert "new.address@trust.example" in edit.detail
    assert edit.requested_by == sites["authoriser"]
    actions = set(AuditEvent.objects.filter(centre=sites["a"]).values_list("action", flat=True))
    assert {"account.email_changed", "elearning.request_raised", "elearning.staff_updated"} <= actions


def test_amending_an_account_used_elsewhere_shows_the_blocker_and_writes_nothing(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    MembershipFactory(centre=sites["b"], user=staff.user)
    old_email = staff.user.email
    response = _amend(authoriser_client, sites["a"], staff, email="taken.over@trust.example", job_title="Changed")
    assert response.status_code == 400
    assert "only they can change their name or email address" in response.content.decode()
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.user.email == old_email
    assert staff.job_title == "Staff nurse"
    assert not AccountRequest.objects.exists()


def test_amending_only_job_details_raises_no_request(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    response = _amend(authoriser_client, sites["a"], staff, job_category="doctor", contact_number="07700 900123")
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.job_category, staff.contact_number) == ("doctor", "07700 900123")
    assert not AccountRequest.objects.exists()


def test_amend_bad_input_gets_messages(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    response = _amend(
        authoriser_client, sites["a"], staff, email="not-an-email", job_category="astronaut", job_title=""
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in body
    assert "Select job category from the list" in body
    assert "Enter their job title" in body
    assert "<title>Error: " in body


def test_amend_ignores_a_posted_id_of_another_sites_person(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    b_staff = site_staff_make(sites["b"], job_title="Bravo title")
    _amend(
        authoriser_client,
        sites["a"],
        staff,
        job_title="Changed",
        staff_id=str(b_staff.public_id),
        site_staff=b_staff.pk,
    )
    b_staff.refresh_from_db()
    assert b_staff.job_title == "Bravo title"


# -- requests ----------------------------------------------------------------------------------


def test_deactivation_request_needs_a_reason_and_detail_for_other(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    url = _site_url("site_staff_deactivate", sites["a"], staff)
    response = authoriser_client.post(url, {})
    assert response.status_code == 400
    assert "Select why the account should be deactivated" in response.content.decode()
    response = authoriser_client.post(url, {"deactivation_reason": "other", "detail": "  "})
    assert "Enter the reason for deactivation" in response.content.decode()
    response = authoriser_client.post(url, {"deactivation_reason": "gone-fishing"})
    assert response.status_code == 400
    assert not AccountRequest.objects.exists()
    response = authoriser_client.post(url, {"deactivation_reason": "sick_leave"})
    assert response.status_code == 302
    created = AccountRequest.objects.get()
    assert (created.kind, created.deactivation_reason, created.status) == ("deactivate", "sick_leave", "open")
    assert created.centre == sites["a"]
    assert created.requested_by == sites["authoriser"]
    staff.refresh_from_db()
    assert staff.status == SiteStaff.Status.CURRENT  # only the central team changes it


def test_a_second_open_request_of_the_same_kind_is_refused(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    url = _site_url("site_staff_remove", sites["a"], staff)
    assert authoriser_client.post(url, {"detail": "Left in May"}).status_code == 302
    response = authoriser_client.post(url, {"detail": "again"})
    assert response.status_code == 400
    assert "removal request for" in response.content.decode()
    assert "is already waiting for the central team" in response.content.decode()
    assert AccountRequest.objects.count() == 1


def test_a_double_submit_creates_one_request(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    url = _site_url("site_staff_deactivate", sites["a"], staff)
    data = {"deactivation_reason": "maternity_leave", "submission_token": uuid.uuid4().hex}
    first = authoriser_client.post(url, data)
    second = authoriser_client.post(url, data)
    assert first.status_code == 302
    assert second.status_code == 302
    assert AccountRequest.objects.count() == 1


def test_reactivation_only_for_deactivated_or_removed_people(authoriser_client, sites):
    current = site_staff_make(sites["a"])
    response = authoriser_client.post(_site_url("site_staff_reactivate", sites["a"], current), {})
    assert response.status_code == 400
    assert "Only a deactivated or removed staff member can be reactivated" in response.content.decode()
    removed = site_staff_make(sites["a"], status="removed")
    assert authoriser_client.post(_site_url("site_staff_reactivate", sites["a"], removed), {}).status_code == 302
    assert AccountRequest.objects.get().kind == AccountRequest.Kind.REINSTATE


# -- historic list -----------------------------------------------------------------------------


def test_historic_list_shows_everyone_with_status_and_reason(authoriser_client, sites):
    site_staff_make(sites["a"], user=UserFactory(first_name="Cur", last_name="Rent"))
    site_staff_make(
        sites["a"],
        user=UserFactory(first_name="Sick", last_name="Leave"),
        status="deactivated",
        deactivation_reason="sick_leave",
    )
    site_staff_make(sites["a"], user=UserFactory(first_name="Left", last_name="Site"), status="removed")
    site_staff_make(sites["b"], user=UserFactory(first_name="Bravo", last_name="Hidden"), status="removed")
    body = authoriser_client.get(_site_url("site_staff_history", sites["a"])).content.decode()
    for text in ("Cur Rent", "Sick Leave", "Left Site", "Deactivated", "Removed", "Sick leave", "Left the site"):
        assert text in body
    assert "Bravo Hidden" not in body
    assert authoriser_client.get(_site_url("site_staff_history", sites["b"])).status_code == 404


# -- own details -------------------------------------------------------------------------------


def test_a_person_amends_their_own_name_and_job(client, login_as, sites):
    staff = site_staff_make(sites["a"])
    MembershipFactory(centre=sites["b"], user=staff.user)  # used elsewhere: still theirs to rename
    login_as(staff.user, sites["a"])
    response = client.post(reverse("elearning:my_details"), {"first_name": "Renamed", "last_name": "Person"})
    assert response.status_code == 302
    staff.user.refresh_from_db()
    assert staff.user.get_full_name() == "Renamed Person"
    url = reverse("elearning:my_job", kwargs={"staff_id": staff.public_id})
    response = client.post(
        url, {"job_title": "Pharmacist", "job_category": "pharmacy", "contact_number": "0113 000 0000"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.job_title == "Pharmacist"
    assert AuditEvent.objects.filter(action="elearning.own_name_changed").exists()
    assert AuditEvent.objects.filter(action="elearning.staff_updated", actor=staff.user).exists()


def test_own_job_page_refuses_someone_elses_record(client, login_as, sites):
    staff = site_staff_make(sites["a"])
    other = site_staff_make(sites["a"], job_title="Untouched")
    login_as(staff.user, sites["a"])
    url = reverse("elearning:my_job", kwargs={"staff_id": other.public_id})
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"job_title": "Hacked", "job_category": "other", "contact_number": "0113 000 0000"}
        ).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.job_title == "Untouched"


def test_own_details_bad_input(client, login_as, sites):
    staff = site_staff_make(sites["a"])
    login_as(staff.user, sites["a"])
    response = client.post(reverse("elearning:my_details"), {"first_name": "", "last_name": "x" * 300})
    assert response.status_code == 400
    assert "Enter your first name" in response.content.decode()
    response = client.post(
        reverse("elearning:my_job", kwargs={"staff_id": staff.public_id}),
        {"job_title": "", "job_category": "", "contact_number": "call me"},
    )
    body = response.content.decode()
    assert "Enter your job title" in body
    assert "Select your job category" in body
    assert "Enter a telephone number" in body


def test_amending_to_an_email_another_account_uses_is_refused(authoriser_client, sites):
    staff = site_staff_make(sites["a"])
    other = UserFactory(email="someone.else@trust.example")
    old_email = staff.user.email
    response = _amend(authoriser_client, sites["a"], staff, email=other.email, job_title="Changed")
    assert response.status_code == 400
    assert "is already used by another account" in response.content.decode()
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.user.email == old_email
    assert staff.job_title == "Staff nurse"
    assert not AccountRequest.objects.exists()


def test_an_authoriser_cannot_reemail_another_authoriser(authoriser_client, sites):
    colleague = site_staff_make(sites["a"], role=Role.AUTHORISER)
    response = _amend(authoriser_client, sites["a"], colleague, email="colleague.new@trust.example")
    assert response.status_code == 400
    assert "holds a role you cannot grant" in response.content.decode()
    assert not AccountRequest.objects.exists()

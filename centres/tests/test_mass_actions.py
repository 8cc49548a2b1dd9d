"""Issue 16 item 5: "Send to all N" welcome emails and "Approve all" registrations have a
check page, then only queue one batch for the worker (run here by calling the queued task,
as the worker would; tests/test_mass_actions_worker.py runs the REAL worker)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.mass_actions import PREVIEW_NAMES
from centres.models import Membership, WelcomeLink
from centres.roles import Role
from centres.services.welcome import welcome_link_send
from notifications.models import OutboundEmail
from reporting.models import ReportJob
from reporting.services import report_job_run
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SEND_ALL = reverse("centres:welcome_emails_all")
APPROVE_ALL = reverse("centres:registration_approve_all")
WELCOME = "centres/emails/welcome"


@pytest.fixture
def centre():
    return CentreFactory()


@pytest.fixture
def admin(centre):
    return MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)


@pytest.fixture
def client_admin(login_as, admin, centre):
    return login_as(admin.user, centre)


def unclaimed(centre, count, **user):
    return [MembershipFactory(centre=centre, user=UserFactory(unclaimed=True, **user)) for _ in range(count)]


def confirm(client, url, page=None):
    """Post the check page's own form (its submission token and as_of), as a browser would."""
    page = page or client.get(url).content.decode()
    hidden = re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page)
    fields = {name: value for name, value in hidden if name in {"submission_token", "as_of"}}
    return client.post(url, fields)


def test_the_list_links_to_the_check_page_which_counts_who_will_be_emailed(client_admin, centre, admin):
    waiting = unclaimed(centre, 3)
    has_link = unclaimed(centre, 1)[0]
    welcome_link_send(membership=has_link, sent_by=admin.user)
    expired = unclaimed(centre, 1)[0]
    welcome_link_send(membership=expired, sent_by=admin.user)
    WelcomeLink.objects.filter(membership=expired).update(expires_at=timezone.now() - timedelta(days=1))
    MembershipFactory(centre=centre)  # has a password
    unclaimed(CentreFactory(), 2, last_name="Elsewhereton")  # another centre's
    listing = client_admin.get(reverse("centres:welcome_emails")).content.decode()
    assert "5 delegates without a password" in listing
    assert f'href="{SEND_ALL}"' in listing
    assert "Send to all 4" in listing
    page = client_admin.get(SEND_ALL).content.decode()
    assert "<h1>4 people will be emailed</h1>" in page
    assert "<title>Check before you send welcome emails " in page
    for membership in [*waiting, expired]:
        assert membership.delegate_number in page
    assert has_link.delegate_number not in page
    assert "Elsewhereton" not in page
    assert "Send 4 welcome emails" in page
    assert OutboundEmail.objects.filter(template=WELCOME).count() == 2  # the page sent nothing


def test_the_old_send_to_all_button_goes_to_the_check_page(client_admin, centre):
    unclaimed(centre, 1, last_name="Okafor")
    response = client_admin.post(reverse("centres:welcome_emails") + "?q=okafor", {"all": "yes"})
    assert response["Location"] == SEND_ALL + "?q=okafor"
    assert not ReportJob.objects.exists()
    page = client_admin.get(response["Location"]).content.decode()
    assert "1 person will be emailed" in page
    assert "“okafor”" in page


def test_check_pages_take_the_same_queries_for_3_or_30_people(client_admin, centre):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client_admin.get(url).status_code == 200
        return len(captured)

    unclaimed(centre, 3)
    for _ in range(3):
        MembershipFactory(centre=centre, unapproved=True)
    few = (queries(SEND_ALL), queries(APPROVE_ALL))
    unclaimed(centre, 27)
    for _ in range(27):
        MembershipFactory(centre=centre, unapproved=True)
    many = (queries(SEND_ALL), queries(APPROVE_ALL))
    assert few == many
    page = client_admin.get(SEND_ALL).content.decode()
    assert f"and {30 - PREVIEW_NAMES} more" in page


def test_send_to_all_queues_one_batch_and_a_second_tab_or_click_queues_nothing(
    client_admin, centre, django_capture_on_commit_callbacks
):
    people = unclaimed(centre, 3)
    elsewhere = unclaimed(CentreFactory(), 1)[0]
    first_tab = client_admin.get(SEND_ALL).content.decode()
    second_tab = client_admin.get(SEND_ALL).content.decode()
    with django_capture_on_commit_callbacks() as queued:
        response = confirm(client_admin, SEND_ALL, first_tab)
        again = confirm(client_admin, SEND_ALL, first_tab)  # the same form twice (a double click)
        other = confirm(client_admin, SEND_ALL, second_tab)  # another tab's form
    job = ReportJob.objects.get()
    assert response["Location"] == again["Location"] == other["Location"] == job_page(job)
    assert len(queued) == 1
    assert not OutboundEmail.objects.filter(template=WELCOME).exists()  # nothing in the request
    assert not WelcomeLink.objects.exists()
    page = client_admin.get(job_page(job)).content.decode()
    assert 'role="status"' in page
    assert "Waiting to start: <strong>0%</strong> done" in page
    queued[0]()  # the worker
    job.refresh_from_db()
    assert (job.status, job.outcome) == ("done", "Welcome email sent to 3 delegates.")
    links = {link.membership_id: (link.token_hash, link.expires_at) for link in WelcomeLink.objects.all()}
    assert set(links) == {m.pk for m in people}  # and nobody at another centre
    assert not WelcomeLink.objects.filter(membership=elsewhere).exists()
    # After it finished, "Send to all" again (a third tab): the links just sent are not replaced.
    with django_capture_on_commit_callbacks(execute=True):
        late = confirm(client_admin, SEND_ALL, second_tab.replace("submission_token", "x"))
    assert late["Location"] == reverse("centres:welcome_emails")
    assert "Nobody is waiting for a welcome email" in client_admin.get(late["Location"]).content.decode()
    assert ReportJob.objects.count() == 1
    assert {link.membership_id: (link.token_hash, link.expires_at) for link in WelcomeLink.objects.all()} == links
    assert OutboundEmail.objects.filter(template=WELCOME).count() == 3


def job_page(job):
    return reverse("reporting:job", kwargs={"job_id": job.public_id})


def test_a_rerun_and_a_second_batch_skip_everyone_already_emailed(admin, centre, django_capture_on_commit_callbacks):
    from centres.mass_actions import welcome_emails_batch_start

    people = unclaimed(centre, 3)
    with django_capture_on_commit_callbacks(execute=True):
        batch = welcome_emails_batch_start(centre=centre, requested_by=admin.user, search="", as_of=timezone.now())
    links = set(WelcomeLink.objects.values_list("token_hash", flat=True))
    assert len(links) == 3
    newcomer = unclaimed(centre, 1)[0]
    # A redelivered message after a worker died part way: nobody is emailed twice.
    ReportJob.objects.filter(pk=batch.job.pk).update(status="queued")
    assert report_job_run(job_id=batch.job.pk).outcome == "Nobody was waiting for a welcome email."
    # A new batch reaches only the newcomer; every link already sent still works.
    with django_capture_on_commit_callbacks(execute=True):
        second = welcome_emails_batch_start(centre=centre, requested_by=admin.user, search="", as_of=timezone.now())
    assert second.started
    second.job.refresh_from_db()
    assert second.job.outcome == "Welcome email sent to 1 delegate."
    assert links < set(WelcomeLink.objects.values_list("token_hash", flat=True))
    assert not WelcomeLink.objects.filter(membership__in=people, expires_at__lte=timezone.now()).exists()
    assert WelcomeLink.objects.filter(membership=newcomer).count() == 1
    assert OutboundEmail.objects.filter(template=WELCOME).count() == 4


def test_someone_elses_batch_in_progress_is_not_started_again(client_admin, centre, login_as):
    unclaimed(centre, 2)
    colleague = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    colleague_client = login_as(colleague.user, centre, test_client=Client())
    confirm(colleague_client, SEND_ALL)
    job = ReportJob.objects.get()
    assert job.status == "queued"  # the worker has not started it (tasks are captured, not run)
    response = confirm(client_admin, SEND_ALL)
    assert response["Location"] == reverse("centres:welcome_emails")
    page = client_admin.get(response["Location"]).content.decode()
    assert "still going: nothing more was started" in page
    assert ReportJob.objects.count() == 1


def test_an_out_of_date_or_empty_confirmation_writes_nothing(client_admin, centre):
    unclaimed(centre, 1)
    response = client_admin.post(SEND_ALL, {"as_of": "yesterday"})
    assert response["Location"] == SEND_ALL
    assert "This check page is out of date" in client_admin.get(SEND_ALL).content.decode()
    response = client_admin.post(APPROVE_ALL, {"as_of": "2026-13-01"})
    assert response["Location"] == APPROVE_ALL
    # Only people there when the check page was shown: a time before anyone registered.
    response = client_admin.post(SEND_ALL, {"as_of": "2000-01-01T00:00:00+00:00"})
    assert response["Location"] == reverse("centres:welcome_emails")
    assert not ReportJob.objects.exists()
    assert not OutboundEmail.objects.filter(template=WELCOME).exists()


def test_approve_all_has_a_check_page_then_queues_one_batch(client_admin, centre, django_capture_on_commit_callbacks):
    pending = [MembershipFactory(centre=centre, unapproved=True) for _ in range(2)]
    listing = client_admin.get(reverse("centres:registrations")).content.decode()
    assert f'href="{APPROVE_ALL}"' in listing
    page = client_admin.get(APPROVE_ALL).content.decode()
    assert "<h1>2 registrations will be approved</h1>" in page
    assert all(m.delegate_number in page for m in pending)
    later = MembershipFactory(centre=centre, unapproved=True)
    Membership.objects.filter(pk=later.pk).update(created_at=timezone.now() + timedelta(seconds=5))
    with django_capture_on_commit_callbacks() as queued:
        first = confirm(client_admin, APPROVE_ALL, page)
        second = confirm(client_admin, APPROVE_ALL)  # a second tab
    job = ReportJob.objects.get()
    assert first["Location"] == second["Location"] == job_page(job)
    assert Membership.objects.filter(centre=centre, is_approved=False).count() == 3  # nothing in the request
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.outcome == "2 registrations approved."
    later.refresh_from_db()
    assert not later.is_approved  # registered after the check page
    assert OutboundEmail.objects.filter(template="centres/emails/registration_approved").count() == 2

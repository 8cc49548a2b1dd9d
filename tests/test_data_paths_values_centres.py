"""Issue 11 data paths, centre side: forms and bulk actions that name a delegate record, a
registration, a prompt answer, a job group, an upload, a ticket, a report job or a centre are
posted with another centre's values, and must refuse (404, a form error, or the foreign value
ignored) with nothing written."""

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.middleware import SESSION_KEY
from centres.models import AuditEvent, BulkUpload, Membership, RegistrationPrompt, WelcomeLink
from centres.roles import Role
from centres.services.memberships import membership_create
from notifications.models import OutboundEmail
from reporting.models import ReportJob
from reporting.services import report_job_create
from support.models import SupportTicket, SupportTicketReply
from support.services import support_ticket_raise
from tests.data_paths import assert_nothing_written
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    alpha = CentreFactory(name="Alpha Trust")
    bravo = CentreFactory(name="Bravo Hospital", show_in_directory=False)
    manager = MembershipFactory(centre=alpha, role=Role.CENTRE_MANAGER)
    RegistrationPrompt.objects.create(centre=alpha, position=1, text="Which ward?", options=["Ward 1", "Ward 2"])
    RegistrationPrompt.objects.create(
        centre=bravo, position=1, text="Which Zanzibar ward?", options=["Zanzibar East", "Zanzibar West"]
    )
    b_manager = MembershipFactory(centre=bravo, role=Role.CENTRE_MANAGER).user
    waiting = membership_create(user=UserFactory(), centre=bravo, registration_type="self", is_approved=False)
    return {
        "alpha": alpha,
        "bravo": bravo,
        "manager": manager.user,
        "delegate": MembershipFactory(centre=alpha, answer1="Ward 1"),
        "a_unclaimed": MembershipFactory(centre=alpha, user=UserFactory(unclaimed=True)),
        "b_unclaimed": MembershipFactory(centre=bravo, user=UserFactory(unclaimed=True)),
        "b_delegate": MembershipFactory(centre=bravo),
        "b_waiting": waiting,
        "b_upload": BulkUpload.objects.create(
            centre=bravo, uploaded_by=b_manager, file_name="bravo.xlsx", status=BulkUpload.Status.PREVIEW, rows=1, new=1
        ),
        "b_ticket": support_ticket_raise(
            centre=bravo, raised_by=b_manager, subject="Bravo ticket", detail="Bravo detail", category="other"
        ),
        "b_job": report_job_create(
            centre=bravo,
            requested_by=b_manager,
            kind="delegates",
            title="Delegates",
            params={},
            filename="b.xlsx",
            access={"permissions": ["centres.manage_delegates"]},
        ),
    }


@pytest.fixture
def manager_client(world, login_as):
    return login_as(world["manager"], world["alpha"])


# -- C4 welcome emails: "send to selected" ---------------------------------------------------


def test_welcome_email_to_another_centres_delegates_is_not_sent(world, manager_client):
    b_unclaimed = Membership.objects.filter(pk=world["b_unclaimed"].pk)
    with assert_nothing_written(OutboundEmail, WelcomeLink, b_unclaimed):
        response = manager_client.post(
            reverse("centres:welcome_emails"), {"delegate": [str(world["b_unclaimed"].public_id)]}, follow=True
        )
    assert "Select at least one delegate" in response.content.decode()


def test_welcome_email_to_a_mixed_selection_goes_to_this_centres_delegate_only(world, manager_client):
    earlier = set(OutboundEmail.objects.values_list("pk", flat=True))
    manager_client.post(
        reverse("centres:welcome_emails"),
        {"delegate": [str(world["a_unclaimed"].public_id), str(world["b_unclaimed"].public_id)]},
    )
    recipients = [address for email in OutboundEmail.objects.exclude(pk__in=earlier) for address in email.to]
    assert recipients == [world["a_unclaimed"].user.email]


def test_welcome_email_to_one_of_another_centres_delegates_is_404(world, manager_client):
    url = reverse("centres:welcome_email_send", kwargs={"membership_id": world["b_unclaimed"].public_id})
    with assert_nothing_written(OutboundEmail, WelcomeLink):
        assert manager_client.post(url).status_code == 404


# -- C3 registrations: approve, approve all, reject -------------------------------------------


@pytest.mark.parametrize("action", ["registration_approve", "registration_reject"])
def test_approving_or_rejecting_another_centres_registration_is_404(world, manager_client, action):
    url = reverse(f"centres:{action}", kwargs={"membership_id": world["b_waiting"].public_id})
    with assert_nothing_written(Membership, OutboundEmail):
        assert manager_client.post(url, {"reason": "Not ours"}).status_code == 404


def test_approve_all_leaves_another_centres_registrations_alone(world, manager_client):
    b_rows = Membership.objects.for_centre(world["bravo"])
    with assert_nothing_written(b_rows):
        manager_client.post(
            reverse("centres:registration_approve_all"), {"delegate": [str(world["b_waiting"].public_id)]}
        )
    assert Membership.objects.get(pk=world["b_waiting"].pk).is_approved is False


# -- C7 delegate edit: job group and prompt answers --------------------------------------------


def _edit(world, **overrides) -> dict:
    delegate = world["delegate"]
    data = {
        "first_name": delegate.user.first_name,
        "last_name": delegate.user.last_name,
        "email": delegate.user.email,
        "job_group": str(delegate.job_group_id),
        "answer1": "Ward 2",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"answer1": "Zanzibar East"}, "Select one of the answers listed for"),  # another centre's prompt option
        ({"job_group": "999999"}, "Select a job group from the list"),
        ({"job_group": "not-a-number"}, "Select a job group from the list"),
    ],
)
def test_delegate_edit_with_values_from_elsewhere_is_refused(world, manager_client, overrides, message):
    url = reverse("centres:delegate_edit", kwargs={"membership_id": world["delegate"].public_id})
    with assert_nothing_written(Membership):
        response = manager_client.post(url, _edit(world, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_editing_another_centres_delegate_is_404(world, manager_client):
    url = reverse("centres:delegate_edit", kwargs={"membership_id": world["b_delegate"].public_id})
    with assert_nothing_written(Membership):
        assert manager_client.post(url, _edit(world, answer1="Ward 1")).status_code == 404


# -- C6 bulk upload, C9 support tickets, reporting jobs ----------------------------------------


@pytest.mark.parametrize("action", ["delegates_bulk_confirm", "delegates_bulk_cancel"])
def test_confirming_or_cancelling_another_centres_upload_is_404(world, manager_client, action):
    url = reverse(f"centres:{action}", kwargs={"upload_id": world["b_upload"].public_id})
    with assert_nothing_written(BulkUpload, Membership):
        assert manager_client.post(url, {"welcome": "none"}).status_code == 404


def test_trying_again_another_centres_failed_upload_is_404(world, manager_client):
    # Failed with its file kept: the one state where "Try again" would save it.
    BulkUpload.objects.filter(pk=world["b_upload"].pk).update(status="failed", file="bulk/kept.xlsx")
    url = reverse("centres:delegates_bulk_retry", kwargs={"upload_id": world["b_upload"].public_id})
    with assert_nothing_written(BulkUpload, Membership):
        assert manager_client.post(url, {"welcome": "none"}).status_code == 404


def test_replying_to_another_centres_ticket_is_404(world, manager_client):
    url = reverse("centres:support_ticket", kwargs={"ticket_id": world["b_ticket"].public_id})
    with assert_nothing_written(SupportTicket, SupportTicketReply, OutboundEmail):
        assert manager_client.post(url, {"body": "Zanzibar reply"}).status_code == 404


@pytest.mark.parametrize("name", ["reporting:job", "reporting:download"])
def test_another_centres_report_job_is_404(world, manager_client, name):
    url = reverse(name, kwargs={"job_id": world["b_job"].public_id})
    with assert_nothing_written(ReportJob):
        assert manager_client.post(url).status_code in (404, 405)
        assert manager_client.get(url).status_code == 404


# -- Choosing a centre ---------------------------------------------------------------------------


def test_choosing_a_centre_without_a_usable_record_there_is_refused(world, login_as):
    person = world["delegate"].user
    # Waiting for approval at a third centre: listed, but not usable yet.
    third = CentreFactory(name="Charlie Clinic")
    membership_create(user=person, centre=third, registration_type="self", is_approved=False)
    client = login_as(person)
    for centre in (world["bravo"], third):
        with assert_nothing_written(AuditEvent):
            response = client.post(reverse("choose_centre"), {"centre": str(centre.public_id)})
        assert response.status_code in (200, 400)
        assert "Select one of the centres listed" in response.content.decode()
        assert client.session.get(SESSION_KEY) != centre.pk


def test_registering_with_a_centre_hidden_from_the_directory_is_refused(world, client):
    response = client.post(reverse("register_choose_centre"), {"centre": world["bravo"].code})
    assert response.status_code == 400
    assert "Select a centre from the list" in response.content.decode()


# -- C6 bulk upload: a workbook naming another centre's delegate ---------------------------------


def test_bulk_upload_row_naming_another_centres_delegate_is_an_error_and_writes_nothing(
    world, manager_client, tmp_path
):
    from accounts.models import User
    from centres.tests.test_bulk_import import membership_row
    from centres.tests.test_bulk_pages import upload_file, xlsx

    foreign = membership_row(world["b_delegate"], LastName="Renamed-Zanzibar", EmailAddress="new@alpha.nhs.example")
    with assert_nothing_written(Membership, User, WelcomeLink, OutboundEmail):
        response = upload_file(manager_client, xlsx(tmp_path, [foreign]))
        upload = BulkUpload.objects.for_centre(world["alpha"]).get()
        page = manager_client.get(response["Location"]).content.decode()
        confirm = manager_client.post(
            reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"}
        )
    assert f"DelegateID {world['b_delegate'].delegate_number} was not found at this centre" in page
    assert "Confirm and save" not in page
    assert confirm.status_code in (302, 400)
    assert Membership.objects.get(pk=world["b_delegate"].pk).user.last_name != "Renamed-Zanzibar"


# -- The helper itself ---------------------------------------------------------------------------


def test_the_helper_catches_an_insert_a_delete_and_an_update(world):
    delegate = world["delegate"]
    with pytest.raises(AssertionError, match="a row's values changed"), assert_nothing_written(Membership):
        Membership.objects.filter(pk=delegate.pk).update(answer1="Ward 2")
    with pytest.raises(AssertionError, match="rows"), assert_nothing_written(WelcomeLink):
        WelcomeLink.objects.create(
            centre=world["alpha"], membership=world["a_unclaimed"], token_hash="x" * 64, expires_at=timezone.now()
        )
    with (
        pytest.raises(AssertionError, match="filtered"),
        assert_nothing_written(Membership.objects.filter(pk=delegate.pk)),
    ):
        Membership.objects.filter(pk=delegate.pk).delete()

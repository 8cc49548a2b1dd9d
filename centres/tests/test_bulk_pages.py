"""U2/U4/U5: upload → preview → confirm → results, cancel, rejected files, the worker path."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centres.bulk import kind as bulk_kind
from centres.bulk import saving as bulk_saving
from centres.bulk import uploads as bulk_uploads
from centres.middleware import SESSION_KEY
from centres.models import AuditEvent, BulkUpload, Membership, RegistrationPrompt, WelcomeLink
from centres.roles import Role
from centres.tests.test_bulk_import import membership_row, random_row, row, workbook
from notifications.models import OutboundEmail
from reporting import imports
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return CentreFactory()


@pytest.fixture
def admin_client(centre, login_as):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    return login_as(admin.user, centre)


def xlsx(tmp_path, rows, name="delegates.xlsx") -> SimpleUploadedFile:
    path = workbook(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/octet-stream")


def people(count: int, start: int = 0) -> list[dict]:
    return [
        row(FirstName=f"Ada{n}", LastName=f"Okafor{n}", EmailAddress=f"ada{n}@trust.nhs.example")
        for n in range(start, start + count)
    ]


def upload_file(client, file):
    """Post the file; the check queued for the worker runs (eagerly in tests) on commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("centres:delegates_bulk"), {"file": file})


def test_upload_shows_a_preview_and_writes_nothing(tmp_path, centre, admin_client):
    existing = MembershipFactory(centre=centre)
    before = Membership.objects.for_centre(centre).count()
    rows = [*people(2), membership_row(existing), membership_row(existing, LastName="Renamed")]
    rows[3]["DelegateID"] = ""  # same person by email on a second row: an error
    response = upload_file(admin_client, xlsx(tmp_path, rows))
    upload = BulkUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id})
    assert (upload.status, upload.rows, upload.new, upload.unchanged) == ("preview", 4, 2, 0)
    assert [error["row"] for error in upload.errors] == [4, 5]
    page = admin_client.get(response["Location"])
    html = page.content.decode()
    assert "Check the changes before you save them" in html
    assert "2 rows to correct" in html
    assert "The EmailAddress is already in use by another delegate" in html
    assert "Confirm and save" not in html  # no confirm while any row has an error
    assert Membership.objects.for_centre(centre).count() == before


def test_confirm_saves_in_one_go_and_shows_results(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, people(3)))
    upload = BulkUpload.objects.get()
    page = admin_client.get(reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id}))
    assert "Confirm and save 3 delegates" in page.content.decode()
    response = admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"}
    )
    assert response.status_code == 302
    upload.refresh_from_db()
    assert (upload.status, upload.new, upload.updated, upload.unchanged) == ("committed", 3, 0, 0)
    assert not upload.file  # the personal data in the workbook is not kept
    assert Membership.objects.for_centre(centre).filter(user__email__startswith="ada").count() == 3
    event = AuditEvent.objects.for_centre(centre).get(action="delegates.bulk_uploaded")
    assert "delegates.xlsx: 3 rows, 3 new, 0 updated, 0 unchanged" in event.summary
    results = admin_client.get(response["Location"]).content.decode()
    assert "Delegates saved" in results
    assert "Not sent: send them from the delegate list" in results


def test_the_same_new_rows_twice_are_errors_not_silent_updates(tmp_path, centre, admin_client):
    """DLS: a row without DelegateID whose email a delegate here uses is an error."""
    file_rows = people(2)
    upload_file(admin_client, xlsx(tmp_path, file_rows))
    first = BulkUpload.objects.get()
    admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": first.public_id}), {"welcome": "none"}
    )
    upload_file(admin_client, xlsx(tmp_path, file_rows))
    second = BulkUpload.objects.exclude(pk=first.pk).get()
    assert (second.new, second.updated, second.unchanged) == (0, 0, 0)
    assert [error["messages"] for error in second.errors] == [
        ["The EmailAddress is already in use by another delegate"]
    ] * 2
    page = admin_client.get(reverse("centres:delegates_bulk_upload", kwargs={"upload_id": second.public_id}))
    assert "Confirm and save" not in page.content.decode()


def test_welcome_emails_now_or_on_a_date(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, people(2)))
    upload = BulkUpload.objects.get()
    url = reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id})
    past = admin_client.post(url, {"welcome": "later", "welcome_date": "1/1/2020"})
    assert past.status_code == 400
    assert "The date must be in the future" in past.content.decode()
    assert "<title>Error: " in past.content.decode()
    assert "Error: Error:" not in past.content.decode()
    day = timezone.localdate() + datetime.timedelta(days=3)
    admin_client.post(url, {"welcome": "later", "welcome_date": day.strftime("%d/%m/%Y")})
    links = WelcomeLink.objects.for_centre(centre)
    assert links.count() == 2
    assert all(link.send_after.date() == day for link in links)
    emails = OutboundEmail.objects.filter(template="centres/emails/welcome")
    assert emails.count() == 2
    assert all(email.send_after is not None and email.send_after.date() == day for email in emails)


def test_welcome_emails_now(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, people(2)))
    upload = BulkUpload.objects.get()
    admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "now"}
    )
    assert OutboundEmail.objects.filter(template="centres/emails/welcome").count() == 2


def test_cancel_keeps_nothing(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, people(2)))
    upload = BulkUpload.objects.get()
    path = upload.file.path
    response = admin_client.post(reverse("centres:delegates_bulk_cancel", kwargs={"upload_id": upload.public_id}))
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == "cancelled"
    assert not upload.file
    assert not os.path.exists(path)
    confirm = admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"}
    )
    assert confirm.status_code == 302
    assert Membership.objects.for_centre(centre).filter(user__email__startswith="ada").count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("delegates.csv", b"LastName,FirstName\n", "must be an Excel workbook (.xlsx)"),
        ("delegates.xlsx", b"not a zip at all", "not an Excel workbook (.xlsx), or it is damaged"),
        ("delegates.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "password-protected or in the old .xls format"),
    ],
)
def test_files_that_cannot_be_used_get_a_clear_message(centre, admin_client, name, content, message):
    before = Membership.objects.for_centre(centre).count()
    response = upload_file(admin_client, SimpleUploadedFile(name, content))
    if response.status_code == 400:  # refused before it was stored
        html = response.content.decode()
        assert BulkUpload.objects.count() == 0
    else:
        upload = BulkUpload.objects.get()
        assert upload.status == "rejected"
        html = admin_client.get(response["Location"]).content.decode()
        assert "The file cannot be used" in html
    assert message in html
    assert Membership.objects.for_centre(centre).count() == before


def test_no_file_chosen(admin_client):
    response = admin_client.post(reverse("centres:delegates_bulk"), {})
    assert response.status_code == 400
    assert "Select the Excel workbook (.xlsx) to upload" in response.content.decode()
    assert "<title>Error: Bulk upload delegates" in response.content.decode()  # said once (issue 16 item 11)


def test_wrong_headers_are_rejected_with_the_reason(tmp_path, centre, admin_client):
    path = workbook(tmp_path / "bad.xlsx", people(1), columns=["LastName", "Firstname"])
    response = upload_file(admin_client, SimpleUploadedFile("bad.xlsx", path.read_bytes()))
    html = admin_client.get(response["Location"]).content.decode()
    assert "Column FirstName is missing" in html
    assert "Unknown column Firstname" in html


def test_a_big_file_is_checked_and_saved_by_the_worker(tmp_path, centre, admin_client, monkeypatch, settings):
    """The check, and above the inline limit the save, are queued: the page shows progress until a worker
    (here run by hand, as Celery would) finishes it, then the outcome."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(bulk_kind, "INLINE_MAX_ROWS", 2)
    monkeypatch.setattr("centres.tasks.bulk_upload_validate_task.delay", lambda pk: queued.append(("v", pk)))
    monkeypatch.setattr("centres.tasks.bulk_upload_commit_task.delay", lambda pk: queued.append(("c", pk)))
    with_commit_hooks = TestCase.captureOnCommitCallbacks
    response = upload_file(admin_client, xlsx(tmp_path, people(5)))
    upload = BulkUpload.objects.get()
    assert upload.status == "validating"
    waiting = admin_client.get(response["Location"]).content.decode()
    assert "Checking your spreadsheet" in waiting
    assert 'role="status" id="bulk-progress-status"' in waiting
    assert "app-progress__bar" in waiting
    assert queued == [("v", upload.pk)]
    bulk_uploads.bulk_upload_validate(upload_id=upload.pk)
    # htmx polling gets told to reload once the work is done.
    poll = admin_client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll.status_code == 204
    assert poll["HX-Refresh"] == "true"
    with with_commit_hooks(execute=True):
        admin_client.post(
            reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"}
        )
    upload.refresh_from_db()
    assert upload.status == "committing"
    assert queued[-1] == ("c", upload.pk)
    assert "Saving the delegates" in admin_client.get(response["Location"]).content.decode()
    bulk_uploads.bulk_upload_commit(upload_id=upload.pk)
    bulk_uploads.bulk_upload_commit(upload_id=upload.pk)  # a redelivered task does nothing more
    upload.refresh_from_db()
    assert (upload.status, upload.new) == ("committed", 5)
    assert Membership.objects.for_centre(centre).filter(user__email__startswith="ada").count() == 5


def test_progress_is_reported_while_validating(tmp_path, centre, monkeypatch):
    monkeypatch.setattr("centres.bulk.validation.PROGRESS_EVERY", 2)
    seen = []
    monkeypatch.setattr(imports.cache, "set", lambda key, value, ttl: seen.append(value))
    upload = BulkUpload.objects.create(
        centre=centre, uploaded_by=MembershipFactory(centre=centre).user, file_name="delegates.xlsx"
    )
    upload.file.save("x.xlsx", io.BytesIO(workbook(tmp_path / "d.xlsx", people(6)).read_bytes()))
    bulk_uploads.bulk_upload_validate(upload_id=upload.pk)
    assert seen == [0, 33, 66]


def test_a_change_after_the_preview_that_makes_a_row_invalid_saves_nothing(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, people(2)))
    upload = BulkUpload.objects.get()
    # Meanwhile the centre makes a registration question mandatory: the file has no answers.
    RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", is_mandatory=True)
    admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"}
    )
    upload.refresh_from_db()
    assert upload.status == "failed"
    assert upload.message == "The delegates changed since the preview: upload the file again"
    assert not upload.file
    assert not Membership.objects.for_centre(centre).filter(user__email__startswith="ada").exists()
    page = admin_client.get(reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id}))
    assert "The delegates were not saved" in page.content.decode()


def test_a_conflicting_save_gets_a_plain_message(tmp_path, centre, admin_client, monkeypatch):
    upload_file(admin_client, xlsx(tmp_path, people(2)))
    upload = BulkUpload.objects.get()

    def collide(**kwargs):
        Membership.objects.bulk_create([Membership(user=kwargs["uploaded_by"], centre=centre, delegate_number="X")])
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(bulk_saving, "commit", collide)
    admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"}
    )
    upload.refresh_from_db()
    assert upload.status == "failed"
    assert upload.message == "Another change to these delegates was saved at the same time: try again"
    assert not Membership.objects.filter(delegate_number="X").exists()
    # The file was fine: the page offers "Try again" (not "upload the corrected spreadsheet").
    page_url = reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id})
    page = admin_client.get(page_url).content.decode()
    assert "Try again" in page
    assert "Upload the corrected spreadsheet" not in page
    monkeypatch.undo()
    retried = admin_client.post(reverse("centres:delegates_bulk_retry", kwargs={"upload_id": upload.public_id}))
    assert retried["Location"] == page_url
    upload.refresh_from_db()
    assert (upload.status, upload.new) == ("committed", 2)
    assert "Delegates saved" in admin_client.get(page_url).content.decode()


def test_only_delegate_managers_may_upload(tmp_path, centre, login_as):
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    client = login_as(educator.user, centre)
    assert client.get(reverse("centres:delegates_bulk")).status_code == 403
    assert upload_file(client, xlsx(tmp_path, people(1))).status_code == 403
    assert BulkUpload.objects.count() == 0


def test_previews_left_for_a_week_are_cancelled_and_their_files_deleted(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, people(1)))
    upload_file(admin_client, xlsx(tmp_path, people(1, start=5)))
    old, recent = BulkUpload.objects.order_by("pk")
    BulkUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    old_path = old.file.path
    assert bulk_uploads.bulk_uploads_expire() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, bool(old.file), os.path.exists(old_path)) == ("cancelled", False, False)
    assert (recent.status, bool(recent.file)) == ("preview", True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(random_row, min_size=1, max_size=4))
def test_random_cells_through_the_pages_never_500_or_half_write(tmp_path_factory, rows):
    centre = CentreFactory()
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    client = Client(raise_request_exception=False)
    client.force_login(admin.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    before = Membership.objects.for_centre(centre).count()
    path = workbook(tmp_path_factory.mktemp("h") / "random.xlsx", rows)
    response = upload_file(client, SimpleUploadedFile("random.xlsx", path.read_bytes()))
    assert response.status_code in {302, 400}
    if response.status_code == 400:
        return
    assert client.get(response["Location"]).status_code == 200
    upload = BulkUpload.objects.for_centre(centre).get()
    confirm = client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "now"}
    )
    assert confirm.status_code == 302
    upload.refresh_from_db()
    after = Membership.objects.for_centre(centre).count()
    if upload.status == BulkUpload.Status.COMMITTED:
        assert after == before + upload.new
    else:
        assert upload.status in {BulkUpload.Status.PREVIEW, BulkUpload.Status.REJECTED}  # confirm refused
        assert after == before
    assert client.get(response["Location"]).status_code == 200


# File names as a browser can send them (Django refuses "/" and "." itself when the test builds the file).
# Surrogates (category Cs) cannot be encoded in a multipart body at all: the test client, like
# a browser, could never send them.
file_names = st.text(
    alphabet=st.characters(exclude_characters="/\\\x00", exclude_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda name: name.strip(". ") != "")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2000), name=file_names)
def test_random_bytes_and_names_never_500(content, name):
    centre = CentreFactory()
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    client = Client(raise_request_exception=False)
    client.force_login(admin.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    response = client.post(reverse("centres:delegates_bulk"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code in {302, 400}
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200


def test_a_colleague_who_confirms_is_recorded_as_making_the_change(tmp_path, centre, admin_client, login_as):
    upload_file(admin_client, xlsx(tmp_path, people(1)))
    upload = BulkUpload.objects.get()
    colleague = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    client = login_as(colleague.user, centre, test_client=Client())
    client.post(reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"})
    upload.refresh_from_db()
    assert (upload.status, upload.confirmed_by) == ("committed", colleague.user)
    event = AuditEvent.objects.for_centre(centre).get(action="delegates.bulk_uploaded")
    assert event.actor == colleague.user

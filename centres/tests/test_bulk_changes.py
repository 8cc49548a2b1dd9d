"""Issue 16 item 6: the bulk upload's stored list of who is added and what changes, the person
named on each error row, the results list and each recent upload's true status."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.bulk import changes as bulk_changes
from centres.bulk import uploads as bulk_uploads
from centres.bulk.reading import read_workbook
from centres.bulk.validation import validate
from centres.models import BulkUpload, Membership, RegistrationPrompt
from centres.ownership import EXISTING_ACCOUNT
from centres.roles import Role
from centres.tests.test_bulk_import import membership_row, row, workbook
from centres.tests.test_bulk_pages import people, upload_file, xlsx
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return CentreFactory()


@pytest.fixture
def admin_client(centre, login_as):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    return login_as(admin.user, centre)


def summary_of(tmp_path, centre, rows) -> dict:
    return validate(centre=centre, rows=read_workbook(workbook(tmp_path / "file.xlsx", rows))).summary()


def test_new_people_and_each_update_in_words(tmp_path, centre):
    worker = MembershipFactory(centre=centre, job_group_id=4, alias_id="A1")
    RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward")
    same = MembershipFactory(centre=centre)
    summary = summary_of(
        tmp_path,
        centre,
        [
            row(FirstName="Ada", LastName="New", EmailAddress="ada.new@trust.nhs.example"),
            membership_row(worker, JobGroupID=2, AliasID="", Answer1="Ward 9", Active=False),
            membership_row(same),
        ],
    )
    assert (summary["new"], summary["updated"], summary["unchanged"], summary["people_more"]) == (1, 1, 1, 0)
    new, updated = summary["people"]
    assert new == {"row": 2, "kind": "new", "name": "Ada New", "email": "ada.new@trust.nhs.example", "changes": []}
    assert updated["row"] == 3
    assert updated["kind"] == "updated"
    assert updated["number"] == worker.delegate_number
    assert updated["changes"] == [
        "Alias ID: A1 → (blank)",
        "Job group: Healthcare support worker → Doctor / surgeon / consultant / dentist",
        "Ward: (blank) → Ward 9",
        "Active: Yes → No",
    ]
    json.dumps(summary)  # stored as JSON


def test_name_email_and_prn_changes(tmp_path, centre):
    delegate = MembershipFactory(centre=centre, has_prn=True, prn="1234567")
    summary = summary_of(
        tmp_path,
        centre,
        [
            membership_row(
                delegate, FirstName="Renamed", EmailAddress="moved@trust.nhs.example", HasPRN=True, PRN="7654321"
            )
        ],
    )
    (person,) = summary["people"]
    user = delegate.user
    assert person["changes"] == [
        f"Name: {user.first_name} {user.last_name} → Renamed {user.last_name}",
        f"Email: {user.email} → moved@trust.nhs.example",
        "PRN: changed",  # the numbers need the PRN permission to see: not shown
    ]
    assert "1234567" not in json.dumps(summary)


def test_the_list_is_bounded_and_counts_the_rest(tmp_path, centre, monkeypatch):
    monkeypatch.setattr(bulk_changes, "PEOPLE_STORED", 3)
    summary = summary_of(tmp_path, centre, people(5))
    assert [person["row"] for person in summary["people"]] == [2, 3, 4]
    assert summary["people_more"] == 2


def test_error_rows_name_the_person_the_file_names(tmp_path, centre):
    summary = summary_of(tmp_path, centre, [row(FirstName="Bea", LastName="Cole", EmailAddress="broken")])
    assert summary["errors"] == [
        {"row": 2, "messages": [summary["errors"][0]["messages"][0]], "name": "Bea Cole", "email": "broken"}
    ]
    assert summary["error_rows"] == 1
    assert summary["people"] == []


def test_another_centres_person_is_not_revealed(tmp_path, centre):
    """A row naming the email of someone outside the centre stays the existing error ("an
    existing account", not where) and shows only what the file typed, never their details."""
    elsewhere = MembershipFactory(
        centre=CentreFactory(), user=UserFactory(first_name="Secret", last_name="Person", email="secret@other.example")
    )
    other = UserFactory(first_name="Hidden", last_name="Someone", email="hidden@other.example")
    here = MembershipFactory(centre=centre)
    summary = summary_of(
        tmp_path,
        centre,
        [
            row(FirstName="Typed", LastName="Name", EmailAddress="secret@other.example"),
            membership_row(here, EmailAddress="HIDDEN@other.example"),
        ],
    )
    first, second = summary["errors"]
    assert first["messages"] == [EXISTING_ACCOUNT]
    assert second["messages"] == ["EmailAddress hidden@other.example is already used by another person's account"]
    assert (first["name"], first["email"]) == ("Typed Name", "secret@other.example")
    assert second["name"] == f"{here.user.first_name} {here.user.last_name}"  # the file's text
    stored = json.dumps(summary)
    for detail in ("Secret", "Person", "Hidden", "Someone", elsewhere.delegate_number, elsewhere.centre.name):
        assert detail not in stored
    assert other.pk


# -- pages ----------------------------------------------------------------------------------


def _page(client, upload, **params):
    url = reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id})
    return client.get(url, params).content.decode()


def test_preview_and_results_list_who_is_added_and_what_changes(tmp_path, centre, admin_client):
    worker = MembershipFactory(centre=centre, job_group_id=4)
    upload_file(admin_client, xlsx(tmp_path, [*people(1), membership_row(worker, JobGroupID=2)]))
    upload = BulkUpload.objects.get()
    html = _page(admin_client, upload)
    assert "Who will be added or updated" in html
    assert "ada0@trust.nhs.example" in html
    assert "New delegate" in html
    assert "Job group: Healthcare support worker → Doctor / surgeon / consultant / dentist" in html
    admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "none"}
    )
    results = _page(admin_client, upload)
    assert "Delegates saved" in results
    assert "Who was added or updated" in results
    assert "What changed" in results
    assert "ada0@trust.nhs.example" in results
    assert "Job group: Healthcare support worker → Doctor / surgeon / consultant / dentist" in results


def test_error_rows_show_the_person(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, [row(FirstName="Bea", LastName="Cole", EmailAddress="broken")]))
    html = _page(admin_client, BulkUpload.objects.get())
    assert "Delegate in the file" in html
    assert "Bea Cole" in html


def test_people_pages_in_constant_queries(tmp_path, centre, admin_client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr("centres.views.bulk.PEOPLE_PER_PAGE", 5)
    upload_file(admin_client, xlsx(tmp_path, people(3)))
    small = BulkUpload.objects.get()
    upload_file(admin_client, xlsx(tmp_path, people(12, start=10), name="big.xlsx"))
    big = BulkUpload.objects.exclude(pk=small.pk).get()
    _page(admin_client, small)  # warm the session and caches
    with CaptureQueriesContext(connection) as small_queries:
        _page(admin_client, small)
    with django_assert_num_queries(len(small_queries)):
        html = _page(admin_client, big, people=2)
    assert "page 2 of 3" in html
    assert "ada15@trust.nhs.example" in html
    assert "ada10@trust.nhs.example" not in html


def _upload(centre, user, **fields):
    return BulkUpload.objects.create(centre=centre, uploaded_by=user, file_name=f"{fields['status']}.xlsx", **fields)


def test_recent_uploads_show_each_true_status(centre, admin_client, django_assert_num_queries):
    user = Membership.objects.for_centre(centre).first().user
    now = timezone.now()
    _upload(centre, user, status="validating")
    _upload(centre, user, status="preview", error_rows=3, errors=[{"row": 2, "messages": ["x"]}] * 3)
    _upload(centre, user, status="preview")
    _upload(centre, user, status="committing")
    _upload(centre, user, status="committed", finished_at=now)
    expected = ["Saved", "Saving", "Ready to confirm", "3 rows to correct", "Checking"]
    assert [text for _upload_, text, _tag in bulk_uploads.recent_uploads(centre)] == expected
    with django_assert_num_queries(1):
        bulk_uploads.recent_uploads(centre)
    html = admin_client.get(reverse("centres:delegates_bulk")).content.decode()
    for text in expected:
        assert text in html


def test_failed_cancelled_and_expired(centre):
    user = MembershipFactory(centre=centre).user
    failed = _upload(centre, user, status="failed", message="stopped")
    failed.file.save("f.xlsx", __import__("io").BytesIO(b"x"), save=True)
    _upload(centre, user, status="failed")
    _upload(centre, user, status="cancelled")
    _upload(centre, user, status="cancelled", message=bulk_uploads.EXPIRED_MESSAGE)
    texts = [text for _upload_, text, _tag in bulk_uploads.recent_uploads(centre, limit=10)]
    assert sorted(texts) == sorted(["Failed — try again", "Failed", "Cancelled", "Expired"])
    failed.file.delete(save=False)


def test_cancel_forgets_who_the_file_named(tmp_path, centre, admin_client):
    upload_file(admin_client, xlsx(tmp_path, people(2)))
    upload = BulkUpload.objects.get()
    assert len(upload.people) == 2
    admin_client.post(reverse("centres:delegates_bulk_cancel", kwargs={"upload_id": upload.public_id}))
    upload.refresh_from_db()
    assert (upload.status, upload.people, upload.people_more) == ("cancelled", [], 0)

"""S7 pages: the manual queue (issue/reject one or many, reasons, history), the staff lists
with progress (constant queries at two sizes), complete and bypass, the ESR upload page;
who may use them, and another trust's ids."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from staffpassport.models import EsrImport, StaffCredential, StaffMember
from staffpassport.tests.esr_helpers import esr_file, esr_import_rows, manual_issue, person_row, required_codes
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
ADMIN = person_row("30000001", "Tom", "Hughes")
RECENT = (date.today() - timedelta(days=30)).isoformat()  # awarded recently enough not to have expired


@pytest.fixture
def trust():
    centre = CentreFactory(code="LTHT")
    manual_issue(centre, "dbs-basic")
    return centre


@pytest.fixture
def admin(trust, role_member, login_as):
    member = role_member(trust, Role.SENIOR_PORTAL_ADMIN)
    return login_as(member.user, trust), member.user


def _waiting(centre):
    return StaffCredential.objects.for_centre(centre).filter(status=StaffCredential.Status.WAITING)


def test_only_senior_portal_administrators_reach_the_pages(trust, role_member, login_as):
    client = login_as(role_member(trust, Role.CENTRE_MANAGER).user, trust)
    for name in ("staff_awaiting", "credentials_waiting", "esr_upload"):
        assert client.get(reverse(f"staffpassport:{name}")).status_code == 403


def test_issue_many_and_reject_one_with_a_reason_keeping_history(trust, admin):
    client, user = admin
    esr_import_rows(
        trust,
        f"{ADMIN},dbs-basic,D1,2025-01-01,",
        f"{person_row('30000002', 'Ann', 'Lee')},dbs-basic,D2,2025-01-01,",
        f"{person_row('30000003', 'Bo', 'Li')},dbs-basic,D3,2025-01-01,",
    )
    first, second, third = _waiting(trust).order_by("reference")
    page = client.get(reverse("staffpassport:credentials_waiting"))
    assert page.status_code == 200
    assert "3 credentials waiting" in page.content.decode()
    selected_all = client.get(reverse("staffpassport:credentials_waiting") + "?select=all").content.decode()
    assert selected_all.count(" checked") == 3

    no_reason = client.post(
        reverse("staffpassport:credentials_waiting"), {"credentials": [first.public_id], "action": "reject"}
    )
    assert no_reason.status_code == 400
    assert "Enter why the credentials are rejected" in no_reason.content.decode()
    assert _waiting(trust).count() == 3

    nothing = client.post(reverse("staffpassport:credentials_waiting"), {"action": "issue"})
    assert "Select at least one credential" in nothing.content.decode()

    response = client.post(
        reverse("staffpassport:credentials_waiting"),
        {"credentials": [first.public_id, second.public_id], "action": "issue"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.issued_by) == (StaffCredential.Status.ISSUED, user)
    client.post(
        reverse("staffpassport:credentials_waiting"),
        {"credentials": [third.public_id], "action": "reject", "reason": "Certificate number does not match"},
    )
    third.refresh_from_db()
    assert (third.status, third.rejection_reason) == ("rejected", "Certificate number does not match")
    history = client.get(reverse("staffpassport:credential_detail", kwargs={"credential_id": third.public_id}))
    text = history.content.decode()
    assert "Rejected: Certificate number does not match" in text
    assert user.get_full_name() in text
    assert "From the ESR feed test.csv" in text
    assert AuditEvent.objects.filter(centre=trust, action="staffpassport.credential_issued").count() == 2

    again = client.post(
        reverse("staffpassport:credentials_waiting"), {"credentials": [first.public_id], "action": "issue"}
    )
    assert "already issued or rejected" in again.content.decode()


def test_another_trusts_or_a_tampered_credential_issues_nothing(trust, admin):
    client, _ = admin
    other = CentreFactory()
    manual_issue(other, "dbs-basic")
    esr_import_rows(other, f"{ADMIN},dbs-basic,B1,2025-01-01,")
    esr_import_rows(trust, f"{ADMIN},dbs-basic,A1,2025-01-01,")
    theirs, ours = _waiting(other).get(), _waiting(trust).get()
    for chosen in ([theirs.public_id, ours.public_id], [ours.public_id, "not-a-uuid"], [uuid.uuid4()]):
        response = client.post(reverse("staffpassport:credentials_waiting"), {"credentials": chosen, "action": "issue"})
        assert "no longer exists" in response.content.decode()
    assert _waiting(other).count() == _waiting(trust).count() == 1
    assert (
        client.get(reverse("staffpassport:credential_detail", kwargs={"credential_id": theirs.public_id})).status_code
        == 404
    )
    member = StaffMember.objects.for_centre(other).get()
    for name in ("staff_detail", "staff_bypass"):
        assert client.get(reverse(f"staffpassport:{name}", kwargs={"staff_id": member.public_id})).status_code == 404
    assert (
        client.post(reverse("staffpassport:staff_complete", kwargs={"staff_id": member.public_id})).status_code == 404
    )


def _people(centre, count: int, start: int = 0):
    rows = []
    for n in range(start, start + count):
        rows.append(f"{person_row(f'4{n:07d}', 'Person', f'Number{n}')},cstf-fire-safety,,2025-01-01,")
    esr_import_rows(centre, *rows)


@pytest.mark.parametrize("status_name", ["staff_awaiting", "staff_reviewed"])
def test_the_staff_lists_cost_the_same_queries_at_two_sizes(trust, admin, django_assert_max_num_queries, status_name):
    client, _ = admin
    _people(trust, 3)
    if status_name == "staff_reviewed":
        StaffMember.objects.for_centre(trust).update(
            passport_status="reviewed", review_outcome="bypassed", reviewed_at="2026-01-01T00:00Z"
        )
    url = reverse(f"staffpassport:{status_name}")
    client.get(url)
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    _people(trust, 40, start=100)
    if status_name == "staff_reviewed":
        StaffMember.objects.for_centre(trust).update(
            passport_status="reviewed", review_outcome="bypassed", reviewed_at="2026-01-01T00:00Z"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    text = response.content.decode()
    assert "43 staff passports" in text
    if status_name == "staff_awaiting":
        total = len(required_codes())
        assert f"1 of {total}" in text


def test_complete_is_offered_only_when_every_required_credential_is_issued(trust, admin):
    client, user = admin
    codes = required_codes()
    rows = [f"{ADMIN},{code},,{RECENT}," for code in codes if code != "cstf-fire-safety"]
    esr_import_rows(trust, *rows)
    member = StaffMember.objects.for_centre(trust).get()
    url = reverse("staffpassport:staff_detail", kwargs={"staff_id": member.public_id})
    page = client.get(url).content.decode()
    assert "becomes available when all" in page
    assert "disabled" in page
    refused = client.post(reverse("staffpassport:staff_complete", kwargs={"staff_id": member.public_id}), follow=True)
    assert "still needs 1 of the" in refused.content.decode()
    esr_import_rows(trust, *rows, f"{ADMIN},cstf-fire-safety,,{RECENT},")
    page = client.get(url).content.decode()
    assert "Every credential required is issued" in page
    client.post(reverse("staffpassport:staff_complete", kwargs={"staff_id": member.public_id}))
    member.refresh_from_db()
    assert (member.passport_status, member.review_outcome, member.reviewed_by) == ("reviewed", "completed", user)
    assert AuditEvent.objects.filter(action="staffpassport.credentials_required_completed").count() == 1


def test_bypass_needs_a_reason_on_a_confirmation_page_and_is_audited(trust, admin):
    client, _ = admin
    esr_import_rows(trust, f"{ADMIN},cstf-fire-safety,,{RECENT},")
    member = StaffMember.objects.for_centre(trust).get()
    url = reverse("staffpassport:staff_bypass", kwargs={"staff_id": member.public_id})
    assert "Bypass credentials required for Tom Hughes?" in client.get(url).content.decode()
    blank = client.post(url, {"reason": "   "})
    assert blank.status_code == 400
    assert "Enter why you are bypassing" in blank.content.decode()
    member.refresh_from_db()
    assert member.passport_status == "awaiting_credentials"
    client.post(url, {"reason": "Checked on paper by recruitment"})
    member.refresh_from_db()
    assert (member.passport_status, member.review_outcome) == ("reviewed", "bypassed")
    event = AuditEvent.objects.get(action="staffpassport.credentials_required_bypassed")
    assert "Checked on paper by recruitment" in event.summary
    assert "already been reviewed" in client.get(url, follow=True).content.decode()


def test_the_upload_page_previews_row_errors_then_saves_a_corrected_file(trust, admin):
    client, _ = admin
    bad = esr_file(f"{ADMIN},dbs-basic,D1,2025-01-01,", f"{person_row('', 'No', 'Number')},,,,")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker's check (eager in tests)
        response = client.post(
            reverse("staffpassport:esr_upload"), {"file": SimpleUploadedFile("feed.csv", bad.getvalue())}
        )
    text = client.get(response["Location"]).content.decode()
    assert "1 row to correct" in text
    assert "Enter the assignment number" in text
    assert not StaffMember.objects.exists()
    good = esr_file(f"{ADMIN},dbs-basic,D1,2025-01-01,", f"{ADMIN},cstf-fire-safety,,2025-01-01,")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("staffpassport:esr_upload"), {"file": SimpleUploadedFile("feed2.csv", good.getvalue())}
        )
    text = client.get(response["Location"]).content.decode()
    assert "Will wait for manual issue" in text
    esr_import = EsrImport.objects.for_centre(trust).get(file_name="feed2.csv")
    confirm = reverse("staffpassport:esr_confirm", kwargs={"import_id": esr_import.public_id})
    saved = client.post(confirm, follow=True).content.decode()
    assert "ESR feed saved" in saved
    assert _waiting(trust).count() == 1
    assert StaffCredential.objects.for_centre(trust).filter(status="issued").count() == 1
    esr_import.refresh_from_db()
    assert esr_import.status == "committed"
    assert not esr_import.file
    assert "already been saved" in client.post(confirm, follow=True).content.decode()
    assert StaffCredential.objects.count() == 2


def test_the_upload_page_refuses_a_file_that_is_not_csv(trust, admin):
    client, _ = admin
    response = client.post(reverse("staffpassport:esr_upload"), {"file": SimpleUploadedFile("feed.xlsx", b"PK\x03")})
    assert response.status_code == 400
    assert "The file must be a CSV file" in response.content.decode()
    assert not EsrImport.objects.exists()


def test_another_trusts_import_is_not_found(trust, admin):
    client, _ = admin
    other = EsrImport.objects.create(centre=CentreFactory(), file_name="secret.csv", status="preview")
    for name in ("esr_import", "esr_confirm", "esr_cancel"):
        method = client.get if name == "esr_import" else client.post
        assert method(reverse(f"staffpassport:{name}", kwargs={"import_id": other.public_id})).status_code == 404
    other.refresh_from_db()
    assert other.status == "preview"


def test_a_senior_administrators_home_page_says_what_waits(trust, admin):
    """Issue 16 item 1: credentials waiting for manual issue and staff awaiting credentials are
    on the home page's "To do", linked to their pages."""
    client, _user = admin
    esr_import_rows(trust, f"{ADMIN},dbs-basic,D1,2025-01-01,")
    body = client.get("/").content.decode()
    todo = body[body.index('id="home-todo"') :]
    assert "1 credential waiting for manual issue" in todo
    assert reverse("staffpassport:credentials_waiting") in todo
    assert "1 staff passport awaiting credentials" in todo


def test_an_issued_credential_past_its_expiry_date_reads_expired(trust, admin):
    client, _ = admin
    esr_import_rows(
        trust, f"{ADMIN},cstf-fire-safety,,2024-06-01,2025-06-01", f"{ADMIN},cstf-health-safety,,2025-06-01,2099-06-01"
    )
    member = StaffMember.objects.for_centre(trust).get()
    expired, current = StaffCredential.objects.for_centre(trust).order_by("expires_on")
    assert (expired.status, current.status) == ("issued", "issued")
    page = client.get(reverse("staffpassport:staff_detail", kwargs={"staff_id": member.public_id})).content.decode()
    assert len(re.findall(r">\s*Expired\s*<", page)) == 1
    assert "nhsuk-tag--orange" in page
    # An expired credential no longer meets a requirement: only the current one counts.
    assert re.search(r"\b1 of \d+ issued", page), re.findall(r"\d+ of \d+[^<]*", page)
    detail = client.get(reverse("staffpassport:credential_detail", kwargs={"credential_id": expired.public_id}))
    assert "Expired" in detail.content.decode()
    detail = client.get(reverse("staffpassport:credential_detail", kwargs={"credential_id": current.public_id}))
    assert "Expired" not in detail.content.decode()

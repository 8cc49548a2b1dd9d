"""Issue 12 finding 7: bulk upload costs grow with the file, not with the centre (ADR 0022).

Validation reads only the delegate records the file names; the commit's welcome emails are
set-based (a few INSERTs whatever the number of new delegates)."""

import contextlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centres.bulk.reading import read_workbook
from centres.bulk.saving import commit
from centres.bulk.validation import NEW, UPDATE, validate
from centres.models import AuditEvent, Membership, WelcomeLink
from centres.tests.test_bulk_import import membership_row, row, workbook
from notifications.models import OutboundEmail
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def rows_read():
    """Counts the rows every SELECT returns (psycopg's rowcount), through Django's execute wrapper."""
    counted = {"rows": 0}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("SELECT") and context["cursor"].rowcount > 0:
            counted["rows"] += context["cursor"].rowcount
        return result

    with connection.execute_wrapper(wrapper):
        yield counted


def test_validation_reads_only_the_records_the_file_names(tmp_path, centre):
    others = MembershipFactory.create_batch(150, centre=centre)
    named = others[0]
    parsed = read_workbook(
        workbook(
            tmp_path / "two.xlsx",
            [membership_row(named, AliasID="changed"), row(EmailAddress="someone.new@t.nhs.uk")],
        )
    )
    with rows_read() as counted:
        preview = validate(centre=centre, rows=parsed)
    assert [result.status for result in preview.results] == [UPDATE, NEW]
    # The named record (found by its DelegateID and by its email), the prompts, the 20-odd job
    # groups: never the 150 other delegate records of the centre.
    assert counted["rows"] < 60, counted


def test_lookups_match_delegate_ids_in_any_case_and_emails_of_this_centre_only(tmp_path, centre):
    mine = MembershipFactory(centre=centre, delegate_number="AB123")
    elsewhere = MembershipFactory(centre=CentreFactory())
    preview = validate(
        centre=centre,
        rows=read_workbook(
            workbook(
                tmp_path / "f.xlsx",
                [
                    membership_row(mine, DelegateID="ab123", AliasID="x"),
                    row(EmailAddress=elsewhere.user.email.upper(), FirstName="Someone"),
                    row(EmailAddress="new.person@t.nhs.uk", DelegateID=elsewhere.delegate_number),
                ],
            )
        ),
    )
    first, second, third = preview.results
    assert (first.status, first.membership) == (UPDATE, mine)
    assert second.membership is None  # a person with an account elsewhere joins as a new delegate here
    assert third.messages == [f"DelegateID {elsewhere.delegate_number} was not found at this centre"]


def _commit_with_welcome(tmp_path, centre, uploader, count):
    rows = [row(EmailAddress=f"welcome{count}-{n}@t.nhs.uk", FirstName=f"P{n}") for n in range(count)]
    preview = validate(centre=centre, rows=read_workbook(workbook(tmp_path / f"w{count}.xlsx", rows)))
    with CaptureQueriesContext(connection) as queries:
        result = commit(centre=centre, preview=preview, uploaded_by=uploader, file_name="w.xlsx", welcome_emails=True)
    return result, len(queries)


def test_welcome_emails_of_a_bulk_upload_are_set_based(tmp_path, centre, django_capture_on_commit_callbacks):
    uploader = UserFactory()
    with django_capture_on_commit_callbacks():
        _commit_with_welcome(tmp_path, centre, uploader, 2)  # first use: the number counter is created
        _, few = _commit_with_welcome(tmp_path, centre, uploader, 3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result, many = _commit_with_welcome(tmp_path, centre, uploader, 40)
    assert many == few, (few, many)  # 7 more queries per new delegate before
    assert len(callbacks) >= 1

    created = [m.pk for m in result.created]
    assert WelcomeLink.objects.for_centre(centre).filter(membership_id__in=created).count() == 40
    assert Membership.objects.filter(pk__in=created, welcome_email_sent_at__isnull=False).count() == 40
    emails = OutboundEmail.objects.filter(template="centres/emails/welcome", to__contains=["welcome40-7@t.nhs.uk"])
    email = emails.get()
    assert email.subject == f"Verify your registration with {centre.name}"
    assert Membership.objects.get(user__email="welcome40-7@t.nhs.uk").delegate_number in email.text_body
    assert "/welcome/" in email.text_body
    assert email.status == OutboundEmail.Status.SENT  # delivered after commit (in-process without a worker)
    assert AuditEvent.objects.filter(centre=centre, action="welcome.sent").count() == 45


def test_a_welcome_link_from_a_bulk_upload_works(tmp_path, centre, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _commit_with_welcome(tmp_path, centre, UserFactory(), 1)
    body = OutboundEmail.objects.get(template="centres/emails/welcome").text_body
    url = next(line for line in body.splitlines() if "/welcome/" in line).strip()
    response = client.get(url[url.index("/welcome/") :])
    assert response.status_code == 200
    assert b"password" in response.content.lower()

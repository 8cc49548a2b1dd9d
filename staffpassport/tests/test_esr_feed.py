"""S7 the ESR feed: reading, per-row errors, preview counts, the atomic commit, automatic and
manual issuance, history, another trust's assignment numbers, and the command."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from centres.models import AuditEvent
from reporting.imports import import_commit, import_preview
from staffpassport.esr.kind import KIND
from staffpassport.esr.reading import HEADING, EsrFeedError, esr_feed_read
from staffpassport.models import AutoIssuanceSetting, Credential, StaffCredential, StaffMember
from tests.factories import CentreFactory

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "esr-example.csv"
pytestmark = pytest.mark.django_db


def feed(*rows: str, heading: str = ",".join(HEADING)) -> io.BytesIO:
    return io.BytesIO(("\n".join([heading, *rows]) + "\n").encode())


NURSE = "20000001,Grace,Marsh,grace@nhs.net,Nursing and Midwifery Registered,,New starter,2026-01-05"


def dbs_manual(centre):
    AutoIssuanceSetting.objects.create(
        centre=centre, credential=Credential.objects.get(code="dbs-enhanced-barred"), automatic=False
    )


def test_the_example_file_imports_issuing_what_is_automatic_and_queuing_the_rest():
    centre = CentreFactory(code="LTHT")
    dbs_manual(centre)
    with EXAMPLE.open("rb") as handle:
        preview = import_preview(KIND, file=handle, centre=centre)
        assert not preview.has_errors
        counts = preview.counts
        assert (counts.rows, counts.new_staff, counts.new_credentials) == (8, 4, 7)
        assert (counts.issued_automatically, counts.waiting) == (6, 1)
        assert StaffMember.objects.count() == 0  # the preview writes nothing
        import_commit(KIND, preview=preview, centre=centre, file_name="esr-example.csv")
    amara = StaffMember.objects.for_centre(centre).get(esr_assignment_number="10234567")
    assert amara.employment_type == "new_starter"
    dbs = amara.credentials.get(credential__code="dbs-enhanced-barred")
    assert dbs.status == StaffCredential.Status.WAITING
    assert str(dbs.expires_on) == "2028-11-30"  # three years' validity from the catalogue
    assert amara.credentials.get(credential__code="nmc-registration").status == StaffCredential.Status.ISSUED
    assert dbs.history.count() == 1
    assert dbs.history.first().history_change_reason == "From the ESR feed esr-example.csv"
    assert AuditEvent.objects.filter(centre=centre, action="staffpassport.esr_imported").count() == 1


def test_the_same_feed_again_changes_nothing_and_a_changed_credential_is_changed():
    centre = CentreFactory()
    dbs_manual(centre)
    first = feed(f"{NURSE},dbs-enhanced-barred,0001,2025-01-01,", f"{NURSE},cstf-fire-safety,,2025-02-01,")
    import_commit(KIND, preview=import_preview(KIND, file=first, centre=centre), centre=centre)
    again = import_preview(KIND, file=first, centre=centre)
    assert (again.counts.unchanged_staff, again.counts.unchanged_credentials, again.counts.changes) == (1, 2, 0)
    credential = StaffCredential.objects.get(credential__code="cstf-fire-safety")
    assert credential.status == StaffCredential.Status.ISSUED
    changed = feed(f"{NURSE},dbs-enhanced-barred,0002,2025-06-01,", f"{NURSE},cstf-fire-safety,,2025-02-01,")
    preview = import_preview(KIND, file=changed, centre=centre)
    assert (preview.counts.changed_credentials, preview.counts.waiting) == (1, 1)
    import_commit(KIND, preview=preview, centre=centre)
    dbs = StaffCredential.objects.get(credential__code="dbs-enhanced-barred")
    assert (dbs.reference, dbs.status, dbs.history.count()) == ("0002", "waiting", 2)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",Grace,Marsh,g@nhs.net,Nursing and Midwifery Registered,,Current,,,,,", "Enter the assignment number"),
        ("20000001,Grace,Marsh,g@nhs.net,Nursing and Wizardry,,Current,,,,,", "“Nursing and Wizardry” is not an ESR"),
        (
            "20000001,Grace,Marsh,g@nhs.net,Medical and Dental,,Current,31/02/2020,,,,",
            "“31/02/2020” is not a real date",
        ),
        ("20000001,Grace,Marsh,g@nhs.net,Medical and Dental,,Current,,dbs-wizard,,,", "“dbs-wizard” is not in the"),
        ("20000001,Grace,Marsh,g@nhs.net,Medical and Dental,Surgeon,Current,,,,,", "“Surgeon” is not one of your"),
        ("20000001,Grace,Marsh,g@nhs.net,Medical and Dental,,Part time,,,,,", "must be Current, New starter"),
        ("20000001,Grace,Marsh,not-an-email,Medical and Dental,,Current,,,,,", "“not-an-email” is not valid"),
        ("2000_0001,Grace,Marsh,g@nhs.net,Medical and Dental,,Current,,,,,", "letters, digits and hyphens"),
        ("20000001,Grace,Marsh,g@nhs.net,Medical and Dental,,Current,,,REF1,,", "Enter the credential code"),
        ("20000001,Grace,Marsh,g@nhs.net,Medical and Dental,,Current,,mmr,,2025-05-01,2025-01-01", "is before"),
    ],
)
def test_a_malformed_row_is_reported_with_its_row_number_and_nothing_is_written(row, message):
    centre = CentreFactory()
    good = "20000002,Alan,Smith,a@nhs.net,Medical and Dental,,Current,,mmr,,2025-01-01,"
    preview = import_preview(KIND, file=feed(good, row), centre=centre)
    assert preview.has_errors
    [error] = preview.error_list()
    assert error["row"] == 3
    assert any(message in text for text in error["messages"]), error
    with pytest.raises(Exception, match="correct them"):
        import_commit(KIND, preview=preview, centre=centre)
    assert not StaffMember.objects.exists()
    assert not StaffCredential.objects.exists()


def test_every_reason_of_a_row_is_listed():
    preview = import_preview(KIND, file=feed(",,,x,Nope,,Maybe,2020-13-01,nope,,,"), centre=CentreFactory())
    [error] = preview.error_list()
    assert len(error["messages"]) == 8  # assignment, names, email, group, type, date, credential


def test_a_person_whose_rows_disagree_and_a_credential_given_twice_are_errors():
    other = NURSE.replace("Marsh", "Marshall")
    preview = import_preview(
        KIND,
        file=feed(f"{NURSE},mmr,,,", f"{other},hepatitis-b,,,", f"{NURSE},mmr,,,"),
        centre=CentreFactory(),
    )
    errors = {error["row"]: " ".join(error["messages"]) for error in preview.error_list()}
    assert "differ from line 2" in errors[3]
    assert "also on line 2" in errors[4]


def test_a_commit_that_finds_an_error_rolls_back_every_row(monkeypatch):
    """The commit checks every row again, inside its transaction: rows saved before the bad
    one are rolled back with it (nothing half-applied)."""
    from staffpassport.esr import plan

    monkeypatch.setattr(plan, "CHUNK_ROWS", 1)
    centre = CentreFactory()
    good = import_preview(KIND, file=feed(f"{NURSE},mmr,,,"), centre=centre)
    bad_file = feed(f"{NURSE},mmr,,,", "20000009,Bad,Row,b@nhs.net,Nope,,Current,,,,,")
    good.rows = esr_feed_read(bad_file)  # the file changed between preview and commit
    with pytest.raises(Exception, match="Line 3"):
        import_commit(KIND, preview=good, centre=centre)
    assert not StaffMember.objects.exists()


def test_assignment_numbers_are_the_trusts_own():
    """A file naming another trust's assignment numbers makes new staff here and leaves the
    other trust's staff as they were."""
    alpha, bravo = CentreFactory(), CentreFactory()
    import_commit(KIND, preview=import_preview(KIND, file=feed(f"{NURSE},mmr,,,"), centre=bravo), centre=bravo)
    renamed = NURSE.replace("Grace,Marsh", "Changed,Name")
    preview = import_preview(KIND, file=feed(f"{renamed},mmr,REF,,"), centre=alpha)
    assert (preview.counts.new_staff, preview.counts.new_credentials) == (1, 1)
    import_commit(KIND, preview=preview, centre=alpha)
    bravo_member = StaffMember.objects.for_centre(bravo).get()
    assert (bravo_member.first_name, bravo_member.credentials.get().reference) == ("Grace", "")
    assert StaffMember.objects.for_centre(alpha).get().first_name == "Changed"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"AssignmentNumber,FirstName\n1,A\n", "has no LastName, Email, StaffGroup"),
        (b"PK\x03\x04rest", "Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole(content, message):
    with pytest.raises(EsrFeedError, match=message):
        esr_feed_read(io.BytesIO(content))


def test_the_command_dry_runs_commits_and_exits_like_import_delegates(tmp_path, capsys):
    centre = CentreFactory(code="ESRT")
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_esr_feed", str(EXAMPLE), "--centre", "NOPE")
    assert exit_status.value.code == 2
    call_command("import_esr_feed", str(EXAMPLE), "--centre", "esrt", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert (summary["new_staff"], summary["committed"]) == (4, False)
    assert not StaffMember.objects.exists()
    call_command("import_esr_feed", str(EXAMPLE), "--centre", "ESRT", "--commit")
    assert "Committed" in capsys.readouterr().out
    assert StaffMember.objects.for_centre(centre).count() == 4
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(HEADING) + "\n,A,B,,Nope,,Current,,,,,\n")
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_esr_feed", str(bad), "--centre", "ESRT", "--commit")
    assert exit_status.value.code == 1
    assert "Line 2: Enter the assignment number" in capsys.readouterr().out
    (tmp_path / "book.csv").write_bytes(b"PK\x03\x04")
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_esr_feed", str(tmp_path / "book.csv"), "--centre", "ESRT")
    assert exit_status.value.code == 2


def test_the_demo_loads_once(capsys):
    import sys

    from staffpassport.demo_staff import demo_staff_passports_load

    centre = CentreFactory(code="LTHT")
    demo_staff_passports_load(stdout=sys.stdout)
    demo_staff_passports_load(stdout=sys.stdout)
    assert StaffMember.objects.for_centre(centre).count() == 4
    assert StaffCredential.objects.for_centre(centre).filter(status="waiting").count() == 1
    assert "0 new staff" in capsys.readouterr().out

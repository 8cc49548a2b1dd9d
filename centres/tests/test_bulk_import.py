"""U2/U3: the bulk upload importer and the import_delegates command."""

import json
import os
import string
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from accounts.models import User
from centres.bulk import reading as bulk_reading
from centres.bulk.columns import COLUMNS, DELEGATES_SHEET
from centres.bulk.reading import BulkFileError, read_workbook
from centres.bulk.saving import BulkCommitError, commit
from centres.bulk.validation import ERROR, NEW, UNCHANGED, UPDATE, validate
from centres.models import AuditEvent, Membership, RegistrationPrompt, RegistrationType
from centres.ownership import EMAIL_IN_USE_HERE
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def row(**values):
    base = {
        "LastName": "Okafor",
        "FirstName": "Ada",
        "DelegateID": "",
        "AliasID": "",
        "JobGroupID": 1,
        "Active": True,
        "EmailAddress": "ada.okafor@trust.nhs.example",
        "HasPRN": "",
        "PRN": "",
    }
    base.update(values)
    return base


def workbook(path, rows, *, columns=COLUMNS, sheet=DELEGATES_SHEET):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(columns)
    for values in rows:
        ws.append([values.get(name) for name in columns])
    book.save(path)
    return path


def membership_row(membership, **values):
    base = row(
        LastName=membership.user.last_name,
        FirstName=membership.user.first_name,
        DelegateID=membership.delegate_number,
        JobGroupID=membership.job_group_id,
        Active=membership.is_active,
        EmailAddress=membership.user.email,
    )
    base.update(values)
    return base


def preview_of(tmp_path, centre, rows, name="upload.xlsx"):
    return validate(centre=centre, rows=read_workbook(workbook(tmp_path / name, rows)))


def messages_of(tmp_path, centre, values):
    preview = preview_of(tmp_path, centre, [values])
    return preview.results[0].messages


@pytest.fixture
def centre():
    return CentreFactory(code="LTHT")


# -- U3 rules, one message each --------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"JobGroupID": 11}, "JobGroupID 11 is not a job group"),
        ({"JobGroupID": "nurse"}, "JobGroupID nurse is not a job group"),
        ({"JobGroupID": None}, "JobGroupID is blank"),
        ({"FirstName": None}, "FirstName is blank"),
        ({"LastName": "  "}, "LastName is blank"),
        ({"LastName": "x" * 251}, "LastName must be 250 characters or fewer"),
        ({"Active": "yes"}, "Active must be TRUE or FALSE"),
        ({"Active": None}, "Active must be TRUE or FALSE"),
        ({"EmailAddress": None}, "EmailAddress is blank"),
        ({"EmailAddress": "not-an-email"}, "is not a valid email address"),
        ({"EmailAddress": "ada okafor@trust.nhs.example"}, "EmailAddress must not contain spaces"),
        ({"EmailAddress": "a" * 240 + "@trust.nhs.example"}, "EmailAddress must be 250 characters or fewer"),
        ({"Answer4": "x" * 101}, "Answer4 must be 100 characters or fewer"),
        ({"HasPRN": "maybe"}, "HasPRN must be TRUE, FALSE or blank"),
        ({"HasPRN": True}, "HasPRN/PRN: Enter your professional registration number"),
        ({"HasPRN": False, "PRN": "AB12345"}, "HasPRN/PRN: Remove the professional registration number"),
        ({"HasPRN": True, "PRN": "AB"}, "must be 5 to 20 letters, numbers or hyphens"),
        ({"HasPRN": True, "PRN": "AB 12345"}, "must be 5 to 20 letters, numbers or hyphens"),
        ({"PRN": "AB12345"}, "HasPRN is blank"),
        ({"DelegateID": "ZZ999999"}, "DelegateID ZZ999999 was not found at this centre"),
    ],
)
def test_each_row_rule_has_a_plain_message(tmp_path, centre, values, message):
    messages = messages_of(tmp_path, centre, row(**values))
    assert any(message in text for text in messages), messages


def test_every_reason_is_reported(tmp_path, centre):
    messages = messages_of(tmp_path, centre, row(FirstName=None, JobGroupID=11, Active="x", EmailAddress="bad"))
    assert len(messages) == 4


def test_valid_values_pass_including_strings_for_booleans(tmp_path, centre):
    preview = preview_of(
        tmp_path,
        centre,
        [
            row(Active="true", HasPRN="TRUE", PRN="NMC-1234"),
            row(EmailAddress="b@trust.nhs.example", Active="FALSE", HasPRN="false", JobGroupID="3"),
            row(EmailAddress="  c@trust.nhs.example  ", FirstName="  Bo  "),
        ],
    )
    assert [r.status for r in preview.results] == [NEW, NEW, NEW], preview.summary()
    assert preview.results[2].cleaned["first_name"] == "Bo"
    assert preview.results[2].cleaned["email"] == "c@trust.nhs.example"


def test_inactive_existing_delegate_may_have_a_blank_email(tmp_path, centre):
    member = MembershipFactory(centre=centre)
    preview = preview_of(tmp_path, centre, [membership_row(member, Active=False, EmailAddress=None)])
    assert preview.results[0].status == UPDATE
    assert messages_of(tmp_path, centre, row(Active=False, EmailAddress=None))  # but not a new one


def test_prompt_options_and_mandatory_prompts(tmp_path, centre):
    RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", options=["A1", "B2"])
    RegistrationPrompt.objects.create(centre=centre, position=2, text="Staff group", is_mandatory=True)
    messages = messages_of(tmp_path, centre, row(Answer1="C3"))
    assert "Answer1: Select one of the answers listed for “Ward”" in messages
    assert "Answer2: Answer “Staff group”" in messages
    assert preview_of(tmp_path, centre, [row(Answer1="A1", Answer2="Nursing")]).results[0].status == NEW


def test_duplicate_emails_in_the_file_are_errors_on_each_row(tmp_path, centre):
    preview = preview_of(
        tmp_path,
        centre,
        [
            row(EmailAddress="Dup@Trust.nhs.example"),
            row(EmailAddress="dup@trust.nhs.example"),
            row(EmailAddress="x@t.nhs.uk"),
        ],
    )
    assert [r.status for r in preview.results] == [ERROR, ERROR, NEW]
    assert "appears on more than one row" in preview.results[0].messages[0]


def test_one_delegate_on_two_rows_is_an_error_on_both(tmp_path, centre):
    member = MembershipFactory(centre=centre)
    preview = preview_of(
        tmp_path,
        centre,
        [membership_row(member, AliasID="A"), membership_row(member, DelegateID=None, AliasID="B")],
    )
    assert [r.status for r in preview.results] == [ERROR, ERROR]
    assert "appears on more than one row" in preview.results[0].messages[0]
    # DLS: a row without DelegateID naming a delegate's email is an error, not an update.
    assert EMAIL_IN_USE_HERE in preview.results[1].messages


def test_email_of_another_delegate_at_the_centre_is_an_error(tmp_path, centre):
    first, second = MembershipFactory(centre=centre), MembershipFactory(centre=centre)
    messages = messages_of(tmp_path, centre, membership_row(first, EmailAddress=second.user.email.upper()))
    assert any(f"belongs to another delegate at this centre ({second.delegate_number})" in m for m in messages)


def test_email_of_another_account_cannot_be_taken_by_an_update(tmp_path, centre):
    member = MembershipFactory(centre=centre)
    other = UserFactory()
    messages = messages_of(tmp_path, centre, membership_row(member, EmailAddress=other.email))
    assert any("already used by another person's account" in m for m in messages)


def test_delegate_id_from_another_centre_is_not_found(tmp_path, centre):
    elsewhere = MembershipFactory(centre=CentreFactory())
    messages = messages_of(tmp_path, centre, membership_row(elsewhere))
    assert messages == [f"DelegateID {elsewhere.delegate_number} was not found at this centre"]


def test_mixed_file_gives_exact_counts(tmp_path, centre):
    same = MembershipFactory(centre=centre)
    changed = MembershipFactory(centre=centre)
    preview = preview_of(
        tmp_path,
        centre,
        [
            row(EmailAddress="new1@trust.nhs.example"),
            row(EmailAddress="new2@trust.nhs.example"),
            membership_row(same),
            membership_row(changed, AliasID="STAFF-9"),
            membership_row(changed, DelegateID=changed.delegate_number.lower(), LastName="", EmailAddress="q@q.nhs.uk"),
            row(EmailAddress="broken"),
        ],
    )
    summary = preview.summary()
    assert (summary["rows"], summary["new"], summary["updated"], summary["unchanged"]) == (6, 2, 0, 1)
    # the DelegateID on two rows makes both errors
    assert [e["row"] for e in summary["errors"]] == [5, 6, 7]


# -- broken files ----------------------------------------------------------------------------


def test_text_file_renamed_xlsx(tmp_path):
    path = tmp_path / "delegates.xlsx"
    path.write_text("LastName,FirstName\nOkafor,Ada\n")
    with pytest.raises(BulkFileError, match="not an Excel workbook"):
        read_workbook(path)


def test_random_bytes_and_a_damaged_zip(tmp_path):
    path = tmp_path / "random.xlsx"
    path.write_bytes(os.urandom(2000))
    with pytest.raises(BulkFileError, match="not an Excel workbook"):
        read_workbook(path)
    good = workbook(tmp_path / "good.xlsx", [row()])
    path.write_bytes(good.read_bytes()[:700])
    with pytest.raises(BulkFileError, match="not an Excel workbook"):
        read_workbook(path)


@pytest.mark.parametrize(("part", "damage"), [("sheet1.xml", "truncate"), ("workbook.xml", "replace")])
def test_damaged_xml_inside_the_workbook(tmp_path, part, damage):
    good = workbook(tmp_path / "good.xlsx", [row()])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(part):
                data = data[: len(data) // 2] if damage == "truncate" else b"<nonsense"
            target.writestr(item, data)
    with pytest.raises(BulkFileError, match="not an Excel workbook"):
        read_workbook(damaged)


def test_password_protected_or_old_format(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(BulkFileError, match="password-protected"):
        read_workbook(path)


def test_missing_sheet(tmp_path):
    with pytest.raises(BulkFileError, match="no sheet called DelegatesBulkUpload"):
        read_workbook(workbook(tmp_path / "s.xlsx", [row()], sheet="Sheet1"))


def test_missing_and_misspelt_headers_are_named(tmp_path):
    columns = [("Email" if name == "EmailAddress" else name) for name in COLUMNS if name != "PRN"]
    with pytest.raises(BulkFileError) as error:
        read_workbook(workbook(tmp_path / "h.xlsx", [row()], columns=columns))
    assert "Column EmailAddress is missing" in error.value.message
    assert "Column PRN is missing" in error.value.message
    assert "Unknown column Email" in error.value.message


def test_header_only(tmp_path):
    with pytest.raises(BulkFileError, match="no delegates in it"):
        read_workbook(workbook(tmp_path / "empty.xlsx", [{}, {}]))


def test_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_reading, "MAX_DATA_ROWS", 3)
    with pytest.raises(BulkFileError, match="at most 3 delegates"):
        read_workbook(workbook(tmp_path / "big.xlsx", [row(EmailAddress=f"p{n}@t.nhs.uk") for n in range(4)]))


def test_too_large_file(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_reading, "MAX_FILE_BYTES", 100)
    with pytest.raises(BulkFileError, match="too large"):
        read_workbook(workbook(tmp_path / "big.xlsx", [row()]))


def test_row_numbers_are_excel_rows_and_blank_rows_are_skipped(tmp_path, centre):
    rows = read_workbook(workbook(tmp_path / "r.xlsx", [row(), {}, row(EmailAddress="b@t.nhs.uk")]))
    assert [r.row for r in rows] == [2, 4]


# -- commit ----------------------------------------------------------------------------------


def test_commit_creates_updates_audits_and_is_idempotent(tmp_path, centre):
    manager = MembershipFactory(centre=centre).user
    changed = MembershipFactory(centre=centre)
    rows = [
        row(EmailAddress="new@trust.nhs.example", HasPRN=True, PRN="NMC-12345", AliasID="S1"),
        row(EmailAddress="second.new@trust.nhs.example", FirstName="Renamed"),
        membership_row(changed, AliasID="STAFF-9", Active=False, EmailAddress="moved@trust.nhs.example"),
    ]
    path = workbook(tmp_path / "delegates.xlsx", rows)
    preview = validate(centre=centre, rows=read_workbook(path))
    result = commit(centre=centre, preview=preview, uploaded_by=manager, file_name="delegates.xlsx")
    assert (result.new, result.updated, result.unchanged) == (2, 1, 0)

    created = Membership.objects.for_centre(centre).get(user__email="new@trust.nhs.example")
    assert created.registration_type == RegistrationType.BULK
    assert created.is_approved
    assert created.approved_at is not None
    assert (created.has_prn, created.prn, created.alias_id) == (True, "NMC-12345", "S1")
    assert created.delegate_number.startswith("AO")
    assert not created.user.has_usable_password()
    assert created.user.emailaddress_set.get().verified is False
    assert Membership.objects.for_centre(centre).get(user__email="second.new@trust.nhs.example").user.first_name == (
        "Renamed"
    )
    changed.refresh_from_db()
    changed.user.refresh_from_db()
    assert (changed.alias_id, changed.is_active, changed.user.email) == ("STAFF-9", False, "moved@trust.nhs.example")
    assert changed.user.emailaddress_set.get().email == "moved@trust.nhs.example"

    event = AuditEvent.objects.get(action="delegates.bulk_uploaded")
    assert event.actor == manager
    assert event.centre == centre
    assert "delegates.xlsx" in event.summary
    assert "2 new, 1 updated, 0 unchanged" in event.summary

    # The same file again: its new rows now name delegates' emails without their DelegateID,
    # which is an error (DLS), not a silent update; with the DelegateIDs nothing changes.
    again = validate(centre=centre, rows=read_workbook(path))
    assert [error["messages"] for error in again.summary()["errors"]] == [[EMAIL_IN_USE_HERE]] * 2
    numbers = dict(Membership.objects.for_centre(centre).values_list("user__email", "delegate_number"))
    numbered = [{**values, "DelegateID": numbers[values["EmailAddress"]]} for values in rows]
    again = validate(centre=centre, rows=read_workbook(workbook(tmp_path / "again.xlsx", numbered)))
    assert again.summary() == {
        "rows": 3,
        "new": 0,
        "updated": 0,
        "unchanged": 3,
        "errors": [],
        "error_rows": 0,
        "people": [],
        "people_more": 0,
    }
    users, memberships = User.objects.count(), Membership.objects.count()
    commit(centre=centre, preview=again, uploaded_by=manager, file_name="again.xlsx")
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_a_file_with_one_bad_row_commits_nothing(tmp_path, centre):
    preview = preview_of(tmp_path, centre, [row(EmailAddress=f"p{n}@t.nhs.uk") for n in range(5)] + [row(Active="?")])
    with pytest.raises(BulkCommitError):
        commit(centre=centre, preview=preview, uploaded_by=None, file_name="x.xlsx")
    assert not Membership.objects.exists()
    assert not User.objects.exists()


def test_query_count_is_constant(tmp_path, centre):
    def queries(n):
        for k in range(n):
            MembershipFactory(centre=centre, user__email=f"m{n}-{k}@t.nhs.uk")
        members = list(Membership.objects.for_centre(centre).select_related("user"))
        rows = [membership_row(m, AliasID="A") for m in members[:n]] + [
            row(EmailAddress=f"new{n}-{k}@t.nhs.uk") for k in range(n)
        ]
        parsed = read_workbook(workbook(tmp_path / f"{n}.xlsx", rows))
        with CaptureQueriesContext(connection) as context:
            validate(centre=centre, rows=parsed)
        return len(context.captured_queries)

    assert queries(10) == queries(200)


# -- the command -----------------------------------------------------------------------------


def run(capsys, *args):
    try:
        call_command("import_delegates", *args)
        code = 0
    except SystemExit as stopped:
        code = stopped.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_command_dry_run_commit_and_exit_codes(tmp_path, centre, capsys):
    good = workbook(tmp_path / "good.xlsx", [row(), row(EmailAddress="b@t.nhs.uk")])
    code, out, _ = run(capsys, str(good), "--centre", "ltht", "--json")
    assert code == 0
    assert json.loads(out) == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0, "errors": [], "committed": False}
    assert not Membership.objects.exists()

    code, out, _ = run(capsys, str(good), "--centre", "LTHT", "--commit", "--welcome-emails", "--json")
    assert code == 0
    assert json.loads(out)["committed"] is True
    assert Membership.objects.for_centre(centre).count() == 2
    assert centre.welcome_links.count() == 2

    bad = workbook(tmp_path / "bad.xlsx", [row(EmailAddress="c@t.nhs.uk"), row(EmailAddress="d@t.nhs.uk", Active="?")])
    code, out, _ = run(capsys, str(bad), "--centre", "LTHT", "--commit", "--json")
    assert code == 1
    assert json.loads(out) == {
        "rows": 2,
        "new": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": [{"row": 3, "messages": ["Active must be TRUE or FALSE"]}],
        "committed": False,
    }
    assert Membership.objects.for_centre(centre).count() == 2

    broken = tmp_path / "broken.xlsx"
    broken.write_text("hello")
    code, out, err = run(capsys, str(broken), "--centre", "LTHT", "--json")
    assert code == 2
    assert out == ""
    assert "not an Excel workbook" in err


# -- property: random cells never crash and never half-write ---------------------------------

cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=string.ascii_letters + string.digits + " -@.", max_size=30),
    st.text(max_size=12).filter(lambda t: not any(ord(c) < 32 for c in t)),
    st.sampled_from(["TRUE", "false", "=1+1", "=SUM(A1:A2)", "1", "3", "a@b.nhs.uk", "NMC-12345", "Zoë@x.nhs.uk"]),
)
random_row = st.fixed_dictionaries(dict.fromkeys(COLUMNS, cell))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(random_row, min_size=1, max_size=6))
def test_random_cells_never_crash_or_half_write(tmp_path_factory, rows):
    centre = CentreFactory()
    path = workbook(tmp_path_factory.mktemp("h") / "random.xlsx", rows)
    try:
        parsed = read_workbook(path)
    except BulkFileError:
        return
    preview = validate(centre=centre, rows=parsed)
    before = (User.objects.count(), Membership.objects.count())
    if preview.has_errors:
        with pytest.raises(BulkCommitError):
            commit(centre=centre, preview=preview, uploaded_by=None, file_name="random.xlsx")
        assert (User.objects.count(), Membership.objects.count()) == before
    else:
        result = commit(centre=centre, preview=preview, uploaded_by=None, file_name="random.xlsx")
        assert Membership.objects.for_centre(centre).count() == result.new


def test_delegate_numbers_are_allocated_as_one_consecutive_block():
    from centres.services.memberships import delegate_number_allocate, delegate_numbers_allocate

    first = delegate_number_allocate(first_name="Ada", last_name="Okafor")
    start = int(first[2:])
    block = delegate_numbers_allocate(names=[("Bo", "Li"), ("", "Ng"), ("Émile", "Zola")])
    assert block == [f"BL{start + 1}", f"N{start + 2}", f"Z{start + 3}"]
    assert delegate_numbers_allocate(names=[]) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(COLUMNS), cell), min_size=0, max_size=4
    )
)
def test_mostly_valid_files_with_random_edits_commit_fully_or_not_at_all(tmp_path_factory, edits):
    """Valid rows (two new, two existing delegates) with a few random cells: the commit path is
    reached often, and an error still leaves everything as it was."""
    centre = CentreFactory()
    members = [MembershipFactory(centre=centre) for _ in range(2)]
    rows = [row(EmailAddress=f"n{k}@t.nhs.uk") for k in range(2)] + [membership_row(m) for m in members]
    for index, column, value in edits:
        rows[index][column] = value
    path = workbook(tmp_path_factory.mktemp("h") / "edited.xlsx", rows)
    try:
        preview = validate(centre=centre, rows=read_workbook(path))
    except BulkFileError:
        return
    snapshot = sorted(Membership.objects.for_centre(centre).values_list("pk", "alias_id", "is_active", "prn"))
    users = User.objects.count()
    if preview.has_errors:
        with pytest.raises(BulkCommitError):
            commit(centre=centre, preview=preview, uploaded_by=None, file_name="edited.xlsx")
        assert (
            sorted(Membership.objects.for_centre(centre).values_list("pk", "alias_id", "is_active", "prn")) == snapshot
        )
        assert User.objects.count() == users
    else:
        result = commit(centre=centre, preview=preview, uploaded_by=None, file_name="edited.xlsx")
        assert Membership.objects.for_centre(centre).count() == 2 + result.new
        again = validate(centre=centre, rows=read_workbook(path)).summary()
        assert (again["new"], again["updated"]) == (0, 0)
        # The rows that were new now name delegates' emails without a DelegateID (DLS error).
        assert [error["messages"] for error in again["errors"]] == [[EMAIL_IN_USE_HERE]] * result.new


def test_update_writes_only_what_changed_and_touches_updated_at(tmp_path, centre):
    renamed, untouched = MembershipFactory(centre=centre), MembershipFactory(centre=centre)
    before = untouched.updated_at
    preview = preview_of(
        tmp_path, centre, [membership_row(renamed, FirstName="Newname", JobGroupID=3), membership_row(untouched)]
    )
    assert [r.status for r in preview.results] == [UPDATE, UNCHANGED]
    commit(centre=centre, preview=preview, uploaded_by=None, file_name="u.xlsx")
    renamed.refresh_from_db()
    untouched.refresh_from_db()
    assert (renamed.user.first_name, renamed.job_group_id) == ("Newname", 3)
    assert renamed.updated_at > before
    assert untouched.updated_at == before

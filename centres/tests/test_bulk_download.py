"""U1 bulk upload workbook: the template and current-delegates downloads, and export_delegates."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from centres.bulk.columns import COLUMNS, DELEGATES_SHEET, JOB_GROUPS_SHEET
from centres.bulk.download import PROMPTS_SHEET, delegates_workbook
from centres.models import AuditEvent, JobGroup, RegistrationPrompt
from centres.roles import Role
from reporting.models import ReportJob
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("centres:delegates_bulk")
TEMPLATE_URL = reverse("centres:delegates_bulk_template")
CURRENT_URL = reverse("centres:delegates_bulk_current")
HOSTILE = '=HYPERLINK("http://x")'


@pytest.fixture
def centre():
    return CentreFactory(code="LTHT", name="Leeds Teaching Hospitals")


@pytest.fixture
def prompts(centre):
    return [
        RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", options=["Ward 1", "Ward 2"]),
        RegistrationPrompt.objects.create(centre=centre, position=3, text="Employee number"),
    ]


@pytest.fixture
def manager(centre, role_member):
    return role_member(centre, Role.CENTRE_MANAGER)


@pytest.fixture
def manager_client(manager, centre, login_as):
    return login_as(manager.user, centre)


def delegate(centre, first, last, **kwargs):
    return MembershipFactory(centre=centre, user=UserFactory(first_name=first, last_name=last), **kwargs)


def open_workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def validations(sheet) -> dict[str, str]:
    """First column letter of each data validation's range -> its list formula."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation.formula1
    return found


# -- the workbook ----------------------------------------------------------------------------


def test_template_has_sheets_headers_job_groups_and_drop_downs(centre, prompts):
    workbook = open_workbook(delegates_workbook(centre=centre, include_delegates=False))
    assert workbook.sheetnames == [DELEGATES_SHEET, JOB_GROUPS_SHEET, PROMPTS_SHEET]
    sheet = workbook[DELEGATES_SHEET]
    assert rows(sheet) == [tuple(COLUMNS)]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["M"].width > sheet.column_dimensions["L"].width  # EmailAddress wider

    groups = rows(workbook[JOB_GROUPS_SHEET])
    assert groups[0] == ("JobGroupID", "JobGroupName")
    assert len(groups[1:]) == 36 == JobGroup.objects.count()
    assert groups[1:] == list(JobGroup.objects.order_by("id").values_list("id", "name"))

    found = validations(sheet)
    assert found["L"] == '"TRUE,FALSE"'  # Active
    assert found["N"] == '"TRUE,FALSE"'  # HasPRN
    assert found["E"] == "'JobGroups'!$A$2:$A$37"  # JobGroupID
    assert found["F"] == "'Prompts'!$A$2:$A$3"  # Answer1 has options
    assert "H" not in found  # Answer3 is free text
    hidden = workbook[PROMPTS_SHEET]
    assert hidden.sheet_state == "hidden"
    assert [hidden["A2"].value, hidden["A3"].value] == ["Ward 1", "Ward 2"]

    # Prompt labels are notes; the header text stays exactly AnswerN (upload needs it).
    assert sheet["F1"].value == "Answer1"
    assert "Ward" in sheet["F1"].comment.text
    assert "Employee number" in sheet["H1"].comment.text
    assert "not used" in sheet["G1"].comment.text


def test_template_without_prompt_options_has_no_prompts_sheet(centre):
    workbook = open_workbook(delegates_workbook(centre=centre, include_delegates=False))
    assert workbook.sheetnames == [DELEGATES_SHEET, JOB_GROUPS_SHEET]
    assert set(validations(workbook[DELEGATES_SHEET])) == {"E", "L", "N"}


def test_current_delegates_rows_ordered_by_last_name_and_only_this_centre(centre, prompts):
    nurse = JobGroup.objects.get(pk=2)
    delegate(
        centre,
        "Zara",
        "Young",
        alias_id="E123",
        job_group=nurse,
        answer1="Ward 2",
        answer3="98765",
        has_prn=True,
        prn="NMC-12345",
    )
    delegate(centre, "Adam", "Abbott", inactive=True, has_prn=False)
    delegate(centre, "Nia", "Moss")
    delegate(CentreFactory(), "Other", "Centre")
    workbook = open_workbook(delegates_workbook(centre=centre, include_delegates=True))
    data = rows(workbook[DELEGATES_SHEET])[1:]
    assert [row[0] for row in data] == ["Abbott", "Moss", "Young"]
    young = dict(zip(COLUMNS, data[2], strict=True))
    membership = centre.memberships.get(user__last_name="Young")
    assert young == {
        "LastName": "Young",
        "FirstName": "Zara",
        "DelegateID": membership.delegate_number,
        "AliasID": "E123",
        "JobGroupID": 2,
        "Answer1": "Ward 2",
        "Answer2": None,
        "Answer3": "98765",
        "Answer4": None,
        "Answer5": None,
        "Answer6": None,
        "Active": True,
        "EmailAddress": membership.user.email,
        "HasPRN": True,
        "PRN": "NMC-12345",
    }
    abbott = dict(zip(COLUMNS, data[0], strict=True))
    assert (abbott["Active"], abbott["HasPRN"], abbott["PRN"]) == (False, False, None)
    moss = dict(zip(COLUMNS, data[1], strict=True))
    assert moss["HasPRN"] is None
    assert "Centre" not in [row[0] for row in data]


def test_hostile_text_is_formula_escaped(centre):
    delegate(centre, HOSTILE, "+SUM(A1)", alias_id="@cmd", answer2="-1")
    sheet = open_workbook(delegates_workbook(centre=centre, include_delegates=True))[DELEGATES_SHEET]
    row = dict(zip(COLUMNS, rows(sheet)[1], strict=True))
    assert row["FirstName"] == "'" + HOSTILE
    assert row["LastName"] == "'+SUM(A1)"
    assert row["AliasID"] == "'@cmd"
    assert row["Answer2"] == "'-1"
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_prn_left_blank_when_not_allowed(centre):
    delegate(centre, "Zara", "Young", has_prn=True, prn="NMC-12345")
    sheet = open_workbook(delegates_workbook(centre=centre, include_delegates=True, include_prn=False))[DELEGATES_SHEET]
    row = dict(zip(COLUMNS, rows(sheet)[1], strict=True))
    assert (row["HasPRN"], row["PRN"]) == (None, None)


@pytest.mark.parametrize("count", [5, 200])
def test_query_count_does_not_grow_with_delegates(centre, prompts, count):
    MembershipFactory.create_batch(count, centre=centre)
    with CaptureQueriesContext(connection) as queries:
        content = delegates_workbook(centre=centre, include_delegates=True)
    assert len(queries) == 3  # prompts, job groups, delegates
    assert len(rows(open_workbook(content)[DELEGATES_SHEET])) == count + 1


# -- pages and downloads ---------------------------------------------------------------------


def test_bulk_page_explains_steps_and_links_downloads(manager_client):
    response = manager_client.get(PAGE_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert TEMPLATE_URL in text
    assert CURRENT_URL in text
    assert "Upload and preview" in text
    assert "not available yet" not in text


def test_delegate_list_links_to_bulk_page(manager_client):
    assert PAGE_URL in manager_client.get(reverse("centres:delegate_list")).content.decode()


def test_current_download_is_built_by_the_worker_then_downloaded_and_audited(
    manager_client, manager, centre, django_capture_on_commit_callbacks
):
    """Issue 12 finding 6: at 50,000 delegates this took 6 s and 240 MB per request; now it
    is a report job (its page shows progress, then the download)."""
    delegate(centre, "Zara", "Young")
    with django_capture_on_commit_callbacks() as queued:
        started = manager_client.post(CURRENT_URL)
    job = ReportJob.objects.get()
    assert started["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})
    assert not AuditEvent.objects.filter(action="delegates.bulk_downloaded").exists()  # nothing built yet
    assert manager_client.get(CURRENT_URL).status_code == 302  # a GET only shows the page
    for callback in queued:
        callback()
    page = manager_client.get(started["Location"]).content.decode()
    assert "Your spreadsheet is ready: 2 rows." in page
    response = manager_client.get(reverse("reporting:download", kwargs={"job_id": job.public_id}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="LTHT-delegates-20' in response["Content-Disposition"]
    data = rows(open_workbook(b"".join(response.streaming_content))[DELEGATES_SHEET])
    assert "Young" in [row[0] for row in data]
    event = AuditEvent.objects.for_centre(centre).get(action="delegates.bulk_downloaded")
    assert event.actor == manager.user
    assert len(data) - 1 == 2  # the manager and Young
    assert event.summary == "Bulk upload workbook downloaded with 2 delegate records including PRNs"


def test_template_download_is_blank_and_audited(manager_client, centre):
    delegate(centre, "Zara", "Young")
    response = manager_client.post(TEMPLATE_URL)
    assert response.status_code == 200
    assert 'filename="LTHT-delegates-template-20' in response["Content-Disposition"]
    assert rows(open_workbook(response.content)[DELEGATES_SHEET]) == [tuple(COLUMNS)]
    event = AuditEvent.objects.for_centre(centre).get(action="delegates.bulk_downloaded")
    assert event.summary == "Blank bulk upload template downloaded"


@pytest.mark.parametrize("role", [None, Role.ASSESSOR, Role.EDUCATOR])
@pytest.mark.parametrize("target", [PAGE_URL, TEMPLATE_URL, CURRENT_URL])
def test_other_roles_are_refused(centre, role_member, login_as, role, target):
    member = role_member(centre, role)
    client = login_as(member.user, centre)
    assert client.get(target).status_code == 403
    assert client.post(target).status_code == 403
    assert not AuditEvent.objects.filter(action="delegates.bulk_downloaded").exists()
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("target", [PAGE_URL, TEMPLATE_URL, CURRENT_URL])
def test_administrator_allowed(centre, role_member, login_as, target):
    member = role_member(centre, Role.ADMINISTRATOR)
    assert login_as(member.user, centre).post(target).status_code in (
        200,
        302,
        400,
    )  # 400: the page's empty upload; 302: to the job


@pytest.mark.parametrize("target", [TEMPLATE_URL, CURRENT_URL])
def test_a_get_of_a_download_only_shows_the_bulk_page(manager_client, target):
    """ADR 0017: a link followed from another site makes no workbook and writes no audit."""
    response = manager_client.get(target)
    assert response.status_code == 302
    assert response["Location"] == PAGE_URL
    assert not AuditEvent.objects.filter(action="delegates.bulk_downloaded").exists()


def test_downloads_are_post_buttons_with_a_csrf_token(manager_client):
    text = manager_client.get(PAGE_URL).content.decode()
    for target in (TEMPLATE_URL, CURRENT_URL):
        form = text.split(f'action="{target}"', 1)[1].split("</form>", 1)[0]
        assert "csrfmiddlewaretoken" in form
        assert f'<form method="post" action="{target}"' in text


def test_anonymous_redirected_to_login(client):
    response = client.post(CURRENT_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


# -- export_delegates command ----------------------------------------------------------------


def test_export_command_writes_workbook(centre, tmp_path):
    delegate(centre, "Zara", "Young")
    delegate(CentreFactory(), "Other", "Centre")
    path = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command("export_delegates", "--centre", "ltht", str(path), stdout=out)
    workbook = load_workbook(path)
    data = rows(workbook[DELEGATES_SHEET])
    assert data[0] == tuple(COLUMNS)
    assert [row[0] for row in data[1:]] == ["Young"]
    assert "Wrote 1 delegates of LTHT" in out.getvalue()
    assert AuditEvent.objects.for_centre(centre).filter(action="delegates.bulk_downloaded").count() == 1


def test_export_command_unknown_centre(tmp_path):
    path = tmp_path / "out.xlsx"
    with pytest.raises(CommandError, match="No centre with code 'NOPE'"):
        call_command("export_delegates", "--centre", "NOPE", str(path))
    assert not path.exists()

"""Issue 13 item 8 (ADR 0031): centres and job groups export from the Django admin and import
back through its import and confirm pages, as CSV and xlsx; exports are formula-escaped;
imports are audited and only for staff with the model's permissions."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook
from tablib import Dataset

from centres import receivers, resources
from centres.models import AuditEvent, Centre, JobGroup
from centres.platform_staff import platform_staff_group_ensure
from centres.resources import CentreResource, ImportNotAudited, JobGroupResource
from tests.admin_import_export import admin_export, admin_import, admin_import_preview, edited, file_of, rows_of
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db

FILE_FORMATS = ["csv", "xlsx"]


@pytest.fixture
def staff():
    user = UserFactory(platform_staff=True, email="pat.staff@platform.nhs.example")
    user.groups.add(platform_staff_group_ensure())
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def job_group_staff_client(client, staff):
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="centres", codename__in=["add_jobgroup", "change_jobgroup"])
    )
    client.force_login(staff)
    return client


def _admin_events(action: str):
    return AuditEvent.objects.filter(action=action, summary__contains="imported from")


@pytest.mark.parametrize("file_format", FILE_FORMATS)
def test_centres_round_trip(staff_client, staff, file_format):
    CentreFactory(code="LTHT", name="Leeds Teaching Hospitals", ip_prefixes=["10.9."], postcode="LS9 7TF")
    CentreFactory(code="WYH", name="West Yorkshire Hospice")
    exported = admin_export(staff_client, Centre, CentreResource, file_format)
    header = rows_of(exported, file_format)[0]
    assert header[:3] == ["code", "name", "manager_name"]

    # The same file again changes nothing and audits nothing.
    response = admin_import(staff_client, Centre, exported, file_format)
    assert response.status_code == 302
    assert not _admin_events("admin.changed").exists()

    # One edited centre, one new centre (made by centre_create), one untouched.
    changed = edited(exported, file_format, {"code": "LTHT"}, {"name": "Leeds THT", "ip_prefixes": "10.9., 10.10."})
    rows = rows_of(changed, file_format)
    new_row = ["" for _ in header]
    new_row[header.index("code")], new_row[header.index("name")] = "hull", "Hull University Teaching Hospitals"
    new_row[header.index("is_active")] = new_row[header.index("show_in_directory")] = "1"
    response = admin_import(staff_client, Centre, file_of([*rows, new_row], file_format), file_format, "centres")
    assert response.status_code == 302

    leeds = Centre.objects.get(code="LTHT")
    assert leeds.name == "Leeds THT"
    assert leeds.ip_prefixes == ["10.9.", "10.10."]
    assert leeds.postcode == "LS9 7TF"
    hull = Centre.objects.get(code="HULL")
    assert hull.is_active
    assert Centre.objects.get(code="WYH").name == "West Yorkshire Hospice"
    change = _admin_events("admin.changed").get()
    assert change.centre == leeds
    assert change.actor == staff
    assert "name, ip_prefixes" in change.summary
    assert _admin_events("admin.added").get().centre == hull
    assert AuditEvent.objects.filter(action="centre.created", centre=hull, actor=staff).exists()


@pytest.mark.parametrize("file_format", FILE_FORMATS)
def test_job_groups_round_trip(job_group_staff_client, file_format):
    exported = admin_export(job_group_staff_client, JobGroup, JobGroupResource, file_format)
    rows = rows_of(exported, file_format)
    assert rows[0] == ["id", "name"]
    assert len(rows) - 1 == JobGroup.objects.count()

    admin_import(job_group_staff_client, JobGroup, exported, file_format)
    assert not _admin_events("admin.changed").exists()

    renamed = edited(exported, file_format, {"id": "1"}, {"name": "Nursing / midwifery (registered)"})
    added = file_of([*rows_of(renamed, file_format), ["900", "Volunteer"]], file_format)
    admin_import(job_group_staff_client, JobGroup, added, file_format)
    assert JobGroup.objects.get(pk=1).name == "Nursing / midwifery (registered)"
    assert JobGroup.objects.get(pk=900).name == "Volunteer"
    assert _admin_events("admin.changed").get().centre is None  # platform-wide
    assert _admin_events("admin.added").count() == 1


@pytest.mark.parametrize("file_format", FILE_FORMATS)
def test_export_is_formula_escaped_and_imports_back_unchanged(staff_client, file_format):
    CentreFactory(
        code="EVIL",
        name='=HYPERLINK("http://evil.example","Click")',
        manager_name="+44 113",
        telephone="-1",
        support_details="@SUM(A1)",
    )
    exported = admin_export(staff_client, Centre, CentreResource, file_format)
    header, *rows = rows_of(exported, file_format)
    row = next(row for row in rows if row[0] == "EVIL")
    assert row[header.index("name")] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row[header.index("manager_name")] == "'+44 113"
    assert row[header.index("telephone")] == "'-1"
    assert row[header.index("support_details")] == "'@SUM(A1)"
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(exported)).active
        assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)

    admin_import(staff_client, Centre, exported, file_format)
    evil = Centre.objects.get(code="EVIL")
    assert evil.name == '=HYPERLINK("http://evil.example","Click")'
    assert evil.telephone == "-1"
    assert not _admin_events("admin.changed").exists()


def test_an_invalid_row_imports_nothing(staff_client):
    CentreFactory(code="LTHT", name="Leeds")
    exported = admin_export(staff_client, Centre, CentreResource, "csv")
    bad = edited(exported, "csv", {"code": "LTHT"}, {"name": "Leeds again", "email": "not an email"})
    preview = admin_import_preview(staff_client, Centre, bad, "csv")
    assert preview.context["result"].has_validation_errors()
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert Centre.objects.get(code="LTHT").name == "Leeds"


def test_non_staff_are_refused(client):
    client.force_login(UserFactory(email="learner@ltht.nhs.example"))
    for view in ("import", "export"):
        response = client.get(reverse(f"admin:centres_centre_{view}"))
        assert response.status_code == 302
        assert "/admin/login/" in response.url
    response = admin_import_preview(client, Centre, file_of([["code", "name"], ["NEW", "New"]], "csv"), "csv")
    assert response.status_code == 302
    assert not Centre.objects.filter(code="NEW").exists()


def test_staff_without_the_model_permission_are_refused(staff_client):
    """Platform staff may add and change centres, not job groups: no job group import."""
    assert staff_client.get(reverse("admin:centres_centre_import")).status_code == 200
    assert staff_client.get(reverse("admin:centres_jobgroup_import")).status_code == 403
    response = admin_import_preview(staff_client, JobGroup, file_of([["id", "name"], ["900", "X"]], "csv"), "csv")
    assert response.status_code == 403
    assert not JobGroup.objects.filter(pk=900).exists()
    page = staff_client.get(reverse("admin:centres_jobgroup_changelist")).content.decode()
    assert reverse("admin:centres_jobgroup_import") not in page


def test_an_import_that_cannot_be_audited_is_refused():
    """Only the admin (which knows who imports) may write: a bare resource import writes
    nothing, and its dry run still works (the preview)."""
    dataset = Dataset(headers=["id", "name"])
    dataset.append([901, "Unaudited"])
    assert not JobGroupResource().import_data(dataset, dry_run=True).has_errors()
    with pytest.raises(ImportNotAudited):
        JobGroupResource().import_data(dataset, dry_run=False, user=UserFactory(is_superuser=True))
    assert not JobGroup.objects.filter(pk=901).exists()


def test_a_failed_audit_rolls_the_import_back(job_group_staff_client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(receivers, "audit_record", broken)
    exported = admin_export(job_group_staff_client, JobGroup, JobGroupResource, "csv")
    renamed = edited(exported, "csv", {"id": "1"}, {"name": "Renamed"})
    response = admin_import(job_group_staff_client, JobGroup, renamed, "csv")
    assert response.status_code == 302
    assert JobGroup.objects.get(pk=1).name != "Renamed"
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any(message.startswith("Nothing was imported") for message in messages)


def test_the_list_offers_import_and_export_and_refuses_a_large_file(staff_client, monkeypatch):
    page = staff_client.get(reverse("admin:centres_centre_changelist")).content.decode()
    assert reverse("admin:centres_centre_import") in page
    assert reverse("admin:centres_centre_export") in page
    monkeypatch.setattr(resources, "MAX_IMPORT_BYTES", 10)
    response = admin_import_preview(staff_client, Centre, file_of([["code", "name"], ["BIG", "Big"]], "csv"), "csv")
    assert "The file is too large" in response.content.decode()
    assert not Centre.objects.filter(code="BIG").exists()

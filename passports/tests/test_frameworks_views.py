"""P1 platform staff framework pages: permissions, upload (errors and success), download,
publish with confirmation, new draft, read-only version page, delete a draft."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from centres.roles import Role
from passports.models import Framework, FrameworkVersion
from passports.services import framework_rows
from passports.services import frameworks as services
from passports.tests.factories import framework_version_build
from passports.tests.test_frameworks import GOOD_ROWS, workbook_bytes
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, login_as):
    login_as(UserFactory(is_staff=True))
    return client


def upload(client, rows=GOOD_ROWS, **data):
    stream = workbook_bytes(rows)
    stream.name = "framework.xlsx"
    return client.post(reverse("frameworks:upload"), {"framework": "", "file": stream, **data})


def version_urls(version) -> list[str]:
    return [
        reverse(name, kwargs={"version_id": version.public_id})
        for name in [
            "frameworks:version",
            "frameworks:version_download",
            "frameworks:version_publish",
            "frameworks:version_draft_start",
            "frameworks:version_delete",
        ]
    ]


@pytest.mark.parametrize("role", [None, Role.CENTRE_MANAGER, Role.EDUCATOR])
def test_centre_people_are_refused(client, login_as, role):
    version = framework_version_build(name="Secret framework", status=FrameworkVersion.Status.DRAFT)
    member = MembershipFactory(centre=CentreFactory(), role=role)
    login_as(member.user, member.centre)
    urls = [reverse("frameworks:list"), reverse("frameworks:upload"), *version_urls(version)]
    for url in urls:
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url).status_code == 403, url
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.DRAFT
    assert FrameworkVersion.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_version_is_404(staff_client):
    import uuid

    for url in version_urls(type("V", (), {"public_id": uuid.uuid4()})):
        assert staff_client.get(url).status_code in (404, 405)


def test_list_shows_frameworks_versions_and_status(staff_client, django_assert_max_num_queries):
    for n in range(3):
        version = framework_version_build(name=f"Framework {n}")
        services.framework_version_draft_start(framework=version.framework)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("frameworks:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Framework 2" in body
    assert "Published" in body
    assert "Draft" in body
    assert reverse("frameworks:version_download", kwargs={"version_id": version.public_id}) in body


def test_platform_navigation_has_frameworks(staff_client):
    response = staff_client.get(reverse("frameworks:list"))
    assert f'href="{reverse("frameworks:list")}"' in response.content.decode()


def test_upload_errors_are_shown_and_nothing_is_written(staff_client):
    rows = [*GOOD_ROWS, ["", "No section", "", False, "maybe"]]
    response = upload(staff_client, rows, name="IV Therapy Passport")
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in body
    assert "The file has 2 problems. Nothing has been saved" in body
    assert "Row 6: Section is blank" in body
    assert "Row 6: Supernumerary must be TRUE or FALSE, not “maybe”" in body
    assert not Framework.objects.exists()


def test_upload_form_errors(staff_client):
    response = staff_client.post(reverse("frameworks:upload"), {"framework": "", "name": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the name of the new framework" in body
    assert "Choose the spreadsheet (.xlsx) to upload" in body
    not_xlsx = io.BytesIO(b"Section,Proficiency")
    not_xlsx.name = "framework.csv"
    response = staff_client.post(reverse("frameworks:upload"), {"name": "X", "file": not_xlsx})
    assert "The file must be an Excel workbook (.xlsx)" in response.content.decode()
    disguised = io.BytesIO(b"Section,Proficiency")
    disguised.name = "framework.xlsx"
    response = staff_client.post(reverse("frameworks:upload"), {"name": "X", "file": disguised})
    assert "not an Excel workbook" in response.content.decode()
    assert not Framework.objects.exists()


def test_upload_new_framework_then_publish_with_confirmation(staff_client):
    response = upload(staff_client, name="IV Therapy Passport")
    version = FrameworkVersion.objects.get(framework__name="IV Therapy Passport")
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:version", kwargs={"version_id": version.public_id})
    page = staff_client.get(response["Location"]).content.decode()
    assert "Calculating infusion rates" in page
    assert "Publish this version" in page
    publish_url = reverse("frameworks:version_publish", kwargs={"version_id": version.public_id})
    confirm = staff_client.get(publish_url)
    assert "Publish version 1?" in confirm.content.decode()
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.DRAFT  # GET only asks
    staff_client.post(publish_url)
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.PUBLISHED
    again = staff_client.post(publish_url, follow=True)
    assert "only a draft can be published" in again.content.decode()


def test_upload_new_version_of_existing_framework(staff_client):
    published = framework_version_build(name="Existing")
    response = upload(staff_client, framework=str(published.framework.public_id))
    assert response.status_code == 302
    assert published.framework.versions.get(number=2).status == FrameworkVersion.Status.DRAFT


def test_download_is_the_import_format(staff_client):
    version = framework_version_build(name="IV Therapy Passport", sections=2, per_section=2)
    response = staff_client.get(reverse("frameworks:version_download", kwargs={"version_id": version.public_id}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="iv-therapy-passport-version-1.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == framework_rows.COLUMNS
    assert rows[1] == ("Section 1", "Proficiency 1.1", "<p>Do task 1.1 safely.</p>", False, False)
    assert len(rows) == 5


def test_start_new_draft_from_published(staff_client):
    version = framework_version_build(name="Drafting")
    url = reverse("frameworks:version_draft_start", kwargs={"version_id": version.public_id})
    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url)
    draft = version.framework.versions.get(number=2)
    assert response["Location"] == reverse("frameworks:version", kwargs={"version_id": draft.public_id})
    again = staff_client.post(url, follow=True)
    assert "already has a draft" in again.content.decode()
    assert version.framework.versions.count() == 2


def test_version_page_is_read_only_and_escapes_names(staff_client, django_assert_max_num_queries):
    version = framework_version_build(name="Read only", sections=4, per_section=5)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("frameworks:version", kwargs={"version_id": version.public_id}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Proficiency 4.5" in body
    assert "<p>Do task 4.5 safely.</p>" in body
    assert "cannot be changed" in body
    assert "Start a new draft" in body
    assert "Publish this version" not in body
    assert "Delete this draft" not in body


def test_delete_a_draft_with_confirmation(staff_client):
    version = services.framework_version_import(file=workbook_bytes(GOOD_ROWS), created_by=None, name="Bin me")
    url = reverse("frameworks:version_delete", kwargs={"version_id": version.public_id})
    assert "Delete the draft version 1?" in staff_client.get(url).content.decode()
    assert FrameworkVersion.objects.filter(pk=version.pk).exists()
    staff_client.post(url)
    assert not FrameworkVersion.objects.filter(pk=version.pk).exists()
    published = framework_version_build(name="Keep me")
    url = reverse("frameworks:version_delete", kwargs={"version_id": published.public_id})
    staff_client.post(url)
    assert FrameworkVersion.objects.filter(pk=published.pk).exists()


def test_upload_refuses_a_name_already_taken(staff_client):
    framework_version_build(name="IV Therapy Passport")
    response = upload(staff_client, name="IV therapy passport")
    assert response.status_code == 400
    assert "There is already a framework called" in response.content.decode()
    assert Framework.objects.count() == 1


def test_upload_page_preselects_a_framework(staff_client):
    version = framework_version_build(name="Preselected")
    response = staff_client.get(reverse("frameworks:upload") + f"?framework={version.framework.public_id}")
    assert f'value="{version.framework.public_id}" selected' in response.content.decode()


def test_retired_version_page_says_so(staff_client):
    first = framework_version_build(name="Retiring")
    services.framework_version_publish(version=services.framework_version_draft_start(framework=first.framework))
    response = staff_client.get(reverse("frameworks:version", kwargs={"version_id": first.public_id}))
    body = response.content.decode()
    assert "This version is retired" in body
    assert "Start a new draft" not in body

"""Issue 13 item 8 (ADR 0031): framework proficiencies export from the Django admin and import
back through its import and confirm pages; an import corrects a draft version only (ADR 0010's
versioning guarantee), adds nothing, sanitises descriptions and is audited."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from centres.models import AuditEvent
from passports.models import FrameworkVersion, Proficiency
from passports.resources import ProficiencyResource
from passports.tests.factories import framework_version_build
from tests.admin_import_export import admin_export, admin_import, admin_import_preview, edited, file_of, rows_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILE_FORMATS = ["csv", "xlsx"]


@pytest.fixture
def editor():
    """Platform staff who may change proficiencies (the import's permission)."""
    user = UserFactory(platform_staff=True, email="fran.frameworks@platform.nhs.example")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="passports", codename__in=["view_proficiency", "change_proficiency"]
        )
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _imported_events(action: str):
    return AuditEvent.objects.filter(action=action, summary__contains="imported from")


@pytest.mark.parametrize("file_format", FILE_FORMATS)
def test_proficiencies_round_trip(editor_client, editor, file_format):
    published = framework_version_build(name="IV therapy", sections=2, per_section=2)
    draft = framework_version_build(name="Tracheostomy care", sections=1, per_section=3, status="draft")
    exported = admin_export(editor_client, Proficiency, ProficiencyResource, file_format)
    header, *rows = rows_of(exported, file_format)
    assert header[:4] == ["framework", "version_number", "version_status", "version"]
    assert len(rows) == 7
    assert {row[0] for row in rows} == {"IV therapy", "Tracheostomy care"}

    admin_import(editor_client, Proficiency, exported, file_format)  # unchanged: every row skipped
    assert not _imported_events("admin.changed").exists()

    target = draft.proficiencies.get(position=2)
    changes = {
        "name": "Change the inner cannula",
        "description_html": '<p>Clean <script>alert("x")</script>hands</p>',
        "is_optional": "1",
    }
    response = admin_import(
        editor_client, Proficiency, edited(exported, file_format, {"key": str(target.key)}, changes), file_format
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "Change the inner cannula"
    assert "<script>" not in target.description_html
    assert target.is_optional
    assert target.position == 2
    assert target.section == draft.sections.get()
    event = _imported_events("admin.changed").get()
    assert event.actor == editor
    assert event.centre is None
    assert "name, description_html, is_optional" in event.summary
    assert published.proficiencies.filter(name__startswith="Proficiency").count() == 4


@pytest.mark.parametrize("file_format", FILE_FORMATS)
def test_a_published_version_cannot_be_changed_by_import(editor_client, file_format):
    published = framework_version_build(name="IV therapy", sections=1, per_section=2)
    exported = admin_export(editor_client, Proficiency, ProficiencyResource, file_format)
    first = published.proficiencies.get(position=1)
    changed = edited(exported, file_format, {"key": str(first.key)}, {"name": "Rewritten"})
    preview = admin_import_preview(editor_client, Proficiency, changed, file_format)
    result = preview.context["result"]
    assert result.has_validation_errors()
    assert "published and cannot be changed" in str(result.invalid_rows[0].error)
    first.refresh_from_db()
    assert first.name == "Proficiency 1.1"


def test_an_import_adds_no_proficiency(editor_client):
    draft = framework_version_build(name="Tracheostomy care", sections=1, per_section=1, status="draft")
    exported = admin_export(editor_client, Proficiency, ProficiencyResource, "csv")
    header, row = rows_of(exported, "csv")
    row[header.index("key")] = "6f1c1f2e-9a55-4d4c-9b7b-1d2f0c0d0e0f"
    row[header.index("name")] = "A new one"
    preview = admin_import_preview(editor_client, Proficiency, file_of([header, row], "csv"), "csv")
    assert preview.context["result"].has_validation_errors()
    assert draft.proficiencies.count() == 1
    assert not Proficiency.objects.filter(name="A new one").exists()


def test_staff_without_the_permission_and_non_staff_are_refused(client):
    version = framework_version_build(
        name="IV therapy", sections=1, per_section=1, status=FrameworkVersion.Status.DRAFT
    )
    upload = file_of([["version", "key", "name"], [str(version.public_id), "x", "y"]], "csv")
    client.force_login(UserFactory(platform_staff=True))  # platform staff: no change_proficiency
    assert client.get(reverse("admin:passports_proficiency_import")).status_code == 403
    assert admin_import_preview(client, Proficiency, upload, "csv").status_code == 403
    client.force_login(UserFactory(email="learner@ltht.nhs.example"))
    response = client.get(reverse("admin:passports_proficiency_import"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url

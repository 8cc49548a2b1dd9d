"""P1 frameworks: spreadsheet import (every rule), export round trip, publish/retire, the
versioning guarantee, the JSON loader and the HTML sanitiser."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from centres.models import AuditEvent
from core.html import sanitise_html
from passports.models import Framework, FrameworkVersion, Proficiency, Section
from passports.services import framework_json, framework_rows
from passports.services import frameworks as services
from passports.services.framework_rows import COLUMNS, FrameworkError, FrameworkVersionLocked
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
STEP1 = DATA / "step1-proficiencies.json"
IV = DATA / "iv-therapy-passport.json"

GOOD_ROWS = [
    ["Preparation", "Completed IV therapy eLearning", "<p>Passed the assessment.</p>", False, False],
    ["Preparation", "Medicines management", "<p>Done <strong>this year</strong>.</p>", "FALSE", "TRUE"],
    ["Cannulation", "Inserting a cannula", "", True, False],
    ["Cannulation", "=Calculating infusion rates", "<ul><li>mL per hour</li></ul>", None, None],
]


def workbook_bytes(rows, headers=COLUMNS, sheet_title="Proficiencies") -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as Excel keeps '=...
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def import_problems(rows, **kwargs) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        services.framework_version_import(file=workbook_bytes(rows, **kwargs), created_by=None, name="Test")
    return caught.value.problems or [caught.value.message]


# -- import ---------------------------------------------------------------------------------


def test_import_creates_a_draft_with_ordered_sections(staff):
    version = services.framework_version_import(
        file=workbook_bytes(GOOD_ROWS), created_by=staff, name="IV Therapy Passport"
    )
    assert version.status == FrameworkVersion.Status.DRAFT
    assert version.number == 1
    assert [s.name for s in version.sections.order_by("position")] == ["Preparation", "Cannulation"]
    proficiencies = list(version.proficiencies.order_by("position"))
    assert [p.position for p in proficiencies] == [1, 2, 3, 4]
    assert proficiencies[1].is_supernumerary
    assert not proficiencies[1].is_optional
    assert proficiencies[2].is_optional
    assert proficiencies[3].name == "=Calculating infusion rates"
    assert AuditEvent.objects.filter(action="framework.version_imported", actor=staff).exists()


def test_import_keeps_sections_together_when_rows_interleave():
    rows = [["A", "one", "", False, False], ["B", "two", "", False, False], ["A", "three", "", False, False]]
    version = services.framework_version_import(file=workbook_bytes(rows), created_by=None, name="Mixed")
    ordered = version.proficiencies.order_by("position").select_related("section")
    assert [(p.section.name, p.name) for p in ordered] == [("A", "one"), ("A", "three"), ("B", "two")]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["", "Name", "", False, False], "Row 2: Section is blank"),
        (["Section", "", "", False, False], "Row 2: Proficiency is blank"),
        (["S" * 251, "Name", "", False, False], "Row 2: Section must be 250 characters or fewer"),
        (["Section", "N" * 501, "", False, False], "Row 2: Proficiency must be 500 characters or fewer"),
        (["Section", "Name", "x" * 20_001, False, False], "Row 2: Description (HTML) must be 20,000 characters"),
        (["Section", "Name", "", "maybe", False], "Row 2: Optional must be TRUE or FALSE, not “maybe”"),
        (["Section", "Name", "", False, "sometimes"], "Row 2: Supernumerary must be TRUE or FALSE, not “sometimes”"),
    ],
)
def test_import_row_rules(row, expected):
    problems = import_problems([row])
    assert any(problem.startswith(expected) for problem in problems), problems
    assert not Framework.objects.exists()


def test_import_duplicate_proficiency_in_a_section_names_both_rows():
    rows = [["A", "Cannulation", "", False, False], ["B", "Other", "", False, False], ["a", "cannulation", "", 0, 0]]
    problems = import_problems(rows)
    assert problems == [
        "Row 4: “cannulation” is already in section “a” (row 2): each proficiency must appear once in its section"
    ]


def test_import_reports_every_problem_with_excel_rows_and_writes_nothing():
    rows = [
        ["Good", "Fine", "", False, False],
        ["", "No section", "", False, False],
        [None, None, None, None, None],  # a blank row is skipped but keeps the numbering
        ["Good", "", "", "perhaps", False],
    ]
    problems = import_problems(rows)
    assert problems == [
        "Row 3: Section is blank: enter the name of the section the proficiency belongs to",
        "Row 5: Proficiency is blank: enter the proficiency's name",
        "Row 5: Optional must be TRUE or FALSE, not “perhaps”",
    ]
    assert not Framework.objects.exists()
    assert not Section.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="framework.").exists()


def test_import_missing_and_unknown_columns():
    problems = import_problems([["A", "B"]], headers=["Section", "Competency"])
    assert "Column “Proficiency” is missing" in problems
    assert "Column “Competency” is not one we know" in problems


def test_import_empty_sheet_and_not_xlsx():
    with pytest.raises(FrameworkError, match="no proficiencies"):
        services.framework_version_import(file=workbook_bytes([]), created_by=None, name="Empty")
    with pytest.raises(FrameworkError, match="not an Excel workbook"):
        services.framework_version_import(file=io.BytesIO(b"Section,Proficiency\n"), created_by=None, name="CSV")
    with pytest.raises(FrameworkError, match="not an Excel workbook"):
        services.framework_version_import(file=io.BytesIO(b"PK\x03\x04broken"), created_by=None, name="Zip")


def test_import_new_framework_name_must_be_unique_and_given():
    framework_version_build(name="IV Therapy Passport")
    with pytest.raises(FrameworkError, match="already a framework called"):
        services.framework_version_import(file=workbook_bytes(GOOD_ROWS), created_by=None, name="iv therapy passport")
    with pytest.raises(FrameworkError, match="Enter the framework's name"):
        services.framework_version_import(file=workbook_bytes(GOOD_ROWS), created_by=None, name="  ")


def test_import_sanitises_descriptions():
    rows = [["A", "One", '<p onclick="steal()">Hi<script>alert(1)</script></p>', False, False]]
    version = services.framework_version_import(file=workbook_bytes(rows), created_by=None, name="Safe")
    assert version.proficiencies.get().description_html == "<p>Hi</p>"


def test_import_into_a_framework_with_a_draft_replaces_the_draft():
    version = services.framework_version_import(file=workbook_bytes(GOOD_ROWS), created_by=None, name="Draft")
    again = services.framework_version_import(
        file=workbook_bytes(GOOD_ROWS[:2]), created_by=None, framework=version.framework
    )
    assert again.pk == version.pk
    assert again.proficiencies.count() == 2
    assert version.framework.versions.count() == 1


def test_import_new_version_keeps_keys_of_matching_proficiencies():
    published = framework_version_build(name="Keys", sections=2, per_section=2)
    old = {p.name: p.key for p in published.proficiencies.all()}
    rows = [
        ["Section 1", "Proficiency 1.1", "", False, False],
        ["Renamed section", "Proficiency 1.2", "", False, False],  # moved: matched by its unique name
        ["Section 2", "Brand new", "", False, False],
    ]
    draft = services.framework_version_import(file=workbook_bytes(rows), created_by=None, framework=published.framework)
    assert draft.number == 2
    assert draft.status == FrameworkVersion.Status.DRAFT
    keys = {p.name: p.key for p in draft.proficiencies.all()}
    assert keys["Proficiency 1.1"] == old["Proficiency 1.1"]
    assert keys["Proficiency 1.2"] == old["Proficiency 1.2"]
    assert keys["Brand new"] not in old.values()
    published.refresh_from_db()
    assert published.status == FrameworkVersion.Status.PUBLISHED  # untouched until the draft is published


# -- export ---------------------------------------------------------------------------------


def test_export_then_import_is_identical():
    original = services.framework_version_import(file=workbook_bytes(GOOD_ROWS), created_by=None, name="Round trip")
    stream = io.BytesIO()
    assert framework_rows.framework_version_export(version=original, stream=stream) == 4
    stream.seek(0)
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == COLUMNS
    assert cells[4][1] == "'=Calculating infusion rates"  # formula-like text escaped
    copy = services.framework_version_import(file=stream, created_by=None, name="Round trip copy")
    assert framework_rows.framework_version_rows(copy) == framework_rows.framework_version_rows(original)


def test_export_round_trip_of_the_step1_framework():
    rows, prerequisites = framework_json.framework_json_parse(json.loads(STEP1.read_text()))
    version = framework_json.framework_load(name="Step 1", rows=rows, prerequisites_html=prerequisites).version
    stream = io.BytesIO()
    framework_rows.framework_version_export(version=version, stream=stream)
    stream.seek(0)
    copy = services.framework_version_import(file=stream, created_by=None, name="Step 1 copy")
    assert framework_rows.framework_version_rows(copy) == framework_rows.framework_version_rows(version)


# -- publish and versions -------------------------------------------------------------------


def test_publish_retires_the_old_version_and_enrolled_learners_keep_theirs(staff):
    first = framework_version_build(name="Publishing")
    centre = CentreFactory()
    enrolment = enrolment_build(centre=centre, version=first)
    draft = services.framework_version_draft_start(framework=first.framework, created_by=staff)
    published = services.framework_version_publish(version=draft, published_by=staff)
    assert published.status == FrameworkVersion.Status.PUBLISHED
    assert published.published_at is not None
    first.refresh_from_db()
    assert first.status == FrameworkVersion.Status.RETIRED
    enrolment.refresh_from_db()
    assert enrolment.version == first
    assert enrolment.results.filter(proficiency__version=first).count() == first.proficiencies.count()
    assert AuditEvent.objects.filter(action="framework.version_published", actor=staff).exists()


def test_only_a_draft_with_proficiencies_can_be_published():
    version = framework_version_build(name="Already")
    with pytest.raises(FrameworkError, match="only a draft can be published"):
        services.framework_version_publish(version=version)
    empty = services.framework_create(name="Empty framework")
    with pytest.raises(FrameworkError, match="no proficiencies"):
        services.framework_version_publish(version=empty)


def test_new_draft_copies_the_published_version_keeping_keys():
    published = framework_version_build(name="Copy me", sections=2, per_section=3)
    published.prerequisites_html = "<p>eLearning first</p>"
    published.save()
    draft = services.framework_version_draft_start(framework=published.framework)
    assert draft.number == 2
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert draft.prerequisites_html == "<p>eLearning first</p>"
    assert framework_rows.framework_version_rows(draft) == framework_rows.framework_version_rows(published)
    old_keys = list(published.proficiencies.order_by("position").values_list("key", flat=True))
    assert list(draft.proficiencies.order_by("position").values_list("key", flat=True)) == old_keys
    assert set(draft.proficiencies.values_list("section__version", flat=True)) == {draft.pk}
    with pytest.raises(FrameworkError, match="already has a draft"):
        services.framework_version_draft_start(framework=published.framework)


def test_new_draft_needs_a_published_version():
    version = services.framework_create(name="Only a draft")
    with pytest.raises(FrameworkError, match="already has a draft"):
        services.framework_version_draft_start(framework=version.framework)
    services.framework_version_draft_delete(version=version)
    with pytest.raises(FrameworkError, match="no published version"):
        services.framework_version_draft_start(framework=version.framework)


def test_versioning_guarantee_published_content_cannot_change():
    version = framework_version_build(name="Locked")
    proficiency = version.proficiencies.first()
    proficiency.name = "Changed behind the services' back"
    with pytest.raises(FrameworkVersionLocked):
        proficiency.save()
    section = version.sections.first()
    section.name = "Changed"
    with pytest.raises(FrameworkVersionLocked):
        section.save()
    with pytest.raises(FrameworkVersionLocked):
        services.framework_version_draft_delete(version=version)
    # Uploading for the framework writes a new draft; the published version stays as it was.
    before = framework_rows.framework_version_rows(version)
    draft = services.framework_version_import(
        file=workbook_bytes(GOOD_ROWS), created_by=None, framework=version.framework
    )
    assert draft.pk != version.pk
    assert framework_rows.framework_version_rows(version) == before
    # Retired versions are locked too.
    services.framework_version_publish(version=draft)
    proficiency.refresh_from_db()
    proficiency.name = "Changed after retiring"
    with pytest.raises(FrameworkVersionLocked):
        proficiency.save()
    assert Proficiency.objects.get(pk=proficiency.pk).name != "Changed after retiring"


def test_a_draft_can_still_change_and_be_deleted():
    draft = services.framework_version_import(file=workbook_bytes(GOOD_ROWS), created_by=None, name="Changing")
    proficiency = draft.proficiencies.first()
    proficiency.name = "Edited"
    proficiency.save()
    services.framework_version_draft_delete(version=draft)
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()
    assert not Proficiency.objects.filter(version_id=draft.pk).exists()


# -- JSON loader -----------------------------------------------------------------------------


def test_load_framework_json_step1(capsys):
    call_command("load_framework_json", str(STEP1), name="Step 1 proficiencies")
    version = FrameworkVersion.objects.get(framework__name="Step 1 proficiencies")
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert version.proficiencies.count() == 670
    assert version.sections.count() == 52
    assert version.proficiencies.filter(is_supernumerary=True).count() == 176
    assert version.sections.order_by("position").first().name == "Learning contract"
    first = version.proficiencies.get(position=1)
    assert first.name == "Learner responsibilities"
    assert first.description_html.startswith("<p>As a learner I intend to:</p><ul><li>")
    assert "670 proficiencies in 52 sections" in capsys.readouterr().out


def test_load_framework_json_is_idempotent_and_versions_changes(tmp_path):
    call_command("load_framework_json", str(IV), name="IV Therapy Passport")
    out = io.StringIO()
    call_command("load_framework_json", str(IV), name="IV Therapy Passport", stdout=out)
    assert "nothing changed" in out.getvalue()
    framework = Framework.objects.get(name="IV Therapy Passport")
    assert framework.versions.count() == 1
    first = framework.versions.get()
    assert "IV therapy eLearning" in first.prerequisites_html
    assert first.proficiencies.filter(is_optional=True).count() == 2
    data = json.loads(IV.read_text())
    data["items"][0]["Competency name"] = "Completed IV therapy eLearning (2026)"
    changed = tmp_path / "iv.json"
    changed.write_text(json.dumps(data))
    call_command("load_framework_json", str(changed), name="IV Therapy Passport", draft=True, stdout=io.StringIO())
    assert framework.versions.get(number=2).status == FrameworkVersion.Status.DRAFT
    call_command("load_framework_json", str(changed), name="IV Therapy Passport", stdout=io.StringIO())
    assert framework.versions.get(number=2).status == FrameworkVersion.Status.PUBLISHED
    first.refresh_from_db()
    assert first.status == FrameworkVersion.Status.RETIRED


def test_load_framework_json_bad_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not a readable JSON file"):
        call_command("load_framework_json", str(bad), name="Bad")
    with pytest.raises(CommandError, match="No file"):
        call_command("load_framework_json", str(tmp_path / "missing.json"), name="Bad")
    bad.write_text(json.dumps([{"Competency group": "", "Competency name": "x"}]))
    with pytest.raises(CommandError, match="Item 1"):
        call_command("load_framework_json", str(bad), name="Bad")


def test_repo_copy_of_step1_matches_shared_data():
    shared = Path("/work/shared/data/step1-proficiencies.json")
    if not shared.exists():
        pytest.skip("shared data not on this machine")
    assert json.loads(STEP1.read_text()) == json.loads(shared.read_text())


def test_demo_loads_both_frameworks_once():
    from django.apps import apps

    out = io.StringIO()
    apps.get_app_config("passports").seed_demo(out)
    apps.get_app_config("passports").seed_demo(out)
    names = sorted(FrameworkVersion.objects.filter(status="published").values_list("framework__name", flat=True))
    assert names == ["IV Therapy Passport", "Step 1 proficiencies"]
    assert FrameworkVersion.objects.count() == 2


# -- sanitiser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hi<script>alert('x')</script></p>", "<p>Hi</p>"),
        ('<p onclick="x()" onmouseover="y()">Hi</p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">link</a>', '<a rel="noopener noreferrer">link</a>'),
        (
            '<a href="https://www.nhs.uk" target="_blank">NHS</a>',
            '<a href="https://www.nhs.uk" rel="noopener noreferrer">NHS</a>',
        ),
        (
            '<a href="mailto:ivteam@example.nhs.uk">mail</a>',
            '<a href="mailto:ivteam@example.nhs.uk" rel="noopener noreferrer">mail</a>',
        ),
        ('<img src="x" onerror="alert(1)"><iframe src="x"></iframe>', ""),
        ('<div style="color:red"><span>text</span></div>', "text"),
        (
            "<ol><li><b>b</b> <i>i</i> <strong>s</strong> <em>e</em><br></li></ol>",
            "<ol><li><b>b</b> <i>i</i> <strong>s</strong> <em>e</em><br></li></ol>",
        ),
        (None, ""),
    ],
)
def test_sanitise_html(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_sanitise_html_is_stable():
    once = sanitise_html('<p>a <a href="http://x.example/">x</a><script>y</script></p>')
    assert sanitise_html(once) == once

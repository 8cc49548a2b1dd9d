"""S5 templates: create (group first), the name rule, duplicates, defaults untouchable, other
trusts' ids refused, delete falls back to the default, and which template applies."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from staffpassport.models import CredentialsTemplate, JobRole, StaffGroup, StaffMember
from staffpassport.selectors.templates import template_for
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
NURSING = "nursing-midwifery-registered"


def _create_url(group=NURSING):
    return reverse("staffpassport:template_create", kwargs={"staff_group": group})


def _data(**overrides):
    data = {
        "name": "Nurses new starters",
        "employment_types": "new_starter",
        "categories": ["identity"],
        "credentials": ["dbs-enhanced-barred"],
    }
    data.update(overrides)
    return data


def _custom(trust):
    return CredentialsTemplate.objects.for_centre(trust)


def test_create_a_template_group_first(senior_client, trust):
    response = senior_client.post(reverse("staffpassport:template_new"), {"staff_group": NURSING})
    assert response["Location"] == _create_url()
    page = senior_client.get(_create_url()).content.decode()
    assert "has no job roles" in page
    response = senior_client.post(_create_url(), _data(), follow=True)
    page = response.content.decode()
    assert "Template “Nurses new starters” created successfully" in page
    template = _custom(trust).get()
    assert template.staff_group.code == NURSING
    assert set(template.categories.values_list("code", flat=True)) == {"identity"}
    assert set(template.credentials.values_list("code", flat=True)) == {"dbs-enhanced-barred"}
    assert AuditEvent.objects.filter(centre=trust, action="staffpassport.template_created").count() == 1


def test_job_role_is_offered_only_when_the_group_has_roles(senior_client, trust):
    assert 'name="job_role"' not in senior_client.get(_create_url()).content.decode()
    group = StaffGroup.objects.get(code=NURSING)
    role = JobRole.objects.create(centre=trust, staff_group=group, name="Theatre nurse")
    JobRole.objects.create(centre=CentreFactory(), staff_group=group, name="Other trust role")
    page = senior_client.get(f"{_create_url()}?job_role={role.public_id}").content.decode()
    assert 'name="job_role"' in page
    assert f'value="{role.public_id}" selected' in page
    assert "Other trust role" not in page
    senior_client.post(_create_url(), _data(job_role=str(role.public_id)))
    assert _custom(trust).get().job_role == role


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Nurses_new", "Template name cannot include underscores (_)"),
        ("Nurses <b>", "Template name cannot include less-than signs (&lt;) or greater-than signs (&gt;)"),
        ("Nurses 🙂", "Template name cannot include emoji or symbols (🙂)"),
        ("     ", "Enter a template name. A name cannot be only spaces"),
        ("", "Enter a template name"),
        ("Band 5 - Theatre nurses", None),
    ],
)
def test_template_name_rule(senior_client, trust, name, message):
    response = senior_client.post(_create_url(), _data(name=name))
    if message is None:
        assert response.status_code == 302
        assert _custom(trust).get().name == "Band 5 - Theatre nurses"
        return
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Use only letters, numbers, spaces and hyphens" in page or "Enter a template name" in page
    assert not _custom(trust).exists()


def test_nothing_required_is_refused(senior_client, trust):
    response = senior_client.post(_create_url(), _data(categories=[], credentials=[]))
    assert response.status_code == 400
    assert "Select at least one credential or category" in response.content.decode()
    assert not _custom(trust).exists()


def test_duplicate_and_overlapping_templates_are_refused(senior_client, trust):
    senior_client.post(_create_url(), _data())
    response = senior_client.post(_create_url(), _data(name="Another name"))
    assert response.status_code == 400
    assert "Your template “Nurses new starters” already applies to Nursing and Midwifery Registered" in (
        response.content.decode()
    )
    response = senior_client.post(_create_url(), _data(name="Everyone", employment_types="both"))
    assert response.status_code == 400
    response = senior_client.post(_create_url(), _data(name="nurses NEW starters", employment_types="current"))
    assert "A template called" in response.content.decode()
    assert _custom(trust).count() == 1
    # For current employees it is a different set of people.
    senior_client.post(_create_url(), _data(name="Nurses current", employment_types="current"))
    assert _custom(trust).count() == 2
    # Another trust may have the same template.
    other = CentreFactory()
    CredentialsTemplate.objects.create(
        centre=other,
        name="Nurses new starters",
        staff_group=StaffGroup.objects.get(code=NURSING),
        employment_types="new_starter",
    )


def test_another_trusts_job_role_or_credentials_cannot_be_posted(senior_client, trust):
    other_role = JobRole.objects.create(
        centre=CentreFactory(), staff_group=StaffGroup.objects.get(code=NURSING), name="Elsewhere"
    )
    JobRole.objects.create(centre=trust, staff_group=StaffGroup.objects.get(code=NURSING), name="Here")
    response = senior_client.post(_create_url(), _data(job_role=str(other_role.public_id)))
    assert response.status_code == 400
    assert "Select a job role from the list" in response.content.decode()
    response = senior_client.post(_create_url(), _data(credentials=["made-up"]))
    assert response.status_code == 400
    assert not _custom(trust).exists()
    assert senior_client.get(f"{_create_url()}?job_role={other_role.public_id}").status_code == 404
    assert senior_client.get(f"{_create_url()}?job_role=not-a-uuid").status_code == 404
    assert senior_client.get(_create_url("no-such-group")).status_code == 404


def test_defaults_cannot_be_changed_or_deleted(senior_client):
    default = CredentialsTemplate.objects.filter(centre=None).first()
    for name in ("staffpassport:template_edit", "staffpassport:template_delete"):
        url = reverse(name, kwargs={"template_id": default.public_id})
        assert senior_client.get(url).status_code == 404
        assert senior_client.post(url, _data()).status_code == 404
    assert CredentialsTemplate.objects.filter(pk=default.pk, name=default.name).exists()
    page = senior_client.get(reverse("staffpassport:template_detail", kwargs={"template_id": default.public_id}))
    assert "Create a custom template from this" in page.content.decode()


def test_copy_a_default_prefills_the_form(senior_client):
    default = CredentialsTemplate.objects.get(centre=None, staff_group__code=NURSING, employment_types="new_starter")
    page = senior_client.get(f"{_create_url()}?copy={default.public_id}").content.decode()
    assert 'value="nmc-registration" checked' in page
    other_group_default = CredentialsTemplate.objects.get(
        centre=None, staff_group__code="students", employment_types="current"
    )
    assert senior_client.get(f"{_create_url()}?copy={other_group_default.public_id}").status_code == 404


def test_another_trusts_template_is_404_everywhere(senior_client):
    other = CredentialsTemplate.objects.create(
        centre=CentreFactory(),
        name="Secret",
        staff_group=StaffGroup.objects.get(code=NURSING),
        employment_types="current",
    )
    for name in ("staffpassport:template_detail", "staffpassport:template_edit", "staffpassport:template_delete"):
        url = reverse(name, kwargs={"template_id": other.public_id})
        assert senior_client.get(url).status_code == 404
        assert senior_client.post(url, _data()).status_code in (404, 405)
    assert CredentialsTemplate.objects.filter(pk=other.pk, name="Secret").exists()
    assert senior_client.get(f"{_create_url()}?copy={other.public_id}").status_code == 404


def test_edit_and_delete_falls_back_to_the_default(senior_client, trust):
    senior_client.post(_create_url(), _data())
    template = _custom(trust).get()
    edit_url = reverse("staffpassport:template_edit", kwargs={"template_id": template.public_id})
    assert 'value="Nurses new starters"' in senior_client.get(edit_url).content.decode()
    response = senior_client.post(edit_url, _data(name="Nurses starting", credentials=["mmr"]), follow=True)
    assert "Template “Nurses starting” updated successfully" in response.content.decode()
    template.refresh_from_db()
    assert template.name == "Nurses starting"
    member = StaffMember.objects.create(
        centre=trust,
        esr_assignment_number="1",
        first_name="Ada",
        last_name="Nurse",
        staff_group=template.staff_group,
        employment_type="new_starter",
    )
    assert template_for(member)[0] == template
    delete_url = reverse("staffpassport:template_delete", kwargs={"template_id": template.public_id})
    assert "Delete the template “Nurses starting”?" in senior_client.get(delete_url).content.decode()
    response = senior_client.post(delete_url, follow=True)
    assert "The default template applies to those staff again" in response.content.decode()
    assert template_for(member)[0].is_default


def test_list_shows_custom_and_default_templates_with_flat_queries(senior_client, trust, django_assert_max_num_queries):
    group = StaffGroup.objects.get(code=NURSING)

    def add(count):
        for index in range(count):
            role = JobRole.objects.create(centre=trust, staff_group=group, name=f"Role {index} {count}")
            CredentialsTemplate.objects.create(
                centre=trust, name=f"T {index} {count}", staff_group=group, employment_types="both", job_role=role
            )

    add(1)
    with django_assert_max_num_queries(14) as small:
        page = senior_client.get(reverse("staffpassport:templates")).content.decode()
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = senior_client.get(reverse("staffpassport:templates")).content.decode()
    assert "Your templates" in page
    assert "Nursing and Midwifery Registered - new starters" in page
    assert "T 9 10" in page


def test_which_template_page(senior_client, trust):
    group = StaffGroup.objects.get(code=NURSING)
    role = JobRole.objects.create(centre=trust, staff_group=group, name="Theatre nurse")
    template = CredentialsTemplate.objects.create(
        centre=trust, name="Theatre nurses", staff_group=group, employment_types="both", job_role=role
    )
    member = StaffMember.objects.create(
        centre=trust,
        esr_assignment_number="ESR-42",
        first_name="Grace",
        last_name="Okafor",
        staff_group=group,
        job_role=role,
        employment_type="current",
    )
    url = reverse("staffpassport:template_which")
    page = senior_client.get(url, {"q": "okafor"}).content.decode()
    assert f"?staff_member={member.public_id}" in page
    page = senior_client.get(url, {"staff_member": str(member.public_id)}).content.decode()
    assert template.name in page
    assert "is for their job role, Theatre nurse" in page
    assert "takes precedence over" in page
    page = senior_client.get(url, {"staff_group": NURSING, "employment_type": "new_starter"}).content.decode()
    assert "Nursing and Midwifery Registered - new starters" in page
    # Another trust's staff member is not found.
    other = StaffMember.objects.create(
        centre=CentreFactory(),
        esr_assignment_number="ESR-43",
        first_name="Grace",
        last_name="Elsewhere",
        staff_group=group,
        employment_type="current",
    )
    assert senior_client.get(url, {"staff_member": str(other.public_id)}).status_code == 404
    assert "Elsewhere" not in senior_client.get(url, {"q": "grace"}).content.decode()

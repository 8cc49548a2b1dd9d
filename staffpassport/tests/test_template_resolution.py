"""template_for: custom beats default, a job role beats none, exact type beats both; a deleted
custom template falls back to the default; another trust's templates never apply."""

import pytest

from staffpassport.models import CredentialsTemplate, JobRole, StaffGroup, StaffMember
from staffpassport.selectors.templates import template_for, template_required_credentials
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def _member(centre, group, employment_type="new_starter", job_role=None):
    return StaffMember.objects.create(
        centre=centre,
        esr_assignment_number=f"A{StaffMember.objects.count() + 1}",
        first_name="Amy",
        last_name="Nurse",
        staff_group=group,
        employment_type=employment_type,
        job_role=job_role,
    )


def test_resolution_order_and_fallback():
    centre = CentreFactory()
    group = StaffGroup.objects.get(code="nursing-midwifery-registered")
    role = JobRole.objects.create(centre=centre, staff_group=group, name="Theatre nurse")
    member = _member(centre, group, job_role=role)
    default = CredentialsTemplate.objects.get(centre=None, staff_group=group, employment_types="new_starter")

    template, reasons = template_for(member)
    assert template == default
    assert any("default template" in reason for reason in reasons)

    both = CredentialsTemplate.objects.create(centre=centre, name="Nurses", staff_group=group, employment_types="both")
    assert template_for(member)[0] == both
    exact = CredentialsTemplate.objects.create(
        centre=centre, name="Nurses new", staff_group=group, employment_types="new_starter"
    )
    assert template_for(member)[0] == exact
    with_role = CredentialsTemplate.objects.create(
        centre=centre, name="Theatre", staff_group=group, employment_types="both", job_role=role
    )
    template, reasons = template_for(member)
    assert template == with_role
    assert any("job role" in reason for reason in reasons)

    # Another trust's custom template never applies here.
    other = CentreFactory()
    CredentialsTemplate.objects.create(centre=other, name="Other", staff_group=group, employment_types="new_starter")
    for custom in (with_role, exact, both):
        custom.delete()
    assert template_for(member)[0] == default


def test_required_credentials_expand_categories_once():
    template = CredentialsTemplate.objects.get(centre=None, staff_group__code="students", employment_types="current")
    required = template_required_credentials(template)
    codes = [credential.code for credential in required]
    assert "cstf-fire-safety" in codes
    assert len(codes) == len(set(codes))
    template.credentials.add(required[0])
    assert len(template_required_credentials(template)) == len(required)

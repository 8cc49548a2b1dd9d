"""The migrations apply, the catalogue is seeded, and the database refuses what the rules forbid."""

import pytest
from django.db import IntegrityError, transaction

from staffpassport.models import (
    Credential,
    CredentialCategory,
    CredentialsTemplate,
    JobRole,
    StaffGroup,
    TemplateEmploymentTypes,
)
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

ESR_STAFF_GROUPS = [
    "Add Prof Scientific and Technic",
    "Additional Clinical Services",
    "Administrative and Clerical",
    "Allied Health Professionals",
    "Estates and Ancillary",
    "Healthcare Scientists",
    "Medical and Dental",
    "Nursing and Midwifery Registered",
    "Students",
]


def test_catalogue_is_seeded():
    assert list(StaffGroup.objects.values_list("name", flat=True)) == ESR_STAFF_GROUPS
    category_names = set(CredentialCategory.objects.values_list("name", flat=True))
    assert {
        "Identity",
        "Right to work",
        "Professional registration",
        "Statutory and mandatory training",
    } <= category_names
    assert Credential.objects.get(code="dbs-enhanced-barred").category.code == "dbs"
    assert Credential.objects.get(code="cstf-fire-safety").validity_days == 730


def test_a_default_template_per_staff_group_and_employment_type():
    defaults = CredentialsTemplate.objects.filter(centre=None)
    assert defaults.count() == 2 * len(ESR_STAFF_GROUPS)
    nursing_new = defaults.get(staff_group__code="nursing-midwifery-registered", employment_types="new_starter")
    assert set(nursing_new.credentials.values_list("code", flat=True)) >= {"nmc-registration", "dbs-enhanced-barred"}
    assert set(nursing_new.categories.values_list("code", flat=True)) >= {"identity", "statutory-mandatory-training"}


def test_database_refuses_a_duplicate_custom_template_without_job_role():
    centre = CentreFactory()
    group = StaffGroup.objects.get(code="students")
    CredentialsTemplate.objects.create(
        centre=centre, name="Students A", staff_group=group, employment_types=TemplateEmploymentTypes.CURRENT
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CredentialsTemplate.objects.create(
            centre=centre, name="Students B", staff_group=group, employment_types=TemplateEmploymentTypes.CURRENT
        )
    # Another trust may have the same one.
    CredentialsTemplate.objects.create(
        centre=CentreFactory(), name="Students A", staff_group=group, employment_types=TemplateEmploymentTypes.CURRENT
    )


def test_database_refuses_a_second_job_role_with_the_same_name_in_a_group():
    centre = CentreFactory()
    group = StaffGroup.objects.get(code="students")
    JobRole.objects.create(centre=centre, staff_group=group, name="Student nurse")
    with pytest.raises(IntegrityError), transaction.atomic():
        JobRole.objects.create(centre=centre, staff_group=group, name="student NURSE")

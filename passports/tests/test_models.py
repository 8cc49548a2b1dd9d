import pytest
from django.db import IntegrityError

from passports.models import FrameworkVersion, Result
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_enrolment_build_gives_one_unassessed_result_per_proficiency():
    version = framework_version_build(sections=2, per_section=3)
    enrolment = enrolment_build(centre=CentreFactory(), version=version)
    statuses = list(enrolment.results.values_list("status", flat=True))
    assert statuses == ["not_assessed"] * 6
    assert enrolment.supervisors.get().is_enrolling_educator


def test_a_framework_has_one_draft_version_at_most():
    version = framework_version_build(status=FrameworkVersion.Status.DRAFT)
    with pytest.raises(IntegrityError):
        FrameworkVersion.objects.create(framework=version.framework, number=2)


def test_result_changes_are_kept_in_history():
    enrolment = enrolment_build(centre=CentreFactory(), version=framework_version_build(sections=1, per_section=1))
    result = enrolment.results.get()
    result.answer = Result.Answer.ACHIEVED
    result.status = "self_assessed"
    result._history_user = enrolment.membership.user
    result.save()
    assert [h.status for h in result.history.all()] == ["self_assessed", "not_assessed"]
    assert result.history.first().history_user == enrolment.membership.user

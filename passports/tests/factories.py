"""Shared passport test data. `framework_version_build(sections=3, per_section=4)` makes a
published version; `enrolment_build(...)` enrols a learner with one NOT_ASSESSED result per
proficiency (as the enrolment service will)."""

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from centres.roles import Role
from passports.models import (
    Enrolment,
    Framework,
    FrameworkVersion,
    Proficiency,
    Result,
    Section,
    Supervisor,
)
from tests.factories import MembershipFactory

_counter = {"n": 0}


def framework_version_build(
    *, name: str | None = None, sections: int = 3, per_section: int = 4, status=FrameworkVersion.Status.PUBLISHED
) -> FrameworkVersion:
    _counter["n"] += 1
    framework = Framework.objects.create(name=name or f"Test framework {_counter['n']}")
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=1,
        status=status,
        published_at=timezone.now() if status == FrameworkVersion.Status.PUBLISHED else None,
    )
    position = 0
    for s in range(1, sections + 1):
        section = Section.objects.create(version=version, position=s, name=f"Section {s}")
        proficiencies = []
        for p in range(1, per_section + 1):
            position += 1
            proficiencies.append(
                Proficiency(
                    version=version,
                    section=section,
                    position=position,
                    name=f"Proficiency {s}.{p}",
                    description_html=f"<p>Do task {s}.{p} safely.</p>",
                )
            )
        Proficiency.objects.bulk_create(proficiencies)
    return version


def enrolment_build(*, centre, version: FrameworkVersion, learner=None, educator=None) -> Enrolment:
    """`learner` and `educator` are Memberships at `centre` (made if not given)."""
    learner = learner or MembershipFactory(centre=centre)
    educator = educator or MembershipFactory(centre=centre, role=Role.EDUCATOR)
    enrolment = Enrolment.objects.create(
        centre=centre, membership=learner, framework=version.framework, version=version, enrolled_by=educator.user
    )
    bulk_create_with_history(
        [Result(centre=centre, enrolment=enrolment, proficiency=p) for p in version.proficiencies.all()],
        Result,
        default_user=educator.user,
    )
    Supervisor.objects.create(
        centre=centre, enrolment=enrolment, user=educator.user, is_enrolling_educator=True, added_by=educator.user
    )
    return enrolment

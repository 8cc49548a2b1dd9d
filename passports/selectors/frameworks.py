"""P1 framework reads. Frameworks belong to the platform (no centre): only platform staff
pages and the enrolment pages read them."""

from django.db.models import Count, Prefetch

from passports.models import Framework, FrameworkVersion, Proficiency, Section


def frameworks_with_versions() -> list[Framework]:
    """Every framework with its versions (newest first), each with `proficiency_count`."""
    versions = FrameworkVersion.objects.annotate(proficiency_count=Count("proficiencies")).order_by("-number")
    return list(Framework.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by("name"))


def framework_get(*, public_id) -> Framework | None:
    return Framework.objects.filter(public_id=public_id).first()


def framework_version_get(*, public_id) -> FrameworkVersion | None:
    return (
        FrameworkVersion.objects.select_related("framework", "created_by")
        .annotate(proficiency_count=Count("proficiencies"))
        .filter(public_id=public_id)
        .first()
    )


def framework_version_sections(version: FrameworkVersion) -> list[Section]:
    """The version's sections in order, each with its proficiencies prefetched in order."""
    proficiencies = Proficiency.objects.order_by("position")
    return list(
        version.sections.order_by("position").prefetch_related(Prefetch("proficiencies", queryset=proficiencies))
    )


def framework_versions_published() -> list[FrameworkVersion]:
    """The published version of every framework (what educators can enrol learners on)."""
    return list(
        FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED)
        .select_related("framework")
        .order_by("framework__name")
    )

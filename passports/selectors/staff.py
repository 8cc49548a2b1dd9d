"""Reads for the staff list (P2), enrolment (P3) and supervisors (P5). Every function takes
the centre; an educator sees only the entries on their own staff list."""

from django.db.models import Count, Exists, F, OuterRef, Q

from accounts.models import User
from centres.models import Centre, Membership, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission
from passports.models import Enrolment, Framework, FrameworkVersion, ResultStatus, StaffListEntry, Supervisor


def staff_entries(*, centre: Centre, educator):
    """The educator's staff list with each person's current enrolment count (an annotation,
    so a page is one query however long the list)."""
    return (
        StaffListEntry.objects.for_centre(centre)
        .filter(educator=educator)
        .select_related("membership__user", "membership__job_group")
        .annotate(enrolment_count=Count("membership__enrolments", filter=Q(membership__enrolments__removed_at=None)))
        # By surname; people not registered yet (no name) after them, by email.
        .order_by(F("membership__user__last_name").asc(nulls_last=True), "membership__user__first_name", "email")
    )


def staff_entry_for(*, centre: Centre, educator, public_id) -> StaffListEntry | None:
    return (
        StaffListEntry.objects.for_centre(centre)
        .filter(educator=educator, public_id=public_id)
        .select_related("membership__user", "membership__job_group")
        .first()
    )


def enrolments_with_progress(*, centre: Centre, membership: Membership):
    """A person's current enrolments at the centre, each with counts of its results by
    status (`count_<status>` and `count_total`), in one query."""
    counts = {
        f"count_{status.value}": Count("results", filter=Q(results__status=status.value)) for status in ResultStatus
    }
    return (
        Enrolment.objects.for_centre(centre)
        .filter(membership=membership, removed_at=None)
        .select_related("framework", "version", "enrolled_by")
        .annotate(count_total=Count("results"), **counts)
        .order_by("framework__name")
    )


def enrolment_for_centre(*, centre: Centre, public_id) -> Enrolment | None:
    return (
        Enrolment.objects.for_centre(centre)
        .filter(public_id=public_id, removed_at=None)
        .select_related("framework", "version", "membership__user", "enrolled_by")
        .first()
    )


def enrolment_of_learner(*, centre: Centre, user, public_id) -> Enrolment | None:
    """The learner's own current enrolment (P5 pages are the learner's only)."""
    return (
        Enrolment.objects.for_centre(centre)
        .filter(public_id=public_id, membership__user=user, removed_at=None)
        .select_related("framework", "version", "membership__user")
        .first()
    )


def educator_may_see_enrolment(*, centre: Centre, educator, enrolment: Enrolment) -> bool:
    """An educator works with the people on their staff list ("Assessors and educators see
    only learners on their staff list or who chose them")."""
    return (
        StaffListEntry.objects.for_centre(centre).filter(educator=educator, membership=enrolment.membership_id).exists()
        or Supervisor.objects.for_centre(centre).filter(enrolment=enrolment, user=educator).exists()
    )


def staff_entry_for_membership(*, centre: Centre, educator, membership_id: int) -> StaffListEntry | None:
    return StaffListEntry.objects.for_centre(centre).filter(educator=educator, membership=membership_id).first()


def frameworks_to_enrol() -> list[Framework]:
    """Frameworks with a published version (frameworks belong to the platform)."""
    published = FrameworkVersion.objects.filter(framework=OuterRef("pk"), status=FrameworkVersion.Status.PUBLISHED)
    return list(Framework.objects.filter(Exists(published)).order_by("name"))


def _supervising_roles() -> list[str]:
    return [role.value for role, permissions in ROLE_PERMISSIONS.items() if Permission.ASSESS in permissions]


def holds_supervising_role(*, centre, user_ref: str = "pk") -> Exists:
    """A filter: the user (`OuterRef(user_ref)`) holds an active educator or assessor role
    (the ASSESS permission) at the centre now."""
    return Exists(
        RoleAssignment.objects.for_centre(centre).filter(
            user=OuterRef(user_ref), revoked_at__isnull=True, role__in=_supervising_roles()
        )
    )


def supervisor_candidates(*, centre: Centre, exclude_user_ids=()):
    """People holding an active educator or assessor role (the ASSESS permission) at the
    centre, by name."""

    return (
        User.objects.filter(holds_supervising_role(centre=centre), is_active=True)
        .exclude(pk__in=exclude_user_ids)
        .order_by("last_name", "first_name")
    )


def enrolment_supervisors(*, centre: Centre, enrolment: Enrolment) -> list[Supervisor]:
    return list(
        Supervisor.objects.for_centre(centre)
        .filter(enrolment=enrolment)
        .select_related("user")
        .order_by("-is_enrolling_educator", "user__last_name", "user__first_name")
    )

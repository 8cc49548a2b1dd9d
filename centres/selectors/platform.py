"""Reads for platform staff's centre pages."""

from django.db.models import Count, Q

from centres.models import Centre, RoleAssignment
from centres.roles import Role


def centres_for_platform(*, search: str = ""):
    """Platform staff's list of every centre (the views check is_staff), by name, with how
    many centre managers each has (one query per page)."""
    centres = Centre.objects.annotate(
        manager_count=Count(
            "role_assignments__user",
            filter=Q(role_assignments__role=Role.CENTRE_MANAGER, role_assignments__revoked_at__isnull=True),
            distinct=True,
        )
    ).order_by("name")
    for word in search.split():
        centres = centres.filter(Q(name__icontains=word) | Q(code__icontains=word))
    return centres


def centre_for_platform(*, public_id) -> Centre | None:
    return Centre.objects.filter(public_id=public_id).first()


def centre_managers(*, centre: Centre) -> list:
    """The people who are centre managers of `centre` now, by name."""
    return [
        grant.user
        for grant in RoleAssignment.objects.for_centre(centre)
        .filter(role=Role.CENTRE_MANAGER, revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ]

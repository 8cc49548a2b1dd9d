"""Who may act where in eLearning (ADR 0027's pattern, ADR 0033).

An authoriser works on *their sites*: every centre where they hold an active authoriser role
(`Permission.INVITE_STAFF`), whichever centre they have chosen as current; so site pages take
the site's public id in the URL and `authoriser_site_get` answers 404 for any other centre,
exactly as for an id that names nothing. Learning pages are the person's own; the request
queue is platform staff's (`core.decorators.platform_staff_required`).
"""

from django.http import Http404

from centres.models import Centre, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission, Role
from elearning.models import SiteStaff

_SITE_ROLES = [role.value for role, permissions in ROLE_PERMISSIONS.items() if Permission.INVITE_STAFF in permissions]


def authoriser_sites(user):
    """The active centres where `user` may invite and manage staff, by name (one query)."""
    if not user.is_authenticated or not user.is_active:
        return Centre.objects.none()
    granted = RoleAssignment.objects.filter(user=user, role__in=_SITE_ROLES, revoked_at__isnull=True)
    return Centre.objects.filter(is_active=True, pk__in=granted.values("centre_id")).order_by("name")


def authoriser_site_get(user, site_public_id) -> Centre:
    """One of `user`'s sites by its public id, or 404 (another centre's id and an unknown id
    answer the same)."""
    site = authoriser_sites(user).filter(public_id=site_public_id).first()
    if site is None:
        raise Http404("No such site")
    return site


def authoriser_ids_at(site: Centre) -> set[int]:
    """The user ids holding an authoriser role at `site` (the marker on the staff list)."""
    return set(
        RoleAssignment.objects.for_centre(site)
        .filter(role=Role.AUTHORISER, revoked_at__isnull=True)
        .values_list("user_id", flat=True)
    )


def site_staff_records(user):
    """`user`'s own site staff records (any status), newest first."""
    return SiteStaff.objects.filter(user=user).select_related("centre").order_by("-created_at")


def is_learner(user) -> bool:
    """Whether `user` has eLearning to do: a current site staff record somewhere."""
    return (
        user.is_authenticated and SiteStaff.objects.filter(user=user, status=SiteStaff.Status.CURRENT).exists()
    )

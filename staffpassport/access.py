"""Who may use the staff passport settings (S1): senior portal administrators only. Everyone
else gets a 403 page that says who can change the settings and how to find them."""

from functools import wraps

from centres.models import RoleAssignment
from centres.roles import ROLE_LABELS, Permission, Role
from core.decorators import centre_required
from core.exceptions import ExplainedPermissionDenied

SETTINGS_PERMISSION = Permission.MANAGE_STAFF_PASSPORT


def senior_administrator_names(*, centre) -> list[str]:
    """The names of the trust's senior portal administrators now (for the 403 page)."""
    return [
        grant.user.get_full_name()
        for grant in RoleAssignment.objects.for_centre(centre)
        .filter(role=Role.SENIOR_PORTAL_ADMIN, revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ]


def settings_refusal(*, centre) -> ExplainedPermissionDenied:
    role = ROLE_LABELS[Role.SENIOR_PORTAL_ADMIN].lower()
    paragraphs = [
        f"Only a {role} at {centre.name} can see and change the staff passport system management settings.",
    ]
    names = senior_administrator_names(centre=centre)
    if names:
        paragraphs.append(f"Senior portal administrators at {centre.name}: {', '.join(names)}.")
        paragraphs.append("Ask one of them to make the change for you.")
    else:
        paragraphs.append(
            f"{centre.name} has no {role} yet. The platform team gives this role: ask your centre manager to "
            "raise a support request."
        )
    return ExplainedPermissionDenied("You cannot change staff passport settings", paragraphs)


def settings_required(view):
    """Logged in, with a current trust where the person is a senior portal administrator."""

    @centre_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.centre_access.has(SETTINGS_PERMISSION):
            raise settings_refusal(centre=request.centre)
        return view(request, *args, **kwargs)

    return wrapper

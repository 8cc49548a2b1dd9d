"""C11: which notifications a person's roles at a centre let them receive.

`notifications` owns the subscription rows and the registry of kinds; who may receive a kind
depends on roles, so the permissions of centres' kinds (and of notifications' own: system
notices, weekly summaries) and the audience rule are registered from here, in
CentresConfig.ready (ADR 0025). `None` permissions mean any role at the centre (a learner
with no role receives none of these emails).
"""

from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from centres.models import Membership, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission, Role
from notifications.registry import (
    SYSTEM_NOTICE,
    WEEKLY_SUMMARY,
    NotificationKind,
    notification_kind,
    notification_kinds,
)

REGISTRATION_APPROVAL = "registration_approval"

CENTRES_NOTIFICATION_KINDS = [
    NotificationKind(
        SYSTEM_NOTICE,
        "System notification added",
        "Important information from the platform team.",
        permissions=None,
        order=10,
    ),
    NotificationKind(
        REGISTRATION_APPROVAL,
        "Delegate registration requires approval",
        "When someone registers from outside your organisation and needs approval.",
        permissions=frozenset({Permission.MANAGE_DELEGATES}),
        order=20,
    ),
    NotificationKind(
        WEEKLY_SUMMARY,
        "Weekly summary",
        "A weekly email of what is waiting for you at this centre.",
        # INVITE_STAFF: authorisers get invitations and requests waiting (E2, E4).
        permissions=frozenset({Permission.MANAGE_DELEGATES, Permission.SUPERVISE, Permission.INVITE_STAFF}),
        order=60,
    ),
]


def roles_for_kind(kind: str) -> frozenset[Role]:
    """The roles whose holders may receive `kind`."""
    needed = notification_kind(kind).permissions
    if needed is None:
        return frozenset(Role)
    return frozenset(role for role, permissions in ROLE_PERMISSIONS.items() if permissions & needed)


def kinds_for_roles(roles) -> list[NotificationKind]:
    """The kinds a holder of `roles` (at one centre) may subscribe to, in the registry's order."""
    roles = {Role(role) for role in roles}
    return [kind for kind in notification_kinds() if roles & roles_for_kind(kind.code)]


def kinds_allowed(*, user, centre) -> list[NotificationKind]:
    """The kinds `user` may choose at `centre` now (registered with notifications)."""
    roles = (
        RoleAssignment.objects.for_centre(centre)
        .filter(user=user, revoked_at__isnull=True)
        .values_list("role", flat=True)
    )
    return kinds_for_roles(roles)


def subscriptions_eligible(subscriptions, kind: str):
    """The audience rule (registered with notifications): subscriptions to `kind` whose person
    still holds a role allowing it at the subscription's centre, is an active user, and has
    no inactive or unapproved delegate record there; each annotated with `address`, their
    centre email there when they gave one, else their login."""
    permitting_role = RoleAssignment.objects.filter(
        user=OuterRef("user"),
        centre=OuterRef("centre"),
        revoked_at__isnull=True,
        role__in=[role.value for role in roles_for_kind(kind)],
    )
    unusable_membership = Membership.objects.filter(user=OuterRef("user"), centre=OuterRef("centre")).filter(
        Q(is_active=False) | Q(is_approved=False)
    )
    centre_email = Membership.objects.filter(user=OuterRef("user"), centre=OuterRef("centre")).values("centre_email")
    return (
        subscriptions.filter(kind=kind, user__is_active=True, centre__is_active=True)
        .filter(Exists(permitting_role))
        .exclude(Exists(unusable_membership))
        .annotate(address=Coalesce(NullIf(Subquery(centre_email[:1]), Value("")), F("user__email")))
    )

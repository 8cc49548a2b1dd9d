"""C11: which notifications a person's roles at a centre let them receive.

`notifications` owns the kinds (`NotificationKind`) and the subscription rows; the rule of
who may receive each kind depends on roles, so it lives here. A kind maps to the
permissions that allow it; `None` means any role at the centre (a learner with no role
receives none of these emails).
"""

from centres.roles import ROLE_PERMISSIONS, Permission, Role
from notifications.models import NotificationKind

KIND_PERMISSIONS: dict[NotificationKind, frozenset[Permission] | None] = {
    NotificationKind.SYSTEM_NOTICE: None,
    NotificationKind.REGISTRATION_APPROVAL: frozenset({Permission.MANAGE_DELEGATES}),
    NotificationKind.SUPPORT_TICKET: frozenset({Permission.MANAGE_DELEGATES}),
    NotificationKind.CONFIRMATION_REQUESTED: frozenset({Permission.ASSESS}),
    NotificationKind.SIGN_OFF_REQUESTED: frozenset({Permission.SIGN_OFF}),
    NotificationKind.WEEKLY_SUMMARY: frozenset({Permission.MANAGE_DELEGATES, Permission.SUPERVISE}),
}

KIND_HINTS: dict[NotificationKind, str] = {
    NotificationKind.SYSTEM_NOTICE: "Important information from the platform team.",
    NotificationKind.REGISTRATION_APPROVAL: "When someone registers from outside your organisation and needs approval.",
    NotificationKind.SUPPORT_TICKET: "When the platform team replies to one of your centre's support tickets.",
    NotificationKind.CONFIRMATION_REQUESTED: "When a learner asks you to confirm their proficiencies.",
    NotificationKind.SIGN_OFF_REQUESTED: "When a learner asks you to sign off their passport.",
    NotificationKind.WEEKLY_SUMMARY: "A weekly email of what is waiting for you at this centre.",
}


def roles_for_kind(kind: NotificationKind | str) -> frozenset[Role]:
    """The roles whose holders may receive `kind`."""
    needed = KIND_PERMISSIONS[NotificationKind(kind)]
    if needed is None:
        return frozenset(Role)
    return frozenset(role for role, permissions in ROLE_PERMISSIONS.items() if permissions & needed)


def kinds_for_roles(roles) -> list[NotificationKind]:
    """The kinds a holder of `roles` (at one centre) may subscribe to, in the enum's order."""
    roles = {Role(role) for role in roles}
    return [kind for kind in NotificationKind if roles & roles_for_kind(kind)]

"""Reads for notification preferences (C11): who receives a kind of email at a centre."""

from django.db.models import Exists, OuterRef, Q, Subquery

from centres.models import Centre, Membership, RoleAssignment
from centres.notification_rules import roles_for_kind
from notifications.models import NotificationKind, NotificationSubscription


def _eligible_subscriptions(subscriptions, kind: NotificationKind | str):
    """Subscriptions whose person still holds a role allowing `kind` at the subscription's
    centre, is an active user, and has no inactive or unapproved delegate record there."""
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
        .annotate(centre_email=Subquery(centre_email[:1]))
        .values_list("user__email", "centre_email")
    )


def _addresses(rows) -> list[str]:
    return sorted({(centre_email or email).strip().lower() for email, centre_email in rows})


def subscribers(centre: Centre, kind: NotificationKind | str) -> list[str]:
    """C11: the email addresses of people at `centre` who subscribed to `kind` and still hold
    a role that may receive it (their centre email when they gave one). Sorted, no repeats."""
    return _addresses(_eligible_subscriptions(NotificationSubscription.objects.for_centre(centre), kind))


def subscribers_at_every_centre(kind: NotificationKind | str) -> list[str]:
    """`subscribers` over every active centre, each address once (system notices, C14)."""
    return _addresses(_eligible_subscriptions(NotificationSubscription.objects.all(), kind))


def subscribed_kinds(*, user, centre: Centre) -> set[str]:
    return set(NotificationSubscription.objects.for_centre(centre).filter(user=user).values_list("kind", flat=True))

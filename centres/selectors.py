"""Reads about centres, memberships and roles."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from centres.models import Centre, Membership, RoleAssignment, SupportTicket
from centres.notification_rules import roles_for_kind
from centres.roles import Role
from notifications.models import NotificationKind, NotificationSubscription


@dataclass(frozen=True)
class CentreChoice:
    centre: Centre
    status: str  # "active", "unapproved", "inactive"
    delegate_number: str
    roles: tuple[Role, ...]

    @property
    def can_choose(self) -> bool:
        return self.status == "active"


def active_roles(*, user, centre: Centre) -> set[Role]:
    if not user.is_authenticated or centre is None:
        return set()
    return {
        Role(value)
        for value in RoleAssignment.objects.for_centre(centre)
        .filter(user=user, revoked_at__isnull=True)
        .values_list("role", flat=True)
    }


def centre_choices_for_user(*, user) -> list[CentreChoice]:
    """Every centre where the person has a delegate record or an active role (two queries)."""
    memberships = {m.centre_id: m for m in Membership.objects.filter(user=user).select_related("centre")}
    roles_by_centre: dict[int, list[Role]] = {}
    centres: dict[int, Centre] = {m.centre_id: m.centre for m in memberships.values()}
    for grant in RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("centre"):
        roles_by_centre.setdefault(grant.centre_id, []).append(Role(grant.role))
        centres.setdefault(grant.centre_id, grant.centre)
    choices = []
    for centre_id, centre in centres.items():
        membership = memberships.get(centre_id)
        if not centre.is_active:
            status = "inactive"
        elif membership is None:
            status = "active"  # a role without a delegate record (e.g. granted by platform staff)
        else:
            status = membership.status
        choices.append(
            CentreChoice(
                centre=centre,
                status=status,
                delegate_number=membership.delegate_number if membership else "",
                roles=tuple(sorted(roles_by_centre.get(centre_id, []))),
            )
        )
    return sorted(choices, key=lambda choice: choice.centre.name)


def usable_centre(*, user, centre_id: int) -> Centre | None:
    """The middleware's per-request check (one query): the centre, if the person still holds
    an approved active membership or an active role there."""
    return (
        Centre.objects.filter(pk=centre_id, is_active=True)
        .filter(
            Q(memberships__user=user, memberships__is_active=True, memberships__is_approved=True)
            | Q(role_assignments__user=user, role_assignments__revoked_at__isnull=True)
        )
        .distinct()
        .first()
    )


def locked_memberships(*, centre: Centre):
    """People at the centre whose accounts are locked (C9), longest locked first."""
    return (
        Membership.objects.for_centre(centre)
        .filter(user__locked_at__isnull=False)
        .select_related("user")
        .order_by("user__locked_at")
    )


def membership_registered_in_session(*, public_id: str | None) -> Membership | None:
    """The registration this browser just made (its id is kept in the session, never taken
    from the URL), for the confirmation page."""
    if not public_id:
        return None
    return Membership.objects.select_related("centre", "user").filter(public_id=public_id).first()


def role_holders(*, centre: Centre) -> list[dict]:
    """Everyone with an active role at the centre, their roles grouped (two queries)."""
    grants = (
        RoleAssignment.objects.for_centre(centre)
        .filter(revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    numbers = dict(
        Membership.objects.for_centre(centre)
        .filter(user__in=grants.values("user"))
        .values_list("user_id", "delegate_number")
    )
    people: dict[int, dict] = {}
    for grant in grants:
        person = people.setdefault(
            grant.user_id, {"user": grant.user, "delegate_number": numbers.get(grant.user_id, ""), "grants": []}
        )
        person["grants"].append(grant)
    return list(people.values())


def membership_find(*, centre: Centre, email_or_number: str) -> Membership | None:
    value = email_or_number.strip()
    memberships = Membership.objects.for_centre(centre).select_related("user")
    if "@" in value:
        return memberships.filter(user__email__iexact=value).first()
    return memberships.filter(delegate_number__iexact=value).first()


def contact_email(*, user, centre: Centre) -> str:
    """Where emails about `centre` go for `user`: their centre email there, else their login."""
    centre_email = (
        Membership.objects.for_centre(centre).filter(user=user).values_list("centre_email", flat=True).first()
    )
    return centre_email or user.email


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


def support_tickets_for_centre(*, centre: Centre):
    return SupportTicket.objects.for_centre(centre).select_related("raised_by").order_by("-updated_at")


def support_tickets_for_platform(*, status: str | None = None):
    """C13: every centre's tickets, for platform staff only (the views check is_staff)."""
    tickets = SupportTicket.objects.select_related("centre", "raised_by").order_by("-updated_at")
    if status:
        tickets = tickets.filter(status=status)
    return tickets


def support_ticket_counts_for_platform() -> dict[str, int]:
    """How many tickets are in each status, across every centre (one query)."""
    counts = dict.fromkeys(SupportTicket.Status.values, 0)
    for row in SupportTicket.objects.values("status").annotate(total=Count("pk")).order_by():
        counts[row["status"]] = row["total"]
    return counts


def support_ticket_for_platform(*, public_id) -> SupportTicket | None:
    return SupportTicket.objects.select_related("centre", "raised_by").filter(public_id=public_id).first()

"""Reads about a person's memberships: their centres, roles and contact email at a centre."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from centres.models import Centre, Membership, RoleAssignment
from centres.roles import Role


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
    # EXISTS, not a join + DISTINCT: the join read every membership of the centre (0.8 s per
    # request at a centre of 50,000 delegates); each EXISTS is one index lookup.
    membership = Membership.objects.filter(centre=OuterRef("pk"), user=user, is_active=True, is_approved=True)
    role = RoleAssignment.objects.filter(centre=OuterRef("pk"), user=user, revoked_at__isnull=True)
    return Centre.objects.filter(Exists(membership) | Exists(role), pk=centre_id, is_active=True).first()


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


def contact_email(*, user, centre: Centre) -> str:
    """Where emails about `centre` go for `user`: their centre email there, else their login."""
    centre_email = (
        Membership.objects.for_centre(centre).filter(user=user).values_list("centre_email", flat=True).first()
    )
    return centre_email or user.email

"""Reads for the roles page (C8): who holds which role, finding a person at a centre."""

from centres.models import Centre, Membership, RoleAssignment


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

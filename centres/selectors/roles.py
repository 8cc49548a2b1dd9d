"""Reads for the roles page (C8): who holds which role, finding a person at a centre."""

from django.db.models import Q

from centres.models import Centre, Membership, RoleAssignment


def role_holders(*, centre: Centre) -> list[dict]:
    """Everyone with an active role at the centre, their roles grouped (two queries)."""
    grants = (
        RoleAssignment.objects.for_centre(centre)
        .filter(revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    records = {
        user_id: (number, public_id)
        for user_id, number, public_id in Membership.objects.for_centre(centre)
        .filter(user__in=grants.values("user"))
        .values_list("user_id", "delegate_number", "public_id")
    }
    people: dict[int, dict] = {}
    for grant in grants:
        number, membership_id = records.get(grant.user_id, ("", None))
        person = people.setdefault(
            grant.user_id,
            {"user": grant.user, "delegate_number": number, "membership_id": membership_id, "grants": []},
        )
        person["grants"].append(grant)
    return list(people.values())


def membership_find(*, centre: Centre, email_or_number: str) -> Membership | None:
    value = email_or_number.strip()
    memberships = Membership.objects.for_centre(centre).select_related("user")
    if "@" in value:
        return memberships.filter(user__email__iexact=value).first()
    return memberships.filter(delegate_number__iexact=value).first()


FIND_LIMIT = 10


def memberships_search(*, centre: Centre, text: str) -> list[Membership]:
    """Issue 16 item 9: people at the centre whose name, email or delegate number contains every
    word typed ("ann smi", "smith@", "AS12"), by name; at most FIND_LIMIT + 1, so the page can
    say there are more (one query)."""
    memberships = Membership.objects.for_centre(centre).select_related("user")
    for word in text.split()[:5]:
        memberships = memberships.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(delegate_number__icontains=word)
        )
    return list(memberships.order_by("user__last_name", "user__first_name", "id")[: FIND_LIMIT + 1])

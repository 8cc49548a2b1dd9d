"""The staff member chooser of the "which template applies" page (S5)."""

from django.db.models import Q

from staffpassport.models import StaffMember

SEARCH_LIMIT = 20


def staff_member_search(*, centre, query: str) -> list[StaffMember]:
    """Up to SEARCH_LIMIT of the trust's staff whose name or ESR assignment number matches."""
    matches = StaffMember.objects.for_centre(centre).select_related("staff_group", "job_role")
    for word in query.split()[:4]:
        matches = matches.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(esr_assignment_number__iexact=word)
        )
    return list(matches.order_by("last_name", "first_name")[:SEARCH_LIMIT])


def staff_member_for(*, centre, public_id) -> StaffMember | None:
    return (
        StaffMember.objects.for_centre(centre)
        .select_related("centre", "staff_group", "job_role")
        .filter(public_id=public_id)
        .first()
    )

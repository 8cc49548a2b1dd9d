"""Issue 16 item 12: the centre's current enrolments for its administrators (who may remove a
started one), filtered by framework and learner. Paginated in the database by the caller."""

from django.db.models import Q, QuerySet

from centres.models import Centre
from passports.models import Enrolment, Framework


def enrolments_for_administrator(*, centre: Centre, framework_id=None, learner: str = "") -> QuerySet[Enrolment]:
    """Current (not removed) enrolments at `centre`, by learner's name then framework.
    `learner` matches part of a first or last name, email address or delegate number."""
    enrolments = (
        Enrolment.objects.for_centre(centre)
        .filter(removed_at=None)
        .select_related("framework", "membership__user")
        .order_by("membership__user__last_name", "membership__user__first_name", "framework__name", "pk")
    )
    if framework_id:
        enrolments = enrolments.filter(framework__public_id=framework_id)
    for word in learner.split()[:4]:
        enrolments = enrolments.filter(
            Q(membership__user__first_name__icontains=word)
            | Q(membership__user__last_name__icontains=word)
            | Q(membership__user__email__icontains=word)
            | Q(membership__delegate_number__icontains=word)
        )
    return enrolments


def enrolment_frameworks(*, centre: Centre) -> list[Framework]:
    """The frameworks anyone is currently enrolled on here (the filter's choices)."""
    ids = Enrolment.objects.for_centre(centre).filter(removed_at=None).values("framework_id")
    return list(Framework.objects.filter(pk__in=ids).order_by("name"))

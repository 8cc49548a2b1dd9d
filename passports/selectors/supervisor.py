"""P7/P8 reads: the supervisor's to-do list and learners, a request to review, a learner's
passport as a supervisor sees it, and the learner's sign-off page. Every query goes through
the centre.

Who can see a learner's enrolment: its supervisors and, for educators (`include_staff_list`),
educators with the learner on their staff list.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from centres.models import Centre, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission
from passports.models import (
    Certificate,
    ConfirmationItem,
    ConfirmationRequest,
    Enrolment,
    Result,
    ResultStatus,
    Section,
    SignOff,
    StaffListEntry,
    Supervisor,
)

STATUS_COUNTS = {
    "not_assessed": ResultStatus.NOT_ASSESSED,
    "self_assessed": ResultStatus.SELF_ASSESSED,
    "requested": ResultStatus.REQUESTED,
    "confirmed": ResultStatus.CONFIRMED,
    "rejected": ResultStatus.REJECTED,
}


def visible_enrolments(*, centre: Centre, user, include_staff_list: bool):
    """Current enrolments at `centre` whose learner `user` may see as a supervisor."""
    supervising = Supervisor.objects.for_centre(centre).filter(enrolment=OuterRef("pk"), user=user)
    condition = Exists(supervising)
    if include_staff_list:
        on_list = StaffListEntry.objects.for_centre(centre).filter(educator=user, membership=OuterRef("membership"))
        condition = condition | Exists(on_list)
    return Enrolment.objects.for_centre(centre).filter(removed_at__isnull=True).filter(condition)


def my_learners(*, centre: Centre, user, include_staff_list: bool) -> QuerySet[Enrolment]:
    """Visible enrolments with `count_<status>` and `count_total` annotations, to paginate."""
    counts = {
        f"count_{name}": Count("results", filter=Q(results__status=status)) for name, status in STATUS_COUNTS.items()
    }
    return (
        visible_enrolments(centre=centre, user=user, include_staff_list=include_staff_list)
        .select_related("membership__user", "framework")
        .annotate(count_total=Count("results"), **counts)
        .order_by("membership__user__last_name", "membership__user__first_name", "framework__name", "pk")
    )


@dataclass(frozen=True)
class TodoItem:
    text: str
    url_name: str
    kwargs: dict
    at: datetime
    detail: str


def todo_list(*, centre: Centre, user, can_sign_off: bool) -> list[TodoItem]:
    """Open confirmation requests, and (for someone who may still sign off) sign-off requests,
    sent to `user`, newest first."""
    requests = (
        ConfirmationRequest.objects.for_centre(centre)
        .filter(supervisor=user, status=ConfirmationRequest.Status.OPEN, enrolment__removed_at__isnull=True)
        .select_related("enrolment__membership__user", "enrolment__framework")
        .annotate(pending=Count("items", filter=Q(items__outcome=ConfirmationItem.Outcome.PENDING)))
    )
    sign_offs = (
        SignOff.objects.for_centre(centre)
        .filter(educator=user, status=SignOff.Status.REQUESTED, enrolment__removed_at__isnull=True)
        .select_related("enrolment__membership__user", "enrolment__framework")
    )
    items = [
        TodoItem(
            text=f"Confirm results for {r.enrolment.membership.user.get_full_name()}'s {r.enrolment.framework.name}",
            url_name="passports:supervise_request",
            kwargs={"request_id": r.public_id},
            at=r.last_sent_at or r.requested_at,
            detail=f"{r.pending} result{'' if r.pending == 1 else 's'} to review",
        )
        for r in requests
    ]
    items += [
        TodoItem(
            text=f"Sign off {s.enrolment.membership.user.get_full_name()}'s {s.enrolment.framework.name}",
            url_name="passports:supervise_signoff",
            kwargs={"signoff_id": s.public_id},
            at=s.requested_at,
            detail="Sign-off requested",
        )
        for s in (sign_offs if can_sign_off else [])
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)


def confirmation_request_for_viewer(
    *, centre: Centre, user, public_id, include_staff_list: bool
) -> ConfirmationRequest | None:
    """The request if `user` was asked, or can see the learner; else None (404)."""
    request = (
        ConfirmationRequest.objects.for_centre(centre)
        .filter(public_id=public_id, enrolment__removed_at__isnull=True)
        .select_related("enrolment__membership__user", "enrolment__framework", "supervisor")
        .first()
    )
    if request is None:
        return None
    if request.supervisor_id == user.pk:
        return request
    visible = visible_enrolments(centre=centre, user=user, include_staff_list=include_staff_list)
    return request if visible.filter(pk=request.enrolment_id).exists() else None


def request_items(*, request: ConfirmationRequest) -> list[ConfirmationItem]:
    return list(
        ConfirmationItem.objects.for_centre(request.centre)
        .filter(request=request)
        .select_related("result__proficiency__section", "result__reviewed_by")
        .order_by("result__proficiency__position")
    )


def enrolment_for_viewer(*, centre: Centre, user, public_id, include_staff_list: bool) -> Enrolment | None:
    return (
        visible_enrolments(centre=centre, user=user, include_staff_list=include_staff_list)
        .filter(public_id=public_id)
        .select_related("membership__user", "framework", "version")
        .first()
    )


def passport_sections(*, enrolment: Enrolment) -> list[Section]:
    """The version's sections, each with `.section_results` (results in order, with reviewer
    and the centre of a carried confirmation). A result waiting for confirmation has
    `.pending_with`: the supervisor (User) it was sent to."""
    results = (
        Result.objects.for_centre(enrolment.centre)
        .filter(enrolment=enrolment)
        .select_related("proficiency", "reviewed_by", "confirmed_at_centre")
        .order_by("proficiency__position")
    )
    pending = {
        item.result_id: item.request.supervisor
        for item in ConfirmationItem.objects.for_centre(enrolment.centre)
        .filter(request__enrolment=enrolment, outcome=ConfirmationItem.Outcome.PENDING)
        .select_related("request__supervisor")
    }
    by_section: dict[int, list[Result]] = {}
    for result in results:
        result.pending_with = pending.get(result.pk)
        by_section.setdefault(result.proficiency.section_id, []).append(result)
    sections = list(enrolment.version.sections.order_by("position"))
    for section in sections:
        section.section_results = by_section.get(section.pk, [])
    return sections


def open_requests_to(*, enrolment: Enrolment, user) -> list[ConfirmationRequest]:
    return list(
        ConfirmationRequest.objects.for_centre(enrolment.centre)
        .filter(enrolment=enrolment, supervisor=user, status=ConfirmationRequest.Status.OPEN)
        .annotate(pending=Count("items", filter=Q(items__outcome=ConfirmationItem.Outcome.PENDING)))
        .order_by("-requested_at")
    )


def sign_off_history(*, enrolment: Enrolment) -> list[SignOff]:
    return list(
        SignOff.objects.for_centre(enrolment.centre)
        .filter(enrolment=enrolment)
        .select_related("educator", "reopened_by")
        .prefetch_related(Prefetch("certificate", queryset=Certificate.objects.for_centre(enrolment.centre)))
        .order_by("-requested_at")
    )


def current_certificate(*, enrolment: Enrolment) -> Certificate | None:
    return (
        Certificate.objects.for_centre(enrolment.centre)
        .filter(enrolment=enrolment, revoked_at__isnull=True)
        .order_by("-issued_at")
        .first()
    )


def signoff_for_viewer(*, centre: Centre, user, public_id, include_staff_list: bool) -> SignOff | None:
    """The sign-off request if `user` was asked, or can see the learner; else None (404)."""
    sign_off = (
        SignOff.objects.for_centre(centre)
        .filter(public_id=public_id, enrolment__removed_at__isnull=True)
        .select_related("enrolment__membership__user", "enrolment__framework", "enrolment__version", "educator")
        .first()
    )
    if sign_off is None:
        return None
    if sign_off.educator_id == user.pk:
        return sign_off
    visible = visible_enrolments(centre=centre, user=user, include_staff_list=include_staff_list)
    return sign_off if visible.filter(pk=sign_off.enrolment_id).exists() else None


def learner_enrolment(*, centre: Centre, user, public_id) -> Enrolment | None:
    """The learner's own current enrolment at `centre`."""
    return (
        Enrolment.objects.for_centre(centre)
        .filter(public_id=public_id, membership__user=user, membership__centre=centre, removed_at__isnull=True)
        .select_related("membership__user", "framework", "version")
        .first()
    )


def signoff_educators(*, enrolment: Enrolment) -> list:
    """The enrolment's supervisors who hold SIGN_OFF at its centre (an active role granting it)."""
    roles = [role.value for role, permissions in ROLE_PERMISSIONS.items() if Permission.SIGN_OFF in permissions]
    granted = RoleAssignment.objects.for_centre(enrolment.centre).filter(
        user=OuterRef("user"), role__in=roles, revoked_at__isnull=True
    )
    supervisors = (
        Supervisor.objects.for_centre(enrolment.centre)
        .filter(enrolment=enrolment, user__is_active=True)
        .filter(Exists(granted))
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return [supervisor.user for supervisor in supervisors]


def open_sign_off(*, enrolment: Enrolment) -> SignOff | None:
    return (
        SignOff.objects.for_centre(enrolment.centre)
        .filter(enrolment=enrolment, status=SignOff.Status.REQUESTED)
        .select_related("educator")
        .first()
    )

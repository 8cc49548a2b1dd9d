"""P7/P8 reads: the supervisor's to-do list and learners, a request's items, a learner's
passport as a supervisor sees it, and the learner's sign-off page. Every query goes through
the centre. Who may see which learner is `passports.access.PassportAccess`'s to say.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from centres.models import Centre, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission
from passports.access import PassportAccess
from passports.models import (
    Certificate,
    ConfirmationItem,
    ConfirmationRequest,
    Enrolment,
    Result,
    ResultStatus,
    Section,
    SignOff,
    Supervisor,
)
from passports.selectors.learner import Progress

STATUS_COUNTS = {
    "not_assessed": ResultStatus.NOT_ASSESSED,
    "self_assessed": ResultStatus.SELF_ASSESSED,
    "requested": ResultStatus.REQUESTED,
    "confirmed": ResultStatus.CONFIRMED,
    "rejected": ResultStatus.REJECTED,
}


def my_learners(*, access: PassportAccess) -> QuerySet[Enrolment]:
    """Visible enrolments in name order, to paginate; `learner_counts_add` then counts the
    results of one page only (ADR 0022: paginate before aggregating)."""
    return (
        access.visible_enrolments()
        .select_related("membership__user", "framework")
        .order_by("membership__user__last_name", "membership__user__first_name", "framework__name", "pk")
    )


def learner_counts_add(enrolments: list[Enrolment]) -> list[Enrolment]:
    """Set `count_<status>`, `count_total` and `progress` (the learner's own `Progress`, so the
    supervisor's bar says what the learner's does) on each of `enrolments` (one page): one
    grouped query over those enrolments' results, never over every learner's."""
    counts: dict[int, dict[str, int]] = {}
    if enrolments:
        centre = enrolments[0].centre_id
        rows = (
            Result.objects.filter(centre_id=centre, enrolment_id__in=[e.pk for e in enrolments])
            .values("enrolment_id", "status")
            .annotate(total=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts.setdefault(row["enrolment_id"], {})[row["status"]] = row["total"]
    for enrolment in enrolments:
        mine = counts.get(enrolment.pk, {})
        for name, status in STATUS_COUNTS.items():
            setattr(enrolment, f"count_{name}", mine.get(status, 0))
        enrolment.count_total = sum(mine.values())
        enrolment.progress = progress_of(mine)
    return enrolments


def progress_of(counts: dict[str, int]) -> Progress:
    """The learner's `Progress` from {status: number of results}: no query."""
    progress = Progress()
    for status, n in counts.items():
        progress.add(status, n)
    return progress


def my_learners_page(*, access: PassportAccess, per_page: int, page_number) -> Page:
    """One page of `my_learners` with its counts: a count, the page and one grouped query."""
    page = Paginator(my_learners(access=access), per_page).get_page(page_number)
    page.object_list = learner_counts_add(list(page.object_list))
    return page


def request_title(request: ConfirmationRequest) -> str:
    """A to-do title that tells two open requests from one learner apart: how many results wait
    and when it was asked. `request` has `pending` (annotated) and its enrolment's learner and
    framework loaded."""
    enrolment = request.enrolment
    asked = timezone.localtime(request.requested_at).strftime("%-d %B %Y at %H:%M")
    results = f"{request.pending} result{'' if request.pending == 1 else 's'}"
    return (
        f"Confirm results for {enrolment.membership.user.get_full_name()}'s {enrolment.framework.name}: "
        f"{results}, asked {asked}"
    )


def open_requests_waiting(*, centre: Centre, user, limit: int) -> list[ConfirmationRequest]:
    """The newest `limit` open requests sent to `user`, each with `pending`, for the home
    page's To do (one query)."""
    return list(
        ConfirmationRequest.objects.for_centre(centre)
        .filter(supervisor=user, status=ConfirmationRequest.Status.OPEN, enrolment__removed_at__isnull=True)
        .select_related("enrolment__membership__user", "enrolment__framework")
        .annotate(pending=Count("items", filter=Q(items__outcome=ConfirmationItem.Outcome.PENDING)))
        .order_by("-requested_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class TodoItem:
    text: str
    url_name: str
    kwargs: dict
    at: datetime
    detail: str


def _todo_keys(*, access: PassportAccess):
    """(kind, pk, at) of every open confirmation request and (for someone who may still sign
    off) sign-off request sent to the person: one UNION the database sorts and pages."""
    centre, user = access.centre, access.user
    requests = (
        ConfirmationRequest.objects.for_centre(centre)
        .filter(supervisor=user, status=ConfirmationRequest.Status.OPEN, enrolment__removed_at__isnull=True)
        .annotate(kind=Value("request"), at=Coalesce("last_sent_at", "requested_at"))
        .values_list("kind", "pk", "at")
        .order_by()
    )
    if not access.can_sign_off:
        return requests.order_by("-at", "-pk")
    sign_offs = (
        SignOff.objects.for_centre(centre)
        .filter(educator=user, status=SignOff.Status.REQUESTED, enrolment__removed_at__isnull=True)
        .annotate(kind=Value("signoff"), at=F("requested_at"))
        .values_list("kind", "pk", "at")
        .order_by()
    )
    return requests.union(sign_offs, all=True).order_by("-at", "-pk")


def todo_page(*, access: PassportAccess, per_page: int, page_number) -> Page:
    """One page of the to-do list, newest first: open confirmation requests and sign-off
    requests sent to the person. A count, the page's keys, and one query for each kind on the page
    (the list was unpaginated: every request was loaded and counted on every visit)."""
    centre = access.centre
    page = Paginator(_todo_keys(access=access), per_page).get_page(page_number)
    keys = list(page.object_list)
    request_ids = [pk for kind, pk, _ in keys if kind == "request"]
    sign_off_ids = [pk for kind, pk, _ in keys if kind == "signoff"]
    requests = (
        {
            r.pk: r
            for r in ConfirmationRequest.objects.for_centre(centre)
            .filter(pk__in=request_ids)
            .select_related("enrolment__membership__user", "enrolment__framework")
            .annotate(pending=Count("items", filter=Q(items__outcome=ConfirmationItem.Outcome.PENDING)))
        }
        if request_ids
        else {}
    )
    sign_offs = (
        {
            s.pk: s
            for s in SignOff.objects.for_centre(centre)
            .filter(pk__in=sign_off_ids)
            .select_related("enrolment__membership__user", "enrolment__framework")
        }
        if sign_off_ids
        else {}
    )
    items = []
    for kind, pk, at in keys:
        if kind == "request":
            r = requests[pk]
            items.append(
                TodoItem(
                    text=request_title(r),
                    url_name="passports:supervise_request",
                    kwargs={"request_id": r.public_id},
                    at=at,
                    detail=f"{r.pending} result{'' if r.pending == 1 else 's'} to review",
                )
            )
        else:
            s = sign_offs[pk]
            name, framework = s.enrolment.membership.user.get_full_name(), s.enrolment.framework.name
            items.append(
                TodoItem(
                    text=f"Sign off {name}'s {framework}",
                    url_name="passports:supervise_signoff",
                    kwargs={"signoff_id": s.public_id},
                    at=at,
                    detail="Sign-off requested",
                )
            )
    page.object_list = items
    return page


def request_items(*, request: ConfirmationRequest) -> list[ConfirmationItem]:
    return list(
        ConfirmationItem.objects.for_centre(request.centre)
        .filter(request=request)
        .select_related("result__proficiency__section", "result__reviewed_by")
        .order_by("result__proficiency__position")
    )


@dataclass(frozen=True)
class ItemSection:
    position: int
    name: str
    items: list[ConfirmationItem]


def items_by_section(items: list[ConfirmationItem]) -> list[ItemSection]:
    """`request_items` (in proficiency order) grouped by their section, for "select all in
    this section" and "confirm all in this section" on the review page. No query."""
    sections: list[ItemSection] = []
    for item in items:
        section = item.result.proficiency.section
        if not sections or sections[-1].position != section.position:
            sections.append(ItemSection(position=section.position, name=section.name, items=[]))
        sections[-1].items.append(item)
    return sections


def items_ticked(items: list[ConfirmationItem], tick: str) -> list[str]:
    """The ids of the items a "Select all" link asks to tick without JavaScript: `tick` is
    "all" or "section-<position>"; anything else ticks nothing."""
    if tick == "all":
        return [str(item.pk) for item in items]
    if not tick.startswith("section-"):
        return []
    position = tick.removeprefix("section-")
    return [str(item.pk) for item in items if str(item.result.proficiency.section.position) == position]


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

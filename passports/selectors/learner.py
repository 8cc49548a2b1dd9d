"""Reads for the learner's own passports (P4, P6). Every query starts from the centre and the
learner (the enrolment's membership.user), so another person's enrolment is never found."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from passports.models import ConfirmationItem, ConfirmationRequest, Enrolment, Result, ResultStatus, Section
from passports.selectors.staff import holds_supervising_role

# The filters a learner can pick on the passport page, in order.
STATUS_FILTERS = [
    (ResultStatus.NOT_ASSESSED, "Requires self-assessment"),
    (ResultStatus.SELF_ASSESSED, "Self-assessed"),
    (ResultStatus.REQUESTED, "Confirmation requested"),
    (ResultStatus.CONFIRMED, "Confirmed"),
    (ResultStatus.REJECTED, "Rejected"),
]


@dataclass(frozen=True)
class ProgressPart:
    """One part of the stacked progress bar and its legend entry."""

    key: str  # confirmed, requested, self_assessed, not_started (the bar's colour class)
    label: str
    count: int
    percent: int  # width in the bar; the parts' widths add up to 100


@dataclass
class Progress:
    """One set of numbers for a passport or a section, shown the same way everywhere (the
    learner's home page, My passports, the passport, a section): confirmed, awaiting
    confirmation, self-assessed (answered, not yet confirmed or waiting: rejected ones
    included, counted in `rejected` too) and not started. They add up to `total`."""

    total: int = 0
    answered: int = 0  # answered, whatever happened since (requested, confirmed ...)
    confirmed: int = 0
    requested: int = 0
    rejected: int = 0

    @property
    def self_assessed(self) -> int:
        return self.answered - self.confirmed - self.requested

    @property
    def not_started(self) -> int:
        return self.total - self.answered

    @property
    def confirmed_percent(self) -> int:
        return round(100 * self.confirmed / self.total) if self.total else 0

    def parts(self) -> list[ProgressPart]:
        """The four parts in the bar's order; widths rounded so that they add up to 100."""
        counts = [
            ("confirmed", "confirmed", self.confirmed),
            ("requested", "awaiting confirmation", self.requested),
            ("self_assessed", "self-assessed", self.self_assessed),
            ("not_started", "not started", self.not_started),
        ]
        parts, running, edge = [], 0, 0
        for key, label, count in counts:
            running += count
            next_edge = round(100 * running / self.total) if self.total else 0
            parts.append(ProgressPart(key, label, count, next_edge - edge))
            edge = next_edge
        return parts

    def add(self, status: str, n: int) -> None:
        self.total += n
        if status != ResultStatus.NOT_ASSESSED:
            self.answered += n
        if status == ResultStatus.CONFIRMED:
            self.confirmed += n
        elif status == ResultStatus.REQUESTED:
            self.requested += n
        elif status == ResultStatus.REJECTED:
            self.rejected += n


def passports_offered_to(*, centre, user, holds_role: bool) -> bool:
    """Whether "My passports" has anything for `user` at `centre` (one query): a current passport
    of their own there, or, for a delegate there with no role, a centre that enrols people (they
    may be enrolled next). Not for someone who came for other work (an eLearning authoriser) at
    a centre where they have no passport, nor anyone at a centre that enrols nobody."""
    enrolments = Enrolment.objects.for_centre(centre).filter(removed_at__isnull=True)
    if holds_role:
        enrolments = enrolments.filter(membership__user=user)
    return enrolments.exists()


def learner_enrolments(*, centre, user) -> list[tuple[Enrolment, Progress]]:
    """The learner's current enrolments at `centre`, with progress (one query)."""
    enrolments = (
        Enrolment.objects.for_centre(centre)
        .filter(membership__user=user, removed_at__isnull=True)
        .select_related("framework", "version")
        .annotate(
            p_total=Count("results", distinct=True),
            p_confirmed=Count("results", filter=Q(results__status=ResultStatus.CONFIRMED), distinct=True),
            p_answered=Count("results", filter=~Q(results__status=ResultStatus.NOT_ASSESSED), distinct=True),
            p_requested=Count("results", filter=Q(results__status=ResultStatus.REQUESTED), distinct=True),
            p_rejected=Count("results", filter=Q(results__status=ResultStatus.REJECTED), distinct=True),
        )
        .order_by("framework__name")
    )
    return [
        (
            enrolment,
            Progress(
                total=enrolment.p_total,
                answered=enrolment.p_answered,
                confirmed=enrolment.p_confirmed,
                requested=enrolment.p_requested,
                rejected=enrolment.p_rejected,
            ),
        )
        for enrolment in enrolments
    ]


def learner_enrolment(*, centre, user, public_id) -> Enrolment | None:
    """The learner's own current enrolment at `centre`, or None (another person's, another
    centre's, removed or unknown)."""
    return (
        Enrolment.objects.for_centre(centre)
        .filter(public_id=public_id, membership__user=user, removed_at__isnull=True)
        .select_related("framework", "version", "membership__user")
        .first()
    )


@dataclass
class SectionProgress:
    section: Section
    progress: Progress


def passport_progress(*, enrolment: Enrolment) -> tuple[Progress, list[SectionProgress]]:
    """Overall progress and each section's, from one grouped query plus the sections."""
    rows = (
        Result.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment)
        .values("proficiency__section_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_section: dict[int, Progress] = {}
    overall = Progress()
    for row in rows:
        for progress in (per_section.setdefault(row["proficiency__section_id"], Progress()), overall):
            progress.add(row["status"], row["n"])
    sections = Section.objects.filter(version_id=enrolment.version_id).order_by("position")
    return overall, [SectionProgress(section, per_section.get(section.pk, Progress())) for section in sections]


def passport_results(*, enrolment: Enrolment, search: str = "", status: str = "", section: Section | None = None):
    """The enrolment's results in framework order, filtered; ready for the template (no
    further queries per row)."""
    results = (
        Result.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment)
        .select_related("proficiency__section", "confirmed_at_centre", "reviewed_by")
        .order_by("proficiency__position")
    )
    if section is not None:
        results = results.filter(proficiency__section=section)
    if status:
        results = results.filter(status=status)
    if search:
        results = results.filter(
            Q(proficiency__name__icontains=search) | Q(proficiency__description_html__icontains=search)
        )
    return results


def result_at_position(*, enrolment: Enrolment, position: int) -> Result | None:
    return (
        Result.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment, proficiency__position=position)
        .select_related("proficiency__section", "confirmed_at_centre", "reviewed_by")
        .first()
    )


def neighbour_positions(*, enrolment: Enrolment, position: int) -> tuple[int | None, int | None]:
    """The previous and next proficiency positions of the enrolment's version."""
    positions = Result.objects.for_centre(enrolment.centre_id).filter(enrolment=enrolment)
    previous = (
        positions.filter(proficiency__position__lt=position)
        .order_by("-proficiency__position")
        .values_list("proficiency__position", flat=True)
        .first()
    )
    following = (
        positions.filter(proficiency__position__gt=position)
        .order_by("proficiency__position")
        .values_list("proficiency__position", flat=True)
        .first()
    )
    return previous, following


def result_history(*, result: Result, limit: int = 10) -> list:
    """The newest changes to a result: who, when, status and answer."""
    return list(result.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])


def pending_request_for_result(*, result: Result) -> ConfirmationRequest | None:
    item = (
        ConfirmationItem.objects.for_centre(result.centre_id)
        .filter(result=result, outcome=ConfirmationItem.Outcome.PENDING)
        .select_related("request__supervisor")
        .first()
    )
    return item.request if item else None


def requestable_results(*, enrolment: Enrolment) -> list[Result]:
    """Achieved results not already requested or confirmed."""
    return list(
        Result.objects.for_centre(enrolment.centre_id)
        .filter(
            enrolment=enrolment,
            answer=Result.Answer.ACHIEVED,
            status__in=[ResultStatus.SELF_ASSESSED, ResultStatus.REJECTED],
        )
        .select_related("proficiency__section")
        .order_by("proficiency__position")
    )


def enrolment_supervisors(*, enrolment: Enrolment) -> list:
    """The supervisors a learner may send results to: those who still hold an educator or
    assessor role at the centre (someone whose role was revoked stays listed on the
    enrolment, but is not sent the learner's results)."""
    return [
        supervisor.user
        for supervisor in enrolment.supervisors.filter(centre_id=enrolment.centre_id, user__is_active=True)
        .filter(holds_supervising_role(centre=enrolment.centre_id, user_ref="user"))
        .select_related("user")
        .order_by("-is_enrolling_educator", "user__last_name", "user__first_name")
    ]


def open_confirmation_requests(*, enrolment: Enrolment) -> list[ConfirmationRequest]:
    """The learner's open requests with their pending items (three queries)."""
    pending = (
        ConfirmationItem.objects.filter(outcome=ConfirmationItem.Outcome.PENDING)
        .select_related("result__proficiency")
        .order_by("result__proficiency__position")
    )
    return list(
        ConfirmationRequest.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment, status=ConfirmationRequest.Status.OPEN)
        .select_related("supervisor")
        .prefetch_related(Prefetch("items", queryset=pending, to_attr="pending_items"))
        .order_by("-requested_at")
    )


def learner_confirmation_request(*, enrolment: Enrolment, public_id) -> ConfirmationRequest | None:
    return (
        ConfirmationRequest.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment, public_id=public_id)
        .select_related("supervisor")
        .first()
    )


def requestable_count(*, enrolment: Enrolment) -> int:
    return (
        Result.objects.for_centre(enrolment.centre_id)
        .filter(
            enrolment=enrolment,
            answer=Result.Answer.ACHIEVED,
            status__in=[ResultStatus.SELF_ASSESSED, ResultStatus.REJECTED],
        )
        .count()
    )


def open_request_count(*, enrolment: Enrolment) -> int:
    return (
        ConfirmationRequest.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment, status=ConfirmationRequest.Status.OPEN)
        .count()
    )


def proficiency_count(*, enrolment: Enrolment) -> int:
    return Result.objects.for_centre(enrolment.centre_id).filter(enrolment=enrolment).count()


def next_to_assess_position(
    *, enrolment: Enrolment, after: int | None = None, exclude: int | None = None
) -> int | None:
    """The first proficiency still needing self-assessment (where "Continue" goes), after
    position `after` when given, leaving out position `exclude`."""
    waiting = Result.objects.for_centre(enrolment.centre_id).filter(
        enrolment=enrolment, status=ResultStatus.NOT_ASSESSED
    )
    if after is not None:
        waiting = waiting.filter(proficiency__position__gt=after)
    if exclude is not None:
        waiting = waiting.exclude(proficiency__position=exclude)
    return waiting.order_by("proficiency__position").values_list("proficiency__position", flat=True).first()

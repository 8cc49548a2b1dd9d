"""Who may see which passport (ADR 0027): the one place that decides, derived from the
person's `CentreAccess` as `RegisterAccess` is for referrals. Views and selectors take a
`PassportAccess` and never filter enrolments by viewer themselves.

- A supervisor (assessor or educator) sees the current enrolments they supervise.
- An educator (SUPERVISE) also sees the learners on their staff list.
- A passport record (P9) is seen by its learner, its supervisors and any educator at the centre.

An enrolment that exists but is not the person's to see is answered exactly as one that does
not exist (None, so the view gives the same 404): ids never reveal another learner's passport.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from centres.access import CentreAccess, centre_access_build
from centres.models import Centre
from centres.permissions import centre_access
from centres.roles import Permission
from passports.models import ConfirmationRequest, Enrolment, SignOff, StaffListEntry, Supervisor

# What a passport record job records for its download check (ADR 0017): no permission as such;
# `passport_record_may_download` works the rule out again at every download.
RECORD_ACCESS = {"permissions": []}


@dataclass(frozen=True)
class PassportAccess:
    user: object
    centre: Centre
    can_assess: bool  # confirms results of learners who chose them (assessors and educators)
    can_supervise: bool  # educators: staff list, enrolment, and every record at the centre
    can_sign_off: bool

    def visible_enrolments(self) -> QuerySet[Enrolment]:
        """Current enrolments whose learner this person may see as a supervisor."""
        supervising = Supervisor.objects.for_centre(self.centre).filter(enrolment=OuterRef("pk"), user=self.user)
        condition = Exists(supervising)
        if self.can_supervise:
            on_list = StaffListEntry.objects.for_centre(self.centre).filter(
                educator=self.user, membership=OuterRef("membership")
            )
            condition = condition | Exists(on_list)
        return Enrolment.objects.for_centre(self.centre).filter(removed_at__isnull=True).filter(condition)

    def enrolment(self, public_id) -> Enrolment | None:
        """A learner's enrolment as a supervisor sees it; None when missing or not theirs."""
        return (
            self.visible_enrolments()
            .filter(public_id=public_id)
            .select_related("membership__user", "framework", "version")
            .first()
        )

    def confirmation_request(self, public_id) -> ConfirmationRequest | None:
        """A confirmation request sent to this person, or about a learner they can see."""
        request = (
            ConfirmationRequest.objects.for_centre(self.centre)
            .filter(public_id=public_id, enrolment__removed_at__isnull=True)
            .select_related("enrolment__membership__user", "enrolment__framework", "supervisor")
            .first()
        )
        if request is None or request.supervisor_id == self.user.pk:
            return request
        return request if self.visible_enrolments().filter(pk=request.enrolment_id).exists() else None

    def sign_off(self, public_id) -> SignOff | None:
        """A sign-off request sent to this person, or about a learner they can see."""
        sign_off = (
            SignOff.objects.for_centre(self.centre)
            .filter(public_id=public_id, enrolment__removed_at__isnull=True)
            .select_related("enrolment__membership__user", "enrolment__framework", "enrolment__version", "educator")
            .first()
        )
        if sign_off is None or sign_off.educator_id == self.user.pk:
            return sign_off
        return sign_off if self.visible_enrolments().filter(pk=sign_off.enrolment_id).exists() else None

    def may_view_record(self, enrolment: Enrolment) -> bool:
        """P9: the learner (their own enrolment), the enrolment's supervisors, and educators."""
        if enrolment.centre_id != self.centre.pk:
            return False
        if self.can_supervise or enrolment.membership.user_id == self.user.pk:
            return True
        return Supervisor.objects.for_centre(self.centre).filter(enrolment=enrolment, user=self.user).exists()

    def record_enrolment(self, public_id) -> Enrolment | None:
        """The current enrolment whose record this person may see; None when missing or not theirs."""
        enrolment = record_enrolment(centre=self.centre, enrolment_id=public_id)
        return enrolment if enrolment is not None and self.may_view_record(enrolment) else None


def record_enrolment(*, centre, enrolment_id) -> Enrolment | None:
    """The current (not removed) enrolment with that public id at `centre`, or None (no viewer
    check: a worker building a record the download check has already allowed)."""
    return (
        Enrolment.objects.for_centre(centre)
        .filter(public_id=enrolment_id, removed_at__isnull=True)
        .select_related("centre", "membership__user", "framework", "version")
        .first()
    )


def passport_access_build(*, user, centre: Centre, held: frozenset[str]) -> PassportAccess:
    """From the permissions `user` holds at `centre` (`held`, e.g. "centres.supervise_learners")."""
    return PassportAccess(
        user=user,
        centre=centre,
        can_assess=Permission.ASSESS.value in held,
        can_supervise=Permission.SUPERVISE.value in held,
        can_sign_off=Permission.SIGN_OFF.value in held,
    )


def passport_access_from(access: CentreAccess) -> PassportAccess:
    return passport_access_build(user=access.user, centre=access.centre, held=access.permissions)


def passport_access_for(request) -> PassportAccess:
    """The person's passport access at their current centre, from the request's `CentreAccess`."""
    if not hasattr(request, "_passport_access"):
        request._passport_access = passport_access_from(centre_access(request))
    return request._passport_access


def passport_record_may_download(*, job, user, held: frozenset[str]) -> bool:
    """The `may_download` of the record kinds: the enrolment is still current at the centre and
    the person still may see its record (its learner, one of its supervisors, or an educator)."""
    access = passport_access_build(user=user, centre=job.centre, held=held)
    return access.record_enrolment(job.params.get("enrolment_id")) is not None


def passport_access_for_user(*, user, centre: Centre) -> PassportAccess:
    """`passport_access_for` without a request (a worker, a service, a test)."""
    return passport_access_from(centre_access_build(user=user, centre=centre))

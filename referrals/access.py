"""Who may see and change which referrals (R2, DESIGN role table). The one place that decides;
views and selectors take a `RegisterAccess` and never filter referrals themselves.

- A referrer (standard user) sees and updates only the referrals they created.
- A reporting user sees the referrals of their permitted organisations, read-only.
- An administrator sees and updates the referrals of their permitted organisations and records
  outcomes. Permitted organisations: every organisation of the register, unless the person has
  `AccessLimit` rows, which narrow it to those.
- Platform staff see no patient data, whatever roles they also hold.
"""

from dataclasses import dataclass, field, replace
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from centres.access import CentreAccess, centre_access_build
from centres.models import Centre
from centres.permissions import centre_access
from centres.roles import Permission
from referrals.models import AccessLimit, Referral, Register, RegisterOrganisation


@dataclass
class RegisterAccess:
    user: object
    centre: Centre  # the person's own organisation (the current centre)
    register: Register
    can_refer: bool
    can_report: bool
    can_administer: bool
    organisations: list[Centre] = field(default_factory=list)  # permitted, for reporting and administering

    @property
    def organisation_ids(self) -> list[int]:
        return [organisation.pk for organisation in self.organisations]

    def visible_referrals(self):
        """Every referral this person may open (active and archived)."""
        referrals = Referral.objects.filter(register=self.register)
        if self.can_report or self.can_administer:
            return referrals.for_centres(self.organisation_ids)
        if self.can_refer:
            return referrals.for_centre(self.centre).filter(created_by=self.user)
        return referrals.none()

    def reportable_referrals(self):
        """Referrals for the dashboard and reports: reporting users and administrators only."""
        if not (self.can_report or self.can_administer):
            return Referral.objects.none()
        return Referral.objects.filter(register=self.register).for_centres(self.organisation_ids)

    def may_update(self, referral: Referral) -> bool:
        """R6: the creator and permitted administrators; never an archived record (R8)."""
        if referral.is_archived or referral.register_id != self.register.pk:
            return False
        if self.can_administer and referral.centre_id in self.organisation_ids:
            return True
        return self.can_refer and referral.created_by_id == self.user.pk and referral.centre_id == self.centre.pk

    def may_record_outcome(self, referral: Referral) -> bool:
        return (
            self.can_administer
            and not referral.is_archived
            and referral.register_id == self.register.pk
            and referral.centre_id in self.organisation_ids
        )

    def may_refer_for(self, organisation: Centre) -> bool:
        """A referrer refers for their own organisation; an administrator for any permitted one."""
        if self.can_administer:
            return organisation.pk in self.organisation_ids
        return self.can_refer and organisation.pk == self.centre.pk

    def referring_organisations(self) -> list[Centre]:
        if self.can_administer:
            return self.organisations
        return [self.centre] if self.can_refer else []


def permitted_organisations(*, user, register: Register) -> list[Centre]:
    organisations = list(
        Centre.objects.filter(register_organisation__register=register).order_by("name")  # platform data: the list
    )
    limited_to = set(AccessLimit.objects.filter(register=register, user=user).values_list("centre_id", flat=True))
    if limited_to:
        organisations = [organisation for organisation in organisations if organisation.pk in limited_to]
    return organisations


def register_access_build(*, user, centre: Centre | None, held: frozenset[str]) -> RegisterAccess | None:
    """The person's access to the register of `centre`, from the permissions they hold there
    (`held`, e.g. "centres.refer", from their `CentreAccess`); None when the centre is in no
    register, the person holds no register role there, or the person is platform staff (who
    see no patient data)."""
    if centre is None or user is None or not user.is_authenticated or not user.is_active or user.is_staff:
        return None
    can_refer = Permission.REFER.value in held
    can_report = Permission.REPORT_REFERRALS.value in held
    can_administer = Permission.ADMINISTER_REGISTER.value in held
    if not (can_refer or can_report or can_administer):
        return None
    place = RegisterOrganisation.objects.for_centre(centre).select_related("register").first()
    if place is None:
        return None
    return RegisterAccess(
        user=user,
        centre=centre,
        register=place.register,
        can_refer=can_refer,
        can_report=can_report,
        can_administer=can_administer,
        organisations=(
            permitted_organisations(user=user, register=place.register) if can_report or can_administer else []
        ),
    )


def register_access_from(access: CentreAccess) -> RegisterAccess | None:
    """The register's view of a person's access at a centre."""
    return register_access_build(user=access.user, centre=access.centre, held=access.permissions)


def register_access_for_user(*, user, centre: Centre | None) -> RegisterAccess | None:
    """`register_access_for` without a request, for a worker: the person's access now (their
    roles at `centre` and their access limits), so a job never trusts what was asked."""
    if centre is None or user is None:
        return None
    return register_access_from(centre_access_build(user=user, centre=centre))


def register_access_for(request) -> RegisterAccess | None:
    """The person's access to the register of their current centre, loaded once per request
    from the request's `CentreAccess`."""
    if not hasattr(request, "_register_access"):
        request._register_access = register_access_from(centre_access(request))
    return request._register_access


def register_role_required(*permissions: Permission):
    """Logged in, with a current centre in a register where the person holds at least one of
    `permissions`; sets `request.register_access`. Platform staff are refused (they see no
    patient data)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request, "centre", None) is None:
                return redirect(f"/choose-centre/?next={request.path}")
            access = register_access_for(request)
            if access is None:
                raise PermissionDenied("You do not have access to a dynamic support register at this organisation")
            if not centre_access(request).has_any(*permissions):
                raise PermissionDenied("Your register roles do not include this page")
            request.register_access = access
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


ANY_REGISTER_ROLE = (Permission.REFER, Permission.REPORT_REFERRALS, Permission.ADMINISTER_REGISTER)


# -- Report files: what a register report covered, re-checked at every download (ADR 0017) ------


def register_report_access(access: RegisterAccess, *, administer: bool = False) -> dict:
    """What a register report needs of whoever downloads it: the same register, a reporting
    (or, for the audit trail, administrator) role there, and every organisation it covers."""
    permissions = [Permission.ADMINISTER_REGISTER.value] if administer else []
    return {
        "permissions": permissions,
        "register": access.register.pk,
        "organisations": sorted(access.organisation_ids),
        "administer": administer,
    }


def register_report_may_download(*, job, user, held: frozenset[str]) -> bool:
    """The `may_download` of every register report kind: the person's access now (roles at the
    job's organisation, access limits, not platform staff) still covers what the file holds."""
    recorded = job.access or {}
    access = register_access_build(user=user, centre=job.centre, held=held)
    if access is None or access.register.pk != recorded.get("register"):
        return False
    if not (access.can_administer if recorded.get("administer") else access.can_report or access.can_administer):
        return False
    return set(recorded.get("organisations") or []) <= set(access.organisation_ids)


def register_access_narrowed(access: RegisterAccess, job) -> RegisterAccess:
    """`access` limited to the organisations recorded on the report job when it was asked for,
    so a file never covers more than the download check allows."""
    recorded = (getattr(job, "access", None) or {}).get("organisations")
    if recorded is None:  # a job made before access was recorded (or a benchmark's stand-in)
        return access
    allowed = set(recorded)
    return replace(access, organisations=[o for o in access.organisations if o.pk in allowed])
